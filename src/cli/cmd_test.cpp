// `leadscore test RULES... [--cases FILE_OR_DIR] [--format text|github|sarif]`: rule unit tests in YAML.
#include <cstdint>
#include <cstdio>

#include <fmt/format.h>

#include "build_info.hpp"
#include "common/sarif.hpp"

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "common/escape.hpp"
#include "jobs/rule_tests.hpp"

namespace leadscore::cli {

namespace {

int run_test(const ParsedArgs& args) {
  jobs::TestRequest request;
  request.rules = args.positionals();
  request.cases = args.get("--cases");
  const std::string format = args.get("--format").value_or("text");
  Diagnostics results;
  if (format == "github") request.format = jobs::TestOutput::Github;
  if (format == "json") request.format = jobs::TestOutput::Json;
  request.coverage = args.has("--coverage");
  request.fail_under = args.real("--fail-under");
  if (request.fail_under && !request.coverage) {
    std::fputs("leadscore test: --fail-under needs --coverage (see `leadscore help test`)\n", stderr);
    return 2;
  }
  if (format == "sarif") request.results = &results;
  std::string out;
  int status = jobs::run_rule_tests(request, out);
  if (request.results) out = render_sarif(results.items(), build_info::version);
  std::fputs(without_nul(out).c_str(), stdout);
  return status;
}

}  // namespace

const CommandSpec& test_command() {
  static const CommandSpec spec{
      .name = "test",
      .summary = "run the rule unit tests of rules files (NAME.test.yaml)",
      .synopsis = {},
      .positionals = {.synopsis = "RULES...", .kind = OptionKind::InputPath, .min = 1, .max = SIZE_MAX,
                      .count_error = "name at least one rules file", .described = "the rules file"},
      .options =
          {
              input("--cases", "FILE_OR_DIR",
                    "FILE: use FILE for every rules file given\n"
                    "DIR: use DIR/NAME.test.yaml for NAME.rules"),
              choice("--format", "text|github|json|sarif",
                     "github: also print GitHub Actions annotations\n"
                     "(::error file=...,line=...,col=...::...; with --coverage a ::warning per\n"
                     "uncovered item)\n"
                     "json: one object: passed, failed, failed_cases and, with --coverage, the coverage\n"
                     "sarif: a SARIF 2.1.0 log of the failed cases and, with --coverage, the untested\n"
                     "items, for code-scanning tools"),
              flag("--coverage",
                   "also list the rules, multipliers, gate criteria and classify branches that no case\n"
                   "makes true (uncovered) and those no case makes false, with the share covered"),
              real("--fail-under", "PCT", "with --coverage: exit 1 when the share covered is below PCT percent",
                   from_to(0, 100)),
          },
      .description = R"(Runs the rule unit tests of each rules file: YAML cases, each a lead (field -> value), its
activity events (times may be relative to the case's as_of: -3d, -4h, -2w, -30d1h) and the
outputs expected (section values, score, gates, mql, classify values, reasons, fired and
not_fired rule labels). Each case is scored through the same path as `score`; numbers compare
after the output's 2-decimal rounding. See docs/rule-tests.md for the format.
By default the tests of acme.rules are in acme.test.yaml beside it.
)",
      .epilogue = R"(A failing case prints each expectation that failed as FILE:LINE:COL of the expectation with
expected and actual values, then the lead's explanation. The last line is `N passed, M failed`.
Exit status: 0 every case passed; 1 a case failed, or a rules or test file has an error; 2 usage error.
)",
      .run = run_test,
  };
  return spec;
}

}  // namespace leadscore::cli

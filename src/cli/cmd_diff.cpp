// `leadscore diff OLD NEW --leads F [--activities F] --as-of T ...`: what a rules change does to real leads.
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "jobs/diff.hpp"

namespace leadscore::cli {

namespace {

int run_diff_command(const ParsedArgs& args) {
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leadscore diff: {} (see `leadscore help diff`)\n", message);
    return 2;
  };
  std::string error;
  jobs::DiffRequest request;
  request.old_rules = args.positionals()[0];
  request.new_rules = args.positionals()[1];
  request.leads = *args.get("--leads");
  request.allow_other_ruleset = args.has("--allow-other-ruleset");
  request.activities = args.get("--activities");
  request.accounts = args.get("--accounts");
  if (!parse_as_of(*args.get("--as-of"), request.as_of, error)) return usage(error);
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, request.read.delimiter, error)) return usage(error);
  const std::string format = args.get("--format").value_or("text");
  if (format == "markdown") request.format = jobs::DiffFormat::Markdown;
  else if (format == "json") request.format = jobs::DiffFormat::Json;
  else if (format == "github") request.format = jobs::DiffFormat::Github;
  if (auto top = args.whole("--top")) request.top = static_cast<std::size_t>(*top);
  for (const auto& text : args.all("--fail-if")) {
    jobs::FailIf f;
    if (!jobs::parse_fail_if(text, f, error)) return usage(error);
    request.fail_if.push_back(f);
  }
  std::string out, err;
  int status = jobs::run_diff(request, out, err);
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
  std::fputs(err.c_str(), stderr);
  return status;
}

}  // namespace

const CommandSpec& diff_command() {
  static const CommandSpec spec{
      .name = "diff",
      .summary = "compare two rule sets on the same leads (MQL flips, transitions, movers)",
      .synopsis = {},
      .positionals = {.synopsis = "OLD NEW", .kind = OptionKind::Text, .min = 2, .max = 2,
                      .count_error = "name two rules files: OLD NEW (a path or git:REF:PATH)",
                      .described = "the rules file"},
      .options =
          {
              input("--leads", "FILE", "the leads file (CSV)").is_required(),
              input("--activities", "FILE", "activity events"),
              input("--accounts", "FILE", "the accounts file the rules' `schema account` describes"),
              text("--as-of", "INSTANT",
                   "score both sides as of this instant (2026-11-01T00:00:00Z, or a date)").is_required(),
              text("--delimiter", "C", "input delimiter: ',' (default), ';', '|' or 'tab'"),
              choice("--format", "text|markdown|json|github",
                     "text (default); markdown: tables to paste as a pull-request comment;\n"
                     "json: one JSON object for tools;\n"
                     "github: the text report plus GitHub Actions annotations"),
              text("--fail-if", "EXPR",
                   "exit 3 when EXPR holds; metrics: mql_flips, mql_in, mql_out, moved,\n"
                   "quadrant_moves (leads whose value of a classify changed) (a count, or with %\n"
                   "a share of the leads compared), score_mean_change (|mean change|, points);\n"
                   "operators > >= < <=. Repeatable. e.g. --fail-if 'mql_flips > 5%'").is_repeated(),
              whole("--top", "N", "list the N top movers and the first N MQL flips (default 10)"),
              flag("--allow-other-ruleset",
                   "apply the rules' calibration weights even when they were calibrated for another\n"
                   "ruleset (rules hash): a warning instead of an error"),
          },
      .description = R"(Scores the same leads with two rule sets and reports what the change does: each ruleset's name,
version and hash; every declaration added, removed or changed in meaning (schema fields, lists and
their files' entries, let, section limits, rules, multipliers, gates and their criteria, mql,
classify and its branches, the calibration line and its weights file), each at its file:line;
a warning when the rules changed but `version` did not; MQL flips in and out, the first N listed
with what explains each; how many leads each rule, multiplier and gate criterion fires on before
and after; the transition matrix of every classify in both; the score distribution before and
after (min, p10, p25, median, p75, p90, max, mean); the top N movers (default 10) with the reasons
that stopped and started applying. A change of layout or comments only is no change.

OLD and NEW are rules files or git:REF:PATH. PATH is read from the repository's top folder, as
`git show REF:PATH` does, from any folder of the work tree; start it with ./ or ../ to name it
relative to the current folder. The whole folder of PATH at REF is extracted, so list files and
the weights file come from REF.
)",
      .epilogue = R"(Exit status: 0 ok; 1 error (a ruleset does not compile, a file or git reference cannot be read,
a side cannot score the data); 2 usage error; 3 a --fail-if threshold was exceeded.
)",
      .run = run_diff_command,
  };
  return spec;
}

}  // namespace leadscore::cli

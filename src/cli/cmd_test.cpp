// `leadscore test RULES... [--cases FILE_OR_DIR] [--format text|github]`: rule unit tests in YAML.
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "common/escape.hpp"
#include "jobs/rule_tests.hpp"

namespace leadscore::cli {

int cmd_test(const Args& raw) {
  ParsedArgs args;
  std::string error;
  if (!args.parse(raw, {"--cases", "--format"}, {}, error)) {
    fmt::print(stderr, "leadscore test: {}\n", error);
    return 2;
  }
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leadscore test: {} (see `leadscore help test`)\n", message);
    return 2;
  };
  jobs::TestRequest request;
  request.rules = args.positionals();
  if (request.rules.empty()) return usage("name at least one rules file");
  request.cases = args.get("--cases");
  std::string format = args.get("--format").value_or("text");
  if (format == "github") request.format = jobs::TestOutput::Github;
  else if (format != "text") return usage(fmt::format("--format takes text or github, not \"{}\"", format));
  std::string out;
  int status = jobs::run_rule_tests(request, out);
  std::fputs(without_nul(out).c_str(), stdout);
  return status;
}

}  // namespace leadscore::cli

// `leadscore COMMAND ...`: dispatch, help and version.
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "build_info.hpp"
#include "cli/commands.hpp"
#include "cli/help.hpp"
#include "common/suggest.hpp"

namespace leadscore::cli {

namespace {

using Command = int (*)(const Args&);

const std::map<std::string, Command>& commands() {
  static const std::map<std::string, Command> table = {
      {"check", cmd_check}, {"score", cmd_score}, {"explain", cmd_explain}, {"compile", cmd_compile},
      {"fmt", cmd_fmt},
      {"test", cmd_test}, {"diff", cmd_diff},
      {"calibrate", cmd_calibrate}, {"report", cmd_report},
  };
  return table;
}

}  // namespace

int run(int argc, char** argv) {
  Args args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(help_text("").c_str(), stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    fmt::print("leadscore {} (commit {})\n", build_info::version, build_info::git_commit);
    return 0;
  }
  if (args[0] == "help") {
    std::string topic = args.size() > 1 ? args[1] : "";
    std::string text = help_text(topic);
    if (text.empty()) {
      fmt::print(stderr, "leadscore: no help for \"{}\"; commands: {}\n", topic, command_list());
      return 2;
    }
    std::fputs(text.c_str(), stdout);
    return 0;
  }
  auto it = commands().find(args[0]);
  if (it == commands().end()) {
    std::vector<std::string> names;
    for (const auto& [name, fn] : commands()) names.push_back(name);
    auto best = closest_match(args[0], names);
    fmt::print(stderr, "leadscore: unknown command \"{}\"{}; run `leadscore --help`\n", args[0],
               best ? fmt::format(" (did you mean \"{}\"?)", *best) : "");
    return 2;
  }
  Args rest(args.begin() + 1, args.end());
  for (const auto& a : rest)
    if (a == "--help" || a == "-h") {
      std::fputs(help_text(args[0]).c_str(), stdout);
      return 0;
    }
  return it->second(rest);
}

}  // namespace leadscore::cli

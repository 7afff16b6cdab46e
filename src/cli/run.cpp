// `leadscore COMMAND ...`: dispatch, help and version; every command's arguments are parsed by its
// option table, and no output may be one of the command's inputs or another output.
#include <csignal>
#include <cstdio>

#include <fmt/format.h>

#include "build_info.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/help.hpp"
#include "common/suggest.hpp"

namespace leadscore::cli {

const std::vector<const CommandSpec*>& all_commands() {
  static const std::vector<const CommandSpec*> table = {
      &check_command(),     &fmt_command(),   &score_command(), &explain_command(), &compile_command(),
      &calibrate_command(), &suggest_command(), &report_command(), &test_command(), &diff_command(),
      &partition_command(), &handoff_command(),
  };
  return table;
}

const CommandSpec* find_command(std::string_view name) {
  for (const auto* command : all_commands())
    if (command->name == name) return command;
  return nullptr;
}

const Option* find_option(const CommandSpec& command, std::string_view name) {
  for (const auto& option : command.options)
    if (option.name == name) return &option;
  return nullptr;
}

int run(int argc, char** argv) {
  // Past a file-size limit (ulimit -f) a write fails with EFBIG and the command reports it and
  // removes its temporary files, instead of the process being killed by SIGXFSZ.
  std::signal(SIGXFSZ, SIG_IGN);
  std::vector<std::string> args(argv + 1, argv + argc);
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
  const CommandSpec* command = find_command(args[0]);
  if (!command) {
    std::vector<std::string> names;
    for (const auto* c : all_commands()) names.emplace_back(c->name);
    auto best = closest_match(args[0], names);
    fmt::print(stderr, "leadscore: unknown command \"{}\"{}; run `leadscore --help`\n", args[0],
               best ? fmt::format(" (did you mean \"{}\"?)", *best) : "");
    return 2;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const auto& a : rest)
    if (a == "--help" || a == "-h") {
      std::fputs(command_help(*command).c_str(), stdout);
      return 0;
    }
  ParsedArgs parsed;
  std::string error;
  if (!parsed.parse(*command, rest, error)) {
    // An unknown option already comes with its did-you-mean; the others point to the usage.
    if (error.rfind("unknown option", 0) == 0) fmt::print(stderr, "leadscore {}: {}\n", command->name, error);
    else fmt::print(stderr, "leadscore {}: {} (see `leadscore help {}`)\n", command->name, error, command->name);
    return 2;
  }
  if (auto overlap = io::find_output_overlap(parsed.paths(OptionKind::OutputPath), parsed.paths(OptionKind::InputPath))) {
    fmt::print(stderr, "leadscore {}: {}\n", command->name, *overlap);
    return 1;
  }
  return command->run(parsed);
}

}  // namespace leadscore::cli

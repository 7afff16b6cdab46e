#include "cli/help.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace leadscore::cli {

namespace {

constexpr std::size_t kLineWidth = 100;
constexpr std::size_t kMaxLabelWidth = 24;

std::string option_token(const Option& option) {
  std::string token(option.name);
  if (option.kind != OptionKind::Flag) token += fmt::format(" {}", option.value);
  if (option.repeated) token += "...";
  return option.required ? token : "[" + token + "]";
}

// "usage: leadscore score RULES --leads FILE [--activities FILE] ...", wrapped under the first word.
std::string synopsis(const CommandSpec& command) {
  const std::string prefix = fmt::format("usage: leadscore {} ", command.name);
  if (!command.synopsis.empty()) return prefix + std::string(command.synopsis) + "\n";
  std::vector<std::string> tokens;
  if (!command.positionals.synopsis.empty()) tokens.emplace_back(command.positionals.synopsis);
  for (const auto& option : command.options) tokens.push_back(option_token(option));
  std::string out = prefix, line_indent(prefix.size(), ' ');
  std::size_t column = prefix.size();
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0 && column + 1 + tokens[i].size() > kLineWidth) {
      out += "\n" + line_indent;
      column = line_indent.size();
    } else if (i > 0) {
      out += ' ';
      ++column;
    }
    out += tokens[i];
    column += tokens[i].size();
  }
  return out + "\n";
}

std::string option_lines(const CommandSpec& command) {
  std::size_t width = 0;
  auto label = [](const Option& o) {
    return o.kind == OptionKind::Flag ? std::string(o.name) : fmt::format("{} {}", o.name, o.value);
  };
  for (const auto& o : command.options) width = std::max(width, std::min(kMaxLabelWidth, label(o).size()));
  const std::string indent(2 + width + 2, ' ');
  std::string out;
  for (const auto& o : command.options) {
    std::string text = "  " + label(o);
    if (text.size() > 2 + width) text += "\n" + indent;
    else text += std::string(2 + width + 2 - text.size(), ' ');
    std::string_view help = o.help;
    for (bool first = true; !help.empty(); first = false) {
      const std::size_t end = help.find('\n');
      if (!first) text += indent;
      text += std::string(help.substr(0, end)) + "\n";
      help = end == std::string_view::npos ? std::string_view{} : help.substr(end + 1);
    }
    out += text;
  }
  return out;
}

}  // namespace

std::string command_help(const CommandSpec& command) {
  std::string out = synopsis(command);
  if (!command.description.empty()) out += "\n" + std::string(command.description);
  if (!command.options.empty()) out += "\n" + option_lines(command);
  if (!command.epilogue.empty()) out += "\n" + std::string(command.epilogue);
  return out;
}

std::string command_list() {
  std::string out;
  for (const auto* command : all_commands()) out += (out.empty() ? "" : ", ") + std::string(command->name);
  return out;
}

std::string help_text(const std::string& topic) {
  if (topic.empty()) {
    std::string out = R"(leadscore: lead scoring from a rules file marketing and sales agree on

usage: leadscore COMMAND [ARGS]

commands:
)";
    for (const auto* command : all_commands()) out += fmt::format("  {:<9} {}\n", command->name, command->summary);
    out += R"(
  leadscore help COMMAND    usage of one command
  leadscore --version       version and the git commit it was built from

Docs: docs/language.md (the rules language), docs/cli.md (commands and exit codes).
)";
    return out;
  }
  const CommandSpec* command = find_command(topic);
  return command ? command_help(*command) : std::string{};
}

}  // namespace leadscore::cli

#pragma once
// What a command accepts, declared once: the parser, `leadscore help COMMAND`, the check that no
// output is an input, and the test that docs/cli.md lists the same options all read this table.
#include <cstddef>
#include <limits>
#include <string_view>
#include <vector>

namespace leadscore::cli {

class ParsedArgs;

enum class OptionKind {
  Flag,        // --quiet: no value
  Text,        // --as-of INSTANT: any text, checked by the command
  Choice,      // --format csv|jsonl: one of the values listed in `value`
  Whole,       // --threads N: digits only, within `range`
  Real,        // --pdo P: a finite decimal number, within `range`
  InputPath,   // --leads FILE: a file the command reads
  OutputPath,  // --out FILE: a file the command replaces (`-` is standard output)
};

struct Range {
  double min = 0;
  double max = std::numeric_limits<double>::infinity();
  bool min_open = false;  // min itself is outside the range
  bool max_open = false;
};
constexpr Range from_to(double min, double max) { return {min, max, false, false}; }
constexpr Range at_least(double min) { return {min, std::numeric_limits<double>::infinity(), false, false}; }
constexpr Range greater_than(double min) { return {min, std::numeric_limits<double>::infinity(), true, false}; }
constexpr Range strictly_between(double min, double max) { return {min, max, true, true}; }

struct Option {
  std::string_view name;  // "--threads"
  OptionKind kind = OptionKind::Flag;
  std::string_view value;  // the placeholder in help (FILE, N); for a Choice its values: "csv|jsonl"
  std::string_view help;   // one or more lines
  Range range{};           // Whole and Real (default: 0 or more)
  bool required = false;
  bool repeated = false;   // may be given several times (every value is kept); otherwise once at most

  constexpr Option is_required() const {
    Option o = *this;
    o.required = true;
    return o;
  }
  constexpr Option is_repeated() const {
    Option o = *this;
    o.repeated = true;
    return o;
  }
};

// The table's rows: flag("--quiet", "no summary"), whole("--threads", "N", "...", from_to(1, 256)).
constexpr Option flag(std::string_view name, std::string_view help) {
  return {name, OptionKind::Flag, {}, help, {}, false, false};
}
constexpr Option text(std::string_view name, std::string_view value, std::string_view help) {
  return {name, OptionKind::Text, value, help, {}, false, false};
}
constexpr Option choice(std::string_view name, std::string_view values, std::string_view help) {
  return {name, OptionKind::Choice, values, help, {}, false, false};
}
constexpr Option whole(std::string_view name, std::string_view value, std::string_view help, Range range = {}) {
  return {name, OptionKind::Whole, value, help, range, false, false};
}
constexpr Option real(std::string_view name, std::string_view value, std::string_view help, Range range = {}) {
  return {name, OptionKind::Real, value, help, range, false, false};
}
constexpr Option input(std::string_view name, std::string_view value, std::string_view help) {
  return {name, OptionKind::InputPath, value, help, {}, false, false};
}
constexpr Option output(std::string_view name, std::string_view value, std::string_view help) {
  return {name, OptionKind::OutputPath, value, help, {}, false, false};
}

struct Positionals {
  std::string_view synopsis;  // "RULES", "RULES...", "OLD NEW"
  OptionKind kind = OptionKind::InputPath;
  std::size_t min = 1, max = 1;
  std::string_view count_error;  // "name exactly one rules file"
  std::string_view described;    // "the rules file": how an overlap message names one
};

struct CommandSpec {
  std::string_view name;
  std::string_view summary;   // one line in `leadscore --help`
  std::string_view synopsis;  // the usage line after "leadscore NAME"; empty: made from the table
  Positionals positionals;
  std::vector<Option> options;
  std::string_view description;  // between the usage and the options
  std::string_view epilogue;     // after the options (exit status)
  int (*run)(const ParsedArgs&) = nullptr;
};

// Every command, in the order `leadscore --help` lists them.
const std::vector<const CommandSpec*>& all_commands();
const CommandSpec* find_command(std::string_view name);
const Option* find_option(const CommandSpec& command, std::string_view name);

}  // namespace leadscore::cli

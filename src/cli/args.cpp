#include "cli/args.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "common/suggest.hpp"
#include "io/value_parse.hpp"

namespace leadscore::cli {

namespace {

constexpr std::size_t kMaxWholeDigits = 15;  // exact in a double, far beyond any count of leads

std::string bound(double value, OptionKind kind) {
  return kind == OptionKind::Whole ? std::to_string(static_cast<std::uint64_t>(value)) : fmt::format("{}", value);
}

// "a whole number from 1 to 256", "a number between 0 and 1 (exclusive)", "a number greater than 0".
std::string describe_number(const Option& option) {
  const Range& r = option.range;
  const bool whole = option.kind == OptionKind::Whole;
  const std::string noun = whole ? "a whole number" : "a number";
  if (std::isinf(r.max)) {
    if (r.min_open) return fmt::format("{} greater than {}", noun, bound(r.min, option.kind));
    return fmt::format("{} of {} or more", noun, bound(r.min, option.kind));
  }
  if (r.min_open && r.max_open)
    return fmt::format("{} between {} and {} (exclusive)", noun, bound(r.min, option.kind), bound(r.max, option.kind));
  return fmt::format("{} from {} to {}", noun, bound(r.min, option.kind), bound(r.max, option.kind));
}

bool in_range(double v, const Range& r) {
  return (r.min_open ? v > r.min : v >= r.min) && (r.max_open ? v < r.max : v <= r.max);
}

bool parse_number(const Option& option, const std::string& text, double& value) {
  if (option.kind == OptionKind::Whole) {
    if (text.empty() || text.size() > kMaxWholeDigits) return false;
    for (char c : text)
      if (c < '0' || c > '9') return false;
    std::uint64_t n = 0;
    std::from_chars(text.data(), text.data() + text.size(), n);
    value = static_cast<double>(n);
  } else {
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end || !std::isfinite(value)) return false;
  }
  return in_range(value, option.range);
}

std::vector<std::string_view> choices(const Option& option) {
  std::vector<std::string_view> out;
  std::string_view rest = option.value;
  while (!rest.empty()) {
    const std::size_t bar = rest.find('|');
    out.push_back(rest.substr(0, bar));
    rest = bar == std::string_view::npos ? std::string_view{} : rest.substr(bar + 1);
  }
  return out;
}

// "text, json or github"
std::string choice_list(const Option& option) {
  const auto values = choices(option);
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i)
    out += fmt::format("{}{}", i == 0 ? "" : i + 1 == values.size() ? " or " : ", ", values[i]);
  return out;
}

std::string check_value(const Option& option, const std::string& value) {
  switch (option.kind) {
    case OptionKind::Choice:
      for (auto c : choices(option))
        if (c == value) return {};
      return fmt::format("{} takes {}, not \"{}\"", option.name, choice_list(option), value);
    case OptionKind::Whole:
    case OptionKind::Real: {
      double number = 0;
      if (parse_number(option, value, number)) return {};
      return fmt::format("{} takes {}, not \"{}\"", option.name, describe_number(option), value);
    }
    case OptionKind::InputPath:
    case OptionKind::OutputPath:
      return value.empty() ? fmt::format("{} needs a file name", option.name) : std::string{};
    case OptionKind::Text:
    case OptionKind::Flag:
      return {};
  }
  return {};
}

}  // namespace

bool ParsedArgs::parse(const CommandSpec& command, const std::vector<std::string>& args, std::string& error) {
  command_ = &command;
  values_.clear();
  positionals_.clear();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a[0] != '-' || a == "-") {
      positionals_.push_back(a);
      continue;
    }
    if (a == "--") {
      positionals_.insert(positionals_.end(), args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    std::string name = a, value;
    bool inline_value = false;
    if (auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    const Option* option = find_option(command, name);
    if (!option) {
      std::vector<std::string> known;
      for (const auto& o : command.options) known.emplace_back(o.name);
      auto best = closest_match(name, known);
      error = fmt::format("unknown option {}{}", name, best ? fmt::format(" (did you mean {}?)", *best) : "");
      return false;
    }
    if (option->kind == OptionKind::Flag) {
      if (inline_value) {
        error = fmt::format("option {} takes no value", name);
        return false;
      }
      if (values_.count(name)) {  // as for options with a value: each is given once
        error = fmt::format("option {} is given twice", name);
        return false;
      }
      values_[name];
      continue;
    }
    if (!inline_value) {
      // `--out --quiet` lacks the file name; it does not write a file called "--quiet".
      if (i + 1 >= args.size() || (args[i + 1].rfind("--", 0) == 0 && find_option(command, args[i + 1]))) {
        error = fmt::format("option {} needs a value", name);
        return false;
      }
      value = args[++i];
    }
    auto& given = values_[name];
    if (!given.empty() && !option->repeated) {
      error = fmt::format("option {} is given twice (\"{}\" and \"{}\")", name, given.front(), value);
      return false;
    }
    if (std::string problem = check_value(*option, value); !problem.empty()) {
      error = problem;
      return false;
    }
    given.push_back(value);
  }
  for (const auto& option : command.options)
    if (option.required && !values_.count(option.name)) {
      error = fmt::format("{} {} is required", option.name, option.value);
      return false;
    }
  const auto& p = command.positionals;
  if (positionals_.size() < p.min || positionals_.size() > p.max) {
    error = std::string(p.count_error);
    return false;
  }
  if (p.kind == OptionKind::InputPath || p.kind == OptionKind::OutputPath)
    for (const auto& path : positionals_)
      if (path.empty()) {
        error = fmt::format("{} needs a file name, not \"\"", p.synopsis);
        return false;
      }
  return true;
}

const Option& ParsedArgs::declared(std::string_view name, std::initializer_list<OptionKind> kinds) const {
  const Option* option = command_ ? find_option(*command_, name) : nullptr;
  if (!option) throw std::logic_error(fmt::format("option {} is not declared for this command", name));
  for (OptionKind k : kinds)
    if (option->kind == k) return *option;
  throw std::logic_error(fmt::format("option {} is read as another kind than it is declared", name));
}

bool ParsedArgs::has(std::string_view name) const {
  declared(name, {OptionKind::Flag, OptionKind::Text, OptionKind::Choice, OptionKind::Whole, OptionKind::Real,
                  OptionKind::InputPath, OptionKind::OutputPath});
  return values_.find(name) != values_.end();
}

std::optional<std::string> ParsedArgs::get(std::string_view name) const {
  const Option& option = declared(name, {OptionKind::Text, OptionKind::Choice, OptionKind::Whole, OptionKind::Real,
                                         OptionKind::InputPath, OptionKind::OutputPath});
  if (option.repeated) throw std::logic_error(fmt::format("option {} is repeated: read it with all()", name));
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second.front();
}

const std::vector<std::string>& ParsedArgs::all(std::string_view name) const {
  static const std::vector<std::string> none;
  declared(name, {OptionKind::Text, OptionKind::Choice, OptionKind::InputPath, OptionKind::OutputPath});
  auto it = values_.find(name);
  return it == values_.end() ? none : it->second;
}

std::optional<std::uint64_t> ParsedArgs::whole(std::string_view name) const {
  declared(name, {OptionKind::Whole});
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  std::uint64_t n = 0;
  std::from_chars(it->second.front().data(), it->second.front().data() + it->second.front().size(), n);
  return n;
}

std::optional<double> ParsedArgs::real(std::string_view name) const {
  declared(name, {OptionKind::Real});
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  double value = 0;
  std::from_chars(it->second.front().data(), it->second.front().data() + it->second.front().size(), value);
  return value;
}

std::vector<io::NamedPath> ParsedArgs::paths(OptionKind kind) const {
  std::vector<io::NamedPath> out;
  if (!command_) return out;
  if (command_->positionals.kind == kind)
    for (const auto& path : positionals_)
      out.push_back({path, fmt::format("{} {}", command_->positionals.described, path)});
  for (const auto& option : command_->options) {
    if (option.kind != kind) continue;
    auto it = values_.find(option.name);
    if (it == values_.end()) continue;
    for (const auto& path : it->second) out.push_back({path, fmt::format("{} {}", option.name, path)});
  }
  return out;
}

bool parse_delimiter(const std::string& text, char& delimiter, std::string& error, std::string_view option) {
  if (text == "tab" || text == "\\t" || text == "\t") delimiter = '\t';
  else if (text.size() == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r') delimiter = text[0];
  else {
    error = fmt::format("{} takes one character such as ',' ';' '|' or 'tab', not \"{}\"", option, text);
    return false;
  }
  return true;
}

bool parse_as_of(const std::string& text, std::int64_t& micros, std::string& error) {
  auto parsed = io::parse_timestamp(text);
  if (!parsed.has_value()) {
    error = fmt::format("--as-of \"{}\" is not a timestamp; write e.g. 2026-11-01T00:00:00Z or 2026-11-01", text);
    return false;
  }
  micros = parsed.value;
  return true;
}

std::vector<std::string> comma_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string_view item = io::trim_blanks(std::string_view(text).substr(start, comma - start));
    if (!item.empty()) out.emplace_back(item);
    start = comma + 1;
  }
  return out;
}

bool parse_headers(const std::string& option, const std::string& text,
                   const std::vector<std::pair<std::string, std::string*>>& keys, std::vector<std::string>& named,
                   std::string& error) {
  for (const auto& item : comma_list(text)) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      error = fmt::format("{} takes KEY=HEADER items, not \"{}\"", option, item);
      return false;
    }
    const std::string key = item.substr(0, eq);
    auto it = std::find_if(keys.begin(), keys.end(), [&](const auto& k) { return k.first == key; });
    if (it == keys.end()) {
      std::string known;
      for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k.first;
      error = fmt::format("{} keys are {}; not \"{}\"", option, known, key);
      return false;
    }
    *it->second = item.substr(eq + 1);
    named.push_back(key);
  }
  return true;
}

bool named_key(const std::vector<std::string>& named, std::string_view key) {
  return std::find(named.begin(), named.end(), key) != named.end();
}

bool parse_duration(const std::string& text, std::int64_t& micros) {
  if (text.size() < 2) return false;
  std::int64_t count = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size() - 1, count);
  if (ec != std::errc() || end != text.data() + text.size() - 1 || count < 0 || count > 100'000) return false;
  std::int64_t hours = 0;
  switch (text.back()) {
    case 'h': hours = 1; break;
    case 'd': hours = 24; break;
    case 'w': hours = 24 * 7; break;
    default: return false;
  }
  micros = count * hours * 3'600'000'000LL;
  return true;
}

}  // namespace leadscore::cli

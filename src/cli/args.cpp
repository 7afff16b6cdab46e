#include "cli/args.hpp"

#include <fmt/format.h>

#include "common/suggest.hpp"
#include "io/value_parse.hpp"

namespace leadscore::cli {

bool ParsedArgs::parse(const std::vector<std::string>& args, const std::set<std::string>& valued,
                       const std::set<std::string>& flags, std::string& error) {
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
    if (valued.count(name)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) {
          error = fmt::format("option {} needs a value", name);
          return false;
        }
        value = args[++i];
      }
      values_[name] = value;
    } else if (flags.count(name) && !inline_value) {
      flags_.insert(name);
    } else {
      std::vector<std::string> known(valued.begin(), valued.end());
      known.insert(known.end(), flags.begin(), flags.end());
      auto best = closest_match(name, known);
      error = fmt::format("unknown option {}{}", name, best ? fmt::format(" (did you mean {}?)", *best) : "");
      return false;
    }
  }
  return true;
}

std::optional<std::string> ParsedArgs::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

bool parse_delimiter(const std::string& text, char& delimiter, std::string& error) {
  if (text == "tab" || text == "\\t" || text == "\t") delimiter = '\t';
  else if (text.size() == 1 && text[0] != '"' && text[0] != '\n' && text[0] != '\r') delimiter = text[0];
  else {
    error = fmt::format("--delimiter takes one character such as ',' ';' '|' or 'tab', not \"{}\"", text);
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

}  // namespace leadscore::cli

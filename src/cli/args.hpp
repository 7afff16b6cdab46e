#pragma once
// A small command-line parser: `--name value`, `--name=value`, `--flag`, and positionals.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace leadscore::cli {

class ParsedArgs {
 public:
  // `valued` options take a value; `flags` take none. Unknown options are an error.
  bool parse(const std::vector<std::string>& args, const std::set<std::string>& valued,
             const std::set<std::string>& flags, std::string& error);
  std::optional<std::string> get(const std::string& name) const;
  bool has(const std::string& name) const { return flags_.count(name) > 0 || values_.count(name) > 0; }
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positionals_;
};

// Parses the common `--delimiter` value: `,` `;` `tab` or `\t`, `|`.
bool parse_delimiter(const std::string& text, char& delimiter, std::string& error);
// Parses `--as-of` in the contract's timestamp form (a bare date is midnight UTC).
bool parse_as_of(const std::string& text, std::int64_t& micros, std::string& error);

}  // namespace leadscore::cli

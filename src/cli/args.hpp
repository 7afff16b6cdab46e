#pragma once
// Parses a command's arguments by its option table: `--name value`, `--name=value`, `--flag`,
// positionals, and `--` before positionals that begin with `-`.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/options.hpp"
#include "io/path_identity.hpp"

namespace leadscore::cli {

class ParsedArgs {
 public:
  // False with a one-line `error` naming the option: unknown (with a did-you-mean), missing or
  // malformed value, number out of range, given twice, a required option absent, wrong positionals.
  bool parse(const CommandSpec& command, const std::vector<std::string>& args, std::string& error);

  // Asking for an option the table does not declare, or with the wrong kind, is a programming error
  // (std::logic_error), so a typo in a command cannot silently read nothing.
  bool has(std::string_view name) const;
  std::optional<std::string> get(std::string_view name) const;           // a value option
  const std::vector<std::string>& all(std::string_view name) const;      // a repeated option, in order
  std::optional<std::uint64_t> whole(std::string_view name) const;       // a Whole option
  std::optional<double> real(std::string_view name) const;               // a Real option
  const std::vector<std::string>& positionals() const { return positionals_; }

  // The files given for options (and positionals) of `kind` (InputPath or OutputPath), each
  // described as the user wrote it: "--leads leads.csv", "the rules file acme.rules".
  std::vector<io::NamedPath> paths(OptionKind kind) const;

 private:
  const Option& declared(std::string_view name, std::initializer_list<OptionKind> kinds) const;

  const CommandSpec* command_ = nullptr;
  std::map<std::string, std::vector<std::string>, std::less<>> values_;  // flags map to {}
  std::vector<std::string> positionals_;
};

// Parses the common `--delimiter` value: `,` `;` `tab` or `\t`, `|`.
bool parse_delimiter(const std::string& text, char& delimiter, std::string& error,
                     std::string_view option = "--delimiter");
// Parses `--as-of` in the contract's timestamp form (a bare date is midnight UTC).
bool parse_as_of(const std::string& text, std::int64_t& micros, std::string& error);
// `a,b , c` -> {"a", "b", "c"}: items trimmed, empty ones dropped.
std::vector<std::string> comma_list(const std::string& text);
// `KEY=HEADER,...` (--outcome-columns, --disposition-columns) into the headers named by `keys`;
// `named` lists the keys given. False with `error` for another key or an item without `=`.
bool parse_headers(const std::string& option, const std::string& text,
                   const std::vector<std::pair<std::string, std::string*>>& keys, std::vector<std::string>& named,
                   std::string& error);
bool named_key(const std::vector<std::string>& named, std::string_view key);
// A duration as the rules write it: `36h`, `7d`, `2w` (microseconds); false for anything else.
bool parse_duration(const std::string& text, std::int64_t& micros);

}  // namespace leadscore::cli

#include "parser/internal/recovery.hpp"

#include <array>

namespace leadscore::parser_internal {
namespace {

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool starts_with_declaration_keyword(std::string_view rest) {
  static constexpr std::array<std::string_view, 9> keywords{"ruleset", "schema", "list",     "let",        "score",
                                                            "gate",    "mql",    "classify", "calibration"};
  for (std::string_view keyword : keywords)
    if (rest.starts_with(keyword) && (rest.size() == keyword.size() || !is_identifier_char(rest[keyword.size()])))
      return true;
  // Not reserved words: they start a declaration only when a `{` follows (a field may be called `output`).
  for (std::string_view block : {std::string_view("handoff"), std::string_view("output")})
    if (rest.starts_with(block)) {
      std::size_t brace = rest.find_first_not_of(" \t", block.size());
      if (brace != std::string_view::npos && rest[brace] == '{') return true;
    }
  return false;
}

}  // namespace

std::optional<std::size_t> next_declaration_line(std::string_view text, std::size_t error_offset) {
  std::size_t line_end = text.find('\n', error_offset);
  while (line_end != std::string_view::npos) {
    std::size_t line_start = line_end + 1;
    std::size_t first = text.find_first_not_of(" \t\r\f\v", line_start);
    if (first == std::string_view::npos) return std::nullopt;
    if (text[first] != '\n' && starts_with_declaration_keyword(text.substr(first))) return line_start;
    line_end = text.find('\n', first);
  }
  return std::nullopt;
}

}  // namespace leadscore::parser_internal

#include "parser/internal/recovery.hpp"

#include <array>

namespace leadscore::parser_internal {
namespace {

bool is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool followed_by_colon(std::string_view rest, std::size_t word_size) {
  std::size_t next = rest.find_first_not_of(" \t", word_size);
  return next != std::string_view::npos && rest[next] == ':';
}

bool starts_with_declaration_keyword(std::string_view rest) {
  static constexpr std::array<std::string_view, 9> keywords{"ruleset", "schema", "list",     "let",        "score",
                                                            "gate",    "mql",    "classify", "calibration"};
  for (std::string_view keyword : keywords)
    if (rest.starts_with(keyword) && (rest.size() == keyword.size() || !is_identifier_char(rest[keyword.size()])))
      return !followed_by_colon(rest, keyword.size());
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

std::optional<std::size_t> resume_after_error(std::string_view text, std::size_t error_offset, std::size_t parse_start) {
  const std::size_t newline_before = error_offset == 0 ? std::string_view::npos : text.rfind('\n', error_offset - 1);
  const std::size_t line_start = newline_before == std::string_view::npos ? 0 : newline_before + 1;
  const bool at_first_word = text.find_first_not_of(" \t\r\f\v", line_start) == error_offset;
  // Strictly after the parse's start, so that every parse moves on.
  if (line_start > parse_start && at_first_word && starts_with_declaration_keyword(text.substr(error_offset)))
    return line_start;
  return next_declaration_line(text, error_offset);
}

}  // namespace leadscore::parser_internal

#include "parser/internal/error_hints.hpp"

#include <array>
#include <utility>
#include <vector>

#include "common/suggest.hpp"

namespace leadscore::parser_internal {

std::optional<RunawayString> runaway_string(std::string_view text, std::size_t error_offset) {
  if (error_offset == 0 || error_offset > text.size() || text[error_offset - 1] != '"') return std::nullopt;
  std::size_t line_start = text.rfind('\n', error_offset - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  std::size_t line_end = text.find('\n', error_offset);
  if (line_end == std::string_view::npos) line_end = text.size();
  std::optional<std::size_t> open;
  std::optional<RunawayString> closed_at_error;
  for (std::size_t i = line_start; i < line_end; ++i) {
    char c = text[i];
    if (open) {
      if (c == '\\') ++i;
      else if (c == '"') {
        if (i + 1 == error_offset) closed_at_error = RunawayString{*open, i};
        open.reset();
      }
    } else if (c == '#') {
      break;  // a comment: its quotes are text
    } else if (c == '"') {
      open = i;
    }
  }
  if (!open) return std::nullopt;  // every string of the line is closed: the quotes are not the slip
  return closed_at_error;
}

std::optional<std::string> declaration_keyword_for(std::string_view word) {
  if (word.empty()) return std::nullopt;
  // What people call the declarations in other tools and in our own docs ("a score section").
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kSynonyms{
      {{"section", "score"}, {"sections", "score"}, {"const", "let"}, {"var", "let"}, {"segment", "classify"}}};
  for (const auto& [synonym, keyword] : kSynonyms)
    if (word == synonym) return std::string(keyword);
  static const std::vector<std::string> kKeywords{"ruleset", "schema", "list",     "let",        "score",
                                                  "gate",    "mql",    "classify", "calibration"};
  return closest_match(word, kKeywords);
}

}  // namespace leadscore::parser_internal

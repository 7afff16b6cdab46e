#pragma once
// Where parsing resumes after a syntax error.
#include <cstddef>
#include <optional>
#include <string_view>

namespace leadscore::parser_internal {

// The start of the first line after the one holding `error_offset` whose first non-blank word
// starts a declaration (ruleset schema list let score gate mql classify calibration).
std::optional<std::size_t> next_declaration_line(std::string_view text, std::size_t error_offset);

}  // namespace leadscore::parser_internal

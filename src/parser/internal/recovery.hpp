#pragma once
// Where parsing resumes after a syntax error.
#include <cstddef>
#include <optional>
#include <string_view>

namespace leadscore::parser_internal {

// The start of the first line after the one holding `error_offset` whose first non-blank word
// starts a declaration (ruleset schema list let score gate mql classify calibration), unless a `:`
// follows it: `score: int` is a schema field with a reserved name.
std::optional<std::size_t> next_declaration_line(std::string_view text, std::size_t error_offset);

// Where to parse again after a syntax error at `error_offset` in the parse that started at
// `parse_start`: the error's own line when the error stands at its first word and that word starts
// a declaration (`mql when` followed by a `classify` line fails at `classify`, which still has to
// be read), else next_declaration_line.
std::optional<std::size_t> resume_after_error(std::string_view text, std::size_t error_offset, std::size_t parse_start);

}  // namespace leadscore::parser_internal

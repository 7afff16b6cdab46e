#pragma once
// Literal text to values, for tokens the grammar has already accepted.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadscore::parser_internal {

// `42`, `0.5`, `1_000_000`, `2.5k`, `10M`, `1.5B` (no sign); nullopt when out of double range.
std::optional<double> number_value(std::string_view text);
// `4h`, `30d`, `2w`; nullopt when the count overflows.
std::optional<std::int64_t> duration_seconds(std::string_view text);
// The body of a string literal without its quotes; escapes \" \\ \n \t resolved.
std::string unescape_string(std::string_view body);

}  // namespace leadscore::parser_internal

#pragma once
// Literal text to values, for tokens the grammar has already accepted.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadscore::parser_internal {

// `42`, `0.5`, `1_000_000`, `2.5k`, `10M`, `1.5B` (no sign); nullopt when out of double range.
std::optional<double> number_value(std::string_view text);
// Durations (`within`, `decay`) are at most 100 years of 365.25 days: 36525d, 5217w or 876600h. Longer
// ones cannot be right (the data's own dates span less) and would overflow the microsecond arithmetic.
inline constexpr std::int64_t kMaxDurationDays = 36525;
inline constexpr std::int64_t kMaxDurationSeconds = kMaxDurationDays * 86400;
// `4h`, `30d`, `2w`; nullopt when longer than kMaxDurationSeconds.
std::optional<std::int64_t> duration_seconds(std::string_view text);
// The body of a string literal without its quotes; escapes \" \\ \n \t resolved.
std::string unescape_string(std::string_view body);

}  // namespace leadscore::parser_internal

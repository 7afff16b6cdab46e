#pragma once
// Second looks at a syntax error, for the slips the grammar cannot see: a string closed too early,
// a misspelt declaration keyword and a malformed number.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace leadscore::parser_internal {

struct RunawayString {
  std::size_t open;   // offset of the opening quote whose closing quote is missing
  std::size_t close;  // offset of the quote that closed it instead
};

// When the error stands right after a closing quote and its line ends inside a string (an odd
// number of quotes): `rule "Demo when country == "US" points 5` fails at `US`, but the quote that
// is missing is the label's.
std::optional<RunawayString> runaway_string(std::string_view text, std::size_t error_offset);

// A number the grammar cannot read, standing where a value was expected: `10m`, `1e5`, `.5`, `1__0`.
struct MalformedNumber {
  std::string token;  // as written
  std::string what;   // what is wrong with it, e.g. "exponents (`e`) are not supported"
  std::string hint;   // how to write it, e.g. "write 100k or 100_000"
};
std::optional<MalformedNumber> malformed_number(std::string_view text, std::size_t error_offset);

// The declaration keyword `word` probably meant: `scroe` -> `score`, `section` -> `score`.
std::optional<std::string> declaration_keyword_for(std::string_view word);

}  // namespace leadscore::parser_internal

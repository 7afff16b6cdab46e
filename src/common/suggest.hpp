#pragma once
// "Did you mean" suggestions by edit distance.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadscore {

std::size_t edit_distance(std::string_view a, std::string_view b);  // Damerau (adjacent swaps count 1)
// The closest candidate within a distance that scales with the word's length, if any.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace leadscore

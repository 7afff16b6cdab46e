#pragma once
// Which earlier tier rule each tier rule of a section overlaps without nesting in it, in
// O(n log n): a section may hold a million generated tiers.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/lint/interval.hpp"

namespace leadscore::lint {

struct Tier {
  std::string key;  // the constrained value, e.g. `employees`
  Interval range;   // not empty
};

// For each tier i: the smallest j < i with the same key whose range overlaps tier i's while
// neither range contains the other (nested ranges are a deliberate bonus on top of a tier).
std::vector<std::optional<std::size_t>> first_crossing_tiers(const std::vector<Tier>& tiers);

}  // namespace leadscore::lint

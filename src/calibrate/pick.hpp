#pragma once
// The values of `v` at `rows`, in that order: a column narrowed to the train part, the test part or
// the closed leads.
#include <cstddef>
#include <vector>

namespace leadscore::calibrate {

template <class T>
std::vector<T> pick(const std::vector<T>& v, const std::vector<std::size_t>& rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (auto r : rows) out.push_back(v[r]);
  return out;
}

}  // namespace leadscore::calibrate

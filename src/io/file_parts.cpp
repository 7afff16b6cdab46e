#include "io/file_parts.hpp"

#include "io/csv_reader.hpp"

namespace leadscore::io {

bool split_data(const std::string& path, std::uint64_t data_start, std::size_t parts, std::vector<std::uint64_t>& cuts,
                std::string& error) {
  cuts.clear();
  if (parts < 2) return true;
  if (!split_points(path, parts, cuts, error)) return false;
  cuts.front() = data_start;
  while (cuts.size() > 2 && cuts[1] <= data_start) cuts.erase(cuts.begin() + 1);
  return true;
}

}  // namespace leadscore::io

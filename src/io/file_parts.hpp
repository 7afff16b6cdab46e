#pragma once
// Reading one file in parallel byte ranges: candidate cuts at line ends, one thread per range, and
// the proof that each cut was a record boundary (the range before it ended exactly there; a line
// end inside a quoted field looks the same, and then the caller reads the file in one pass).
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace leadscore::io {

// Cuts [data_start, end of file) into up to `parts` ranges: {data_start, c1, ..., size}. Fewer than
// three entries means there is nothing to split.
bool split_data(const std::string& path, std::uint64_t data_start, std::size_t parts, std::vector<std::uint64_t>& cuts,
                std::string& error);

// Runs work(p) for every range p on its own thread and waits for all.
template <typename Work>
void run_ranges(std::size_t ranges, Work work) {
  std::vector<std::thread> pool;
  for (std::size_t p = 0; p < ranges; ++p) pool.emplace_back([&work, p] { work(p); });
  for (auto& t : pool) t.join();
}

// Each part has `end_offset` (where its reader stopped) and `error`. Returns false with `error` when
// a part failed; otherwise `exact` says whether every cut proved to be a record boundary.
template <typename Part>
bool check_ranges(const std::vector<Part>& parts, const std::vector<std::uint64_t>& cuts, bool& exact,
                  std::string& error) {
  exact = true;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    if (!parts[p].error.empty()) {
      error = parts[p].error;
      return false;
    }
    exact = exact && parts[p].end_offset == cuts[p + 1];
  }
  return true;
}

}  // namespace leadscore::io

#pragma once
// Time-based train/test split: learn from older leads, test on newer ones.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace leadscore::calibrate {

struct TimeSplit {
  std::vector<std::size_t> train;  // row indices, ascending
  std::vector<std::size_t> test;   // row indices, ascending
  // Every train timestamp is < test_start; test_start is the oldest test timestamp (unset, 0, when
  // the test side is empty).
  std::int64_t test_start = 0;
};

// The newest round(n * test_fraction) rows go to test. Rows sharing the timestamp at the cut are
// never split: they all go to the side that brings the test share closer to test_fraction, to
// test when both are equally close. So either side can end up empty on heavily tied data.
// Throws std::invalid_argument unless 0 < test_fraction < 1.
TimeSplit time_split(std::span<const std::int64_t> timestamps, double test_fraction = 0.3);

}  // namespace leadscore::calibrate

#pragma once
// The plain logistic baseline of `calibrate --baseline-onehot`: an L2 logistic regression on the
// leads file's own columns, to see whether the rules carry more signal than the raw data. Identifier
// columns are left out (the schema's id column, a text column whose values are almost all distinct,
// a whole-number column that never repeats), and each text column keeps its most frequent values,
// so memory stays bounded whatever the columns hold.
#include <cstdint>
#include <string>
#include <vector>

#include "calibrate/weights.hpp"
#include "engine/load/lead_table.hpp"

namespace leadscore::jobs {

struct BaselineRequest {
  std::vector<std::string> exclude;  // headers to leave out (the outcome and amount columns among them)
  std::string id_column;             // the schema's id column; empty when ids are row numbers
  double l2 = 1;
};

// A text column keeps this many of its most frequent values as features (the rest share one), and
// the whole model at most kBaselineMaxFeatures features.
inline constexpr std::size_t kBaselineLevels = 30;
inline constexpr std::size_t kBaselineMaxFeatures = 300;

// Fits on `train`, backtests on `test` (lead ordinals); `volume` as in backtest_model(). Every column of
// `leads` must have been read as an extra column (ReadOptions::all_columns_extra).
calibrate::ModelBacktest baseline_onehot(const BaselineRequest& request, const engine::LeadTable& leads,
                                         const std::vector<std::uint8_t>& label, const std::vector<std::size_t>& train,
                                         const std::vector<std::size_t>& test, std::uint64_t volume,
                                         std::string& description);

}  // namespace leadscore::jobs

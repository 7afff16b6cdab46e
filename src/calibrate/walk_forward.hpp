#pragma once
// Walk-forward (rolling-origin) backtest: the way a revenue team actually uses calibration. The
// test leads are scored chunk by chunk in time order; before each chunk the rule points and the
// probability curves are refitted on closed leads strictly older than the chunk (optionally only
// the most recent ones), so no outcome of the chunk or of a later lead is ever used to predict it.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "calibrate/rule_fit.hpp"
#include "calibrate/weights.hpp"

namespace leadscore::calibrate {

struct WalkForwardOptions {
  std::size_t refit_every = 0;   // test leads per chunk (> 0)
  std::size_t window = 0;        // weights fitted on the most recent `window` older closed leads; 0 = all
  std::size_t curve_window = 0;  // probability curves fitted on the most recent `curve_window`; 0 = as window
};

struct WalkForwardChunk {
  std::vector<std::size_t> leads;        // lead ordinals scored with this refit, in time order
  std::vector<std::size_t> fit_leads;    // closed leads the rule points are fitted on, in time order
  std::vector<std::size_t> curve_leads;  // closed leads the probability curves are fitted on, in time order
  std::size_t late_outcomes = 0;         // older closed leads left out: their outcome was known only later
};

// Cuts `test` into chunks of refit_every leads in time order (ties: by lead ordinal). A chunk never
// ends inside a run of equal times: it takes the whole run, so everything a chunk is fitted on is
// strictly older than each of its leads. Fit and curve leads: the most recent window / curve_window
// leads of `closed` whose time is strictly before the chunk's first lead and, when `known_at` is
// given (in the units of `time`: when each lead's outcome became known, e.g. its closed_at), whose
// outcome was known strictly before it too. Reads times only, never outcomes. Throws
// std::invalid_argument when refit_every is 0.
std::vector<WalkForwardChunk> plan_walk_forward(std::span<const std::int64_t> time, std::span<const std::size_t> closed,
                                                std::span<const std::size_t> test, const WalkForwardOptions& options,
                                                std::span<const std::int64_t> known_at = {});

// The most recent `window` leads of `closed` in time order (ties: by lead ordinal), oldest first;
// all of them when window is 0.
std::vector<std::size_t> most_recent_leads(std::span<const std::int64_t> time, std::span<const std::size_t> closed,
                                           std::size_t window);

// Scores of every lead (by ordinal) with one set of points, and the MQL flag they give.
struct ScoredLeads {
  std::vector<double> score;
  std::vector<std::uint8_t> mql;
};
// Scores every lead with the points fitted for a chunk (`chunk.fit_leads` are the leads they were
// fitted on, which may also set the limits and thresholds they are used with).
using ScoreWithPoints = std::function<ScoredLeads(const RuleFit&, const WalkForwardChunk& chunk)>;

// Every scored test lead, in chunk order.
struct WalkForwardPredictions {
  std::vector<std::size_t> leads;
  std::vector<std::size_t> chunk;  // index into the plan
  std::vector<double> written_score, calibrated_score, written_p, calibrated_p;
  std::vector<std::uint8_t> written_mql, calibrated_mql;
  std::vector<bool> chunk_scored;  // per chunk: false when its fit or curve leads lacked won or lost ones
};

// Runs the plan: per chunk, fit_rules on its fit leads, `score_with` the fitted points, and Platt
// curves for the written and the calibrated scores on its curve leads (the same leads for both, so
// the comparison isolates the points). `written` holds every lead's written score and MQL flag.
WalkForwardPredictions walk_forward_predict(const std::vector<WalkForwardChunk>& plan,
                                            const std::vector<RuleColumn>& columns,
                                            const std::vector<std::uint8_t>& label, const ScoredLeads& written,
                                            const RuleFitOptions& fit_options, const ScoreWithPoints& score_with);

// The walk-forward block of the weights file: pooled metrics of the predicted p_close over every
// scored lead, AUC within each chunk averaged by chunk size, and a row per chunk. `volume`: leads
// the "top at MQL volume" selection takes; `describe(lead)`: a lead's time as text.
WalkForwardBacktest summarize_walk_forward(const WalkForwardOptions& options, const std::vector<WalkForwardChunk>& plan,
                                           const WalkForwardPredictions& predictions,
                                           const std::vector<std::uint8_t>& label, bool has_mql, std::uint64_t volume,
                                           const std::function<std::string(std::size_t)>& describe);

}  // namespace leadscore::calibrate

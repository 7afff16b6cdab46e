#pragma once
// The calibrated weights file written by `leadscore calibrate` and read by `score`, `explain`,
// `check` and `report`: calibrated points per rule label, the evidence behind each, the
// probability model from score to p_close, revenue per won lead, the data it came from and the
// backtest. YAML, one rule per block, keys in a fixed order so that two runs diff cleanly.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/evidence.hpp"
#include "calibrate/isotonic.hpp"
#include "calibrate/metric_tables.hpp"
#include "calibrate/metrics.hpp"

namespace leadscore::calibrate {

// Version 2 adds the adopted limits and thresholds and warnings with a kind; version 1 files are
// still read (their thresholds stay as written).
inline constexpr const char* kWeightsFormat = "leadscore-weights/2";
inline constexpr const char* kWeightsFormatV1 = "leadscore-weights/1";

struct RuleWeight {
  std::string label;
  std::string section;
  bool each = false;  // an `each activity` rule: points are per event
  double written_points = 0;
  std::optional<double> written_cap;
  double points = 0;  // what `score` uses when the rules declare this file
  std::optional<double> cap;
  // calibrated | low_support (fewer matched closed leads than min_support: written points kept)
  std::string status;
  double log_odds = 0;  // the fitted weight: change in log-odds per indicator (per event for each-rules)
  RuleEvidence evidence;  // on every closed lead used for the final fit
};

// A section `max`/`min` re-expressed for the calibrated points (see docs/calibration.md, "One
// consistent model"). Shares are of the calibration leads (the final fit's), held at the limit.
struct AdoptedLimit {
  std::string section;
  std::string kind;  // max | min
  double written = 0, adopted = 0;
  double written_share = 0;  // held with the written points and limit
  double adopted_share = 0;  // held with the calibrated points and the adopted limit
  double same_share = 0;     // the limit that holds written_share with the calibrated points
  double same_share_cost = 0;  // AUC it costs against no limit at all
  double auc_cost = 0;         // AUC the adopted limit costs against no limit at all
  bool widened = false;        // same_share cost more than the tolerance: adopted further out
};

// A threshold comparing a score with a number, re-expressed at the same share of calibration leads.
struct AdoptedThreshold {
  std::string key;    // `fit >= 30`: how the rules' comparison is found again
  std::string score;  // a section's name or `score`
  std::string op;     // >= > <= <, seen from the score
  double written = 0, adopted = 0;
  double written_share = 0;  // of the calibration leads on the true side, written points
  double adopted_share = 0;  // calibrated points, adopted thresholds
  std::string used_in;       // `mql (line 48); classify quadrant "hot" (line 53)`
};

struct OutputShare {  // the share of calibration leads an output takes: MQL, a classify value
  std::string name;   // `mql`, `quadrant "hot"`
  double written = 0, adopted = 0;
};

struct Adoption {
  std::string policy;        // in words
  std::uint64_t leads = 0;   // the calibration leads the shares are measured on
  double auc_tolerance = 0;  // a limit may cost at most this much AUC against no limit
  std::vector<AdoptedLimit> limits;
  std::vector<AdoptedThreshold> thresholds;
  std::vector<std::string> kept;  // comparisons left as written, and why
  std::vector<OutputShare> outputs;
};

// A warning of the weights file: its kind groups it in summaries and the report.
struct WeightsWarning {
  std::string kind;  // data | evidence | drift | backtest | limits | thresholds | time order | baseline
  std::string message;
  friend bool operator==(const WeightsWarning&, const WeightsWarning&) = default;
};

struct InputFile {
  std::string role;  // leads | activities | outcomes
  std::string path;
  std::string fnv1a;  // FNV-1a 64 of the file's bytes, hex
  std::uint64_t rows = 0;  // data records (header excluded)
};

struct SplitPart {
  std::uint64_t leads = 0;
  std::uint64_t won = 0;
  std::string first, last;  // time range (timestamps, or "row N")
};

struct HistogramBin {
  double low = 0, high = 0;
  std::uint64_t won = 0, lost = 0;
};

struct ModelBacktest {
  double auc = 0, brier = 0, log_loss = 0;
  bool has_mql = false;
  SelectionQuality mql;          // the ruleset's own `mql` flag
  SelectionQuality top_volume;   // the top leads by score, as many as the written MQL selects
  std::vector<DecileRow> deciles;
  std::vector<ReliabilityBin> reliability;
  std::vector<HistogramBin> histogram;  // of the test leads' scores
};

// One chunk of the walk-forward backtest: its leads, scored with points and curves refitted just
// before it.
struct WalkForwardChunkRow {
  std::string first, last;  // time range of the chunk's leads (timestamps, or "row N")
  std::uint64_t leads = 0, won = 0;
  std::uint64_t fit_leads = 0, curve_leads = 0;  // older closed leads the refit used
  // Older closed leads left out because their outcome (closed_at) was known only after the chunk started.
  std::uint64_t late_outcomes = 0;
  bool scored = true;  // false: the fit or curve leads lacked won or lost leads, the chunk is left out
  double written_predicted = 0, calibrated_predicted = 0;  // mean p_close
  double written_auc = 0, calibrated_auc = 0;              // within the chunk (NaN without both classes)
};

// Walk-forward (rolling-origin) backtest over the test part (--refit-every).
struct WalkForwardBacktest {
  std::uint64_t refit_every = 0, window = 0, curve_window = 0;  // window 0: every older closed lead
  std::uint64_t leads = 0, won = 0;                             // scored leads
  // Size-weighted mean of the within-chunk AUCs (chunks with won and lost leads): ranking within a
  // period, which knowing the period's base rate cannot improve.
  double written_chunk_auc = 0, calibrated_chunk_auc = 0;
  // Pooled over every scored lead, ranked and binned by the predicted p_close.
  ModelBacktest written, calibrated;
  std::vector<WalkForwardChunkRow> chunks;
};

struct SourceRevenue {
  std::string source;
  std::uint64_t won = 0;
  double average = 0;
};

// Account rules fitted to account outcomes (a ruleset with account sections, `--account-outcomes`).
// Each won or lost row of the outcomes file is one sample of its account (one row per account, or
// one per opportunity), judged on the account's rule results at the run's one instant.
struct AccountCalibration {
  std::string outcomes;       // `FILE joined on account_id (won: ...; lost: ...; anything else open)`
  std::string lead_outcomes;  // where the lead rules' outcomes came from
  std::uint64_t accounts = 0;  // accounts of the run (leads grouped by the account key)
  std::uint64_t rows = 0;      // outcome rows read
  std::uint64_t closed = 0, won = 0, lost = 0, open = 0, excluded = 0;  // outcome rows
  std::vector<std::string> exclusions;
  std::string time_order;     // how the rows are ordered for the backtest split
  SplitPart train, test;      // outcome rows ("leads" counts rows)
  double base_rate = 0;       // won / closed rows
  double intercept = 0;       // log-odds of an account no account rule matches (final fit)
  bool has_backtest = false;
  // AUC on the test rows of the account score (the sum of the account sections), written points and
  // limits vs calibrated points with adopted limits.
  double written_auc = 0, calibrated_auc = 0;
};

struct Weights {
  std::string format = kWeightsFormat;
  std::string ruleset, ruleset_version, rules_hash, created_by;
  std::string method;        // logistic | loglift
  std::string each_feature;  // how each-rules enter the fit
  double pdo = 20, l2 = 1, test_fraction = 0.3;
  std::uint64_t min_support = 30;
  std::string outcome_source;  // e.g. `column "y" of the leads file (won: yes; lost: no)`
  std::string point_in_time;   // e.g. `as of created_at + 14d per lead`
  std::string time_order;      // e.g. `row order of the leads file`

  std::vector<InputFile> inputs;
  std::uint64_t leads = 0, closed = 0, won = 0, lost = 0, open = 0, excluded = 0;
  std::vector<std::string> exclusions;  // why leads were left out, with counts
  SplitPart train, test;
  // Train leads left out of the static fit: their outcome (closed_at) was known only after the test
  // part started.
  std::uint64_t train_late_outcomes = 0;
  // With walk-forward refits, the final points are fitted on the most recent `window` closed leads
  // and the curve on the most recent `curve_window`, as in the backtest: what they were fitted on.
  std::optional<SplitPart> final_fit, final_curve;

  double base_rate = 0;   // won / closed over the leads the final points were fitted on
  std::string base_rate_window;  // which leads those are: `all 41188 closed leads`, `the 5000 most recent ...`
  double factor = 0;      // points per unit of log-odds: pdo / ln 2
  double intercept = 0;   // log-odds of a lead no rule matches (final fit)

  // p_close = 1 / (1 + exp(-(platt_a * score + platt_b))), score with the calibrated points.
  std::string probability_method = "platt";
  double platt_a = 0, platt_b = 0;
  IsotonicModel isotonic;  // stored for comparison; `score` uses the Platt curve

  std::optional<std::string> source_field;
  std::optional<double> revenue_average;  // per won lead, all sources; none without amounts
  std::uint64_t revenue_won = 0;
  std::vector<SourceRevenue> revenue_by_source;  // sorted by source

  std::vector<RuleWeight> rules;  // declaration order (account rules too, with section `account.NAME`)
  std::optional<AccountCalibration> accounts;  // how the account rules were fitted
  std::optional<Adoption> adopted;  // limits and thresholds for the calibrated points (none in version 1)

  bool has_backtest = false;
  ModelBacktest written, calibrated;
  // AUC on the test part of the calibrated points without any section limit (NaN: no limits).
  double calibrated_unlimited_auc = 0;
  std::optional<ModelBacktest> baseline;  // plain logistic regression on the raw columns (--baseline-onehot)
  std::string baseline_description;
  std::optional<WalkForwardBacktest> walk_forward;  // --refit-every

  std::vector<WeightsWarning> warnings;

  double p_close(double score) const;
  // Average revenue per won lead for a source value (the overall one when unknown); none without amounts.
  std::optional<double> revenue_for(std::string_view source) const;
  const RuleWeight* find(std::string_view label) const;
  const AdoptedThreshold* find_threshold(std::string_view key) const;
  const AdoptedLimit* find_limit(std::string_view section, std::string_view kind) const;
};

std::string weights_to_yaml(const Weights& weights);
// Parses a weights file's text; false with a one-line error (`PATH: ...`) when it is not one.
bool weights_from_yaml(const std::string& text, const std::string& path, Weights& weights, std::string& error);
bool read_weights(const std::string& path, Weights& weights, std::string& error);
bool write_weights(const Weights& weights, const std::string& path, std::string& error);

}  // namespace leadscore::calibrate

#pragma once
// The whole `leadscore calibrate` job: evaluate every rule on leads with known outcomes, each lead
// as of its own cutoff; compare each rule's close rate with the base rate; fit weights on the
// older leads, backtest written vs calibrated points on the newer ones; refit on every closed lead
// and describe it all in a weights file.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/rule_fit.hpp"
#include "calibrate/weights.hpp"
#include "common/diagnostics.hpp"
#include "jobs/run_inputs.hpp"

namespace leadscore::jobs {

struct OutcomeOptions {
  // A separate outcomes CSV joined to the leads by id...
  std::optional<std::string> file;
  char delimiter = ',';
  // ...with these headers (won/lost/open in `outcome`; closed_at and amount optional unless named).
  std::string id_column = "lead_id", outcome_column = "outcome", closed_at_column = "closed_at",
              amount_column = "amount";
  bool closed_at_required = false, amount_required = false;
  // Or an outcome column of the leads file itself (and optionally an amount column there).
  std::optional<std::string> leads_column;
  std::optional<std::string> leads_amount_column;
  // Outcome values (compared trimmed, ignoring ASCII case); anything else, or empty, is open.
  std::vector<std::string> won{"won"}, lost{"lost"};
  // The zone of closed_at values written without one (--closed-at-zone); none: they cannot be read.
  std::optional<std::int32_t> closed_at_zone;
};

struct CalibrateRequest {
  RunInputs inputs;  // inputs.as_of: the fixed instant when there is no cutoff field
  OutcomeOptions outcomes;  // none given (no file, no column): each lead takes its account's outcome
  // Outcomes per account (or per opportunity) for the account rules: id_column is the account id.
  std::optional<OutcomeOptions> account_outcomes;
  std::optional<std::string> cutoff_field;  // lead date/timestamp field (or header): as_of = it + delay
  std::int64_t cutoff_delay = 0;            // microseconds
  // Orders leads for the split: a date, timestamp or number column; default: the cutoff, else row order.
  std::optional<std::string> time_field;
  std::optional<std::string> source_field;  // revenue averages per value of this field
  std::optional<double> won_value;          // revenue of a won lead without an amount
  std::string method = "logistic";          // logistic | loglift
  double test_fraction = 0.3;
  // Walk-forward backtest (0: off): the test part scored in chunks of refit_every leads, points and
  // curves refitted before each chunk on the most recent refit_window older closed leads (0: all)
  // and curve_window for the curves (0: as refit_window). The final weights use the same windows.
  std::size_t refit_every = 0, refit_window = 0, curve_window = 0;
  double l2 = 1.0;
  double pdo = 20;
  std::uint64_t min_support = 30;
  // Also backtest a plain L2 logistic regression on the leads file's own columns (one-hot of the
  // text columns, standardised numeric columns) minus these headers and the outcome column.
  bool baseline_onehot = false;
  std::vector<std::string> baseline_exclude;
  std::string created_by;
};

// Returns false with diagnostics (rule errors) or a one-line `error` (an unreadable closed_at of a
// won or lost lead is one: it names the file, line and value). The warnings are in weights.warnings.
bool run_calibrate(const CalibrateRequest& request, Diagnostics& diags, calibrate::Weights& weights, std::string& error);

// One column per rule of the run (declaration order): the feature calibrate fits for each lead.
std::vector<calibrate::RuleColumn> rule_columns(const PreparedRun& run);

// A human summary of a weights file (what `calibrate` prints on stderr): the data, the results, the
// adopted limits and thresholds, the rules, then the warnings grouped by kind.
std::string format_calibration_summary(const calibrate::Weights& weights);
// The warnings alone, grouped by kind (what `calibrate --quiet` prints).
std::string format_calibration_warnings(const calibrate::Weights& weights);

// Parses `14d`, `12h`, `2w`, `0` into microseconds.
bool parse_delay(const std::string& text, std::int64_t& micros);

}  // namespace leadscore::jobs

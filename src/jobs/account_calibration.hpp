#pragma once
// `calibrate` for the rules of account sections: fitted to outcomes per account (or per opportunity),
// as the lead rules are fitted to lead outcomes. Every won or lost row of the account outcomes file
// is one sample: its account's rule results (read from any one of its leads, where every lead of an
// account holds the same account values) and its outcome. See docs/accounts.md, "Calibrating".
#include <cstdint>
#include <string>
#include <vector>

#include "calibrate/rule_fit.hpp"
#include "calibrate/weights.hpp"
#include "engine/exec/points.hpp"
#include "jobs/calibrate_job.hpp"
#include "jobs/outcome_join.hpp"

namespace leadscore::jobs {

// One rule of the run, as calibrate fits it: its column and its ordinal in the points table.
struct OrdinalColumn {
  std::size_t ordinal = 0;
  bool account = false;  // a rule of an account section
  calibrate::RuleColumn column;
};

// Every rule of the run with its column (rule_columns(run)), in declaration order.
std::vector<OrdinalColumn> columns_with_ordinals(const PreparedRun& run);

struct AccountFit {
  calibrate::AccountCalibration summary;
  std::vector<std::pair<std::size_t, calibrate::RuleWeight>> rules;  // by ordinal: the account rules
  engine::PointsTable points;  // the run's written points with the account rules' calibrated ones
  // The account sections' limits and thresholds, adopted at the same share of the accounts with an
  // outcome, and the account classify values' shares.
  calibrate::Adoption adoption;
  std::vector<calibrate::WeightsWarning> warnings;
  // Per lead: its account's outcome (won when any of the account's rows is won, else lost when one is
  // lost), closed_at and amount, for rulesets whose leads have no outcomes of their own.
  std::vector<Status> lead_status;
  std::vector<std::int64_t> lead_closed_at;
  std::vector<double> lead_amount;
};

// Reads req.account_outcomes, fits the account rules and backtests them on the newest rows. false with
// a one-line error: an unreadable file or closed_at, no won or no lost row.
bool fit_account_rules(const CalibrateRequest& req, const PreparedRun& run, const std::vector<OrdinalColumn>& columns,
                       AccountFit& fit, std::string& error);

// Replaces in `lead` what belongs to the account sections (their limits and thresholds, the account
// classify values' shares) with `account`'s.
void merge_account_adoption(const engine::Graph& graph, const calibrate::Adoption& account, calibrate::Adoption& lead);

}  // namespace leadscore::jobs

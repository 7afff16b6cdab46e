#pragma once
// The hand-off to sales, measured: per source and per classify value (a quadrant), how many MQLs sales
// accepted and rejected (against the ruleset's `target acceptance` / `target rejection`), why they
// were rejected, how fast sales responded (against the route SLA and `target sla_met`), how many were
// won (`target mql_to_won`) and what an MQL is worth (average won amount x MQL-to-won rate).
// This file computes; handoff_inputs reads the files, handoff_render and handoff_html write.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/check/program.hpp"
#include "jobs/outcome_join.hpp"

namespace leadscore::jobs {

enum class Disposition : std::uint8_t { Pending, Accepted, Rejected, Unknown };

// Extra CRM words (--accepted / --rejected / --pending), compared after normalise_words().
struct DispositionWords {
  std::vector<std::string> accepted, rejected, pending;
};

// `  No-Budget!! ` -> `no budget`: ASCII letters folded to lower case, every run of characters other
// than letters and digits (spaces, punctuation) one space, none at either end. Bytes of UTF-8
// letters (é, ü) are kept as they are.
std::string normalise_words(std::string_view text);

// What a CRM disposition value means: the built-in words (docs/cli.md lists them: "Sales Accepted",
// "SAL", "Rejected", "Disqualified", ... ), then `extra`, compared normalised. Empty is Pending;
// a value neither knows is Unknown.
Disposition disposition_of(std::string_view value, const DispositionWords& extra = {});

inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();

// One MQL of the scored file with its disposition and outcome.
struct HandoffLead {
  std::string id;
  std::string source;  // --source-field value ("" = none)
  std::string group;   // --by classify value ("" = none)
  std::int64_t entered = kNoTime, due = kNoTime, responded = kNoTime;  // route columns
  std::int8_t breached = -1;  // sla_breached: -1 empty (no SLA), 0 false, 1 true
  Disposition disposition = Disposition::Pending;
  std::string reason;                  // the rejection reason as written
  std::int64_t disposed_at = kNoTime;  // the disposition time, when the file has one
  Status outcome = Status::NoOutcome;  // Won, Lost, Open or NoOutcome
  double amount = std::numeric_limits<double>::quiet_NaN();
};

struct ReasonCount {
  std::string reason;    // normalised; "(no reason)" for a rejection without one
  std::string example;   // the first spelling seen, trimmed
  std::uint64_t count = 0;
};

struct TargetCheck {
  ir::TargetMetric metric = ir::TargetMetric::Acceptance;
  std::string name;  // acceptance, rejection, sla_met, mql_to_won
  std::string text;  // ">= 70%"
  bool at_least = true;
  double target = 0;
  double value = std::numeric_limits<double>::quiet_NaN();  // NaN: no data (no SLA leads, no outcomes)
  bool met = false;  // value is known and on the right side of the target
};

struct GroupMetrics {
  std::string name;  // the source or classify value; "all MQLs" for the total
  std::uint64_t mqls = 0, accepted = 0, rejected = 0, pending = 0, unknown = 0;
  // Response: from route entry to the first response (route_responded_at or the disposition time,
  // whichever is first), in working hours when the rules declare them.
  std::uint64_t routed = 0, responded = 0;
  double median_response_hours = std::numeric_limits<double>::quiet_NaN();
  double p90_response_hours = std::numeric_limits<double>::quiet_NaN();
  // SLA: leads on a route with `within`: met (responded by the due time), missed (responded late, or
  // not responded and sla_breached or due by the settings' as_of), open (not due yet, not responded: left out of the share).
  std::uint64_t sla_leads = 0, sla_met = 0, sla_missed = 0, sla_open = 0;
  // Outcomes (only with an outcomes file): won / lost / open among the MQLs.
  std::uint64_t won = 0, lost = 0, open = 0, won_with_amount = 0;
  double won_amount = 0;
  std::vector<ReasonCount> reasons;  // most frequent first
  bool small_sample = false;         // fewer MQLs than the small-sample size
  std::vector<TargetCheck> targets;

  double acceptance() const;   // accepted / mqls
  double rejection() const;    // rejected / mqls
  double pending_share() const;  // (pending + unknown) / mqls
  double sla_met_share() const;  // sla_met / (sla_met + sla_missed)
  double mql_to_won() const;     // won / mqls (NaN without outcomes)
  double average_won_amount() const;  // over won MQLs with an amount
  double mql_value() const;      // average_won_amount() x mql_to_won()
};

struct HandoffSettings {
  std::vector<ir::Target> targets;
  std::optional<ir::WorkingHours> hours;
  bool has_outcomes = false;
  // Now, for the SLA of leads not answered: due by then is missed even when the scored file (written
  // earlier) says sla_breached = false. kNoTime: the scored file's sla_breached only.
  std::int64_t as_of = kNoTime;
  std::uint64_t small_sample = 20;  // groups with fewer MQLs are marked "small sample"
  std::size_t top_reasons = 10;
};

struct HandoffMetrics {
  GroupMetrics all;
  std::vector<GroupMetrics> by_source;  // in order of MQLs, most first (ties by name)
  std::vector<GroupMetrics> by_group;
  bool has_outcomes = false;
  bool working_hours = false;
};

// The median and the 90th percentile (linear between the two nearest ranks) of `values`; NaN when empty.
double percentile(std::vector<double> values, double p);

HandoffMetrics compute_handoff_metrics(const std::vector<HandoffLead>& leads, const HandoffSettings& settings);

// Targets missed by the total or a group, small samples left out (what --fail-on-target counts).
std::uint64_t missed_targets(const HandoffMetrics& metrics);

}  // namespace leadscore::jobs

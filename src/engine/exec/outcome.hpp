#pragma once
// What happened to every item of the ruleset for one lead: each rule's condition, amount,
// contribution and cap; each multiplier; each section's sum before and after its limits; each gate
// criterion; the MQL decision; each classify branch. The evaluator's section sums use the same
// rule_outcome() and section_outcome(), so this record is, by construction, what `score` computed.
// Reasons, explain, rule tests, diff and calibrate read the record and nothing else.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/exec/columns.hpp"
#include "engine/exec/points.hpp"

namespace leadscore::engine {

struct RuleOutcome {
  // "Fired": a when-rule's condition is true, or an each-rule matched at least one event,
  // whatever the points (a rule worth 0 points fires too).
  bool fired = false;
  std::int8_t condition = kFalse;  // when-rules: the condition's truth; each-rules: kTrue when fired
  double amount = 0;               // each-rules: events matched (decayed when the rule decays)
  double contribution = 0;         // points added to the section (each-rules: after `max M`)
  // "Capped": an each-rule's total before its `max M` lies beyond it.
  bool capped = false;
};

inline RuleOutcome when_rule_outcome(std::int8_t condition, const RulePoints& p) {
  RuleOutcome o;
  o.condition = condition;
  o.fired = condition == kTrue;
  o.amount = o.fired ? 1 : 0;
  o.contribution = o.fired ? p.points : 0.0;
  return o;
}

inline RuleOutcome each_rule_outcome(double amount, const RulePoints& p) {
  RuleOutcome o;
  o.amount = amount;
  o.fired = amount > 0;
  o.condition = o.fired ? kTrue : kFalse;
  double total = p.points * amount;
  if (p.cap) {
    double bounded = p.points >= 0 ? std::min(total, *p.cap) : std::max(total, -*p.cap);
    o.capped = bounded != total;
    total = bounded;
  }
  o.contribution = total;
  return o;
}

enum class Limit : std::uint8_t { None, Max, Min };

struct SectionOutcome {
  double sum = 0;        // of the rules' contributions
  double factor = 1;     // product of the multipliers that apply
  double unlimited = 0;  // sum x factor, before `max`/`min`
  double value = 0;      // after them: the section's value
  // "Capped" (Max) / "raised" (Min): the value before the limit lies beyond it.
  Limit limit = Limit::None;
};

inline SectionOutcome section_outcome(double sum, double factor, const std::optional<double>& max,
                                      const std::optional<double>& min) {
  SectionOutcome o;
  o.sum = sum;
  o.factor = factor;
  o.unlimited = sum * factor;
  o.value = o.unlimited;
  if (max && o.value > *max) {
    o.value = *max;
    o.limit = Limit::Max;
  }
  if (min && o.value < *min) {
    o.value = *min;
    o.limit = Limit::Min;
  }
  return o;
}

struct MultiplierOutcome {
  std::int8_t condition = kFalse;
  bool applied = false;
  double factor = 1;
};

// One `response` of the handoff block for one lead: for `response activity`, whether an event
// matched since the lead's route entry and the earliest one's time; for `response when C [at F]`, C's
// truth and F's value (kNoTime when missing or not given).
struct ResponseOutcome {
  std::int8_t condition = kFalse;
  std::int64_t at = INT64_MIN;
};

struct LeadRecord {
  std::vector<RuleOutcome> rules;              // by RulePlan::ordinal
  std::vector<MultiplierOutcome> multipliers;  // by MultiplierPlan::ordinal
  std::vector<SectionOutcome> sections;        // by section
  double score = 0;
  std::vector<std::int8_t> criteria;  // by CriterionPlan::ordinal
  std::vector<bool> gates;            // by gate
  std::int8_t mql_condition = kFalse;  // the truth of `mql when ...` (unknown is not MQL)
  bool mql = false;
  bool mqa = false;  // the lead's account is marketing-qualified (`mqa when ...`)
  std::vector<std::int32_t> classify_branch;  // by classify; -1 = no branch applies
  std::int32_t route = -1;                    // the route taken (first match); -1 = none
  std::vector<ResponseOutcome> responses;     // by response of the handoff block
};

struct BatchInput;
class BatchState;

// Fills `record` for row `row` of a batch that `state` holds, evaluated with `points` (and the section
// limits of `input`).
void record_lead(const Graph& graph, const PointsTable& points, const BatchInput& input, const BatchState& state,
                 std::size_t row, LeadRecord& record);
// Only the route and the responses of the record (what `score` needs per lead for its route columns).
void record_route(const Graph& graph, const BatchInput& input, const BatchState& state, std::size_t row,
                  LeadRecord& record);

}  // namespace leadscore::engine

#pragma once
// Runs a graph's nodes over one batch of rows: one tight loop per node, no per-row dispatch.
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/exec/account_state.hpp"
#include "engine/exec/aggregate_state.hpp"
#include "engine/exec/columns.hpp"
#include "engine/exec/points.hpp"
#include "engine/plan/graph.hpp"

namespace leadscore::engine {

inline constexpr std::int64_t kMicrosPerDay = 86'400'000'000LL;

struct BatchInput {
  std::size_t rows = 0;
  std::vector<ColumnView> fields;           // by schema field index (unused fields may be empty)
  const std::int64_t* as_of = nullptr;      // per row
  const AggregateState* aggregates = nullptr;  // lead batches only
  std::size_t first_lead = 0;               // ordinal of row 0 in the aggregate arrays
  const PointsTable* points = nullptr;      // lead batches: each rule's points (written or calibrated)
  const LimitsTable* limits = nullptr;      // lead batches: each section's max/min; null = as written
  const ThresholdTable* thresholds = nullptr;  // lead batches: adopted score thresholds; null = as written
  const AccountState* accounts = nullptr;      // lead batches of a ruleset with accounts
};

// Each-rule `each lead where C` of an account section: the number of matching leads of the row's account.
inline double account_each_amount(const RulePlan& rule, const BatchInput& input, std::size_t row) {
  const auto g = static_cast<std::size_t>(input.accounts->group[input.first_lead + row]);
  return input.accounts->values[static_cast<std::size_t>(rule.account_aggregate)].num[g];
}

// Scratch for evaluating one batch; one per thread, reused for every batch.
class BatchState {
 public:
  explicit BatchState(const Graph& graph, bool event_side);
  const ColumnView& view(NodeIndex node) const { return views_[static_cast<std::size_t>(node)]; }
  // Classify results as branch indexes (-1 = no branch).
  const std::vector<std::int32_t>& classify_branch(std::size_t classify) const { return branches_[classify]; }
  // The route of each row (-1 = none), when the graph has routes.
  const std::vector<std::int32_t>& route() const { return route_; }
  // Rows whose arithmetic, `sum` or section value left the finite numbers (then missing), since creation.
  std::uint64_t non_finite() const { return non_finite_; }

 private:
  friend void evaluate(const Graph&, const BatchInput&, BatchState&, const std::vector<std::uint8_t>*);
  const std::vector<Node>& nodes_;
  std::vector<Column> columns_;
  std::vector<ColumnView> views_;
  std::vector<std::vector<std::int32_t>> branches_;
  std::vector<std::vector<std::string_view>> classify_values_;
  std::vector<std::int32_t> route_;
  std::vector<std::string_view> route_labels_;
  Column threshold_column_, threshold_upper_column_;  // adopted thresholds, repeated over the batch
  StringArena arena_;
  std::uint64_t non_finite_ = 0;
};

// Evaluates the nodes of the state's graph side (events or leads, chosen when the state was made)
// over `input`: all of them, or only those marked in `only` (indexed by node).
void evaluate(const Graph& graph, const BatchInput& input, BatchState& state,
              const std::vector<std::uint8_t>* only = nullptr);

// Folds one evaluated batch of events into the per-lead aggregates.
struct EventBatch {
  std::size_t rows = 0;
  const std::int32_t* lead = nullptr;     // lead ordinal per event, -1 = an event the run does not see
  const std::int64_t* time = nullptr;     // event time per event, before its lead's as-of instant
  const std::int64_t* as_of = nullptr;    // per event: its lead's as-of instant
  // Per event: the instant from which its lead's FirstSince slots count events (kNoTime: none); null
  // when the graph has no such slot.
  const std::int64_t* since = nullptr;
  // The events to fold, in order: each has a lead (>= 0) and can count in some slot by its time.
  // Only these are visited, so the folds do not branch, unpredictably, on every event's lead.
  const std::uint32_t* folded = nullptr;
  std::size_t folded_count = 0;
};
// Folds into each slot of `slots` in turn; `pass[s]` is slot s's filter result per event (kTrue keeps
// the event), or null when it has no filter.
void fold_events(const Graph& graph, const EventBatch& events, const BatchInput& input,
                 const std::vector<std::uint32_t>& slots, const std::vector<const std::int8_t*>& pass,
                 AggregateState& aggregates);

// Slots chosen per event by a key, such as the dictionary code of the activity type: event i feeds
// slots[first[key[i]]] .. slots[first[key[i] + 1] - 1], so one pass over the events touches only the
// slots each event feeds instead of one pass per slot.
struct KeyedSlots {
  const std::uint32_t* key = nullptr;    // per event
  const std::uint32_t* first = nullptr;  // per key value, plus one at the end
  const std::uint32_t* slots = nullptr;
};
void fold_events_keyed(const Graph& graph, const EventBatch& events, const BatchInput& input,
                       const KeyedSlots& keyed, AggregateState& aggregates);

}  // namespace leadscore::engine

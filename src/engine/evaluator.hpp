#pragma once
// Runs a graph's nodes over one batch of rows: one tight loop per node, no per-row dispatch.
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/columns.hpp"
#include "engine/graph.hpp"

namespace leadscore::engine {

inline constexpr std::int64_t kNoTime = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t kMicrosPerDay = 86'400'000'000LL;

// Per-lead accumulators of the activity aggregates, indexed by the lead's ordinal.
struct AggregateState {
  std::vector<std::vector<double>> values;       // Count, Sum, DecaySum slots
  std::vector<std::vector<std::int64_t>> last;   // LastTime slots (kNoTime = none)
  void init(const Graph& graph, std::size_t leads);
  void merge_from(const Graph& graph, const AggregateState& other);
};

struct BatchInput {
  std::size_t rows = 0;
  std::vector<ColumnView> fields;           // by schema field index (unused fields may be empty)
  const std::int64_t* as_of = nullptr;      // per row
  const AggregateState* aggregates = nullptr;  // lead batches only
  std::size_t first_lead = 0;               // ordinal of row 0 in the aggregate arrays
};

// Scratch for evaluating one batch; one per thread, reused for every batch.
class BatchState {
 public:
  explicit BatchState(const Graph& graph, bool event_side);
  const ColumnView& view(NodeIndex node) const { return views_[static_cast<std::size_t>(node)]; }
  // Classify results as branch indexes (-1 = no branch).
  const std::vector<std::int32_t>& classify_branch(std::size_t classify) const { return branches_[classify]; }

 private:
  friend void evaluate(const Graph&, bool, const BatchInput&, BatchState&);
  const std::vector<Node>& nodes_;
  std::vector<Column> columns_;
  std::vector<ColumnView> views_;
  std::vector<std::vector<std::int32_t>> branches_;
  std::vector<std::vector<std::string_view>> classify_values_;
  StringArena arena_;
  std::vector<std::uint8_t> all_valid_;
};

// Evaluates every node of the event graph (event_side) or the lead graph over `input`.
void evaluate(const Graph& graph, bool event_side, const BatchInput& input, BatchState& state);

// Folds one evaluated batch of events into the per-lead aggregates.
struct EventBatch {
  std::size_t rows = 0;
  const std::int32_t* lead = nullptr;     // lead ordinal per event, -1 = not a lead of the run
  const std::int64_t* time = nullptr;     // event time per event
  const std::int64_t* lead_as_of = nullptr;  // per lead ordinal
};
void fold_events(const Graph& graph, const EventBatch& events, const BatchInput& input, const BatchState& filters,
                 AggregateState& aggregates);

}  // namespace leadscore::engine

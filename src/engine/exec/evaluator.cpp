#include "engine/exec/evaluator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "engine/exec/kernels.hpp"
#include "engine/exec/outcome.hpp"

namespace leadscore::engine {

namespace {

void fill_constant(Column& column, const Node& node) {
  const auto& c = node.constant;
  for (std::size_t i = 0; i < kBatchSize; ++i) {
    switch (node.type) {
      case Type::Number: column.num[i] = c.number; column.valid[i] = !c.missing; break;
      case Type::Instant: column.time[i] = c.instant; column.valid[i] = !c.missing; break;
      case Type::String: column.str[i] = node.constant.text; column.valid[i] = !c.missing; break;
      case Type::Bool: column.truth[i] = c.missing ? kUnknown : (c.boolean ? kTrue : kFalse); break;
      case Type::Error: break;
    }
  }
}

bool needs_column(const Node& node) {
  if (node.kind != Kind::Expr) return true;
  switch (node.op) {
    case Op::LeadField:
    case Op::EventField: return false;
    default: return true;
  }
}

}  // namespace

BatchState::BatchState(const Graph& graph, bool event_side)
    : nodes_(event_side ? graph.event_nodes : graph.lead_nodes) {
  columns_.resize(nodes_.size());
  views_.resize(nodes_.size());
  branches_.resize(graph.classifies.size());
  classify_values_.resize(graph.classifies.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const Node& node = nodes_[i];
    if (!needs_column(node)) continue;
    columns_[i].reset(node.type, kBatchSize);
    if (node.kind == Kind::Expr && node.op == Op::Const) fill_constant(columns_[i], node);
    views_[i] = columns_[i].view();
  }
  threshold_column_.reset(Type::Number, kBatchSize);
  threshold_upper_column_.reset(Type::Number, kBatchSize);
  for (std::size_t c = 0; c < graph.classifies.size(); ++c) {
    branches_[c].assign(kBatchSize, -1);
    for (const auto& b : graph.classifies[c].branches) classify_values_[c].emplace_back(b.value);
  }
  if (!graph.routes.empty()) route_.assign(kBatchSize, -1);
  for (const auto& r : graph.routes) route_labels_.emplace_back(r.label);
}

namespace {

void section_value(const SectionPlan& section, const SectionLimits& limits, std::size_t rows, const BatchInput& input,
                   const std::vector<ColumnView>& views, ColumnSpan out, std::uint64_t& non_finite) {
  std::fill_n(out.num, rows, 0.0);
  std::fill_n(out.valid, rows, 1);
  for (const auto& rule : section.rules) {
    const RulePoints& points = (*input.points)[static_cast<std::size_t>(rule.ordinal)];
    if (rule.each && rule.account_aggregate >= 0) {
      for (std::size_t i = 0; i < rows; ++i)
        out.num[i] += each_rule_outcome(account_each_amount(rule, input, i), points).contribution;
    } else if (rule.each) {
      const AggregateState& agg = *input.aggregates;
      const auto slot = static_cast<std::size_t>(rule.slot);
      for (std::size_t i = 0; i < rows; ++i)
        out.num[i] += each_rule_outcome(agg.value(slot, input.first_lead + i), points).contribution;
    } else {
      // Adds 0 where the rule does not hold instead of branching on each lead's condition: the sum
      // starts at +0 and never becomes -0, so adding +0 leaves it as it was.
      const std::int8_t* condition = views[static_cast<std::size_t>(rule.condition)].truth;
      const double amount = points.points;
      for (std::size_t i = 0; i < rows; ++i) out.num[i] += condition[i] == kTrue ? amount : 0.0;
    }
  }
  for (std::size_t i = 0; i < rows; ++i) {
    double factor = 1.0;
    for (const auto& m : section.multipliers)
      if (views[static_cast<std::size_t>(m.condition)].truth[i] == kTrue) factor *= m.factor;
    out.num[i] = section_outcome(out.num[i], factor, limits.max, limits.min).value;
  }
  // Only reachable with absurd points or dozens of huge multipliers: missing rather than inf or NaN.
  for (std::size_t i = 0; i < rows; ++i) {
    if (std::isfinite(out.num[i])) continue;
    ++non_finite;
    out.num[i] = 0.0;
    out.valid[i] = 0;
  }
}

}  // namespace

namespace {

// The account value of each row's account (a column per group of AccountState).
void gather_by_account(const Column& per_group, const BatchInput& input, std::size_t rows, Column& out) {
  const std::int32_t* group = input.accounts->group.data() + input.first_lead;
  for (std::size_t i = 0; i < rows; ++i) copy_cell(out, i, per_group, static_cast<std::size_t>(group[i]));
}

}  // namespace

void evaluate(const Graph& graph, const BatchInput& input, BatchState& state, const std::vector<std::uint8_t>* only) {
  const std::size_t rows = input.rows;
  state.arena_.reset();
  auto& views = state.views_;
  // Adopted thresholds, in node order: the next one not yet reached.
  const ThresholdValue* threshold = input.thresholds ? input.thresholds->data() : nullptr;
  const ThresholdValue* thresholds_end = input.thresholds ? threshold + input.thresholds->size() : nullptr;
  for (std::size_t n = 0; n < state.nodes_.size(); ++n) {
    if (only && !(*only)[n]) continue;
    const Node& node = state.nodes_[n];
    Column& column = state.columns_[n];
    const ColumnSpan out = column.span();
    switch (node.kind) {
      case Kind::Expr:
        switch (node.op) {
          case Op::Const: break;
          case Op::LeadField:
          case Op::EventField: views[n] = input.fields[static_cast<std::size_t>(node.index)]; break;
          case Op::AggCount:
          case Op::AggSum: {
            const AggregateState& agg = *input.aggregates;
            const auto slot = static_cast<std::size_t>(node.index);
            // `sum` is never missing: one beyond the range of numbers (events of 1e308) is held at
            // the largest number of its sign, and counted. Amounts are finite, so it is never NaN.
            for (std::size_t i = 0; i < rows; ++i) {
              const double v = agg.value(slot, input.first_lead + i);
              const bool finite = std::isfinite(v);
              state.non_finite_ += !finite;
              out.num[i] = finite ? v : std::copysign(std::numeric_limits<double>::max(), v);
              out.valid[i] = 1;
            }
            break;
          }
          case Op::AggExists: {
            const AggregateState& agg = *input.aggregates;
            const auto slot = static_cast<std::size_t>(node.index);
            for (std::size_t i = 0; i < rows; ++i) out.truth[i] = agg.value(slot, input.first_lead + i) > 0 ? kTrue : kFalse;
            break;
          }
          case Op::AccountField:
            gather_by_account(input.accounts->fields[static_cast<std::size_t>(node.index)], input, rows, column);
            break;
          case Op::AccountAgg:
            gather_by_account(input.accounts->values[static_cast<std::size_t>(node.index)], input, rows, column);
            break;
          case Op::AggDaysSinceLast: {
            const AggregateState& agg = *input.aggregates;
            const auto slot = static_cast<std::size_t>(node.index);
            for (std::size_t i = 0; i < rows; ++i) {
              std::int64_t t = agg.last_time(slot, input.first_lead + i);
              bool seen = t != kNoTime;
              out.valid[i] = seen;
              out.num[i] = seen ? static_cast<double>((input.as_of[i] - t) / kMicrosPerDay) : 0.0;
            }
            break;
          }
          default: {
            while (threshold != thresholds_end && threshold->node < static_cast<NodeIndex>(n)) ++threshold;
            if (threshold == thresholds_end || threshold->node != static_cast<NodeIndex>(n)) {
              run_expression(state.nodes_, node, graph, rows, views, input, column, state.arena_, state.non_finite_);
              break;
            }
            // The comparison reads its adopted numbers in place of its written constants.
            std::array<ColumnView, 3> written{};
            for (const ThresholdValue* t = threshold; t != thresholds_end && t->node == threshold->node; ++t) {
              auto arg = static_cast<std::size_t>(node.args[static_cast<std::size_t>(t->arg)]);
              written[static_cast<std::size_t>(t->arg)] = views[arg];
              // Each argument gets its own column: `between` can have two adopted bounds.
              Column& column = t == threshold ? state.threshold_column_ : state.threshold_upper_column_;
              std::fill_n(column.num.begin(), rows, t->value);
              std::fill_n(column.valid.begin(), rows, 1);
              views[arg] = column.view();
            }
            run_expression(state.nodes_, node, graph, rows, views, input, column, state.arena_, state.non_finite_);
            for (const ThresholdValue* t = threshold; t != thresholds_end && t->node == threshold->node; ++t)
              views[static_cast<std::size_t>(node.args[static_cast<std::size_t>(t->arg)])] =
                  written[static_cast<std::size_t>(t->arg)];
            break;
          }
        }
        break;
      case Kind::SectionValue: {
        const auto s = static_cast<std::size_t>(node.index);
        section_value(graph.sections[s], input.limits ? (*input.limits)[s] : SectionLimits{graph.sections[s].max, graph.sections[s].min},
                      rows, input, views, out, state.non_finite_);
        break;
      }
      case Kind::ScoreValue:
        std::fill_n(out.num, rows, 0.0);
        std::fill_n(out.valid, rows, 1);
        for (const auto& section : graph.sections) {
          if (section.account) continue;  // the lead's score is its own sections'
          const ColumnView v = views[static_cast<std::size_t>(section.value)];
          for (std::size_t i = 0; i < rows; ++i) {
            out.num[i] += v.num[i];
            out.valid[i] &= v.valid[i];
          }
        }
        for (std::size_t i = 0; i < rows; ++i) {
          if (out.valid[i] && std::isfinite(out.num[i])) continue;
          state.non_finite_ += out.valid[i];  // sections that were each finite, with an infinite sum
          out.num[i] = 0.0;
          out.valid[i] = 0;
        }
        break;
      case Kind::GateValue: {
        std::fill_n(out.truth, rows, kTrue);
        for (const auto& c : graph.gates[static_cast<std::size_t>(node.index)].criteria) {
          const std::int8_t* t = views[static_cast<std::size_t>(c.condition)].truth;
          for (std::size_t i = 0; i < rows; ++i) out.truth[i] = t[i] == kTrue ? out.truth[i] : kFalse;
        }
        break;
      }
      case Kind::MqlValue: {
        const std::int8_t* t = views[static_cast<std::size_t>(node.args[0])].truth;
        for (std::size_t i = 0; i < rows; ++i) out.truth[i] = t[i] == kTrue ? kTrue : kFalse;
        break;
      }
      case Kind::ClassifyValue: {
        auto c = static_cast<std::size_t>(node.index);
        const auto& plan = graph.classifies[c];
        auto& chosen = state.branches_[c];
        std::fill_n(chosen.begin(), rows, -1);
        for (std::size_t b = plan.branches.size(); b-- > 0;) {
          const auto& branch = plan.branches[b];
          if (branch.condition == kNone) {
            std::fill_n(chosen.begin(), rows, static_cast<std::int32_t>(b));
            continue;
          }
          const std::int8_t* t = views[static_cast<std::size_t>(branch.condition)].truth;
          const auto branch_index = static_cast<std::int32_t>(b);
          for (std::size_t i = 0; i < rows; ++i) chosen[i] = t[i] == kTrue ? branch_index : chosen[i];
        }
        for (std::size_t i = 0; i < rows; ++i) {
          bool has = chosen[i] >= 0;
          out.valid[i] = has;
          out.str[i] = has ? state.classify_values_[c][static_cast<std::size_t>(chosen[i])] : std::string_view{};
        }
        break;
      }
      case Kind::RouteValue: {  // first match wins, as for classify
        auto& chosen = state.route_;
        std::fill_n(chosen.begin(), rows, -1);
        for (std::size_t r = graph.routes.size(); r-- > 0;) {
          const auto& route = graph.routes[r];
          if (route.condition == kNone) {
            std::fill_n(chosen.begin(), rows, static_cast<std::int32_t>(r));
            continue;
          }
          const std::int8_t* t = views[static_cast<std::size_t>(route.condition)].truth;
          const auto route_index = static_cast<std::int32_t>(r);
          for (std::size_t i = 0; i < rows; ++i) chosen[i] = t[i] == kTrue ? route_index : chosen[i];
        }
        for (std::size_t i = 0; i < rows; ++i) {
          out.valid[i] = chosen[i] >= 0;
          out.str[i] = chosen[i] >= 0 ? state.route_labels_[static_cast<std::size_t>(chosen[i])] : std::string_view{};
        }
        break;
      }
    }
  }
}

namespace {

// Adds event i to slot s of its lead, unless the slot's window excludes it. Whether it is in the
// window is as unpredictable as the event's time: counts add it as 0 or 1 instead of branching.
inline void fold_one(const SlotPlan& slot, std::size_t s, std::size_t i, std::int32_t lead, const EventBatch& events,
                     const ColumnView& sum_field, AggregateState& aggregates) {
  const std::int64_t t = events.time[i];
  const std::int64_t as_of = events.as_of[i];
  const bool in_window = !slot.within || t >= as_of - *slot.within;
  const auto l = static_cast<std::size_t>(lead);
  if (slot.kind == ir::AggregateKind::Count) {
    aggregates.add_count(s, l, in_window ? 1u : 0u);
    return;
  }
  if (!in_window) return;
  switch (slot.kind) {
    case ir::AggregateKind::Count: break;
    case ir::AggregateKind::Sum:
      if (sum_field.valid[i]) aggregates.add_value(s, l, sum_field.num[i]);
      break;
    case ir::AggregateKind::LastTime: aggregates.keep_latest(s, l, t); break;
    case ir::AggregateKind::DecaySum:
      aggregates.add_value(s, l, std::exp2(-static_cast<double>(as_of - t) / slot.half_life));
      break;
    case ir::AggregateKind::FirstSince:
      if (events.since && events.since[i] != kNoTime && t >= events.since[i]) aggregates.keep_earliest(s, l, t);
      break;
  }
}

ColumnView sum_field_of(const SlotPlan& slot, const BatchInput& input) {
  return slot.kind == ir::AggregateKind::Sum ? input.fields[static_cast<std::size_t>(slot.sum_field)] : ColumnView{};
}

}  // namespace

void fold_events(const Graph& graph, const EventBatch& events, const BatchInput& input,
                 const std::vector<std::uint32_t>& slots, const std::vector<const std::int8_t*>& passes,
                 AggregateState& aggregates) {
  for (const std::uint32_t s : slots) {
    const SlotPlan& slot = graph.slots[s];
    const std::int8_t* pass = passes[s];
    const ColumnView sum_field = sum_field_of(slot, input);
    for (std::size_t k = 0; k < events.folded_count; ++k) {
      const std::size_t i = events.folded[k];
      if (pass && pass[i] != kTrue) continue;
      fold_one(slot, s, i, events.lead[i], events, sum_field, aggregates);
    }
  }
}

void fold_events_keyed(const Graph& graph, const EventBatch& events, const BatchInput& input,
                       const KeyedSlots& keyed, AggregateState& aggregates) {
  std::vector<ColumnView> sum_fields(graph.slots.size());
  for (std::size_t s = 0; s < graph.slots.size(); ++s) sum_fields[s] = sum_field_of(graph.slots[s], input);
  // Copies held in locals: every fold stores through bytes, which may alias anything in memory, and
  // these pointers would be loaded again after each one.
  const EventBatch batch = events;
  const KeyedSlots by_key = keyed;
  const SlotPlan* const slots = graph.slots.data();
  const ColumnView* const sums = sum_fields.data();
  for (std::size_t k = 0; k < batch.folded_count; ++k) {
    const std::size_t i = batch.folded[k];
    const std::int32_t lead = batch.lead[i];
    const std::uint32_t key = by_key.key[i];
    for (std::uint32_t j = by_key.first[key], end = by_key.first[key + 1]; j < end; ++j) {
      const std::size_t s = by_key.slots[j];
      fold_one(slots[s], s, i, lead, batch, sums[s], aggregates);
    }
  }
}

}  // namespace leadscore::engine

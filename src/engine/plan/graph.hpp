#pragma once
// The evaluation graph: the checked program compiled into two DAGs of typed nodes in topological
// order (one over activity events for `where` filters, one over leads), with identical
// subexpressions merged, constants folded, lists hashed and every activity aggregate planned into
// one accumulator slot. Immutable after compile(); shared by all threads.
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "engine/check/program.hpp"
#include "engine/plan/string_set.hpp"

namespace leadscore::engine {

using ir::Op;
using ir::Type;
using NodeIndex = std::int32_t;
inline constexpr NodeIndex kNone = -1;

// Graph-only node kinds come after the expression operators.
enum class Kind : std::uint8_t {
  Expr,           // an ir::Op over up to three argument nodes
  SectionValue,   // index = section
  ScoreValue,     // sum of all sections
  GateValue,      // index = gate
  MqlValue,
  ClassifyValue,  // index = classify
  RouteValue,     // the first route whose condition holds (label as text)
};

struct Node {
  Kind kind = Kind::Expr;
  Op op = Op::Const;
  Type type = Type::Error;
  Type operand_type = Type::Error;
  SourcePos pos;
  std::array<NodeIndex, 3> args{kNone, kNone, kNone};
  std::int32_t index = -1;  // field, list, aggregate slot, section, gate or classify
  ir::Constant constant;    // for Op::Const; text is normalised for string constants used as patterns
  std::string pattern;      // trimmed, lower-case text of a constant string (for comparisons)
};

struct RulePlan {
  std::string label;
  SourcePos pos;
  std::int32_t ordinal = -1;    // position among all rules of the ruleset, in declaration order
  bool each = false;
  NodeIndex condition = kNone;  // when-rule: lead node (bool)
  std::int32_t slot = -1;       // each-rule: aggregate slot (count or decayed count)
  double points = 0;
  std::optional<double> cap;
  std::int32_t account_aggregate = -1;  // `each lead where C` (account sections): the Count over the account's leads
};

struct MultiplierPlan {
  std::string label;
  SourcePos pos;
  std::int32_t ordinal = -1;  // position among all multipliers of the ruleset
  NodeIndex condition = kNone;
  double factor = 1;
};

struct SectionPlan {
  bool account = false;  // an account section (named `account.NAME`): not part of the lead's `score`
  std::string name;
  std::optional<double> max, min;
  std::vector<RulePlan> rules;
  std::vector<MultiplierPlan> multipliers;
  NodeIndex value = kNone;
};

struct CriterionPlan {
  std::string label;
  std::int32_t ordinal = -1;  // position among all gate criteria of the ruleset
  NodeIndex condition = kNone;
};

struct GatePlan {
  bool account = false;
  std::string name;
  std::vector<CriterionPlan> criteria;
  NodeIndex value = kNone;
};

struct BranchPlan {
  std::string value;
  NodeIndex condition = kNone;  // kNone = otherwise
};

struct ClassifyPlan {
  bool account = false;
  std::string name;
  std::vector<BranchPlan> branches;
  NodeIndex value = kNone;
};

// A route of the handoff block (queue, SLA and owners: ir::Program::handoff, same index).
struct RoutePlan {
  std::string label;
  NodeIndex condition = kNone;  // kNone = otherwise
};

// A sales response: matching events (a FirstSince slot) or a lead condition with an optional time field.
struct ResponsePlan {
  std::int32_t slot = -1;
  NodeIndex condition = kNone;
  std::int32_t at_field = -1;  // lead field index
};

struct SlotPlan {
  ir::AggregateKind kind = ir::AggregateKind::Count;
  NodeIndex filter = kNone;  // event node (bool), kNone = every event
  std::optional<std::int64_t> within;
  std::int32_t sum_field = -1;
  double half_life = 0;
  std::string within_text, half_life_text;  // as written, for explanations
};

// An aggregate over the leads of an account (ir::AccountAggregate, same index); value and filter are
// lead nodes evaluated before any account result.
struct AccountAggregatePlan {
  ir::LeadsAggregateKind kind = ir::LeadsAggregateKind::Count;
  NodeIndex value = kNone;
  NodeIndex filter = kNone;
  std::int32_t top = 0;
};

struct Graph {
  std::vector<Node> event_nodes;  // over activity events, topological order
  std::vector<Node> lead_nodes;   // over leads, topological order
  std::vector<StringSet> lists;
  std::vector<std::string> list_names;  // by list: the declared name, empty for an inline list
  std::vector<SlotPlan> slots;
  std::vector<SectionPlan> sections;
  NodeIndex score = kNone;
  std::vector<GatePlan> gates;
  bool has_mql = false;
  NodeIndex mql = kNone;
  std::vector<ClassifyPlan> classifies;
  std::vector<RoutePlan> routes;
  NodeIndex route = kNone;  // the RouteValue node, when routes are declared
  std::vector<ResponsePlan> responses;
  std::size_t rule_count = 0, multiplier_count = 0, criterion_count = 0;

  // Accounts: the key node (lead text), the aggregates over an account's leads, mqa, and the lead nodes
  // each step before scoring needs (masks over lead_nodes, for evaluate()'s `only`).
  bool has_accounts = false;
  NodeIndex account_key = kNone;
  std::int32_t account_key_except = -1;  // list
  bool account_domain_key = false;
  std::vector<AccountAggregatePlan> account_aggregates;
  bool has_mqa = false;
  NodeIndex mqa = kNone;
  std::vector<std::uint8_t> key_nodes, aggregate_input_nodes;
  std::vector<bool> account_field_used;   // by account field index

  std::vector<bool> lead_field_used;      // by lead field index
  std::vector<bool> activity_field_used;  // by activity field index
  bool needs_activity = false;
};

// Computes an operator node whose arguments are all constants (in `nodes`) and returns it as a
// constant node, or nullopt to keep the operator. The executor's kernels provide the real one
// (engine/exec/constant_folder.hpp), so folding a constant never differs from computing it per row.
using ConstantFolder = std::function<std::optional<Node>(const std::vector<Node>& nodes, const Node& node,
                                                          const Graph& graph)>;

Graph compile(const ir::Program& program, const ConstantFolder& fold);

// The lead nodes `roots` need, themselves included (a mask over graph.lead_nodes).
std::vector<std::uint8_t> needed_nodes(const Graph& graph, const std::vector<NodeIndex>& roots);

// Human-readable listing (`leadscore compile --print-graph`) and Graphviz (`--format dot`).
std::string print_graph(const ir::Program& program, const Graph& graph);
std::string graph_to_dot(const ir::Program& program, const Graph& graph);

}  // namespace leadscore::engine

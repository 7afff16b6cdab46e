#pragma once
// The numbers scoring uses, as plain data: each rule's points, each section's `max`/`min` and the
// thresholds that compare a score with a number. The graph holds the written ones; a calibration
// brings adopted ones (engine/exec reads the tables, the graph itself never changes after compile()).
#include <optional>
#include <string>
#include <vector>

#include "engine/plan/graph.hpp"

namespace leadscore::engine {

struct RulePoints {
  double points = 0;
  std::optional<double> cap;  // each-rules: `max M`
  friend bool operator==(const RulePoints&, const RulePoints&) = default;
};

// By RulePlan::ordinal.
using PointsTable = std::vector<RulePoints>;

// The points as written in the rules file.
PointsTable written_points(const Graph& graph);

struct SectionLimits {
  std::optional<double> max, min;
  friend bool operator==(const SectionLimits&, const SectionLimits&) = default;
};

// By section.
using LimitsTable = std::vector<SectionLimits>;

// The limits as written in the rules file.
LimitsTable written_limits(const Graph& graph);

// A comparison of a score (a section or `score`) with a number: `fit >= 30`, `30 <= fit` (read as
// `fit >= 30`), and the two bounds of `score between 40 and 60` (`score >= 40`, `score <= 60`).
struct ScoreThreshold {
  NodeIndex node = kNone;    // the comparison (a lead node)
  int arg = 1;               // the argument that holds the number
  std::int32_t section = -1;  // -1: `score`
  Op op = Op::Ge;            // seen from the score: Ge, Gt, Le, Lt (Eq, Ne: not adoptable)
  double written = 0;
  SourcePos pos;
};

// Every score threshold of the graph, in node order (then argument order).
std::vector<ScoreThreshold> score_thresholds(const Graph& graph);

// `fit >= 30`: the score's name, the operator seen from the score and the written number; how
// weights files name a threshold.
std::string threshold_key(const Graph& graph, const ScoreThreshold& t);

// Comparisons whose one side is an expression over scores that is not a plain score (`fit +
// interest >= 50`, `fit > interest`): no single threshold to adopt. Lead nodes, in order.
std::vector<NodeIndex> score_expression_comparisons(const Graph& graph);

// Argument `arg` of comparison `node` compares with `value` instead of its written number.
struct ThresholdValue {
  NodeIndex node = kNone;
  int arg = 1;
  double value = 0;
  friend bool operator==(const ThresholdValue&, const ThresholdValue&) = default;
};

// Sorted by node, then argument; empty: every threshold as written.
using ThresholdTable = std::vector<ThresholdValue>;

}  // namespace leadscore::engine

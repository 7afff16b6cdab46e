#pragma once
// Expressions of the evaluation graph as text, for explanations: as written (`fit >= 40`) or with one
// lead's values (`fit = 35 >= 40`). Durations are shown as the rules wrote them.
#include <optional>
#include <string>

#include "engine/exec/evaluator.hpp"
#include "jobs/run_inputs.hpp"

namespace leadscore::jobs {

class ExpressionText {
 public:
  // `state` holds the evaluated batch and `row` the lead's row in it.
  ExpressionText(const PreparedRun& run, const engine::BatchState& state, std::size_t row)
      : run_(run), g_(run.graph), p_(run.program), state_(state), row_(row) {}

  // `fit >= 40`, `country in icp_countries`, `count(activity where type == "demo" within 30d) >= 1`.
  std::string source(engine::NodeIndex lead_node) const;
  // The same with each operand's value for this lead: `fit = 35 >= 40`.
  std::string with_values(engine::NodeIndex lead_node) const;
  // with_values() and the result: `employees = 12000 >= 5000  ->  true`.
  std::string describe(engine::NodeIndex lead_node) const;
  // The node's value for this lead: `35`, `"SG"`, `true`, `unknown`, `missing`.
  std::string value(engine::NodeIndex lead_node) const;
  // `count(leads where interest >= 20)`: account aggregate `index` as written.
  std::string leads_aggregate(std::size_t index) const;
  // `activity where type == "page_view" within 90d decay 2w`.
  std::string slot(const engine::SlotPlan& slot) const;
  // A constant as the rules would write it.
  static std::string constant(const engine::Node& node);
  static std::string duration(std::int64_t micros);

  // The adopted number argument `arg` of comparison `lead_node` compares with instead of its written
  // constant (a calibrated run's thresholds), if any.
  std::optional<double> adopted(engine::NodeIndex lead_node, int arg) const;

  std::int8_t truth(engine::NodeIndex lead_node) const { return state_.view(lead_node).truth[row_]; }
  bool present(engine::NodeIndex lead_node) const {
    const auto& v = state_.view(lead_node);
    return node(lead_node).type == ir::Type::Bool ? v.truth[row_] != engine::kUnknown : v.valid[row_] != 0;
  }
  double number(engine::NodeIndex lead_node) const { return state_.view(lead_node).num[row_]; }
  const engine::Node& node(engine::NodeIndex lead_node) const {
    return g_.lead_nodes[static_cast<std::size_t>(lead_node)];
  }

 private:
  const PreparedRun& run_;
  const engine::Graph& g_;
  const ir::Program& p_;
  const engine::BatchState& state_;
  std::size_t row_;

  std::string render(engine::NodeIndex n, bool values) const;
  std::string event_text(engine::NodeIndex n) const;
  template <typename Arg>
  std::string operator_text(const engine::Node& node, Arg arg) const;
};

}  // namespace leadscore::jobs

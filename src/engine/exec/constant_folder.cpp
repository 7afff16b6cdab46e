#include "engine/exec/constant_folder.hpp"

#include "engine/exec/kernels.hpp"

namespace leadscore::engine {

std::optional<Node> fold_with_kernels(const std::vector<Node>& nodes, const Node& node, const Graph& graph) {
  std::vector<ColumnView> views(nodes.size());
  std::vector<Column> inputs(3);
  for (std::size_t k = 0; k < 3; ++k) {
    if (node.args[k] == kNone) continue;
    const Node& arg = nodes[static_cast<std::size_t>(node.args[k])];
    Column& c = inputs[k];
    c.reset(arg.type, 1);
    switch (arg.type) {
      case Type::Number: c.num[0] = arg.constant.number; c.valid[0] = !arg.constant.missing; break;
      case Type::Instant: c.time[0] = arg.constant.instant; c.valid[0] = !arg.constant.missing; break;
      case Type::String: c.str[0] = arg.constant.text; c.valid[0] = !arg.constant.missing; break;
      case Type::Bool: c.truth[0] = arg.constant.missing ? kUnknown : (arg.constant.boolean ? kTrue : kFalse); break;
      case Type::Error: return std::nullopt;
    }
    views[static_cast<std::size_t>(node.args[k])] = c.view();
  }
  Column out;
  out.reset(node.type, 1);
  StringArena arena;
  BatchInput input;
  input.rows = 1;
  std::uint64_t non_finite = 0;
  run_expression(nodes, node, graph, 1, views, input, out, arena, non_finite);
  if (non_finite > 0) return std::nullopt;  // left to run per lead, where the summary counts it
  Node folded;
  folded.op = Op::Const;
  folded.type = node.type;
  folded.pos = node.pos;
  switch (node.type) {
    case Type::Number: folded.constant.number = out.num[0]; folded.constant.missing = !out.valid[0]; break;
    case Type::Instant: folded.constant.instant = out.time[0]; folded.constant.missing = !out.valid[0]; break;
    case Type::String: folded.constant.text = std::string(out.str[0]); folded.constant.missing = !out.valid[0]; break;
    case Type::Bool:
      folded.constant.missing = out.truth[0] == kUnknown;
      folded.constant.boolean = out.truth[0] == kTrue;
      break;
    case Type::Error: return std::nullopt;
  }
  return folded;
}

}  // namespace leadscore::engine

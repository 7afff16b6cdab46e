#pragma once
// The compiler's constant folding, done by the same kernels that run per row.
#include "engine/plan/graph.hpp"

namespace leadscore::engine {

std::optional<Node> fold_with_kernels(const std::vector<Node>& nodes, const Node& node, const Graph& graph);

// The graph of a checked program, constants folded by the kernels: what every command runs.
inline Graph compile_program(const ir::Program& program) { return compile(program, fold_with_kernels); }

}  // namespace leadscore::engine

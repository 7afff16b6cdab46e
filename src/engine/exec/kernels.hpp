#pragma once
#include <vector>

#include "engine/exec/evaluator.hpp"

namespace leadscore::engine {

// Computes one expression node (not a leaf, reference or plan node) over `rows` rows into `out`.
void run_expression(const std::vector<Node>& nodes, const Node& node, const Graph& graph, std::size_t rows,
                    const std::vector<ColumnView>& views, const BatchInput& input, Column& out, StringArena& arena);

}  // namespace leadscore::engine

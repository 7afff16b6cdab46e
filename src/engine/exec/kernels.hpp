#pragma once
#include <vector>

#include "engine/exec/evaluator.hpp"

namespace leadscore::engine {

// Computes one expression node (not a leaf, reference or plan node) over `rows` rows into `out`.
// Arithmetic that leaves the finite doubles (1e308 * 10, an overflowing division) gives missing, never
// NaN or an infinity; each such row adds one to `non_finite`.
void run_expression(const std::vector<Node>& nodes, const Node& node, const Graph& graph, std::size_t rows,
                    const std::vector<ColumnView>& views, const BatchInput& input, Column& column, StringArena& arena,
                    std::uint64_t& non_finite);

}  // namespace leadscore::engine

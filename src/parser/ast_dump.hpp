#pragma once
// A compact S-expression view of the AST, for tests and debugging:
// (and (>= employees 5000) (in country icp)). Numbers show their value, durations `30d:2592000`.
#include <string>

#include "parser/ast.hpp"

namespace leadscore::ast {

std::string dump(const Expr& expr);
// One line per declaration, the ruleset first.
std::string dump(const RulesFile& file);

}  // namespace leadscore::ast

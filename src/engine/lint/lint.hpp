#pragma once
// Warnings about rules that compile but are probably not what the author meant: a rule that can
// never fire, tier rules whose ranges overlap, an unreachable classify branch, an unused list or
// let, a gate criterion that is always true, duplicate list entries, a decay half-life longer than
// its window, and a decaying `each` rule without a window. Every warning has the position of the
// token to look at and a hint. docs/ci.md lists them with examples.
#include <optional>
#include <string>

#include "common/diagnostics.hpp"
#include "engine/check/program.hpp"
#include "parser/ast.hpp"

namespace leadscore {

// `file` is the syntax tree `program` was checked from (usage and layout live there; the program
// has lets inlined). Adds warnings only.
void lint_program(const ast::RulesFile& file, const ir::Program& program, Diagnostics& diags);

// load_rules() (engine/checker.hpp) followed by lint_program() when the file compiles.
std::optional<ir::Program> load_and_lint_rules(const std::string& path, Diagnostics& diags);

}  // namespace leadscore

#pragma once
// Text to AST. The only entry point of src/parser/; PEGTL stays behind it.
#include "common/diagnostics.hpp"
#include "parser/ast.hpp"

namespace leadscore {

// Limits that keep hostile input from exhausting the stack or the clock.
// Nesting: parentheses, operators inside operators, calls. A chain of one precedence level
// (`a or b or c`, `x + y - z`) is one level however long: it is bounded by kMaxChainLength, the
// height of the tree that later stages walk recursively.
inline constexpr std::size_t kMaxNestingDepth = 200;
inline constexpr std::size_t kMaxChainLength = 1000;

// Parses a whole rules file. Never throws and never crashes on any byte sequence: syntax errors
// become diagnostics (`expected 'points' after the rule's condition`) at the offending token, and
// parsing resumes at the next top-level declaration so later errors are reported too.
// The returned file holds every declaration that parsed; check diags.has_errors().
ast::RulesFile parse_rules(const SourceFilePtr& source, Diagnostics& diags);

}  // namespace leadscore

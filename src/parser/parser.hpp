#pragma once
// Text to AST. The only entry point of src/parser/; PEGTL stays behind it.
#include <string_view>

#include "common/diagnostics.hpp"
#include "parser/ast.hpp"

namespace leadscore {

// Limits that keep hostile input from exhausting the stack or the clock.
// Nesting: parentheses, operators inside operators, calls. A chain of one precedence level
// (`a or b or c`, `x + y - z`) is one level however long: it holds at most kMaxChainLength
// operators. The height of the whole tree, which later stages walk recursively, is bounded by
// kMaxTreeHeight: room for a chain of the longest kind with operands nested inside it.
inline constexpr std::size_t kMaxNestingDepth = 200;
inline constexpr std::size_t kMaxChainLength = 1000;
inline constexpr std::size_t kMaxTreeHeight = kMaxChainLength + kMaxNestingDepth;

// Parses a whole rules file. Never throws and never crashes on any byte sequence: syntax errors
// become diagnostics (`expected 'points' after the rule's condition`) at the offending token, and
// parsing resumes at the next top-level declaration so later errors are reported too.
// The returned file holds every declaration that parsed; check diags.has_errors().
ast::RulesFile parse_rules(const SourceFilePtr& source, Diagnostics& diags);

// Whether `text` is a name as the grammar reads one (a section's, a list's, a field's): a letter or
// `_`, then letters, digits and `_`, and not a reserved word.
bool is_name(std::string_view text);

// Whether `text` is a reserved word of the language (`score`, `rule`, `mql`, `when`, ...), which no
// declaration may take as its name.
bool is_reserved_word(std::string_view text);

}  // namespace leadscore

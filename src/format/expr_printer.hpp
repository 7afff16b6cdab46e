#pragma once
// Canonical text of an expression: one space around binary operators, `not x`, `f(x)`, `[a, b]`,
// strings re-escaped, numbers and durations as written, and only the parentheses the grammar needs
// to read the same tree back, plus parentheses around an `and` that is an operand of `or`.
#include <string>
#include <string_view>

#include "parser/ast.hpp"

namespace leadscore::format {

std::string print_expr(const ast::Expr& expr);
// `"text"` with `\"`, `\\`, `\n` and `\t` escaped (the only escapes of the language).
std::string quote_string(std::string_view text);
// `icp_countries` or `["US", "CA"]`.
std::string print_list_ref(const ast::ListRef& list);

}  // namespace leadscore::format

#pragma once
// builder<Rule>::build(state, frame, end) turns what Rule's children pushed (values from frame.mark)
// into Rule's node. Rules without a specialisation leave the stack alone.
#include <algorithm>
#include <initializer_list>
#include <string>
#include <utility>

#include "grammar/error_messages.hpp"
#include "parser/internal/build_state.hpp"
#include "parser/parser.hpp"

namespace leadscore::parser_internal {

template <typename Rule> struct builder {};

template <typename Rule>
concept has_builder = requires(BuildState& s, Frame f, std::uint32_t end) { builder<Rule>::build(s, f, end); };

// A frame with no node of its own: it only drops its children when the rule backtracks.
struct keep_children {
  static void build(BuildState&, Frame, std::uint32_t) {}
};

// The nesting depth and tree height of a node over `children` (nesting one level deeper than each).
struct Heights {
  std::uint32_t height = 0, tree_height = 0;
};
inline Heights above(std::initializer_list<const ExprValue*> children) {
  Heights h;
  for (const ExprValue* c : children) {
    if (c == nullptr) continue;
    h.height = std::max(h.height, c->height);
    h.tree_height = std::max(h.tree_height, c->tree_height);
  }
  return Heights{h.height + 1, h.tree_height + 1};
}

// The chain of one precedence level a node ends (`a or b or c`): its level (0: none) and operators.
struct Chain {
  std::uint8_t level = 0;
  std::uint32_t operators = 0;
};

inline ExprValue make_expr(ast::Pos pos, auto node, Heights h, std::uint32_t offset, Chain chain = {}) {
  if (h.height > kMaxNestingDepth)
    throw SyntaxError{offset, "expressions nested too deeply (limit " + std::to_string(kMaxNestingDepth) + ")", nullptr,
                      grammar::expression_too_deep_hint};
  if (chain.operators > kMaxChainLength)
    throw SyntaxError{offset, "expression too long (limit " + std::to_string(kMaxChainLength) +
                                  " operators in a row): use a list, or split it with `let`",
                      nullptr, grammar::expression_too_deep_hint};
  if (h.tree_height > kMaxTreeHeight)
    throw SyntaxError{offset, "expression too deep (limit " + std::to_string(kMaxTreeHeight) +
                                  " levels of operators): split it with `let`",
                      nullptr, grammar::expression_too_deep_hint};
  return ExprValue{std::make_unique<ast::Expr>(ast::Expr{pos, std::move(node)}), h.height, h.tree_height, chain.level,
                   chain.operators};
}

}  // namespace leadscore::parser_internal

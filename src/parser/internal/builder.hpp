#pragma once
// builder<Rule>::build(state, frame, end) turns what Rule's children pushed (values from frame.mark)
// into Rule's node. Rules without a specialisation leave the stack alone.
#include <string>
#include <utility>

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

inline ExprValue make_expr(ast::Pos pos, auto node, std::uint32_t height, std::uint32_t offset) {
  if (height > kMaxNestingDepth)
    throw SyntaxError{offset, "expressions nested too deeply (limit " + std::to_string(kMaxNestingDepth) + ")"};
  return ExprValue{std::make_unique<ast::Expr>(ast::Expr{pos, std::move(node)}), height};
}

}  // namespace leadscore::parser_internal

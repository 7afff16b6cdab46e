#pragma once
// Builders for literals, names and expressions.
#include <algorithm>

#include "grammar/rules_grammar.hpp"
#include "parser/internal/builder.hpp"
#include "parser/internal/literals.hpp"

namespace leadscore::parser_internal {

namespace g = leadscore::grammar;

template <> struct builder<g::comment> {
  static void build(BuildState& s, Frame f, std::uint32_t end) {
    auto& comments = s.file.comments;
    if (!comments.empty() && comments.back().pos.offset >= f.begin) return;  // seen before backtracking
    std::string_view text = s.text(f.begin, end);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    comments.push_back(ast::Comment{s.pos(f.begin), std::string(text)});
  }
};

template <> struct builder<g::name> {
  static void build(BuildState& s, Frame f, std::uint32_t end) {
    s.values.emplace_back(Text{std::string(s.text(f.begin, end)), s.pos(f.begin)});
  }
};

template <> struct builder<g::string_literal> {
  static void build(BuildState& s, Frame f, std::uint32_t end) {
    s.values.emplace_back(Text{unescape_string(s.text(f.begin + 1, end - 1)), s.pos(f.begin)});
  }
};

template <> struct builder<g::number> {
  static void build(BuildState& s, Frame f, std::uint32_t end) {
    std::string_view text = s.text(f.begin, end);
    auto value = number_value(text);
    if (!value) throw SyntaxError{f.begin, "this number is too large", nullptr, grammar::number_too_large_hint};
    s.values.emplace_back(ast::Number{*value, std::string(text), s.pos(f.begin)});
  }
};

template <> struct builder<g::signed_number> {
  static void build(BuildState& s, Frame f, std::uint32_t end) {
    auto& number = std::get<ast::Number>(s.values.back());
    if (s.text_begin[f.begin] == '-') number.value = -number.value;
    number.text = std::string(s.text(f.begin, end));
    number.pos = s.pos(f.begin);
  }
};

template <> struct builder<g::duration> {
  static void build(BuildState& s, Frame f, std::uint32_t end) {
    std::string_view text = s.text(f.begin, end);
    auto seconds = duration_seconds(text);
    if (!seconds)
      throw SyntaxError{f.begin, "this duration is longer than 100 years (the limit: 36525d, 5217w or 876600h)",
                        nullptr, grammar::duration_too_long_hint};
    s.values.emplace_back(ast::Duration{*seconds, std::string(text), s.pos(f.begin)});
  }
};

template <> struct builder<g::number_literal> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto number = s.take<ast::Number>(f.mark);
    s.drop_from(f.mark);
    s.values.emplace_back(make_expr(number.pos, ast::NumberLit{number.value, number.text}, Heights{1, 1}, f.begin));
  }
};

template <> struct builder<g::string_expr> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto text = s.take<Text>(f.mark);
    s.drop_from(f.mark);
    s.values.emplace_back(make_expr(text.pos, ast::StringLit{std::move(text.value)}, Heights{1, 1}, f.begin));
  }
};

template <> struct builder<g::bool_literal> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    s.values.emplace_back(make_expr(s.pos(f.begin), ast::BoolLit{s.text_begin[f.begin] == 't'}, Heights{1, 1}, f.begin));
  }
};

template <> struct builder<g::score_ref> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    s.values.emplace_back(make_expr(s.pos(f.begin), ast::NameRef{"score", false, s.pos(f.begin)}, Heights{1, 1}, f.begin));
  }
};

template <> struct builder<g::mql_ref> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    s.values.emplace_back(make_expr(s.pos(f.begin), ast::NameRef{"mql", false, s.pos(f.begin)}, Heights{1, 1}, f.begin));
  }
};

template <> struct builder<g::name_ref> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto text = s.take<Text>(f.mark);
    s.drop_from(f.mark);
    s.values.emplace_back(make_expr(text.pos, ast::NameRef{std::move(text.value), false, text.pos}, Heights{1, 1}, f.begin));
  }
};

template <> struct builder<g::account_ref> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto text = s.take<Text>(f.mark);
    s.drop_from(f.mark);
    s.values.emplace_back(make_expr(s.pos(f.begin), ast::NameRef{std::move(text.value), true, s.pos(f.begin)}, Heights{1, 1}, f.begin));
  }
};

template <> struct builder<g::paren_expr> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto& value = std::get<ExprValue>(s.values.back());
    value.expr->pos = s.pos(f.begin);  // the node starts at `(`
    value.chain_level = 0;             // `(a or b) or c` nests
  }
};

template <> struct builder<g::inline_list> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::ListRef list;
    list.pos = s.pos(f.begin);
    for (std::size_t i = f.mark; i < s.values.size(); ++i) {
      auto text = s.take<Text>(i);
      list.items.push_back(std::move(text.value));
      list.item_pos.push_back(text.pos);
    }
    s.drop_from(f.mark);
    s.values.emplace_back(std::move(list));
  }
};

template <> struct builder<g::list_name_ref> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto text = s.take<Text>(f.mark);
    s.drop_from(f.mark);
    ast::ListRef list;
    list.name = std::move(text.value);
    list.pos = text.pos;
    s.values.emplace_back(std::move(list));
  }
};

template <> struct builder<g::criterion_label> : keep_children {};
template <> struct builder<g::minus> {
  static void build(BuildState& s, Frame f, std::uint32_t) { s.values.emplace_back(Tag{s.pos(f.begin)}); }
};
template <> struct builder<g::not_prefix> {
  static void build(BuildState& s, Frame f, std::uint32_t) { s.values.emplace_back(Tag{s.pos(f.begin)}); }
};
template <> struct builder<g::is_present> {
  static void build(BuildState& s, Frame f, std::uint32_t) { s.values.emplace_back(Tag{s.pos(f.begin)}); }
};

// `- - x` and `not not x`: one Unary per prefix, the innermost from the last one.
template <ast::UnaryOp Op> struct prefix_builder {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto operand = s.take<ExprValue>(s.values.size() - 1);
    for (std::size_t i = s.values.size() - 1; i-- > f.mark;) {
      auto pos = std::get<Tag>(s.values[i]).pos;
      const Heights heights = above({&operand});
      operand = make_expr(pos, ast::Unary{Op, std::move(operand.expr)}, heights, pos.offset);
    }
    s.drop_from(f.mark);
    s.values.emplace_back(std::move(operand));
  }
};
template <> struct builder<g::negation> : prefix_builder<ast::UnaryOp::Negate> {};
template <> struct builder<g::negated> : prefix_builder<ast::UnaryOp::Not> {};

// Operator tails (`+ b`, `and c`, `in list`, ...) fold into the left operand just below their frame,
// which makes operators of equal precedence group left to right. `level` is the operator's precedence
// level when it can chain (0 otherwise): continuing a chain does not nest deeper.
template <typename MakeNode>
inline void fold_into_left(BuildState& s, Frame f, Heights right, std::uint8_t level, MakeNode make_node) {
  auto left = s.take<ExprValue>(f.mark - 1);
  auto pos = left.expr->pos;
  const bool continues_chain = level != 0 && left.chain_level == level;
  Heights h{std::max(continues_chain ? left.height : left.height + 1, right.height + 1),
            std::max(left.tree_height, right.tree_height) + 1};
  const Chain chain{level, level == 0 ? 0u : continues_chain ? left.chain_operators + 1 : 1u};
  auto folded = make_expr(pos, make_node(std::move(left.expr)), h, f.begin, chain);
  s.drop_from(f.mark - 1);
  s.values.emplace_back(std::move(folded));
}
inline Heights heights_at(const BuildState& s, std::size_t index) {
  const auto& value = std::get<ExprValue>(s.values.at(index));
  return Heights{value.height, value.tree_height};
}

// Precedence levels of the operators that chain (`a or b or c`); comparisons do not chain.
constexpr std::uint8_t chain_level_of(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Or: return 1;
    case ast::BinaryOp::And: return 2;
    case ast::BinaryOp::Add:
    case ast::BinaryOp::Sub: return 3;
    case ast::BinaryOp::Mul:
    case ast::BinaryOp::Div: return 4;
    default: return 0;
  }
}

template <ast::BinaryOp Op> struct binary_builder {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto rhs = s.take<ExprValue>(f.mark);
    auto op_pos = s.pos(f.begin);
    fold_into_left(s, f, Heights{rhs.height, rhs.tree_height}, chain_level_of(Op), [&](ast::ExprPtr lhs) {
      return ast::Binary{Op, std::move(lhs), std::move(rhs.expr), op_pos};
    });
  }
};
template <> struct builder<g::or_tail> : binary_builder<ast::BinaryOp::Or> {};
template <> struct builder<g::and_tail> : binary_builder<ast::BinaryOp::And> {};
template <> struct builder<g::add_tail> : binary_builder<ast::BinaryOp::Add> {};
template <> struct builder<g::sub_tail> : binary_builder<ast::BinaryOp::Sub> {};
template <> struct builder<g::mul_tail> : binary_builder<ast::BinaryOp::Mul> {};
template <> struct builder<g::div_tail> : binary_builder<ast::BinaryOp::Div> {};
template <> struct builder<g::compare_tail<g::op_eq>> : binary_builder<ast::BinaryOp::Eq> {};
template <> struct builder<g::compare_tail<g::op_ne>> : binary_builder<ast::BinaryOp::Ne> {};
template <> struct builder<g::compare_tail<g::op_lt>> : binary_builder<ast::BinaryOp::Lt> {};
template <> struct builder<g::compare_tail<g::op_le>> : binary_builder<ast::BinaryOp::Le> {};
template <> struct builder<g::compare_tail<g::op_gt>> : binary_builder<ast::BinaryOp::Gt> {};
template <> struct builder<g::compare_tail<g::op_ge>> : binary_builder<ast::BinaryOp::Ge> {};

template <> struct builder<g::between_tail> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto low = s.take<ExprValue>(f.mark);
    auto high = s.take<ExprValue>(f.mark + 1);
    Heights bounds{std::max(low.height, high.height), std::max(low.tree_height, high.tree_height)};
    fold_into_left(s, f, bounds, 0, [&](ast::ExprPtr value) {
      return ast::Between{std::move(value), std::move(low.expr), std::move(high.expr)};
    });
  }
};

template <bool Negated> struct in_builder {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto list = s.take<ast::ListRef>(f.mark);
    fold_into_left(s, f, Heights{}, 0, [&](ast::ExprPtr value) { return ast::InList{std::move(value), std::move(list), Negated}; });
  }
};
template <> struct builder<g::in_tail> : in_builder<false> {};
template <> struct builder<g::not_in_tail> : in_builder<true> {};

template <> struct builder<g::contains_any_tail> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto list = s.take<ast::ListRef>(f.mark);
    fold_into_left(s, f, Heights{}, 0, [&](ast::ExprPtr value) { return ast::ContainsAny{std::move(value), std::move(list)}; });
  }
};

template <ast::TextOp Op> struct text_match_builder {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto pattern = s.take<ExprValue>(f.mark);
    fold_into_left(s, f, Heights{pattern.height, pattern.tree_height}, 0, [&](ast::ExprPtr value) {
      return ast::TextMatch{Op, std::move(value), std::move(pattern.expr)};
    });
  }
};
template <> struct builder<g::contains_tail> : text_match_builder<ast::TextOp::Contains> {};
template <> struct builder<g::starts_with_tail> : text_match_builder<ast::TextOp::StartsWith> {};
template <> struct builder<g::ends_with_tail> : text_match_builder<ast::TextOp::EndsWith> {};

template <> struct builder<g::is_tail> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    bool present = s.values.size() > f.mark;
    fold_into_left(s, f, Heights{}, 0, [&](ast::ExprPtr value) { return ast::MissingTest{std::move(value), present}; });
  }
};

template <> struct builder<g::call> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto name = s.take<Text>(f.mark);
    ast::Call call{std::move(name.value), name.pos, {}};
    Heights h;
    for (std::size_t i = f.mark + 1; i < s.values.size(); ++i) {
      auto argument = s.take<ExprValue>(i);
      h = Heights{std::max(h.height, argument.height), std::max(h.tree_height, argument.tree_height)};
      call.args.push_back(std::move(argument.expr));
    }
    s.drop_from(f.mark);
    s.values.emplace_back(make_expr(name.pos, std::move(call), Heights{h.height + 1, h.tree_height + 1}, f.begin));
  }
};

// [Text field (sum only)] [ExprValue where] [Duration within]
template <ast::AggregateKind Kind> struct aggregate_builder {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::Aggregate aggregate{Kind, {}, {}, nullptr, std::nullopt};
    Heights h;
    for (std::size_t i = f.mark; i < s.values.size(); ++i) {
      if (s.holds<Text>(i)) {
        auto field = s.take<Text>(i);
        aggregate.sum_field = std::move(field.value);
        aggregate.sum_field_pos = field.pos;
      } else if (s.holds<ExprValue>(i)) {
        h = heights_at(s, i);
        aggregate.where = s.take<ExprValue>(i).expr;
      } else {
        aggregate.within = s.take<ast::Duration>(i);
      }
    }
    s.drop_from(f.mark);
    s.values.emplace_back(make_expr(s.pos(f.begin), std::move(aggregate), Heights{h.height + 1, h.tree_height + 1}, f.begin));
  }
};
template <> struct builder<g::count_aggregate> : aggregate_builder<ast::AggregateKind::Count> {};
template <> struct builder<g::exists_aggregate> : aggregate_builder<ast::AggregateKind::Exists> {};
template <> struct builder<g::sum_aggregate> : aggregate_builder<ast::AggregateKind::Sum> {};
template <> struct builder<g::days_since_last_aggregate> : aggregate_builder<ast::AggregateKind::DaysSinceLast> {};

// [Number top?] [ExprValue value] [ExprValue where?] (count and exists: [ExprValue where?])
template <ast::LeadsAggregateKind Kind> struct leads_aggregate_builder {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::LeadsAggregate aggregate{Kind, nullptr, nullptr, std::nullopt};
    std::size_t i = f.mark;
    if (s.holds<ast::Number>(i)) aggregate.top = s.take<ast::Number>(i++);
    const bool has_value = Kind != ast::LeadsAggregateKind::Count && Kind != ast::LeadsAggregateKind::Exists;
    std::vector<const ExprValue*> children;
    for (std::size_t k = i; k < s.values.size(); ++k) children.push_back(&std::get<ExprValue>(s.values[k]));
    Heights h;
    for (const ExprValue* c : children)
      h = Heights{std::max(h.height, c->height), std::max(h.tree_height, c->tree_height)};
    if (has_value && s.holds<ExprValue>(i)) aggregate.value = s.take<ExprValue>(i++).expr;
    if (s.holds<ExprValue>(i)) aggregate.where = s.take<ExprValue>(i).expr;
    s.drop_from(f.mark);
    s.values.emplace_back(make_expr(s.pos(f.begin), std::move(aggregate), Heights{h.height + 1, h.tree_height + 1}, f.begin));
  }
};
template <> struct builder<g::count_leads> : leads_aggregate_builder<ast::LeadsAggregateKind::Count> {};
template <> struct builder<g::exists_leads> : leads_aggregate_builder<ast::LeadsAggregateKind::Exists> {};
template <> struct builder<g::distinct_leads> : leads_aggregate_builder<ast::LeadsAggregateKind::Distinct> {};
template <> struct builder<g::max_leads> : leads_aggregate_builder<ast::LeadsAggregateKind::Max> {};
template <> struct builder<g::min_leads> : leads_aggregate_builder<ast::LeadsAggregateKind::Min> {};
template <> struct builder<g::sum_leads> : leads_aggregate_builder<ast::LeadsAggregateKind::Sum> {};
template <> struct builder<g::avg_leads> : leads_aggregate_builder<ast::LeadsAggregateKind::Avg> {};
template <> struct builder<g::top_leads> : leads_aggregate_builder<ast::LeadsAggregateKind::Top> {};

}  // namespace leadscore::parser_internal

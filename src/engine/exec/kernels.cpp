// Expression kernels: one loop per operator over a batch, three-valued logic inside the loops.
#include "engine/exec/kernels.hpp"

#include <cmath>
#include <cstring>

#include "common/text.hpp"
#include "io/value_parse.hpp"

namespace leadscore::engine {
namespace {

std::int8_t truth_of(bool b) { return b ? kTrue : kFalse; }

// A result that is not a finite number becomes missing (counted in `non_finite`).
inline void store_number(ColumnSpan out, std::size_t i, double v, std::uint64_t& non_finite) {
  const bool finite = std::isfinite(v);
  non_finite += !finite;
  out.valid[i] = finite;
  out.num[i] = finite ? v : 0.0;
}

template <typename F>
void number_binary(std::size_t rows, ColumnView a, ColumnView b, ColumnSpan out, std::uint64_t& non_finite,
                   F f) {
  for (std::size_t i = 0; i < rows; ++i) {
    if (a.valid[i] & b.valid[i]) {
      store_number(out, i, f(a.num[i], b.num[i]), non_finite);
    } else {
      out.valid[i] = 0;
      out.num[i] = 0.0;
    }
  }
}

template <typename F>
void compare_rows(std::size_t rows, ColumnView a, ColumnView b, Type type, ColumnSpan out, F f) {
  switch (type) {
    case Type::Number:
      for (std::size_t i = 0; i < rows; ++i)
        out.truth[i] = (a.valid[i] & b.valid[i]) ? truth_of(f(a.num[i] <=> b.num[i])) : kUnknown;
      break;
    case Type::Instant:
      for (std::size_t i = 0; i < rows; ++i)
        out.truth[i] = (a.valid[i] & b.valid[i]) ? truth_of(f(a.time[i] <=> b.time[i])) : kUnknown;
      break;
    case Type::Bool:
      for (std::size_t i = 0; i < rows; ++i)
        out.truth[i] = (a.truth[i] != kUnknown && b.truth[i] != kUnknown) ? truth_of(f(a.truth[i] <=> b.truth[i]))
                                                                           : kUnknown;
      break;
    default: break;
  }
}

// Text equality ignoring ASCII case and surrounding white space; `pattern` is the normalised constant.
void text_equals(std::size_t rows, ColumnView a, ColumnView b, const Node* constant_rhs, bool negate,
                 ColumnSpan out) {
  for (std::size_t i = 0; i < rows; ++i) {
    if (!(a.valid[i] & b.valid[i])) {
      out.truth[i] = kUnknown;
      continue;
    }
    std::string_view lhs = text::trim(a.str[i]);
    bool equal;
    if (constant_rhs) {
      equal = text::equals_folded(lhs, constant_rhs->pattern);
    } else {
      std::string_view rhs = text::trim(b.str[i]);
      equal = lhs.size() == rhs.size();
      for (std::size_t k = 0; equal && k < lhs.size(); ++k)
        equal = text::ascii_lower(lhs[k]) == text::ascii_lower(rhs[k]);
    }
    out.truth[i] = truth_of(equal != negate);
  }
}

template <typename Match>
void text_match(std::size_t rows, ColumnView a, ColumnView b, const Node* constant_rhs, ColumnSpan out,
                Match match) {
  std::string scratch;
  for (std::size_t i = 0; i < rows; ++i) {
    if (!(a.valid[i] & b.valid[i])) {
      out.truth[i] = kUnknown;
      continue;
    }
    std::string_view value = text::trim(a.str[i]);
    if (constant_rhs) {
      out.truth[i] = truth_of(match(value, std::string_view(constant_rhs->pattern)));
    } else {
      scratch = text::normalize(b.str[i]);
      out.truth[i] = truth_of(match(value, std::string_view(scratch)));
    }
  }
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// day_of_week (ISO: 1 = Monday), hour or month of an instant in UTC.
double calendar_part(Op op, std::int64_t micros) {
  if (op == Op::DayOfWeek) return io::day_of_week_utc(micros);
  if (op == Op::Hour) return io::hour_utc(micros);
  return io::month_utc(micros);
}

}  // namespace

void run_expression(const std::vector<Node>& nodes, const Node& node, const Graph& graph, std::size_t rows, const std::vector<ColumnView>& views,
                    const BatchInput& input, Column& column, StringArena& arena, std::uint64_t& non_finite) {
  const ColumnSpan out = column.span();
  // Arguments are copies held in locals, like `out`: stores through `out` cannot make them reload.
  auto arg = [&](int k) -> ColumnView { return views[static_cast<std::size_t>(node.args[k])]; };
  auto node_of = [&](int k) -> const Node& { return nodes[static_cast<std::size_t>(node.args[k])]; };
  auto node_constant = [&](int k) -> const Node* {
    const Node& n = node_of(k);
    return n.op == Op::Const && n.kind == Kind::Expr ? &n : nullptr;
  };
  switch (node.op) {
    case Op::Not: {
      const auto& a = arg(0);
      for (std::size_t i = 0; i < rows; ++i) out.truth[i] = a.truth[i] == kUnknown ? kUnknown : static_cast<std::int8_t>(1 - a.truth[i]);
      break;
    }
    case Op::And: {
      const auto& a = arg(0);
      const auto& b = arg(1);
      for (std::size_t i = 0; i < rows; ++i) {
        std::int8_t x = a.truth[i], y = b.truth[i];
        out.truth[i] = (x == kFalse || y == kFalse) ? kFalse : (x == kTrue && y == kTrue) ? kTrue : kUnknown;
      }
      break;
    }
    case Op::Or: {
      const auto& a = arg(0);
      const auto& b = arg(1);
      for (std::size_t i = 0; i < rows; ++i) {
        std::int8_t x = a.truth[i], y = b.truth[i];
        out.truth[i] = (x == kTrue || y == kTrue) ? kTrue : (x == kFalse && y == kFalse) ? kFalse : kUnknown;
      }
      break;
    }
    case Op::Eq:
    case Op::Ne: {
      bool negate = node.op == Op::Ne;
      if (node.operand_type == Type::String) {
        text_equals(rows, arg(0), arg(1), node_constant(1), negate, out);
      } else {
        compare_rows(rows, arg(0), arg(1), node.operand_type, out,
                     [negate](auto c) { return (c == 0) != negate; });
      }
      break;
    }
    case Op::Lt: compare_rows(rows, arg(0), arg(1), node.operand_type, out, [](auto c) { return c < 0; }); break;
    case Op::Le: compare_rows(rows, arg(0), arg(1), node.operand_type, out, [](auto c) { return c <= 0; }); break;
    case Op::Gt: compare_rows(rows, arg(0), arg(1), node.operand_type, out, [](auto c) { return c > 0; }); break;
    case Op::Ge: compare_rows(rows, arg(0), arg(1), node.operand_type, out, [](auto c) { return c >= 0; }); break;
    case Op::Between: {
      const auto& v = arg(0);
      const auto& lo = arg(1);
      const auto& hi = arg(2);
      if (node.operand_type == Type::Instant) {
        for (std::size_t i = 0; i < rows; ++i)
          out.truth[i] = (v.valid[i] & lo.valid[i] & hi.valid[i])
                             ? truth_of(lo.time[i] <= v.time[i] && v.time[i] <= hi.time[i])
                             : kUnknown;
      } else {
        for (std::size_t i = 0; i < rows; ++i)
          out.truth[i] = (v.valid[i] & lo.valid[i] & hi.valid[i])
                             ? truth_of(lo.num[i] <= v.num[i] && v.num[i] <= hi.num[i])
                             : kUnknown;
      }
      break;
    }
    case Op::InList:
    case Op::NotInList: {
      const auto& v = arg(0);
      const StringSet& set = graph.lists[static_cast<std::size_t>(node.index)];
      bool negate = node.op == Op::NotInList;
      for (std::size_t i = 0; i < rows; ++i)
        out.truth[i] = v.valid[i] ? truth_of(set.contains(text::trim(v.str[i])) != negate) : kUnknown;
      break;
    }
    case Op::ContainsAny: {
      const auto& v = arg(0);
      const StringSet& set = graph.lists[static_cast<std::size_t>(node.index)];
      for (std::size_t i = 0; i < rows; ++i)
        out.truth[i] = v.valid[i] ? truth_of(set.any_within(text::trim(v.str[i]))) : kUnknown;
      break;
    }
    case Op::Contains:
      text_match(rows, arg(0), arg(1), node_constant(1), out, text::contains_folded);
      break;
    case Op::StartsWith:
      text_match(rows, arg(0), arg(1), node_constant(1), out, text::starts_with_folded);
      break;
    case Op::EndsWith:
      text_match(rows, arg(0), arg(1), node_constant(1), out, text::ends_with_folded);
      break;
    case Op::IsMissing:
    case Op::IsPresent: {
      const auto& v = arg(0);
      bool present = node.op == Op::IsPresent;
      const Node& operand = node_of(0);
      for (std::size_t i = 0; i < rows; ++i) {
        bool is_present = operand.type == Type::Bool ? v.truth[i] != kUnknown : v.valid[i] != 0;
        out.truth[i] = truth_of(is_present == present);
      }
      break;
    }
    case Op::Neg: {
      const auto& a = arg(0);
      for (std::size_t i = 0; i < rows; ++i) {
        out.valid[i] = a.valid[i];
        out.num[i] = a.valid[i] ? -a.num[i] : 0.0;
      }
      break;
    }
    case Op::Add: number_binary(rows, arg(0), arg(1), out, non_finite, [](double x, double y) { return x + y; }); break;
    case Op::Sub: number_binary(rows, arg(0), arg(1), out, non_finite, [](double x, double y) { return x - y; }); break;
    case Op::Mul: number_binary(rows, arg(0), arg(1), out, non_finite, [](double x, double y) { return x * y; }); break;
    case Op::Div: {
      const auto& a = arg(0);
      const auto& b = arg(1);
      for (std::size_t i = 0; i < rows; ++i) {
        if (a.valid[i] && b.valid[i] && b.num[i] != 0.0) {
          store_number(out, i, a.num[i] / b.num[i], non_finite);
        } else {
          out.valid[i] = 0;  // `/` by zero gives missing, and is not counted: the contract says so
          out.num[i] = 0.0;
        }
      }
      break;
    }
    case Op::Domain: {
      const auto& a = arg(0);
      for (std::size_t i = 0; i < rows; ++i) {
        out.valid[i] = 0;
        out.str[i] = {};
        if (!a.valid[i]) continue;
        std::string_view v = text::trim(a.str[i]);
        std::size_t at = v.rfind('@');
        if (at == std::string_view::npos || at + 1 == v.size()) continue;
        std::string_view host = v.substr(at + 1);
        char* p = arena.allocate(host.size());
        for (std::size_t k = 0; k < host.size(); ++k) p[k] = text::ascii_lower(host[k]);
        out.str[i] = {p, host.size()};
        out.valid[i] = 1;
      }
      break;
    }
    case Op::Lower:
    case Op::Upper: {
      const auto& a = arg(0);
      bool lower = node.op == Op::Lower;
      for (std::size_t i = 0; i < rows; ++i) {
        out.valid[i] = a.valid[i];
        out.str[i] = {};
        if (!a.valid[i]) continue;
        std::string_view v = a.str[i];
        char* p = arena.allocate(v.size());
        for (std::size_t k = 0; k < v.size(); ++k) p[k] = lower ? text::ascii_lower(v[k]) : text::ascii_upper(v[k]);
        out.str[i] = {p, v.size()};
      }
      break;
    }
    case Op::Length: {
      const auto& a = arg(0);
      for (std::size_t i = 0; i < rows; ++i) {
        out.valid[i] = a.valid[i];
        out.num[i] = a.valid[i] ? static_cast<double>(text::utf8_length(text::trim(a.str[i]))) : 0.0;
      }
      break;
    }
    case Op::DaysSince: {
      const auto& a = arg(0);
      for (std::size_t i = 0; i < rows; ++i) {
        out.valid[i] = a.valid[i];
        out.num[i] = a.valid[i] ? static_cast<double>(floor_div(input.as_of[i] - a.time[i], kMicrosPerDay)) : 0.0;
      }
      break;
    }
    case Op::DayOfWeek:
    case Op::Hour:
    case Op::Month: {
      const auto& a = arg(0);
      for (std::size_t i = 0; i < rows; ++i) {
        out.valid[i] = a.valid[i];
        out.num[i] = a.valid[i] ? calendar_part(node.op, a.time[i]) : 0.0;
      }
      break;
    }
    default: break;  // leaves and references are handled by the evaluator
  }
}

}  // namespace leadscore::engine

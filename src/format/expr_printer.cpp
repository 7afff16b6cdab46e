#include "format/expr_printer.hpp"

#include <type_traits>

namespace leadscore::format {
namespace {

// Binding strength, loosest first, as the grammar (grammar/rules_grammar.hpp) nests its rules.
enum Level : int { kOr = 1, kAnd = 2, kNot = 3, kCompare = 4, kAdditive = 5, kMultiplicative = 6, kNegate = 7, kPrimary = 8 };

int level_of(const ast::Expr& e) {
  return std::visit(
      [](const auto& n) -> int {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::Binary>) {
          switch (n.op) {
            case ast::BinaryOp::Or: return kOr;
            case ast::BinaryOp::And: return kAnd;
            case ast::BinaryOp::Add:
            case ast::BinaryOp::Sub: return kAdditive;
            case ast::BinaryOp::Mul:
            case ast::BinaryOp::Div: return kMultiplicative;
            default: return kCompare;
          }
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          return n.op == ast::UnaryOp::Not ? kNot : kNegate;
        } else if constexpr (std::is_same_v<T, ast::Between> || std::is_same_v<T, ast::InList> ||
                             std::is_same_v<T, ast::ContainsAny> || std::is_same_v<T, ast::TextMatch> ||
                             std::is_same_v<T, ast::MissingTest>) {
          return kCompare;
        } else {
          return kPrimary;
        }
      },
      e.node);
}

const char* binary_text(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Or: return "or";
    case ast::BinaryOp::And: return "and";
    case ast::BinaryOp::Eq: return "==";
    case ast::BinaryOp::Ne: return "!=";
    case ast::BinaryOp::Lt: return "<";
    case ast::BinaryOp::Le: return "<=";
    case ast::BinaryOp::Gt: return ">";
    case ast::BinaryOp::Ge: return ">=";
    case ast::BinaryOp::Add: return "+";
    case ast::BinaryOp::Sub: return "-";
    case ast::BinaryOp::Mul: return "*";
    case ast::BinaryOp::Div: return "/";
  }
  return "?";
}

const char* aggregate_text(ast::AggregateKind kind) {
  switch (kind) {
    case ast::AggregateKind::Count: return "count";
    case ast::AggregateKind::Exists: return "exists";
    case ast::AggregateKind::Sum: return "sum";
    case ast::AggregateKind::DaysSinceLast: return "days_since_last";
  }
  return "?";
}

bool is_and(const ast::Expr& e) {
  auto* b = std::get_if<ast::Binary>(&e.node);
  return b && b->op == ast::BinaryOp::And;
}

void print(const ast::Expr& e, std::string& out);

// Prints `e` where the grammar accepts only expressions binding at least as tightly as `need`.
void operand(const ast::Expr& e, int need, std::string& out) {
  if (level_of(e) < need) {
    out += '(';
    print(e, out);
    out += ')';
  } else {
    print(e, out);
  }
}

void print(const ast::Expr& e, std::string& out) {
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::NumberLit>) {
          out += n.text;
        } else if constexpr (std::is_same_v<T, ast::StringLit>) {
          out += quote_string(n.value);
        } else if constexpr (std::is_same_v<T, ast::BoolLit>) {
          out += n.value ? "true" : "false";
        } else if constexpr (std::is_same_v<T, ast::NameRef>) {
          if (n.account) out += "account.";
          out += n.name;
        } else if constexpr (std::is_same_v<T, ast::Unary>) {
          if (n.op == ast::UnaryOp::Not) {
            out += "not ";
            // `not not x` reads back as written; anything looser than a comparison needs parentheses.
            auto* inner = std::get_if<ast::Unary>(&n.operand->node);
            if (inner && inner->op == ast::UnaryOp::Not) print(*n.operand, out);
            else operand(*n.operand, kCompare, out);
          } else {
            out += '-';
            auto* inner = std::get_if<ast::Unary>(&n.operand->node);
            if (inner && inner->op == ast::UnaryOp::Negate) print(*n.operand, out);
            else operand(*n.operand, kPrimary, out);
          }
        } else if constexpr (std::is_same_v<T, ast::Binary>) {
          int level = level_of(e);
          // Equal levels group left to right: the right operand must bind tighter. Comparisons do
          // not chain, so both of their operands must be additive.
          int left_need = level == kCompare ? kAdditive : level;
          int right_need = level == kCompare ? kAdditive : level + 1;
          if (n.op == ast::BinaryOp::Or && is_and(*n.lhs)) left_need = kPrimary;
          if (n.op == ast::BinaryOp::Or && is_and(*n.rhs)) right_need = kPrimary;
          operand(*n.lhs, left_need, out);
          out += ' ';
          out += binary_text(n.op);
          out += ' ';
          operand(*n.rhs, right_need, out);
        } else if constexpr (std::is_same_v<T, ast::Between>) {
          operand(*n.value, kAdditive, out);
          out += " between ";
          operand(*n.low, kAdditive, out);
          out += " and ";
          operand(*n.high, kAdditive, out);
        } else if constexpr (std::is_same_v<T, ast::InList>) {
          operand(*n.value, kAdditive, out);
          out += n.negated ? " not in " : " in ";
          out += print_list_ref(n.list);
        } else if constexpr (std::is_same_v<T, ast::ContainsAny>) {
          operand(*n.value, kAdditive, out);
          out += " contains any ";
          out += print_list_ref(n.list);
        } else if constexpr (std::is_same_v<T, ast::TextMatch>) {
          operand(*n.value, kAdditive, out);
          out += n.op == ast::TextOp::Contains ? " contains " : n.op == ast::TextOp::StartsWith ? " starts with " : " ends with ";
          operand(*n.pattern, kAdditive, out);
        } else if constexpr (std::is_same_v<T, ast::MissingTest>) {
          operand(*n.value, kAdditive, out);
          out += n.present ? " is present" : " is missing";
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          out += n.function;
          out += '(';
          for (std::size_t i = 0; i < n.args.size(); ++i) {
            if (i) out += ", ";
            print(*n.args[i], out);
          }
          out += ')';
        } else if constexpr (std::is_same_v<T, ast::LeadsAggregate>) {
          static constexpr const char* names[] = {"count", "exists", "distinct", "max", "min", "sum", "avg", "top"};
          out += names[static_cast<int>(n.kind)];
          out += '(';
          if (n.top) out += n.top->text + ", ";
          if (n.value) {
            print(*n.value, out);
            out += " of ";
          }
          out += "leads";
          if (n.where) {
            out += " where ";
            print(*n.where, out);
          }
          out += ')';
        } else if constexpr (std::is_same_v<T, ast::Aggregate>) {
          out += aggregate_text(n.kind);
          out += "(activity";
          if (n.kind == ast::AggregateKind::Sum) {
            out += '.';
            out += n.sum_field;
          }
          if (n.where) {
            out += " where ";
            print(*n.where, out);
          }
          if (n.within) {
            out += " within ";
            out += n.within->text;
          }
          out += ')';
        }
      },
      e.node);
}

}  // namespace

std::string quote_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  out += '"';
  return out;
}

std::string print_list_ref(const ast::ListRef& list) {
  if (list.name) return *list.name;
  std::string out = "[";
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    if (i) out += ", ";
    out += quote_string(list.items[i]);
  }
  out += ']';
  return out;
}

std::string print_expr(const ast::Expr& expr) {
  std::string out;
  print(expr, out);
  return out;
}

}  // namespace leadscore::format

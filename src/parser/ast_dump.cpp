#include "parser/ast_dump.hpp"

#include <charconv>

namespace leadscore::ast {
namespace {

std::string number_text(double value) {
  char buffer[400];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return std::string(buffer, result.ptr);
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out + "\"";
}

std::string duration_text(const Duration& d) { return d.text + ":" + std::to_string(d.seconds); }

std::string list_text(const ListRef& list) {
  if (list.name) return *list.name;
  std::string out = "[";
  for (std::size_t i = 0; i < list.items.size(); ++i) out += (i ? " " : "") + quoted(list.items[i]);
  return out + "]";
}

const char* binary_name(BinaryOp op) {
  switch (op) {
    case BinaryOp::Or: return "or";
    case BinaryOp::And: return "and";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Mul: return "*";
    case BinaryOp::Div: return "/";
  }
  return "?";
}

const char* aggregate_name(AggregateKind kind) {
  switch (kind) {
    case AggregateKind::Count: return "count";
    case AggregateKind::Exists: return "exists";
    case AggregateKind::Sum: return "sum";
    case AggregateKind::DaysSinceLast: return "days_since_last";
  }
  return "?";
}

const char* text_op_name(TextOp op) {
  switch (op) {
    case TextOp::Contains: return "contains";
    case TextOp::StartsWith: return "starts-with";
    case TextOp::EndsWith: return "ends-with";
  }
  return "?";
}

std::string filters(const ExprPtr& where, const std::optional<Duration>& within) {
  std::string out;
  if (where) out += " (where " + dump(*where) + ")";
  if (within) out += " (within " + duration_text(*within) + ")";
  return out;
}

struct ExprDumper {
  std::string operator()(const NumberLit& n) const { return number_text(n.value); }
  std::string operator()(const StringLit& s) const { return quoted(s.value); }
  std::string operator()(const BoolLit& b) const { return b.value ? "true" : "false"; }
  std::string operator()(const NameRef& n) const { return (n.account ? "account." : "") + n.name; }
  std::string operator()(const Unary& u) const {
    return std::string(u.op == UnaryOp::Not ? "(not " : "(neg ") + dump(*u.operand) + ")";
  }
  std::string operator()(const Binary& b) const {
    return std::string("(") + binary_name(b.op) + " " + dump(*b.lhs) + " " + dump(*b.rhs) + ")";
  }
  std::string operator()(const Between& b) const {
    return "(between " + dump(*b.value) + " " + dump(*b.low) + " " + dump(*b.high) + ")";
  }
  std::string operator()(const InList& i) const {
    return std::string(i.negated ? "(not-in " : "(in ") + dump(*i.value) + " " + list_text(i.list) + ")";
  }
  std::string operator()(const ContainsAny& c) const {
    return "(contains-any " + dump(*c.value) + " " + list_text(c.list) + ")";
  }
  std::string operator()(const TextMatch& t) const {
    return std::string("(") + text_op_name(t.op) + " " + dump(*t.value) + " " + dump(*t.pattern) + ")";
  }
  std::string operator()(const MissingTest& m) const {
    return std::string(m.present ? "(is-present " : "(is-missing ") + dump(*m.value) + ")";
  }
  std::string operator()(const Call& c) const {
    std::string out = "(call " + c.function;
    for (const auto& arg : c.args) out += " " + dump(*arg);
    return out + ")";
  }
  std::string operator()(const LeadsAggregate& a) const {
    static constexpr const char* names[] = {"count", "exists", "distinct", "max", "min", "sum", "avg", "top"};
    std::string out = std::string("(") + names[static_cast<int>(a.kind)] + "-leads";
    if (a.top) out += " " + number_text(a.top->value);
    if (a.value) out += " " + dump(*a.value);
    if (a.where) out += " (where " + dump(*a.where) + ")";
    return out + ")";
  }
  std::string operator()(const Aggregate& a) const {
    std::string out = std::string("(") + aggregate_name(a.kind) + " activity";
    if (a.kind == AggregateKind::Sum) out += "." + a.sum_field;
    return out + filters(a.where, a.within) + ")";
  }
};

std::string item_text(const ScoreItem& item) {
  struct BodyDumper {
    const ScoreItem& item;
    std::string operator()(const WhenRule& r) const {
      return "(rule " + quoted(item.label) + " (when " + dump(*r.condition) + ") (points " +
             number_text(r.points.value) + "))";
    }
    std::string operator()(const EachRule& r) const {
      std::string out = "(rule " + quoted(item.label) + (r.leads ? " (each-lead" : " (each") + filters(r.where, r.within) + " (points " +
                        number_text(r.points.value) + ")";
      if (r.max) out += " (max " + number_text(r.max->value) + ")";
      if (r.decay) out += " (decay " + duration_text(*r.decay) + ")";
      return out + "))";
    }
    std::string operator()(const Multiply& m) const {
      return "(multiply " + quoted(item.label) + " (when " + dump(*m.condition) + ") (by " +
             number_text(m.factor.value) + "))";
    }
  };
  return std::visit(BodyDumper{item}, item.body);
}

struct DeclarationDumper {
  std::string operator()(const Schema& s) const {
    std::string out = std::string("(schema ") + (s.kind == SchemaKind::Lead ? "lead" : s.kind == SchemaKind::Account ? "account" : "activity");
    for (const auto& f : s.fields) {
      out += " (" + f.name + " " + field_type_name(f.type);
      if (f.from) out += " (from " + quoted(*f.from) + ")";
      if (f.from_row_number) out += " (from row)";
      if (f.zone) out += " (zone " + quoted(*f.zone) + ")";
      out += ")";
    }
    return out + ")";
  }
  std::string operator()(const ListDecl& l) const {
    if (l.inline_items) return "(list " + l.name + " " + list_text(*l.inline_items) + ")";
    return "(list " + l.name + " (file " + quoted(l.file.value_or("")) + "))";
  }
  std::string operator()(const LetDecl& l) const { return "(let " + l.name + " " + dump(*l.value) + ")"; }
  std::string operator()(const ScoreDecl& s) const {
    std::string out = (s.account ? "(account-score " : "(score ") + s.name;
    if (s.max) out += " (max " + number_text(s.max->value) + ")";
    if (s.min) out += " (min " + number_text(s.min->value) + ")";
    for (const auto& item : s.items) out += " " + item_text(item);
    return out + ")";
  }
  std::string operator()(const GateDecl& g) const {
    std::string out = (g.account ? "(account-gate " : "(gate ") + g.name;
    for (const auto& c : g.criteria)
      out += " (" + (c.label ? quoted(*c.label) + " " : std::string()) + dump(*c.condition) + ")";
    return out + ")";
  }
  std::string operator()(const MqlDecl& m) const { return (m.account ? "(mqa " : "(mql ") + dump(*m.condition) + ")"; }
  std::string operator()(const AccountKeyDecl& k) const {
    return "(account-key " + dump(*k.key) + (k.except ? " (except " + list_text(*k.except) + ")" : std::string()) + ")";
  }
  std::string operator()(const ClassifyDecl& c) const {
    std::string out = (c.account ? "(account-classify " : "(classify ") + c.name;
    for (const auto& b : c.branches)
      out += " (" + quoted(b.value) + " " + (b.condition ? dump(*b.condition) : std::string("otherwise")) + ")";
    return out + ")";
  }
  std::string operator()(const CalibrationDecl& c) const { return "(calibration " + quoted(c.path) + ")"; }
  std::string operator()(const HandoffDecl& h) const {
    std::string out = "(handoff";
    for (const auto& r : h.routes) {
      out += " (route " + quoted(r.label) + " " + (r.condition ? dump(*r.condition) : std::string("otherwise")) +
             " (to " + quoted(r.queue) + ")";
      if (r.sla) out += " (within " + duration_text(*r.sla) + ")";
      if (r.owner_field) out += " (owner " + *r.owner_field + ")";
      if (r.round_robin) out += " (owner round robin " + list_text(*r.round_robin) + ")";
      out += ")";
    }
    for (const auto& r : h.responses) {
      out += r.activity ? " (response activity" : " (response when";
      if (r.condition) out += " " + dump(*r.condition);
      if (r.at_field) out += " (at " + *r.at_field + ")";
      out += ")";
    }
    if (h.working_hours) out += " (working hours " + quoted(*h.working_hours) + ")";
    for (const auto& t : h.targets)
      out += " (target " + t.metric + (t.at_least ? " >= " : " <= ") + number_text(t.value.value) +
             (t.percent ? "%" : "") + ")";
    return out + ")";
  }
  std::string operator()(const OutputDecl& o) const {
    std::string out = "(output";
    for (const auto& r : o.renames) out += " (" + r.column + " as " + quoted(r.name) + ")";
    return out + ")";
  }
};

}  // namespace

std::string dump(const Expr& expr) { return std::visit(ExprDumper{}, expr.node); }

std::string dump(const RulesFile& file) {
  std::string out;
  if (file.ruleset)
    out += "(ruleset " + quoted(file.ruleset->name) + " " + number_text(file.ruleset->version.value) + ")\n";
  for (const auto& declaration : file.declarations) out += std::visit(DeclarationDumper{}, declaration) + "\n";
  return out;
}

}  // namespace leadscore::ast

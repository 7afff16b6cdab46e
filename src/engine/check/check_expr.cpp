// Expression typing: names to fields/lets/sections, operators to typed IR nodes.
#include <algorithm>

#include <fmt/format.h>

#include "common/suggest.hpp"
#include "engine/check/internal/check_context.hpp"

namespace leadscore::check {
namespace {

using ir::Domain;
using ir::NodeId;
using ir::Op;
using ir::Type;

struct FunctionSignature {
  const char* name;
  Op op;
  Type argument;
  Type result;
};

constexpr FunctionSignature kFunctions[] = {
    {"domain", Op::Domain, Type::String, Type::String},
    {"lower", Op::Lower, Type::String, Type::String},
    {"upper", Op::Upper, Type::String, Type::String},
    {"length", Op::Length, Type::String, Type::Number},
    {"days_since", Op::DaysSince, Type::Instant, Type::Number},
    {"day_of_week", Op::DayOfWeek, Type::Instant, Type::Number},
    {"hour", Op::Hour, Type::Instant, Type::Number},
    {"month", Op::Month, Type::Instant, Type::Number},
};

const char* type_phrase(Type t) {
  switch (t) {
    case Type::Bool: return "a condition (true/false)";
    case Type::Number: return "a number";
    case Type::String: return "text";
    case Type::Instant: return "a date";
    case Type::Error: return "an invalid value";
  }
  return "a value";
}

Type field_value_type(ast::FieldType t) {
  switch (t) {
    case ast::FieldType::Id:
    case ast::FieldType::String: return Type::String;
    case ast::FieldType::Int:
    case ast::FieldType::Number: return Type::Number;
    case ast::FieldType::Bool: return Type::Bool;
    case ast::FieldType::Date:
    case ast::FieldType::Timestamp: return Type::Instant;
  }
  return Type::Error;
}

class ExprChecker {
 public:
  ExprChecker(Context& ctx, Domain domain) : ctx_(ctx), domain_(domain) {}

  NodeId check(const ast::Expr& e) {
    return std::visit([&](const auto& n) { return visit(e, n); }, e.node);
  }

 private:
  Context& ctx_;
  Domain domain_;

  NodeId make(Op op, Type type, SourcePos pos, std::initializer_list<NodeId> args = {}, std::int32_t index = -1) {
    ir::Node n;
    n.op = op;
    n.type = type;
    n.domain = domain_;
    n.pos = pos;
    n.index = index;
    std::size_t i = 0;
    for (NodeId a : args) n.args[i++] = a;
    return ctx_.add(std::move(n));
  }
  Type type_of(NodeId id) const { return ctx_.node(id).type; }
  bool is_error(NodeId id) const { return type_of(id) == Type::Error; }

  // Reports unless the operand already carries an error; returns false when the type is wrong.
  bool expect(NodeId id, Type want, SourcePos pos, const std::string& context, std::string hint = {}) {
    Type got = type_of(id);
    if (got == want || got == Type::Error) return got == want;
    ctx_.error(pos, fmt::format("{} needs {}, but this is {}", context, type_phrase(want), type_phrase(got)),
               std::move(hint));
    return false;
  }

  NodeId visit(const ast::Expr& e, const ast::NumberLit& n) {
    NodeId id = make(Op::Const, Type::Number, e.pos);
    ctx_.program.nodes[static_cast<std::size_t>(id)].constant.number = n.value;
    return id;
  }
  NodeId visit(const ast::Expr& e, const ast::StringLit& s) {
    NodeId id = make(Op::Const, Type::String, e.pos);
    ctx_.program.nodes[static_cast<std::size_t>(id)].constant.text = s.value;
    return id;
  }
  NodeId visit(const ast::Expr& e, const ast::BoolLit& b) {
    NodeId id = make(Op::Const, Type::Bool, e.pos);
    ctx_.program.nodes[static_cast<std::size_t>(id)].constant.boolean = b.value;
    return id;
  }

  // At the name itself: `(employes)` is reported at `employes`, not at `(`.
  NodeId visit(const ast::Expr&, const ast::NameRef& ref) {
    if (ref.account) return account_name(ref.pos, ref.name);
    if (domain_ == Domain::Account) return account_scope_name(ref.pos, ref.name);
    return domain_ == Domain::Event ? event_name(ref.pos, ref.name) : lead_name(ref.pos, ref.name);
  }

  // `account.NAME`, or a bare name in an account rule that names an account value.
  NodeId account_name(SourcePos pos, const std::string& name) {
    if (domain_ == Domain::Event) {
      ctx_.error(pos, fmt::format("`account.{}` cannot be used inside an activity `where` filter", name),
                 "inside `where` only activity fields can be used");
      return ctx_.error_node(pos);
    }
    if (ctx_.in_account_key) {
      ctx_.error(pos, "the account key cannot read account values", "build the key from lead fields, e.g. account_id");
      return ctx_.error_node(pos);
    }
    auto it = ctx_.account_names.find(name);
    if (it == ctx_.account_names.end()) {
      if (!ctx_.program.account_key) {
        ctx_.error(pos, fmt::format("`account.{}` needs an `account key` declaration", name),
                   "tie leads to their accounts first, e.g. account key account_id");
        return ctx_.error_node(pos);
      }
      unknown(pos, name, "account value", ctx_.account_side_names());
      return ctx_.error_node(pos);
    }
    const NameEntry& entry = it->second;
    if (ctx_.leads_aggregate_depth > 0 && entry.kind != NameKind::Field) {
      ctx_.error(pos,
                 fmt::format("inside an aggregate over leads, `account.` can only name account fields, not the {} `{}`",
                             name_kind_word(entry.kind), name),
                 "an aggregate over leads is computed before any account result");
      return ctx_.error_node(pos);
    }
    switch (entry.kind) {
      case NameKind::Field:
        return make(Op::AccountField,
                    field_value_type(ctx_.program.account_fields[static_cast<std::size_t>(entry.index)].type), pos, {},
                    entry.index);
      case NameKind::Mqa: return mqa_value(pos);
      default: return result_ref(entry, pos);
    }
  }

  // A section, gate or classify named in an expression (error nodes for those on a reported cycle).
  NodeId result_ref(const NameEntry& entry, SourcePos pos) {
    auto i = static_cast<std::size_t>(entry.index);
    switch (entry.kind) {
      case NameKind::Section:
        if (ctx_.section_in_cycle[i]) return ctx_.error_node(pos);
        return make(Op::SectionRef, Type::Number, pos, {}, entry.index);
      case NameKind::Gate:
        if (ctx_.gate_in_cycle[i]) return ctx_.error_node(pos);
        return make(Op::GateRef, Type::Bool, pos, {}, entry.index);
      case NameKind::Classify:
        if (ctx_.classify_in_cycle[i]) return ctx_.error_node(pos);
        return make(Op::ClassifyRef, Type::String, pos, {}, entry.index);
      default: return ctx_.error_node(pos);
    }
  }

  NodeId mqa_value(SourcePos pos) {
    if (ctx_.mqa_node != ir::kNoNode) return ctx_.mqa_node;
    if (ctx_.mqa_in_cycle) return ctx_.error_node(pos);
    if (ctx_.mqa_resolving || !ctx_.mqa_decl || !ctx_.mqa_decl->condition) {
      if (ctx_.mqa_resolving) ctx_.error(pos, "`mqa` cannot depend on itself");
      return ctx_.error_node(pos);
    }
    ctx_.mqa_resolving = true;
    NodeId value = check_condition(ctx_, *ctx_.mqa_decl->condition, Domain::Account, "`mqa`'s condition");
    ctx_.mqa_resolving = false;
    ctx_.mqa_node = value;
    return value;
  }

  // A bare name in an account rule: an account value, a let (typed again as an account expression) or
  // a list; lead values only through an aggregate over the account's leads.
  NodeId account_scope_name(SourcePos pos, const std::string& name) {
    if (ctx_.account_names.count(name)) return account_name(pos, name);
    auto it = ctx_.names.find(name);
    if (it != ctx_.names.end() && it->second.kind == NameKind::Let) {
      LetState& let = ctx_.lets[static_cast<std::size_t>(it->second.index)];
      let.used = true;
      if (let.in_cycle || let.resolving) return ctx_.error_node(pos);
      let.resolving = true;
      NodeId value = ExprChecker(ctx_, Domain::Account).check(*let.decl->value);
      ctx_.lets[static_cast<std::size_t>(it->second.index)].resolving = false;
      return value;
    }
    if (it != ctx_.names.end() && it->second.kind == NameKind::List) return lead_name(pos, name);
    if (it != ctx_.names.end() || name == "score" || name == "mql") {
      const std::string kind = name == "score"                          ? "the lead's total score"
                               : name == "mql"                          ? "the lead's MQL decision"
                               : it->second.kind == NameKind::Field ? "a lead field"
                                                                    : fmt::format("a lead {}", name_kind_word(it->second.kind));
      ctx_.error(pos,
                 fmt::format("`{}` is {}; an account rule sees account fields, account results and "
                             "aggregates over the account's leads",
                             name, kind),
                 fmt::format("aggregate it over the account's leads, e.g. count(leads where {0} ...) or max({0} of leads)",
                             name));
      return ctx_.error_node(pos);
    }
    unknown(pos, name, "account value", ctx_.account_side_names());
    return ctx_.error_node(pos);
  }

  NodeId event_name(SourcePos pos, const std::string& name) {
    if (auto it = ctx_.activity_names.find(name); it != ctx_.activity_names.end()) {
      const auto& field = ctx_.program.activity_fields[static_cast<std::size_t>(it->second)];
      return make(Op::EventField, field_value_type(field.type), pos, {}, it->second);
    }
    if (name == "score" || name == "mql") {
      ctx_.error(pos, fmt::format("`{}` cannot be used in an activity filter; inside `where` only activity fields can be used", name),
                 name == "score" ? "move the condition on the score outside the aggregate, e.g. exists(activity where ...) and score > 50"
                                 : "move the condition on mql outside the aggregate, e.g. exists(activity where ...) and mql");
      return ctx_.error_node(pos);
    }
    if (auto it = ctx_.names.find(name); it != ctx_.names.end()) {
      ctx_.error(pos,
                 fmt::format("`{}` is a {}; inside an activity `where` filter only activity fields can be used", name,
                             name_kind_word(it->second.kind)),
                 "move the lead condition outside the aggregate, e.g. exists(activity where ...) and " + name);
      return ctx_.error_node(pos);
    }
    unknown(pos, name, "activity field", ctx_.activity_field_names());
    return ctx_.error_node(pos);
  }

  NodeId mql_ref(SourcePos pos) {
    if (!ctx_.mql_decl) {
      ctx_.error(pos, "`mql` is used but not declared", "declare it, e.g. mql when fit >= 40 and interest >= 30");
      return ctx_.error_node(pos);
    }
    if (ctx_.mql_in_cycle) return ctx_.error_node(pos);
    return make(Op::MqlRef, Type::Bool, pos);
  }

  NodeId lead_name(SourcePos pos, const std::string& name) {
    if (ctx_.in_account_key && name == "score") {
      ctx_.error(pos, "the account key is built from lead fields, not from scores", "e.g. account key account_id");
      return ctx_.error_node(pos);
    }
    if (name == "score") return make(Op::ScoreRef, Type::Number, pos);
    if (name == "mql") return mql_ref(pos);
    auto it = ctx_.names.find(name);
    if (it == ctx_.names.end() && ctx_.account_names.count(name)) {
      ctx_.error(pos, fmt::format("`{}` is an account value; a lead rule reads it as account.{}", name, name),
                 fmt::format("replace `{0}` with `account.{0}`", name));
      return ctx_.error_node(pos);
    }
    if (it != ctx_.names.end() && ctx_.in_account_key &&
        (it->second.kind == NameKind::Section || it->second.kind == NameKind::Gate ||
         it->second.kind == NameKind::Classify)) {
      ctx_.error(pos, fmt::format("the account key is built from lead fields, not from the {} `{}`",
                                    name_kind_word(it->second.kind), name),
                 "e.g. account key account_id or account key domain(email)");
      return ctx_.error_node(pos);
    }
    if (it == ctx_.names.end()) {
      if (ctx_.activity_names.count(name) && ctx_.program.has_activity) {
        activity_field_outside_aggregate(pos, name);
        return ctx_.error_node(pos);
      }
      unknown(pos, name, "name", ctx_.lead_side_names());
      return ctx_.error_node(pos);
    }
    const NameEntry& entry = it->second;
    auto i = static_cast<std::size_t>(entry.index);
    switch (entry.kind) {
      case NameKind::Field:
        return make(Op::LeadField, field_value_type(ctx_.program.lead_fields[i].type), pos, {}, entry.index);
      case NameKind::List:
        ctx_.error(pos, fmt::format("`{}` is a list; use it with `in`, `not in` or `contains any`", name),
                   fmt::format("e.g. country in {}", name));
        return ctx_.error_node(pos);
      case NameKind::Let: return let_value(pos, i);
      case NameKind::Section:
      case NameKind::Gate:
      case NameKind::Classify: return result_ref(entry, pos);
      case NameKind::Mqa:
      case NameKind::Mql: break;  // never in the lead names
    }
    return ctx_.error_node(pos);
  }

  // A number field may also be summed; the example fits the field's type.
  void activity_field_outside_aggregate(SourcePos pos, const std::string& name) {
    const auto index = static_cast<std::size_t>(ctx_.activity_names.at(name));
    const Type type = field_value_type(ctx_.program.activity_fields[index].type);
    const std::string where = type == Type::Number
                                  ? fmt::format("inside an activity `where` filter or as sum(activity.{})", name)
                                  : std::string("inside an activity `where` filter");
    ctx_.error(pos, fmt::format("`{}` is an activity field; it can only be used {}", name, where),
               activity_field_example(name, type));
  }
  static std::string activity_field_example(const std::string& name, Type type) {
    switch (type) {
      case Type::Number: return fmt::format("e.g. sum(activity.{0}) > 0 or exists(activity where {0} > 0)", name);
      case Type::Bool: return fmt::format("e.g. exists(activity where {})", name);
      case Type::Instant:
        return fmt::format("e.g. days_since_last(activity) <= 30, exists(activity within 30d) or "
                           "exists(activity where hour({}) >= 18)",
                           name);
      default: return fmt::format("e.g. exists(activity where {} == \"...\")", name);
    }
  }

  NodeId let_value(SourcePos pos, std::size_t i) {
    LetState& let = ctx_.lets[i];
    let.used = true;
    if (let.in_cycle) return ctx_.error_node(pos);
    if (let.node != ir::kNoNode) return let.node;
    if (let.resolving) return ctx_.error_node(pos);  // cycles are reported by report_cycles
    let.resolving = true;
    NodeId value = ExprChecker(ctx_, Domain::Lead).check(*let.decl->value);
    ctx_.lets[i].resolving = false;
    ctx_.lets[i].node = value;
    return value;
  }

  void unknown(SourcePos pos, const std::string& name, const char* what, const std::vector<std::string>& candidates) {
    auto best = closest_match(name, candidates);
    if (best)
      ctx_.error(pos, fmt::format("unknown {} `{}`; did you mean `{}`?", what, name, *best),
                 fmt::format("replace `{}` with `{}`", name, *best));
    else
      ctx_.error(pos, fmt::format("unknown {} `{}`", what, name), where_to_declare(what));
  }
  static const char* where_to_declare(std::string_view what) {
    if (what == "account value")
      return "declare it in `schema account`, or as an `account score`, `account gate` or `account classify`";
    if (what == "activity field") return "declare it in `schema activity`";
    return "declare it in `schema lead`, as a `let`, a `list`, a `score` section, a `gate` or a `classify`";
  }

  // FIELD of sum(activity.FIELD): a number field of the activity schema.
  void unknown_sum_field(const ast::Aggregate& agg) {
    auto it = ctx_.names.find(agg.sum_field);
    if (it == ctx_.names.end()) {
      unknown(agg.sum_field_pos, agg.sum_field, "activity field", ctx_.activity_field_names());
      return;
    }
    ctx_.error(agg.sum_field_pos,
               fmt::format("`{}` is a {}; `sum(activity.FIELD)` adds up a number field of the activity",
                           agg.sum_field, name_kind_word(it->second.kind)),
               "declare the field in `schema activity` as `int` or `number`");
  }

  NodeId visit(const ast::Expr& e, const ast::Unary& u) {
    NodeId operand = check(*u.operand);
    if (u.op == ast::UnaryOp::Not) {
      if (!expect(operand, Type::Bool, u.operand->pos, "`not`")) return ctx_.error_node(e.pos);
      return make(Op::Not, Type::Bool, e.pos, {operand});
    }
    if (!expect(operand, Type::Number, u.operand->pos, "unary `-`")) return ctx_.error_node(e.pos);
    return make(Op::Neg, Type::Number, e.pos, {operand});
  }

  NodeId visit(const ast::Expr& e, const ast::Binary& b) {
    NodeId lhs = check(*b.lhs);
    NodeId rhs = check(*b.rhs);
    switch (b.op) {
      case ast::BinaryOp::And:
      case ast::BinaryOp::Or: {
        const char* word = b.op == ast::BinaryOp::And ? "`and`" : "`or`";
        bool ok = expect(lhs, Type::Bool, b.lhs->pos, fmt::format("{} (left side)", word));
        ok = expect(rhs, Type::Bool, b.rhs->pos, fmt::format("{} (right side)", word)) && ok;
        if (!ok) return ctx_.error_node(e.pos);
        return make(b.op == ast::BinaryOp::And ? Op::And : Op::Or, Type::Bool, e.pos, {lhs, rhs});
      }
      case ast::BinaryOp::Add:
      case ast::BinaryOp::Sub:
      case ast::BinaryOp::Mul:
      case ast::BinaryOp::Div: {
        static constexpr Op ops[] = {Op::Add, Op::Sub, Op::Mul, Op::Div};
        static constexpr const char* words[] = {"`+`", "`-`", "`*`", "`/`"};
        auto k = static_cast<std::size_t>(b.op) - static_cast<std::size_t>(ast::BinaryOp::Add);
        bool ok = expect(lhs, Type::Number, b.lhs->pos, fmt::format("arithmetic {}", words[k]));
        ok = expect(rhs, Type::Number, b.rhs->pos, fmt::format("arithmetic {}", words[k])) && ok;
        if (!ok) return ctx_.error_node(e.pos);
        return make(ops[k], Type::Number, e.pos, {lhs, rhs});
      }
      default: return comparison(e, b, lhs, rhs);
    }
  }

  NodeId comparison(const ast::Expr& e, const ast::Binary& b, NodeId lhs, NodeId rhs) {
    static constexpr Op ops[] = {Op::Eq, Op::Ne, Op::Lt, Op::Le, Op::Gt, Op::Ge};
    static constexpr const char* words[] = {"==", "!=", "<", "<=", ">", ">="};
    auto k = static_cast<std::size_t>(b.op) - static_cast<std::size_t>(ast::BinaryOp::Eq);
    if (is_error(lhs) || is_error(rhs)) return ctx_.error_node(e.pos);
    Type lt = type_of(lhs), rt = type_of(rhs);
    bool ordering = k >= 2;
    if (lt != rt) {
      std::string hint;
      if (lt == Type::Number && rt == Type::String) hint = "write the number without quotes";
      ctx_.error(b.rhs->pos,
                 fmt::format("cannot compare {} with {} using `{}`", type_phrase(lt), type_phrase(rt), words[k]),
                 hint);
      return ctx_.error_node(e.pos);
    }
    if (ordering && (lt == Type::String || lt == Type::Bool)) {
      ctx_.error(b.op_pos,
                 fmt::format("`{}` orders numbers and dates; it cannot be used on {}", words[k], type_phrase(lt)),
                 lt == Type::String ? "compare text with ==, !=, in, contains, starts with or ends with" : "");
      return ctx_.error_node(e.pos);
    }
    NodeId id = make(ops[k], Type::Bool, e.pos, {lhs, rhs});
    ctx_.program.nodes[static_cast<std::size_t>(id)].operand_type = lt;
    return id;
  }

  NodeId visit(const ast::Expr& e, const ast::Between& b) {
    NodeId value = check(*b.value);
    NodeId low = check(*b.low);
    NodeId high = check(*b.high);
    if (is_error(value) || is_error(low) || is_error(high)) return ctx_.error_node(e.pos);
    Type t = type_of(value);
    if (t != Type::Number && t != Type::Instant) {
      ctx_.error(b.value->pos, fmt::format("`between` needs a number or a date, but this is {}", type_phrase(t)));
      return ctx_.error_node(e.pos);
    }
    bool ok = expect(low, t, b.low->pos, "`between`'s lower bound");
    ok = expect(high, t, b.high->pos, "`between`'s upper bound") && ok;
    if (!ok) return ctx_.error_node(e.pos);
    NodeId id = make(Op::Between, Type::Bool, e.pos, {value, low, high});
    ctx_.program.nodes[static_cast<std::size_t>(id)].operand_type = t;
    return id;
  }

  std::int32_t list_index(const ast::ListRef& ref) {
    if (ref.name) {
      auto it = ctx_.names.find(*ref.name);
      if (it != ctx_.names.end() && it->second.kind == NameKind::List) {
        ctx_.list_used[static_cast<std::size_t>(it->second.index)] = true;
        return it->second.index;
      }
      if (it != ctx_.names.end()) {
        ctx_.error(ref.pos, fmt::format("`{}` is a {}, not a list", *ref.name, name_kind_word(it->second.kind)),
                   "declare it with `list NAME = [...]` or write an inline list [\"a\", \"b\"]");
        return -1;
      }
      std::vector<std::string> lists;
      for (const auto& l : ctx_.program.lists)
        if (!l.name.empty()) lists.push_back(l.name);
      auto best = closest_match(*ref.name, lists);
      if (best)
        ctx_.error(ref.pos, fmt::format("unknown list `{}`; did you mean `{}`?", *ref.name, *best),
                   fmt::format("replace `{}` with `{}`", *ref.name, *best));
      else
        ctx_.error(ref.pos, fmt::format("unknown list `{}`", *ref.name),
                   fmt::format("declare it: list {} = [\"...\"] or list {} = file \"lists/{}.txt\"", *ref.name,
                               *ref.name, *ref.name));
      return -1;
    }
    ir::List inline_list;
    inline_list.pos = ref.pos;
    inline_list.entries = ref.items;
    for (std::size_t i = 0; i < ref.items.size(); ++i)
      ctx_.refuse_control_characters(ref.items[i], ref.item_pos[i], "a list entry");
    ctx_.program.lists.push_back(std::move(inline_list));
    ctx_.list_used.push_back(true);
    return static_cast<std::int32_t>(ctx_.program.lists.size() - 1);
  }

  NodeId list_test(const ast::Expr& e, const ast::Expr& value_expr, const ast::ListRef& ref, Op op, const char* word) {
    NodeId value = check(value_expr);
    std::int32_t list = list_index(ref);
    if (list < 0 || is_error(value)) return ctx_.error_node(e.pos);
    if (!expect(value, Type::String, value_expr.pos, fmt::format("`{}`", word))) return ctx_.error_node(e.pos);
    return make(op, Type::Bool, e.pos, {value}, list);
  }

  NodeId visit(const ast::Expr& e, const ast::InList& in) {
    return list_test(e, *in.value, in.list, in.negated ? Op::NotInList : Op::InList, in.negated ? "not in" : "in");
  }
  NodeId visit(const ast::Expr& e, const ast::ContainsAny& c) {
    return list_test(e, *c.value, c.list, Op::ContainsAny, "contains any");
  }

  NodeId visit(const ast::Expr& e, const ast::TextMatch& m) {
    static constexpr Op ops[] = {Op::Contains, Op::StartsWith, Op::EndsWith};
    static constexpr const char* words[] = {"`contains`", "`starts with`", "`ends with`"};
    auto k = static_cast<std::size_t>(m.op);
    NodeId value = check(*m.value);
    NodeId pattern = check(*m.pattern);
    bool ok = expect(value, Type::String, m.value->pos, words[k]);
    ok = expect(pattern, Type::String, m.pattern->pos, words[k], "put the text in double quotes") && ok;
    if (!ok) return ctx_.error_node(e.pos);
    return make(ops[k], Type::Bool, e.pos, {value, pattern});
  }

  NodeId visit(const ast::Expr& e, const ast::MissingTest& t) {
    NodeId value = check(*t.value);
    if (is_error(value)) return ctx_.error_node(e.pos);
    return make(t.present ? Op::IsPresent : Op::IsMissing, Type::Bool, e.pos, {value});
  }

  NodeId visit(const ast::Expr& e, const ast::Call& call) {
    const FunctionSignature* sig = nullptr;
    for (const auto& f : kFunctions)
      if (call.function == f.name) sig = &f;
    if (!sig) {
      std::vector<std::string> names;
      for (const auto& f : kFunctions) names.emplace_back(f.name);
      for (const char* agg : {"count", "exists", "sum", "days_since_last"}) names.emplace_back(agg);
      auto best = closest_match(call.function, names);
      if (best)
        ctx_.error(call.function_pos, fmt::format("unknown function `{}`; did you mean `{}`?", call.function, *best),
                   fmt::format("replace `{}` with `{}`", call.function, *best));
      else
        ctx_.error(call.function_pos, fmt::format("unknown function `{}`", call.function),
                   "functions: domain, lower, upper, length, days_since, day_of_week, hour, month, count, exists, sum, "
                   "days_since_last");
      for (const auto& arg : call.args) check(*arg);
      return ctx_.error_node(e.pos);
    }
    if (call.args.size() != 1) {
      ctx_.error(call.function_pos,
                 fmt::format("`{}` takes one argument, but {} were given", sig->name, call.args.size()));
      return ctx_.error_node(e.pos);
    }
    NodeId arg = check(*call.args[0]);
    if (!expect(arg, sig->argument, call.args[0]->pos, fmt::format("`{}`", sig->name)))
      return ctx_.error_node(e.pos);
    return make(sig->op, sig->result, e.pos, {arg});
  }

  NodeId visit(const ast::Expr& e, const ast::LeadsAggregate& agg) {
    using K = ast::LeadsAggregateKind;
    static constexpr const char* words[] = {"count", "exists", "distinct", "max", "min", "sum", "avg", "top"};
    const char* word = words[static_cast<std::size_t>(agg.kind)];
    if (domain_ != Domain::Account) {
      ctx_.error(e.pos,
                 fmt::format("`{}(... leads ...)` aggregates the leads of an account; it belongs in an account "
                             "rule",
                             word),
                 "use it in `account score`, `account gate`, `account classify` or `mqa`; a lead rule reads the "
                 "result as account.NAME");
      return ctx_.error_node(e.pos);
    }
    ir::AccountAggregate spec;
    spec.kind = static_cast<ir::LeadsAggregateKind>(agg.kind);
    spec.pos = e.pos;
    ++ctx_.leads_aggregate_depth;
    if (agg.where) spec.filter = check_condition(ctx_, *agg.where, Domain::Lead, "a `where` filter");
    if (agg.value) spec.value = check_expression(ctx_, *agg.value, Domain::Lead);
    --ctx_.leads_aggregate_depth;
    if ((spec.filter != ir::kNoNode && is_error(spec.filter)) || (spec.value != ir::kNoNode && is_error(spec.value)))
      return ctx_.error_node(e.pos);
    Type type = Type::Number;
    switch (agg.kind) {
      case K::Count: break;
      case K::Exists: type = Type::Bool; break;
      case K::Distinct:
        if (type_of(spec.value) == Type::Bool) {
          ctx_.error(agg.value->pos, "`distinct` counts different values of text, numbers or dates, not conditions",
                     "count the leads instead, e.g. count(leads where ...)");
          return ctx_.error_node(e.pos);
        }
        break;
      case K::Max:
      case K::Min: {
        Type t = type_of(spec.value);
        if (t != Type::Number && t != Type::Instant) {
          ctx_.error(agg.value->pos, fmt::format("`{}` needs a number or a date, but this is {}", word, type_phrase(t)));
          return ctx_.error_node(e.pos);
        }
        type = t;
        break;
      }
      case K::Sum:
      case K::Avg:
      case K::Top:
        if (!expect(spec.value, Type::Number, agg.value->pos, fmt::format("`{}`", word))) return ctx_.error_node(e.pos);
        break;
    }
    if (agg.kind == K::Top) {
      const double k = agg.top ? agg.top->value : 0;
      if (k < 1 || k > 1000 || k != static_cast<double>(static_cast<std::int32_t>(k))) {
        ctx_.error(agg.top ? agg.top->pos : e.pos, "`top` takes a whole number of leads from 1 to 1000",
                   "e.g. top(3, interest of leads): the sum of the three highest");
        return ctx_.error_node(e.pos);
      }
      spec.top = static_cast<std::int32_t>(k);
    }
    auto& all = ctx_.program.account_aggregates;
    auto found = std::find(all.begin(), all.end(), spec);
    std::int32_t index = static_cast<std::int32_t>(found - all.begin());
    if (found == all.end()) all.push_back(spec);
    return make(Op::AccountAgg, type, e.pos, {}, index);
  }

  NodeId visit(const ast::Expr& e, const ast::Aggregate& agg) {
    static constexpr const char* words[] = {"count", "exists", "sum", "days_since_last"};
    const char* word = words[static_cast<std::size_t>(agg.kind)];
    if (domain_ == Domain::Event) {
      ctx_.error(e.pos, fmt::format("`{}` cannot be used inside an activity `where` filter", word));
      return ctx_.error_node(e.pos);
    }
    if (domain_ == Domain::Account) {
      ctx_.error(e.pos, fmt::format("`{}(activity ...)` looks at one lead's events; an account rule aggregates them "
                                    "over the account's leads",
                                    word),
                 fmt::format("e.g. sum({}(activity ...) of leads) or count(leads where {}(activity ...) ...)", word, word));
      return ctx_.error_node(e.pos);
    }
    if (ctx_.in_account_key) {
      ctx_.error(e.pos, "the account key is built from lead fields, not from activity",
                 "e.g. account key account_id or account key domain(email)");
      return ctx_.error_node(e.pos);
    }
    if (!ctx_.program.has_activity) {
      ctx_.error(e.pos, fmt::format("`{}(activity ...)` needs a `schema activity` declaration", word),
                 "declare the events file's columns: schema activity { lead_id: id  occurred_at: timestamp ... }");
      return ctx_.error_node(e.pos);
    }
    ir::Aggregate spec;
    bool ok = true;
    if (agg.where) {
      spec.filter = check_condition(ctx_, *agg.where, Domain::Event, "a `where` filter");
      ok = !is_error(spec.filter);
    }
    if (agg.within) spec.within = agg.within->seconds * 1'000'000;
    if (agg.within) spec.within_text = agg.within->text;
    Op op = Op::AggCount;
    Type type = Type::Number;
    switch (agg.kind) {
      case ast::AggregateKind::Count: spec.kind = ir::AggregateKind::Count; break;
      case ast::AggregateKind::Exists:
        spec.kind = ir::AggregateKind::Count;
        op = Op::AggExists;
        type = Type::Bool;
        break;
      case ast::AggregateKind::Sum: {
        spec.kind = ir::AggregateKind::Sum;
        op = Op::AggSum;
        auto it = ctx_.activity_names.find(agg.sum_field);
        if (it == ctx_.activity_names.end()) {
          unknown_sum_field(agg);
          ok = false;
          break;
        }
        const auto& field = ctx_.program.activity_fields[static_cast<std::size_t>(it->second)];
        if (field_value_type(field.type) != Type::Number) {
          ctx_.error(agg.sum_field_pos,
                     fmt::format("`sum` adds numbers, but activity field `{}` is {}", agg.sum_field,
                                 ast::field_type_name(field.type)),
                     "declare the field as `int` or `number` in `schema activity`");
          ok = false;
        }
        spec.sum_field = it->second;
        break;
      }
      case ast::AggregateKind::DaysSinceLast:
        spec.kind = ir::AggregateKind::LastTime;
        op = Op::AggDaysSinceLast;
        break;
    }
    if (!ok) return ctx_.error_node(e.pos);
    ctx_.program.aggregates.push_back(spec);
    return make(op, type, e.pos, {}, static_cast<std::int32_t>(ctx_.program.aggregates.size() - 1));
  }
};

}  // namespace

ir::NodeId check_expression(Context& ctx, const ast::Expr& expr, ir::Domain domain) {
  return ExprChecker(ctx, domain).check(expr);
}

ir::NodeId check_condition(Context& ctx, const ast::Expr& expr, ir::Domain domain, const char* what) {
  ir::NodeId id = check_expression(ctx, expr, domain);
  Type t = ctx.node(id).type;
  if (t == Type::Bool || t == Type::Error) return id;
  std::string hint;
  if (t == Type::Number) hint = "compare it, e.g. ... >= 100";
  else if (t == Type::String) hint = "compare it, e.g. ... == \"value\" or ... is present";
  ctx.error(expr.pos, fmt::format("{} must be a condition (true or false), but this is {}", what, type_phrase(t)),
            hint);
  return ctx.error_node(expr.pos);
}

}  // namespace leadscore::check

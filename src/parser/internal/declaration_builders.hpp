#pragma once
// Builders for schemas, lists, lets, score sections, gates, mql, classify and calibration.
#include "grammar/rules_grammar.hpp"
#include "parser/internal/builder.hpp"

namespace leadscore::parser_internal {

namespace g = leadscore::grammar;

template <> struct builder<g::ruleset_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto name = s.take<Text>(f.mark);
    auto version = s.take<ast::Number>(f.mark + 1);
    s.drop_from(f.mark);
    if (s.file.ruleset) {
      s.diags.error(s.source, s.pos(f.begin), "`ruleset` is declared twice",
                    "the first declaration is at line " + std::to_string(s.file.ruleset->pos.line));
      return;
    }
    s.file.ruleset = ast::Ruleset{std::move(name.value), name.pos, std::move(version), s.pos(f.begin)};
  }
};

template <> struct builder<g::schema_lead> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    s.values.emplace_back(SchemaKindValue{ast::SchemaKind::Lead, s.pos(f.begin)});
  }
};
template <> struct builder<g::schema_account> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    s.values.emplace_back(SchemaKindValue{ast::SchemaKind::Account, s.pos(f.begin)});
  }
};
template <> struct builder<g::schema_activity> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    s.values.emplace_back(SchemaKindValue{ast::SchemaKind::Activity, s.pos(f.begin)});
  }
};

template <> struct builder<g::field_type> {
  static void build(BuildState& s, Frame f, std::uint32_t end) {
    auto word = s.text(f.begin, end);
    using T = ast::FieldType;
    T type = word.starts_with("id")          ? T::Id
             : word.starts_with("string")    ? T::String
             : word.starts_with("int")       ? T::Int
             : word.starts_with("number")    ? T::Number
             : word.starts_with("bool")      ? T::Bool
             : word.starts_with("timestamp") ? T::Timestamp
                                             : T::Date;
    s.values.emplace_back(FieldTypeValue{type, s.pos(f.begin)});
  }
};

template <> struct builder<g::from_row> {
  static void build(BuildState& s, Frame f, std::uint32_t) { s.values.emplace_back(Tag{s.pos(f.begin)}); }
};

template <> struct builder<g::zone_name> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto text = s.take<Text>(f.mark);
    s.drop_from(f.mark);
    s.values.emplace_back(ZoneValue{std::move(text.value), text.pos});
  }
};

// [Text name, FieldTypeValue, (Text header | Tag row)?, ZoneValue?] (the zone may also come first)
template <> struct builder<g::schema_field> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::SchemaField field;
    auto name = s.take<Text>(f.mark);
    field.name = std::move(name.value);
    field.pos = name.pos;
    auto type = s.take<FieldTypeValue>(f.mark + 1);
    field.type = type.type;
    field.type_pos = type.pos;
    for (std::size_t i = f.mark + 2; i < s.values.size(); ++i) {
      if (s.holds<Text>(i)) {
        auto header = s.take<Text>(i);
        field.from = std::move(header.value);
        field.from_pos = header.pos;
      } else if (s.holds<Tag>(i)) {
        field.from_row_number = true;
        field.from_pos = s.take<Tag>(i).pos;
      } else if (s.holds<ZoneValue>(i)) {
        auto zone = s.take<ZoneValue>(i);
        field.zone = std::move(zone.value);
        field.zone_pos = zone.pos;
      }
    }
    s.drop_from(f.mark);
    s.values.emplace_back(std::move(field));
  }
};

template <> struct builder<g::schema_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::Schema schema;
    schema.pos = s.pos(f.begin);
    auto kind = s.take<SchemaKindValue>(f.mark);
    schema.kind = kind.kind;
    schema.kind_pos = kind.pos;
    for (std::size_t i = f.mark + 1; i < s.values.size(); ++i) schema.fields.push_back(s.take<ast::SchemaField>(i));
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(std::move(schema));
  }
};

// [Text name, ListRef] or [Text name, Text path]
template <> struct builder<g::list_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::ListDecl list;
    list.pos = s.pos(f.begin);
    auto name = s.take<Text>(f.mark);
    list.name = std::move(name.value);
    list.name_pos = name.pos;
    if (s.holds<ast::ListRef>(f.mark + 1)) {
      list.inline_items = s.take<ast::ListRef>(f.mark + 1);
    } else {
      auto path = s.take<Text>(f.mark + 1);
      list.file = std::move(path.value);
      list.file_pos = path.pos;
    }
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(std::move(list));
  }
};

template <> struct builder<g::let_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto name = s.take<Text>(f.mark);
    auto value = s.take<ExprValue>(f.mark + 1);
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(ast::LetDecl{std::move(name.value), name.pos, s.pos(f.begin), std::move(value.expr)});
  }
};

template <bool IsMax> struct limit_builder {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto number = s.take<ast::Number>(f.mark);
    s.drop_from(f.mark);
    s.values.emplace_back(Limit{IsMax, std::move(number)});
  }
};
template <> struct builder<g::score_max> : limit_builder<true> {};
template <> struct builder<g::score_min> : limit_builder<false> {};

template <> struct builder<g::when_rule> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto condition = s.take<ExprValue>(f.mark);
    auto points = s.take<ast::Number>(f.mark + 1);
    s.drop_from(f.mark);
    s.values.emplace_back(ItemBody{ast::WhenRule{std::move(condition.expr), std::move(points)}});
  }
};

template <> struct builder<g::each_activity_word> {
  static void build(BuildState& s, Frame f, std::uint32_t) { s.values.emplace_back(Tag{s.pos(f.begin)}); }
};
template <> struct builder<g::each_lead_word> {
  static void build(BuildState& s, Frame f, std::uint32_t) { s.values.emplace_back(SchemaKindValue{ast::SchemaKind::Lead, s.pos(f.begin)}); }
};

// [Tag activity, ExprValue where?, Duration within?, Number points, Number max?, Duration decay?]
template <> struct builder<g::each_rule> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::EachRule rule;
    if (s.holds<SchemaKindValue>(f.mark)) {  // `each lead`
      rule.activity_pos = s.take<SchemaKindValue>(f.mark).pos;
      rule.leads = true;
    } else {
      rule.activity_pos = s.take<Tag>(f.mark).pos;
    }
    bool after_points = false;
    for (std::size_t i = f.mark + 1; i < s.values.size(); ++i) {
      if (s.holds<ExprValue>(i)) {
        rule.where = s.take<ExprValue>(i).expr;
      } else if (s.holds<ast::Duration>(i)) {
        (after_points ? rule.decay : rule.within) = s.take<ast::Duration>(i);
      } else if (!after_points) {
        rule.points = s.take<ast::Number>(i);
        after_points = true;
      } else {
        rule.max = s.take<ast::Number>(i);
      }
    }
    s.drop_from(f.mark);
    s.values.emplace_back(ItemBody{std::move(rule)});
  }
};

template <> struct builder<g::rule_item> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto label = s.take<Text>(f.mark);
    auto body = s.take<ItemBody>(f.mark + 1);
    s.drop_from(f.mark);
    s.values.emplace_back(ast::ScoreItem{std::move(label.value), label.pos, s.pos(f.begin), std::move(body.body)});
  }
};

template <> struct builder<g::multiply_item> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto label = s.take<Text>(f.mark);
    auto condition = s.take<ExprValue>(f.mark + 1);
    auto factor = s.take<ast::Number>(f.mark + 2);
    s.drop_from(f.mark);
    s.values.emplace_back(ast::ScoreItem{std::move(label.value), label.pos, s.pos(f.begin),
                                         ast::Multiply{std::move(condition.expr), std::move(factor)}});
  }
};

// [Text name, Limit..., ScoreItem...]
template <> struct builder<g::score_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::ScoreDecl score;
    score.pos = s.pos(f.begin);
    auto name = s.take<Text>(f.mark);
    score.name = std::move(name.value);
    score.name_pos = name.pos;
    for (std::size_t i = f.mark + 1; i < s.values.size(); ++i) {
      if (s.holds<Limit>(i)) {
        auto limit = s.take<Limit>(i);
        (limit.is_max ? score.max : score.min) = std::move(limit.number);
      } else {
        score.items.push_back(s.take<ast::ScoreItem>(i));
      }
    }
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(std::move(score));
  }
};

// [Text label, ExprValue] or [ExprValue]
template <> struct builder<g::gate_criterion> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::GateCriterion criterion;
    criterion.pos = s.pos(f.begin);
    std::size_t index = f.mark;
    if (s.holds<Text>(index)) {
      auto label = s.take<Text>(index++);
      criterion.label = std::move(label.value);
      criterion.label_pos = label.pos;
    }
    criterion.condition = s.take<ExprValue>(index).expr;
    s.drop_from(f.mark);
    s.values.emplace_back(std::move(criterion));
  }
};

template <> struct builder<g::gate_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::GateDecl gate;
    gate.pos = s.pos(f.begin);
    auto name = s.take<Text>(f.mark);
    gate.name = std::move(name.value);
    gate.name_pos = name.pos;
    for (std::size_t i = f.mark + 1; i < s.values.size(); ++i) gate.criteria.push_back(s.take<ast::GateCriterion>(i));
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(std::move(gate));
  }
};

template <> struct builder<g::mql_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto condition = s.take<ExprValue>(f.mark);
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(ast::MqlDecl{s.pos(f.begin), std::move(condition.expr)});
  }
};

// ---- accounts ----
// [ExprValue key, ListRef except?]
template <> struct builder<g::account_key_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::AccountKeyDecl key;
    key.pos = s.pos(f.begin);
    key.key = s.take<ExprValue>(f.mark).expr;
    if (s.holds<ast::ListRef>(f.mark + 1)) key.except = s.take<ast::ListRef>(f.mark + 1);
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(std::move(key));
  }
};
// `account score|gate|classify ...` was just built as a lead declaration: mark it as the account's.
template <> struct builder<g::account_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    const ast::Pos pos = s.pos(f.begin);
    std::visit(
        [&](auto& d) {
          using T = std::decay_t<decltype(d)>;
          if constexpr (std::is_same_v<T, ast::ScoreDecl> || std::is_same_v<T, ast::GateDecl> ||
                        std::is_same_v<T, ast::ClassifyDecl>) {
            d.account = true;
            d.pos = pos;
          } else if constexpr (std::is_same_v<T, ast::AccountKeyDecl>) {
            d.pos = pos;
          }
        },
        s.file.declarations.back());
  }
};
template <> struct builder<g::mqa_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto condition = s.take<ExprValue>(f.mark);
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(ast::MqlDecl{s.pos(f.begin), std::move(condition.expr), true});
  }
};

template <> struct builder<g::branch_otherwise> {
  static void build(BuildState& s, Frame f, std::uint32_t) { s.values.emplace_back(Tag{s.pos(f.begin)}); }
};

// [Text value, ExprValue | Tag otherwise]
template <> struct builder<g::classify_branch> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::ClassifyBranch branch;
    auto value = s.take<Text>(f.mark);
    branch.value = std::move(value.value);
    branch.value_pos = value.pos;
    if (s.holds<Tag>(f.mark + 1))
      branch.otherwise_pos = s.take<Tag>(f.mark + 1).pos;
    else
      branch.condition = s.take<ExprValue>(f.mark + 1).expr;
    s.drop_from(f.mark);
    s.values.emplace_back(std::move(branch));
  }
};

template <> struct builder<g::classify_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::ClassifyDecl classify;
    classify.pos = s.pos(f.begin);
    auto name = s.take<Text>(f.mark);
    classify.name = std::move(name.value);
    classify.name_pos = name.pos;
    for (std::size_t i = f.mark + 1; i < s.values.size(); ++i)
      classify.branches.push_back(s.take<ast::ClassifyBranch>(i));
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(std::move(classify));
  }
};

template <> struct builder<g::calibration_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto path = s.take<Text>(f.mark);
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(ast::CalibrationDecl{std::move(path.value), path.pos, s.pos(f.begin)});
  }
};

// ---- handoff ----

template <> struct builder<g::route_otherwise> {
  static void build(BuildState& s, Frame f, std::uint32_t) { s.values.emplace_back(Tag{s.pos(f.begin)}); }
};

// [Text label, ExprValue | Tag otherwise, Text queue, Duration sla?, (Text owner field | ListRef round robin)?]
template <> struct builder<g::route_item> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::Route route;
    route.pos = s.pos(f.begin);
    auto label = s.take<Text>(f.mark);
    route.label = std::move(label.value);
    route.label_pos = label.pos;
    if (s.holds<Tag>(f.mark + 1)) route.otherwise_pos = s.take<Tag>(f.mark + 1).pos;
    else route.condition = s.take<ExprValue>(f.mark + 1).expr;
    auto queue = s.take<Text>(f.mark + 2);
    route.queue = std::move(queue.value);
    route.queue_pos = queue.pos;
    for (std::size_t i = f.mark + 3; i < s.values.size(); ++i) {
      if (s.holds<ast::Duration>(i)) {
        route.sla = s.take<ast::Duration>(i);
      } else if (s.holds<ast::ListRef>(i)) {
        route.round_robin = s.take<ast::ListRef>(i);
        route.owner_pos = route.round_robin->pos;
      } else {
        auto owner = s.take<Text>(i);
        route.owner_field = std::move(owner.value);
        route.owner_pos = owner.pos;
      }
    }
    s.drop_from(f.mark);
    s.values.emplace_back(std::move(route));
  }
};

// [ExprValue where?]
template <> struct builder<g::response_activity> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::Response response;
    response.activity = true;
    if (s.holds<ExprValue>(f.mark)) response.condition = s.take<ExprValue>(f.mark).expr;
    s.drop_from(f.mark);
    s.values.emplace_back(std::move(response));
  }
};

// [ExprValue condition, Text at?]
template <> struct builder<g::response_when> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::Response response;
    response.condition = s.take<ExprValue>(f.mark).expr;
    if (s.holds<Text>(f.mark + 1)) {
      auto at = s.take<Text>(f.mark + 1);
      response.at_field = std::move(at.value);
      response.at_pos = at.pos;
    }
    s.drop_from(f.mark);
    s.values.emplace_back(std::move(response));
  }
};

template <> struct builder<g::response_item> {
  static void build(BuildState& s, Frame f, std::uint32_t) { std::get<ast::Response>(s.values.back()).pos = s.pos(f.begin); }
};

template <> struct builder<g::target_at_least> {
  static void build(BuildState& s, Frame f, std::uint32_t) { s.values.emplace_back(Text{">=", s.pos(f.begin)}); }
};
template <> struct builder<g::target_at_most> {
  static void build(BuildState& s, Frame f, std::uint32_t) { s.values.emplace_back(Text{"<=", s.pos(f.begin)}); }
};
template <> struct builder<g::target_percent> {
  static void build(BuildState& s, Frame f, std::uint32_t) { s.values.emplace_back(Tag{s.pos(f.begin)}); }
};

// [Text metric, Text operator, Number, Tag percent?]
template <> struct builder<g::target_item> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::Target target;
    auto metric = s.take<Text>(f.mark);
    target.metric = std::move(metric.value);
    target.pos = metric.pos;
    target.at_least = s.take<Text>(f.mark + 1).value == ">=";
    target.value = s.take<ast::Number>(f.mark + 2);
    target.percent = s.holds<Tag>(f.mark + 3);
    s.drop_from(f.mark);
    s.values.emplace_back(std::move(target));
  }
};

// [Route | Response | Text working hours | Target ...]
template <> struct builder<g::handoff_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::HandoffDecl handoff;
    handoff.pos = s.pos(f.begin);
    for (std::size_t i = f.mark; i < s.values.size(); ++i) {
      if (s.holds<ast::Route>(i)) {
        handoff.routes.push_back(s.take<ast::Route>(i));
      } else if (s.holds<ast::Response>(i)) {
        handoff.responses.push_back(s.take<ast::Response>(i));
      } else if (s.holds<ast::Target>(i)) {
        handoff.targets.push_back(s.take<ast::Target>(i));
      } else {
        auto hours = s.take<Text>(i);
        if (handoff.working_hours)
          s.diags.error(s.source, hours.pos, "`working hours` is given twice in this handoff block",
                        "the first is at line " + std::to_string(handoff.working_hours_pos.line));
        handoff.working_hours = std::move(hours.value);
        handoff.working_hours_pos = hours.pos;
      }
    }
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(std::move(handoff));
  }
};

// ---- output ----

template <> struct builder<g::output_column_name> {
  static void build(BuildState& s, Frame f, std::uint32_t end) {
    s.values.emplace_back(Text{std::string(s.text(f.begin, end)), s.pos(f.begin)});
  }
};

// [Text column, Text name]
template <> struct builder<g::output_rename> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    auto column = s.take<Text>(f.mark);
    auto name = s.take<Text>(f.mark + 1);
    s.drop_from(f.mark);
    s.values.emplace_back(ast::OutputRename{std::move(column.value), column.pos, std::move(name.value), name.pos});
  }
};

template <> struct builder<g::output_decl> {
  static void build(BuildState& s, Frame f, std::uint32_t) {
    ast::OutputDecl output;
    output.pos = s.pos(f.begin);
    for (std::size_t i = f.mark; i < s.values.size(); ++i) output.renames.push_back(s.take<ast::OutputRename>(i));
    s.drop_from(f.mark);
    s.file.declarations.emplace_back(std::move(output));
  }
};

}  // namespace leadscore::parser_internal

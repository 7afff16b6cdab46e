// Declarations: the ruleset header, schemas, lists, names, labels; then every expression is typed.
#include "engine/check/checker.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include <fmt/format.h>

#include "common/escape.hpp"
#include "common/hash.hpp"
#include "common/suggest.hpp"
#include "common/text.hpp"
#include "engine/check/internal/check_context.hpp"
#include "engine/check/working_hours_text.hpp"
#include "engine/check/ruleset_hash.hpp"
#include "io/value_parse.hpp"
#include "parser/parser.hpp"

namespace leadscore {
namespace check {

const char* name_kind_word(NameKind k) {
  switch (k) {
    case NameKind::Field: return "lead field";
    case NameKind::List: return "list";
    case NameKind::Let: return "let";
    case NameKind::Section: return "score section";
    case NameKind::Gate: return "gate";
    case NameKind::Classify: return "classify";
    case NameKind::Mqa:
    case NameKind::Mql: return "qualification";
  }
  return "name";
}

std::vector<std::string> Context::lead_side_names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : names)
    if (entry.kind != NameKind::List) out.push_back(name);
  out.emplace_back("score");
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Context::account_side_names() const {
  std::vector<std::string> out;
  for (const auto& [name, entry] : account_names) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Context::activity_field_names() const {
  std::vector<std::string> out;
  for (const auto& [name, index] : activity_names) out.push_back(name);
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

std::string control_character_name(std::string_view text, std::size_t at) {
  switch (text[at]) {
    case '\n': return "a line break (\\n)";
    case '\r': return "a carriage return (\\r)";
    case '\t': return "a tab (\\t)";
    case '\0': return "a NUL byte";
    default: break;
  }
  const auto c = static_cast<unsigned char>(text[at]);
  const unsigned code = c == 0xC2 ? static_cast<unsigned char>(text[at + 1]) : c;
  return fmt::format("the control character U+{:04X}", code);
}

}  // namespace

bool Context::refuse_control_characters(std::string_view text, SourcePos pos, const char* what) {
  std::size_t at = 0;
  if (!find_control_character(text, at)) return true;
  error(pos, fmt::format("{} contains {}", what, control_character_name(text, at)),
        "labels, names, classify values and list entries are shown in CSV, Markdown, HTML and CI annotations: "
        "write them on one line, without \\n, \\t or control characters");
  return false;
}

namespace {

std::string trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  return std::string(s.substr(b, e - b));
}

class Checker {
 public:
  Checker(const ast::RulesFile& file, Diagnostics& diags) : ctx_{file, diags, program_, {}, {}, {}, {}, {}, {}, {}, {}, nullptr, ir::kNoNode, false, false, 0, false} {
    program_.source = file.source;
  }

  std::optional<ir::Program> run() {
    std::size_t errors_before = ctx_.diags.error_count();
    header();
    collect_names();
    report_cycles(ctx_);
    for (const auto& decl : ctx_.file.declarations)
      if (const auto* key = std::get_if<ast::AccountKeyDecl>(&decl)) account_key(*key);
    for (const auto& decl : ctx_.file.declarations) std::visit([&](const auto& d) { body(d); }, decl);
    finish();
    check_accounts();
    if (ctx_.diags.error_count() > errors_before) return std::nullopt;
    return std::move(program_);
  }

 private:
  ir::Program program_;
  Context ctx_;
  std::unordered_map<std::string, SourcePos> labels_;
  std::string hash_input_;
  std::int32_t lets_seen_ = 0, sections_seen_ = 0, gates_seen_ = 0, classifies_seen_ = 0, lists_seen_ = 0;
  bool lead_schema_seen_ = false;
  std::optional<SourcePos> first_account_decl_;  // an account section, gate, classify, mqa or schema

  void header() {
    const auto& ruleset = ctx_.file.ruleset;
    if (!ruleset) {
      ctx_.error(SourcePos{1, 1, 0}, "a rules file starts with `ruleset \"NAME\" version N`",
                 "add e.g. ruleset \"acme-b2b\" version 1 as the first line");
      return;
    }
    program_.name = ruleset->name;
    program_.version = ruleset->version.text;
    ctx_.refuse_control_characters(ruleset->name, ruleset->name_pos, "the ruleset name");
    refuse_version_that_is_not_whole(ruleset->version);
    if (!ctx_.file.declarations.empty()) {
      SourcePos first = std::visit([](const auto& d) { return d.pos; }, ctx_.file.declarations.front());
      if (first.offset < ruleset->pos.offset)
        ctx_.error(ruleset->pos, "`ruleset` must come first, before every other declaration");
    }
  }

  // `version 1.5` or `version 2k`: the version is a whole number in digits (`_` may group them).
  void refuse_version_that_is_not_whole(const ast::Number& version) {
    if (version.text.find_first_of(".kMB") == std::string::npos) return;
    ctx_.error(version.pos, fmt::format("the version must be a whole number in digits, not `{}`", version.text),
               "raise it by one each time the rules change, e.g. version 2");
  }

  // Declares every name first, so references may come before declarations.
  void declare(const std::string& name, NameKind kind, std::int32_t index, SourcePos pos) {
    if (name == "score") {
      ctx_.error(pos, "`score` is the total of all sections and cannot be used as a name");
      return;
    }
    auto [it, inserted] = ctx_.names.emplace(name, NameEntry{kind, index, pos});
    if (!inserted)
      ctx_.error(pos,
                 fmt::format("`{}` is already declared as a {} on line {}", name, name_kind_word(it->second.kind),
                             it->second.pos.line),
                 "names of fields, lists, lets, sections, gates and classifies must be unique");
  }

  // Account names live apart from lead names: `account score fit` and `score fit` may both exist.
  void declare_account(const std::string& name, NameKind kind, std::int32_t index, SourcePos pos) {
    if (!first_account_decl_) first_account_decl_ = pos;
    auto [it, inserted] = ctx_.account_names.emplace(name, NameEntry{kind, index, pos});
    if (!inserted)
      ctx_.error(pos,
                 fmt::format("`{}` is already declared as an account {} on line {}", name,
                             name_kind_word(it->second.kind), it->second.pos.line),
                 "names of account fields, sections, gates and classifies must be unique");
  }

  void collect_names() {
    for (const auto& decl : ctx_.file.declarations) {
      std::visit(
          [&](const auto& d) {
            using T = std::decay_t<decltype(d)>;
            if constexpr (std::is_same_v<T, ast::Schema>) schema(d);
            else if constexpr (std::is_same_v<T, ast::ListDecl>) list(d);
            else if constexpr (std::is_same_v<T, ast::LetDecl>) {
              declare(d.name, NameKind::Let, lets_seen_++, d.name_pos);
              ctx_.lets.push_back(LetState{&d});
            } else if constexpr (std::is_same_v<T, ast::ScoreDecl>) {
              declare_either(d.account, d.name, NameKind::Section, sections_seen_++, d.name_pos);
              program_.sections.push_back(ir::Section{d.account, qualified(d.account, d.name), d.name_pos, {}, {}, {}, {}});
              ctx_.section_in_cycle.push_back(false);
            } else if constexpr (std::is_same_v<T, ast::GateDecl>) {
              declare_either(d.account, d.name, NameKind::Gate, gates_seen_++, d.name_pos);
              program_.gates.push_back(ir::Gate{d.account, qualified(d.account, d.name), d.name_pos, {}});
              ctx_.gate_in_cycle.push_back(false);
            } else if constexpr (std::is_same_v<T, ast::ClassifyDecl>) {
              declare_either(d.account, d.name, NameKind::Classify, classifies_seen_++, d.name_pos);
              program_.classifies.push_back(ir::Classify{d.account, qualified(d.account, d.name), d.name_pos, {}});
              ctx_.classify_in_cycle.push_back(false);
            } else if constexpr (std::is_same_v<T, ast::MqlDecl>) {
              if (d.account && !ctx_.mqa_decl) {
                declare_account("mqa", NameKind::Mqa, 0, d.pos);
                ctx_.mqa_decl = &d;
              }
              if (!d.account && !ctx_.mql_decl) ctx_.mql_decl = &d;
            }
          },
          decl);
    }
    if (!lead_schema_seen_)
      ctx_.error(ctx_.file.ruleset ? ctx_.file.ruleset->pos : SourcePos{1, 1, 0},
                 "a ruleset needs a `schema lead { ... }` declaration", "declare the leads file's columns, e.g. "
                 "schema lead { lead_id: id  country: string }");
  }

  static std::string qualified(bool account, const std::string& name) { return account ? "account." + name : name; }
  void declare_either(bool account, const std::string& name, NameKind kind, std::int32_t index, SourcePos pos) {
    if (account) declare_account(name, kind, index, pos);
    else declare(name, kind, index, pos);
  }

  void account_schema(const ast::Schema& s) {
    if (program_.has_account_schema) {
      ctx_.error(s.pos, "`schema account` is declared twice");
      return;
    }
    program_.has_account_schema = true;
    if (!first_account_decl_) first_account_decl_ = s.pos;
    for (const auto& f : s.fields) {
      if (f.from_row_number) ctx_.error(f.from_pos, "`from row` is only for the lead schema's `id` field");
      if (f.zone) ctx_.error(f.zone_pos, "`zone` is not supported in `schema account`; export timestamps with their offset");
      auto index = static_cast<std::int32_t>(program_.account_fields.size());
      declare_account(f.name, NameKind::Field, index, f.pos);
      if (f.type == ast::FieldType::Id) {
        if (program_.account_id_field >= 0)
          ctx_.error(f.type_pos, "a schema has exactly one `id` field");
        else
          program_.account_id_field = index;
      }
      program_.account_fields.push_back(ir::Field{f.name, f.type, f.from.value_or(f.name), false, f.pos, std::nullopt});
    }
    if (program_.account_id_field < 0)
      ctx_.error(s.kind_pos, "`schema account` needs one field of type `id`",
                 "the account id that the leads' `account key` matches, e.g. account_id: id");
  }

  void schema(const ast::Schema& s) {
    if (s.kind == ast::SchemaKind::Account) {
      account_schema(s);
      return;
    }
    bool lead = s.kind == ast::SchemaKind::Lead;
    if (lead ? lead_schema_seen_ : program_.has_activity) {
      ctx_.error(s.pos, fmt::format("`schema {}` is declared twice", lead ? "lead" : "activity"));
      return;
    }
    (lead ? lead_schema_seen_ : program_.has_activity) = true;
    auto& fields = lead ? program_.lead_fields : program_.activity_fields;
    std::int32_t id_field = -1, time_field = -1;
    std::unordered_map<std::string, SourcePos> seen;
    for (const auto& f : s.fields) {
      if (f.from_row_number && (!lead || f.type != ast::FieldType::Id)) {
        ctx_.error(f.from_pos, "`from row` is only for the lead schema's `id` field",
                   "it numbers the data rows 1, 2, 3, ... for files without an id column");
      }
      ir::Field field{f.name, f.type, f.from.value_or(f.name), f.from_row_number, f.pos, std::nullopt};
      if (f.zone) {
        if (f.type != ast::FieldType::Timestamp)
          ctx_.error(f.zone_pos, fmt::format("`zone` is only for `timestamp` fields; `{}` is a {}", f.name,
                                             ast::field_type_name(f.type)),
                     "a date has no time of day, so it needs no zone");
        else if (auto zone = io::parse_zone(*f.zone))
          field.zone = *zone;
        else
          ctx_.error(f.zone_pos, fmt::format("zone \"{}\" is not UTC or a fixed offset", *f.zone),
                     "write zone \"UTC\" or an offset such as zone \"+02:00\"; a named zone with daylight saving "
                     "time (Europe/Berlin) has no single offset: export the timestamps with their offset instead");
      }
      auto index = static_cast<std::int32_t>(fields.size());
      if (lead) {
        declare(f.name, NameKind::Field, index, f.pos);
      } else if (auto [it, inserted] = seen.emplace(f.name, f.pos); !inserted) {
        ctx_.error(f.pos, fmt::format("activity field `{}` is already declared on line {}", f.name, it->second.line));
      } else {
        ctx_.activity_names.emplace(f.name, index);
      }
      if (f.type == ast::FieldType::Id) {
        if (id_field >= 0)
          ctx_.error(f.type_pos, fmt::format("a schema has exactly one `id` field; `{}` is already the id",
                                             fields[static_cast<std::size_t>(id_field)].name));
        else
          id_field = index;
      }
      if (!lead && f.type == ast::FieldType::Timestamp) {
        if (time_field >= 0)
          ctx_.error(f.type_pos, fmt::format("`schema activity` has exactly one `timestamp` field; `{}` is already "
                                             "the event time", fields[static_cast<std::size_t>(time_field)].name),
                     "declare other times as `date` or `string`");
        else
          time_field = index;
      }
      fields.push_back(std::move(field));
    }
    const char* which = lead ? "lead" : "activity";
    if (id_field < 0)
      ctx_.error(s.kind_pos, fmt::format("`schema {}` needs one field of type `id`", which),
                 lead ? "e.g. lead_id: id" : "the id of the lead each event belongs to, e.g. lead_id: id");
    if (!lead && time_field < 0)
      ctx_.error(s.kind_pos, "`schema activity` needs one field of type `timestamp` (when the event happened)",
                 "e.g. occurred_at: timestamp");
    if (lead) {
      program_.lead_id_field = id_field;
    } else {
      program_.activity_lead_field = id_field;
      program_.activity_time_field = time_field;
    }
  }

  void list(const ast::ListDecl& d) {
    declare(d.name, NameKind::List, lists_seen_++, d.name_pos);
    ir::List list;
    list.name = d.name;
    list.pos = d.name_pos;
    if (d.inline_items) {
      list.entries = d.inline_items->items;
      for (std::size_t i = 0; i < list.entries.size(); ++i)
        ctx_.refuse_control_characters(list.entries[i], d.inline_items->item_pos[i], "a list entry");
    } else if (d.file) {
      namespace fs = std::filesystem;
      fs::path base = fs::path(ctx_.file.source->path()).parent_path();
      fs::path path = base / *d.file;
      list.file = path.string();
      std::string error;
      SourceFilePtr source;
      if (std::string kind = not_a_regular_file(path); !kind.empty())
        ctx_.error(d.file_pos, fmt::format("list file \"{}\" is {}, not a regular file", list.file, kind),
                   "a list file holds one entry a line; the path is relative to the rules file's folder");
      else if (!(source = read_source_file(list.file, error)))
        ctx_.error(d.file_pos, fmt::format("cannot read list file \"{}\": {}", list.file, error),
                   "the path is relative to the rules file's folder");
      if (source) {
        hash_input_ += source->text();
        std::string_view text = source->text();
        std::size_t start = 0;
        while (start <= text.size()) {
          std::size_t end = text.find('\n', start);
          if (end == std::string_view::npos) end = text.size();
          std::string entry = trim(text.substr(start, end - start));
          if (!entry.empty() && entry.front() != '#') {
            refuse_control_characters_in_file(source, start, text.substr(start, end - start));
            list.entries.push_back(std::move(entry));
          }
          start = end + 1;
        }
      }
    }
    program_.lists.push_back(std::move(list));
    ctx_.list_used.push_back(false);
  }

  // A list file's entry holding a control character: the error points into the list file.
  void refuse_control_characters_in_file(const SourceFilePtr& source, std::size_t line_start, std::string_view line) {
    std::size_t begin = 0;
    while (begin < line.size() && (line[begin] == ' ' || line[begin] == '\t' || line[begin] == '\r')) ++begin;
    const std::string entry = trim(line);
    std::size_t at = 0;
    if (!find_control_character(entry, at)) return;
    ctx_.diags.error(source, source->position_of(line_start + begin + at),
                     fmt::format("a list entry contains {}", control_character_name(entry, at)),
                     "one entry a line, without tabs or control characters inside it");
  }

  // "a directory", "a FIFO (named pipe)", ... for a path that exists but is not a regular file; empty
  // otherwise (a regular file, or a path that cannot be read, which read_source_file reports).
  static std::string not_a_regular_file(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status) || fs::is_regular_file(status)) return {};
    if (fs::is_directory(status)) return "a directory";
    if (fs::is_fifo(status)) return "a FIFO (named pipe)";
    if (fs::is_character_file(status) || fs::is_block_file(status)) return "a device";
    if (fs::is_socket(status)) return "a socket";
    return "not a file";
  }

  // Rule and multiplier labels are unique in the ruleset; a gate's criterion labels are unique within
  // that gate (the contract's own example names a rule and a CPAL criterion both "ICP country").
  void claim_label(const std::string& label, SourcePos pos) {
    ctx_.refuse_control_characters(label, pos, "a label");
    claim_label(labels_, label, pos, "every rule and multiplier of the file needs its own label");
  }
  void claim_label(std::unordered_map<std::string, SourcePos>& labels, const std::string& label, SourcePos pos,
                   const char* hint) {
    auto [it, inserted] = labels.emplace(label, pos);
    if (!inserted)
      ctx_.error(pos, fmt::format("label \"{}\" is already used on line {}", label, it->second.line), hint);
  }

  static std::int32_t index_of(const Context& ctx, const std::string& name, NameKind kind, SourcePos pos,
                               bool account = false) {
    const auto& names = account ? ctx.account_names : ctx.names;
    auto it = names.find(name);
    if (it == names.end() || it->second.kind != kind || it->second.pos != pos) return -1;
    return it->second.index;
  }
  static ir::Domain domain_of(bool account) { return account ? ir::Domain::Account : ir::Domain::Lead; }

  // ---- accounts ----

  void account_key(const ast::AccountKeyDecl& d) {
    if (program_.account_key) {
      ctx_.error(d.pos, "`account key` is declared twice",
                 fmt::format("a ruleset has one account key; the first is at line {}", program_.account_key->pos.line));
      return;
    }
    ir::AccountKey key;
    key.pos = d.pos;
    if (d.key) {
      ctx_.in_account_key = true;
      key.key = check_expression(ctx_, *d.key, ir::Domain::Lead);
      ctx_.in_account_key = false;
      const ir::Node& node = ctx_.node(key.key);
      if (node.type != ir::Type::String && node.type != ir::Type::Error)
        ctx_.error(d.key->pos, "the account key must be text (an id or a domain)",
                   "e.g. account key account_id or account key domain(email)");
      key.domain_key = node.op == ir::Op::Domain;
    }
    if (d.except) key.except = except_list(*d.except);
    program_.account_key = key;
  }

  std::int32_t except_list(const ast::ListRef& ref) {
    if (!ref.name) {
      ir::List list;
      list.pos = ref.pos;
      list.entries = ref.items;
      program_.lists.push_back(std::move(list));
      ctx_.list_used.push_back(true);
      return static_cast<std::int32_t>(program_.lists.size() - 1);
    }
    auto it = ctx_.names.find(*ref.name);
    if (it != ctx_.names.end() && it->second.kind == NameKind::List) {
      ctx_.list_used[static_cast<std::size_t>(it->second.index)] = true;
      return it->second.index;
    }
    ctx_.error(ref.pos, fmt::format("unknown list `{}`", *ref.name),
               "`except` takes a list of keys that never group, e.g. except free_mail");
    return -1;
  }

  void body(const ast::AccountKeyDecl&) {}  // typed first, by account_key()

  // The account key ties leads to accounts; nothing of an account can be computed without it. And an
  // aggregate over leads is computed before any account result, so nothing it reads may depend on one.
  void check_accounts() {
    if (first_account_decl_ && !program_.account_key)
      ctx_.error(*first_account_decl_, "account rules need an `account key` declaration",
                 "tie each lead to its account, e.g. account key account_id or account key domain(email)");
    for (const auto& aggregate : program_.account_aggregates) {
      std::vector<std::string> path;
      std::vector<bool> seen_sections(program_.sections.size()), seen_gates(program_.gates.size()),
          seen_classifies(program_.classifies.size());
      bool found = false;
      for (ir::NodeId start : {aggregate.value, aggregate.filter})
        if (!found && start != ir::kNoNode)
          found = reads_account_result(start, path, seen_sections, seen_gates, seen_classifies);
      if (!found) continue;
      std::string chain;
      for (const auto& step : path) chain += (chain.empty() ? "" : " -> ") + step;
      ctx_.error(aggregate.pos, fmt::format("cycle through the account: this aggregate over leads reads {}", chain),
                 "an aggregate over leads is computed before any account result: a lead value it reads cannot "
                 "depend on account sections, gates, classifies or mqa");
    }
  }

  // Whether lead-domain node `id` depends on an account result; `path` names the declarations on the way.
  bool reads_account_result(ir::NodeId id, std::vector<std::string>& path, std::vector<bool>& sections,
                            std::vector<bool>& gates, std::vector<bool>& classifies) {
    const ir::Node& node = ctx_.node(id);
    auto enter = [&](std::vector<bool>& seen, std::size_t i, const std::string& name, bool account,
                     const std::vector<ir::NodeId>& conditions) {
      if (account) {
        path.push_back(name);
        return true;
      }
      if (seen[i]) return false;
      seen[i] = true;
      path.push_back(name);
      for (ir::NodeId c : conditions)
        if (c != ir::kNoNode && reads_account_result(c, path, sections, gates, classifies)) return true;
      path.pop_back();
      return false;
    };
    switch (node.op) {
      case ir::Op::AccountAgg: path.push_back("an aggregate over leads"); return true;
      case ir::Op::SectionRef: {
        const auto& s = program_.sections[static_cast<std::size_t>(node.index)];
        std::vector<ir::NodeId> conditions;
        for (const auto& r : s.rules) conditions.push_back(r.condition);
        for (const auto& m : s.multipliers) conditions.push_back(m.condition);
        return enter(sections, static_cast<std::size_t>(node.index), s.name, s.account, conditions);
      }
      case ir::Op::ScoreRef:
        for (std::size_t i = 0; i < program_.sections.size(); ++i) {
          if (program_.sections[i].account) continue;
          std::vector<ir::NodeId> conditions;
          for (const auto& r : program_.sections[i].rules) conditions.push_back(r.condition);
          for (const auto& m : program_.sections[i].multipliers) conditions.push_back(m.condition);
          if (enter(sections, i, program_.sections[i].name, false, conditions)) return true;
        }
        return false;
      case ir::Op::MqlRef:
        if (program_.mql == ir::kNoNode) return false;
        path.push_back("mql");
        if (reads_account_result(program_.mql, path, sections, gates, classifies)) return true;
        path.pop_back();
        return false;
      case ir::Op::GateRef: {
        const auto& g = program_.gates[static_cast<std::size_t>(node.index)];
        std::vector<ir::NodeId> conditions;
        for (const auto& c : g.criteria) conditions.push_back(c.condition);
        return enter(gates, static_cast<std::size_t>(node.index), g.name, g.account, conditions);
      }
      case ir::Op::ClassifyRef: {
        const auto& c = program_.classifies[static_cast<std::size_t>(node.index)];
        std::vector<ir::NodeId> conditions;
        for (const auto& b : c.branches) conditions.push_back(b.condition);
        return enter(classifies, static_cast<std::size_t>(node.index), c.name, c.account, conditions);
      }
      default:
        for (ir::NodeId a : node.args)
          if (a != ir::kNoNode && reads_account_result(a, path, sections, gates, classifies)) return true;
        return false;
    }
  }

  void body(const ast::Schema&) {}
  void body(const ast::ListDecl&) {}

  void body(const ast::LetDecl& d) {
    std::int32_t i = index_of(ctx_, d.name, NameKind::Let, d.name_pos);
    if (i < 0 || !d.value) return;
    auto& let = ctx_.lets[static_cast<std::size_t>(i)];
    if (let.in_cycle || let.node != ir::kNoNode) return;
    bool used = let.used;
    let.resolving = true;
    ir::NodeId value = check_expression(ctx_, *d.value, ir::Domain::Lead);
    ctx_.lets[static_cast<std::size_t>(i)].resolving = false;
    ctx_.lets[static_cast<std::size_t>(i)].node = value;
    ctx_.lets[static_cast<std::size_t>(i)].used = used;
  }

  // Points, factors and limits beyond kMaxScoreNumber cannot be right, and sums of them could
  // overflow to infinity.
  void refuse_huge(const ast::Number& n, const char* what) {
    if (std::fabs(n.value) <= ir::kMaxScoreNumber) return;
    ctx_.error(n.pos, fmt::format("{} {} is beyond the limit of 1B (1,000,000,000) in magnitude", what, n.text),
               "points, `by` factors and `max`/`min` are at most 1B; write a smaller scale");
  }

  void body(const ast::ScoreDecl& d) {
    std::int32_t i = index_of(ctx_, d.name, NameKind::Section, d.name_pos, d.account);
    if (i < 0) return;
    const ir::Domain domain = domain_of(d.account);
    auto& section = program_.sections[static_cast<std::size_t>(i)];
    if (d.max) refuse_huge(*d.max, "`max`");
    if (d.min) refuse_huge(*d.min, "`min`");
    if (d.max) section.max = d.max->value;
    if (d.min) section.min = d.min->value;
    if (d.max && d.min && d.min->value > d.max->value)
      ctx_.error(d.min->pos, fmt::format("`min {}` is above `max {}`", d.min->text, d.max->text));
    for (const auto& item : d.items) {
      claim_label(item.label, item.label_pos);
      if (const auto* when = std::get_if<ast::WhenRule>(&item.body)) {
        refuse_huge(when->points, "points");
        ir::Rule rule{item.label, item.label_pos, item.pos, false, ir::kNoNode, -1, when->points.value, {}, -1};
        if (when->condition) rule.condition = check_condition(ctx_, *when->condition, domain, "a rule's condition");
        program_.sections[static_cast<std::size_t>(i)].rules.push_back(std::move(rule));
      } else if (const auto* each = std::get_if<ast::EachRule>(&item.body)) {
        if (each->leads || d.account) each_lead_rule(static_cast<std::size_t>(i), d.account, item, *each);
        else each_rule(static_cast<std::size_t>(i), item, *each);
      } else if (const auto* mul = std::get_if<ast::Multiply>(&item.body)) {
        refuse_huge(mul->factor, "the factor");
        ir::Multiplier m{item.label, item.label_pos, item.pos, ir::kNoNode, mul->factor.value};
        if (mul->condition) m.condition = check_condition(ctx_, *mul->condition, domain, "a multiplier's condition");
        program_.sections[static_cast<std::size_t>(i)].multipliers.push_back(std::move(m));
      }
    }
  }

  // `each lead where C points P [max M]`: P for every lead of the account that matches C.
  void each_lead_rule(std::size_t section, bool account_section, const ast::ScoreItem& item, const ast::EachRule& each) {
    if (!account_section) {
      ctx_.error(each.activity_pos, "`each lead` is for account sections",
                 "declare the section as `account score NAME { ... }`, or count activity: each activity where ...");
      return;
    }
    if (!each.leads) {
      ctx_.error(each.activity_pos, "an account section counts leads, not one lead's activity",
                 "e.g. each lead where exists(activity where type == \"demo_request\" within 30d) points 10");
      return;
    }
    if (each.within || each.decay) {
      ctx_.error(each.within ? each.within->pos : each.decay->pos, "`within` and `decay` are for activity, not leads",
                 "put the window inside the condition: each lead where exists(activity where ... within 30d)");
      return;
    }
    ir::Rule rule{item.label, item.label_pos, item.pos, true, ir::kNoNode, -1, each.points.value, {}, -1};
    refuse_huge(each.points, "points");
    if (each.max) {
      refuse_huge(*each.max, "`max`");
      if (each.max->value <= 0)
        ctx_.error(each.max->pos, fmt::format("write `max` as a positive number (got {})", each.max->text),
                   "`max M` bounds the rule's total in the direction of its points: up to +M, or down to -M");
      rule.cap = each.max->value;
    }
    ir::AccountAggregate spec;
    spec.kind = ir::LeadsAggregateKind::Count;
    spec.pos = each.activity_pos;
    if (each.where) {
      ++ctx_.leads_aggregate_depth;
      spec.filter = check_condition(ctx_, *each.where, ir::Domain::Lead, "a `where` filter");
      --ctx_.leads_aggregate_depth;
    }
    auto& all = program_.account_aggregates;
    auto found = std::find(all.begin(), all.end(), spec);
    rule.leads_aggregate = static_cast<std::int32_t>(found - all.begin());
    if (found == all.end()) all.push_back(spec);
    program_.sections[section].rules.push_back(std::move(rule));
  }

  void each_rule(std::size_t section, const ast::ScoreItem& item, const ast::EachRule& each) {
    ir::Rule rule{item.label, item.label_pos, item.pos, true, ir::kNoNode, -1, each.points.value, {}, -1};
    refuse_huge(each.points, "points");
    if (each.max) refuse_huge(*each.max, "`max`");
    if (!program_.has_activity) {
      ctx_.error(each.activity_pos, "`each activity` needs a `schema activity` declaration",
                 "declare the events file's columns: schema activity { lead_id: id  occurred_at: timestamp ... }");
      return;
    }
    ir::Aggregate spec;
    spec.kind = each.decay ? ir::AggregateKind::DecaySum : ir::AggregateKind::Count;
    if (each.where) spec.filter = check_condition(ctx_, *each.where, ir::Domain::Event, "a `where` filter");
    if (each.within) spec.within = each.within->seconds * 1'000'000;
    if (each.within) spec.within_text = each.within->text;
    if (each.decay) spec.half_life_text = each.decay->text;
    if (each.decay) {
      if (each.decay->seconds <= 0) ctx_.error(each.decay->pos, "a decay half-life must be longer than zero");
      spec.half_life = static_cast<double>(each.decay->seconds) * 1e6;
    }
    if (each.max) {
      if (each.max->value <= 0)
        ctx_.error(each.max->pos, fmt::format("write `max` as a positive number (got {})", each.max->text),
                   "`max M` bounds the rule's total in the direction of its points: up to +M, or down to -M");
      rule.cap = each.max->value;
    }
    program_.aggregates.push_back(spec);
    rule.aggregate = static_cast<std::int32_t>(program_.aggregates.size() - 1);
    program_.sections[section].rules.push_back(std::move(rule));
  }

  void body(const ast::GateDecl& d) {
    std::int32_t i = index_of(ctx_, d.name, NameKind::Gate, d.name_pos, d.account);
    if (i < 0) return;
    std::size_t n = 0;
    std::unordered_map<std::string, SourcePos> criterion_labels;
    for (const auto& c : d.criteria) {
      ++n;
      ir::Criterion criterion;
      criterion.pos = c.pos;
      criterion.labeled = c.label.has_value();
      criterion.label = c.label ? *c.label : fmt::format("{} #{}", d.name, n);
      if (c.label && ctx_.refuse_control_characters(*c.label, c.label_pos, "a gate criterion label"))
        claim_label(criterion_labels, *c.label, c.label_pos,
                    "every criterion of a gate needs its own label (it may repeat a rule's label)");
      if (c.condition) criterion.condition = check_condition(ctx_, *c.condition, domain_of(d.account), "a gate criterion");
      program_.gates[static_cast<std::size_t>(i)].criteria.push_back(std::move(criterion));
    }
  }

  void body(const ast::MqlDecl& d) {
    if (d.account) {
      if (program_.has_mqa) {
        ctx_.error(d.pos, "`mqa` is declared twice", "a ruleset has at most one `mqa when ...`");
        return;
      }
      program_.has_mqa = true;
      if (ctx_.mqa_node == ir::kNoNode && d.condition && !ctx_.mqa_resolving) {
        ctx_.mqa_resolving = true;
        ctx_.mqa_node = check_condition(ctx_, *d.condition, ir::Domain::Account, "`mqa`'s condition");
        ctx_.mqa_resolving = false;
      }
      program_.mqa = ctx_.mqa_node;
      return;
    }
    if (program_.has_mql) {
      ctx_.error(d.pos, "`mql` is declared twice", "a ruleset has at most one `mql when ...`");
      return;
    }
    program_.has_mql = true;
    if (d.condition) program_.mql = check_condition(ctx_, *d.condition, ir::Domain::Lead, "`mql`'s condition");
  }

  void body(const ast::ClassifyDecl& d) {
    std::int32_t i = index_of(ctx_, d.name, NameKind::Classify, d.name_pos, d.account);
    if (i < 0) return;
    bool otherwise_seen = false;
    for (const auto& b : d.branches) {
      if (otherwise_seen) {
        ctx_.error(b.value_pos, "a branch after `otherwise` can never be chosen",
                   "`otherwise` must be the last branch of a classify");
        break;
      }
      ctx_.refuse_control_characters(b.value, b.value_pos, "a classify value");
      refuse_summary_word(b.value, b.value_pos);
      ir::Branch branch{b.value, b.value_pos, ir::kNoNode};
      if (b.condition) branch.condition = check_condition(ctx_, *b.condition, domain_of(d.account), "a classify branch");
      else otherwise_seen = true;
      program_.classifies[static_cast<std::size_t>(i)].branches.push_back(std::move(branch));
    }
  }

  // The summaries count leads in no branch as `(none)` and have `(new)`, `(gone)` and `(unknown)`
  // rows in their run-over-run tables: a classify value spelt so would be counted as one of them.
  void refuse_summary_word(const std::string& value, SourcePos pos) {
    for (const char* word : {"(none)", "(new)", "(gone)", "(unknown)"})
      if (value == word)
        ctx_.error(pos, fmt::format("\"{}\" cannot be a classify value: the summaries use it", value),
                   "the summaries count leads in no branch as (none), and their run-over-run tables have (new), "
                   "(gone) and (unknown) rows; write the value without parentheses, e.g. \"none\"");
  }

  void body(const ast::CalibrationDecl& d) {
    if (program_.calibration_path) {
      ctx_.error(d.pos, "`calibration` is declared twice");
      return;
    }
    namespace fs = std::filesystem;
    program_.calibration_path = (fs::path(ctx_.file.source->path()).parent_path() / d.path).string();
    program_.calibration_pos = d.path_pos;
  }

  // ---- handoff ----

  void body(const ast::HandoffDecl& d) {
    if (program_.handoff) {
      ctx_.error(d.pos, "`handoff` is declared twice",
                 fmt::format("a ruleset has one handoff block; the first is at line {}", program_.handoff->pos.line));
      return;
    }
    ir::Handoff handoff;
    handoff.pos = d.pos;
    std::unordered_map<std::string, SourcePos> labels;
    bool otherwise_seen = false;
    for (const auto& r : d.routes) {
      if (otherwise_seen) {
        ctx_.error(r.label_pos, "a route after an `otherwise` route can never be chosen",
                   "routes are tried top to bottom; `otherwise` must be the last route");
        break;
      }
      claim_label(labels, r.label, r.label_pos, "every route of the handoff block needs its own label");
      ir::Route route;
      route.label = r.label;
      route.pos = r.label_pos;
      route.queue = r.queue;
      if (text::trim(r.queue).empty())
        ctx_.error(r.queue_pos, "a route's queue cannot be empty", "name the team that takes these leads: to \"sdr\"");
      if (r.condition) route.condition = check_condition(ctx_, *r.condition, ir::Domain::Lead, "a route's condition");
      else otherwise_seen = true;
      if (r.sla) {
        if (r.sla->seconds <= 0) ctx_.error(r.sla->pos, "a service-level time must be longer than zero");
        route.sla_seconds = r.sla->seconds;
        route.sla_text = r.sla->text;
        route.sla_unit = r.sla->text.back();
        route.sla_count = std::stoll(r.sla->text.substr(0, r.sla->text.size() - 1));
      }
      if (r.owner_field) route.owner_field = owner_field(*r.owner_field, r.owner_pos);
      if (r.round_robin) route.round_robin = round_robin(*r.round_robin);
      handoff.routes.push_back(std::move(route));
    }
    for (const auto& r : d.responses) {
      ir::Response response;
      response.pos = r.pos;
      if (r.activity) {
        if (!program_.has_activity) {
          ctx_.error(r.pos, "`response activity` needs a `schema activity` declaration",
                     "declare the events file's columns, or name a lead field: response when status == \"Working\"");
          continue;
        }
        ir::Aggregate spec;
        spec.kind = ir::AggregateKind::FirstSince;
        if (r.condition) spec.filter = check_condition(ctx_, *r.condition, ir::Domain::Event, "a `where` filter");
        program_.aggregates.push_back(spec);
        response.aggregate = static_cast<std::int32_t>(program_.aggregates.size() - 1);
      } else {
        response.condition = check_condition(ctx_, *r.condition, ir::Domain::Lead, "a response's condition");
        if (r.at_field) response.at_field = time_field(*r.at_field, r.at_pos);
      }
      handoff.responses.push_back(std::move(response));
    }
    if (!d.responses.empty() && d.routes.empty())
      ctx_.error(d.responses.front().pos, "a `response` needs at least one `route` in the handoff block",
                 "the response stops the clock of a route's service level");
    if (d.working_hours) {
      ir::WorkingHours hours;
      std::string error;
      if (!parse_working_hours(*d.working_hours, hours, error)) ctx_.error(d.working_hours_pos, error);
      else handoff.hours = std::move(hours);
    }
    std::unordered_map<std::string, SourcePos> metrics;
    for (const auto& t : d.targets) target(t, metrics, handoff);
    bool any_sla = std::any_of(handoff.routes.begin(), handoff.routes.end(), [](const ir::Route& r) { return r.sla_seconds.has_value(); });
    if (any_sla && d.responses.empty())
      ctx_.warning(d.pos, Code::SlaWithoutResponse,
                   "routes have a service-level time but nothing counts as a sales response: every routed lead "
                          "will breach it",
                   "add e.g. response activity where type == \"call\", or response when status == \"Working\"");
    program_.handoff = std::move(handoff);
  }

  std::int32_t lead_field(const std::string& name, SourcePos pos, const char* what) {
    auto it = ctx_.names.find(name);
    if (it != ctx_.names.end() && it->second.kind == NameKind::Field) return it->second.index;
    std::vector<std::string> fields;
    for (const auto& f : program_.lead_fields) fields.push_back(f.name);
    auto best = closest_match(name, fields);
    if (it != ctx_.names.end())
      ctx_.error(pos, fmt::format("`{}` is a {}, not a lead field; {}", name, name_kind_word(it->second.kind), what));
    else
      ctx_.error(pos, fmt::format("unknown lead field `{}`{}", name, best ? fmt::format("; did you mean `{}`?", *best) : ""),
                 what);
    return -1;
  }

  std::int32_t owner_field(const std::string& name, SourcePos pos) {
    std::int32_t f = lead_field(name, pos, "`owner` names the lead field that holds the owner, e.g. owner account_owner");
    if (f >= 0) {
      auto type = program_.lead_fields[static_cast<std::size_t>(f)].type;
      if (type != ast::FieldType::String && type != ast::FieldType::Id) {
        ctx_.error(pos, fmt::format("`owner {}`: the owner field must be text (it is {})", name, ast::field_type_name(type)));
        return -1;
      }
    }
    return f;
  }

  std::int32_t time_field(const std::string& name, SourcePos pos) {
    std::int32_t f = lead_field(name, pos, "`at` names a date or timestamp field of the lead, e.g. at status_changed_at");
    if (f >= 0) {
      auto type = program_.lead_fields[static_cast<std::size_t>(f)].type;
      if (type != ast::FieldType::Date && type != ast::FieldType::Timestamp) {
        ctx_.error(pos, fmt::format("`at {}`: the response time must be a date or timestamp field (it is {})", name,
                                    ast::field_type_name(type)));
        return -1;
      }
    }
    return f;
  }

  std::vector<std::string> round_robin(const ast::ListRef& ref) {
    std::vector<std::string> owners;
    if (!ref.name) {
      owners = ref.items;
    } else if (auto it = ctx_.names.find(*ref.name); it != ctx_.names.end() && it->second.kind == NameKind::List) {
      ctx_.list_used[static_cast<std::size_t>(it->second.index)] = true;
      owners = program_.lists[static_cast<std::size_t>(it->second.index)].entries;
    } else {
      std::vector<std::string> lists;
      for (const auto& l : program_.lists)
        if (!l.name.empty()) lists.push_back(l.name);
      auto best = closest_match(*ref.name, lists);
      ctx_.error(ref.pos, fmt::format("unknown list `{}`{}", *ref.name, best ? fmt::format("; did you mean `{}`?", *best) : ""),
                 "`round robin` takes a list of owners: a list's name or [\"ana\", \"ben\"]");
      return owners;
    }
    std::vector<std::string> kept;
    for (auto& o : owners) {
      std::string trimmed(text::trim(o));
      if (!trimmed.empty()) kept.push_back(std::move(trimmed));
    }
    if (kept.empty()) ctx_.error(ref.pos, "`round robin` needs at least one owner");
    return kept;
  }

  void target(const ast::Target& t, std::unordered_map<std::string, SourcePos>& seen, ir::Handoff& handoff) {
    static const std::vector<std::pair<std::string, ir::TargetMetric>> metrics = {
        {"acceptance", ir::TargetMetric::Acceptance},
        {"rejection", ir::TargetMetric::Rejection},
        {"sla_met", ir::TargetMetric::SlaMet},
        {"mql_to_won", ir::TargetMetric::MqlToWon}};
    auto it = std::find_if(metrics.begin(), metrics.end(), [&](const auto& m) { return m.first == t.metric; });
    if (it == metrics.end()) {
      std::vector<std::string> names;
      for (const auto& m : metrics) names.push_back(m.first);
      auto best = closest_match(t.metric, names);
      ctx_.error(t.pos, fmt::format("unknown target `{}`{}", t.metric, best ? fmt::format("; did you mean `{}`?", *best) : ""),
                 "targets are acceptance, rejection, sla_met and mql_to_won");
      return;
    }
    if (auto [at, inserted] = seen.emplace(t.metric, t.pos); !inserted) {
      ctx_.error(t.pos, fmt::format("target `{}` is already set on line {}", t.metric, at->second.line));
      return;
    }
    double value = t.percent ? t.value.value / 100 : t.value.value;
    if (value < 0 || value > 1) {
      ctx_.error(t.value.pos, fmt::format("target `{}` is a share between 0% and 100% (got {}{})", t.metric, t.value.text,
                                          t.percent ? "%" : ""),
                 "write it as a percentage: 70%");
      return;
    }
    handoff.targets.push_back(ir::Target{it->second, t.metric, t.at_least, value,
                                         fmt::format("{} {}{}", t.at_least ? ">=" : "<=", t.value.text, t.percent ? "%" : ""),
                                         t.pos});
  }

  // ---- output names ----

  void body(const ast::OutputDecl& d) {
    for (const auto& r : d.renames) {
      auto same_column = std::find_if(program_.output_names.begin(), program_.output_names.end(),
                                      [&](const ir::OutputName& o) { return o.column == r.column; });
      auto same_name = std::find_if(program_.output_names.begin(), program_.output_names.end(),
                                    [&](const ir::OutputName& o) { return o.name == r.name; });
      if (same_column != program_.output_names.end())
        ctx_.error(r.pos, fmt::format("column `{}` is already renamed on line {}", r.column, same_column->pos.line));
      else if (same_name != program_.output_names.end())
        ctx_.error(r.name_pos, fmt::format("\"{}\" is already the name of column `{}` (line {})", r.name,
                                           same_name->column, same_name->pos.line),
                   "two columns cannot share a name");
      else if (text::trim(r.name).empty())
        ctx_.error(r.name_pos, "a column's new name cannot be empty");
      else
        program_.output_names.push_back(ir::OutputName{r.column, r.name, r.pos});
    }
  }

  void finish() {
    program_.content_hash = fnv1a_hex(ctx_.file.source->text() + hash_input_);
    program_.rules_hash = ruleset_hash(program_);
  }
};

}  // namespace
}  // namespace check

std::optional<ir::Program> check_rules(const ast::RulesFile& file, Diagnostics& diags) {
  return check::Checker(file, diags).run();
}

std::optional<ir::Program> load_rules(const std::string& path, Diagnostics& diags) {
  std::string error;
  auto source = read_source_file(path, error);
  if (!source) {
    diags.add(Diagnostic{Severity::Error, nullptr, path, {}, fmt::format("cannot read rules file: {}", error), {}});
    return std::nullopt;
  }
  std::size_t errors_before = diags.error_count();
  ast::RulesFile file = parse_rules(source, diags);
  // After a syntax error the parser skips to the next declaration; checking names against a file
  // with a missing declaration would only add misleading "unknown name" errors.
  if (diags.error_count() > errors_before) return std::nullopt;
  return check_rules(file, diags);
}

}  // namespace leadscore

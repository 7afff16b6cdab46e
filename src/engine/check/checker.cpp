// Declarations: the ruleset header, schemas, lists, names, labels; then every expression is typed.
#include "engine/check/checker.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <unordered_map>

#include <fmt/format.h>

#include "common/escape.hpp"
#include "common/hash.hpp"
#include "engine/check/internal/check_context.hpp"
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
  Checker(const ast::RulesFile& file, Diagnostics& diags) : ctx_{file, diags, program_, {}, {}, {}, {}, {}, {}, {}} {
    program_.source = file.source;
  }

  std::optional<ir::Program> run() {
    std::size_t errors_before = ctx_.diags.error_count();
    header();
    collect_names();
    report_cycles(ctx_);
    for (const auto& decl : ctx_.file.declarations) std::visit([&](const auto& d) { body(d); }, decl);
    finish();
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
    if (!ctx_.file.declarations.empty()) {
      SourcePos first = std::visit([](const auto& d) { return d.pos; }, ctx_.file.declarations.front());
      if (first.offset < ruleset->pos.offset)
        ctx_.error(ruleset->pos, "`ruleset` must come first, before every other declaration");
    }
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
              declare(d.name, NameKind::Section, sections_seen_++, d.name_pos);
              program_.sections.push_back(ir::Section{d.name, d.name_pos, {}, {}, {}, {}});
              ctx_.section_in_cycle.push_back(false);
            } else if constexpr (std::is_same_v<T, ast::GateDecl>) {
              declare(d.name, NameKind::Gate, gates_seen_++, d.name_pos);
              program_.gates.push_back(ir::Gate{d.name, d.name_pos, {}});
              ctx_.gate_in_cycle.push_back(false);
            } else if constexpr (std::is_same_v<T, ast::ClassifyDecl>) {
              declare(d.name, NameKind::Classify, classifies_seen_++, d.name_pos);
              program_.classifies.push_back(ir::Classify{d.name, d.name_pos, {}});
              ctx_.classify_in_cycle.push_back(false);
            }
          },
          decl);
    }
    if (!lead_schema_seen_)
      ctx_.error(ctx_.file.ruleset ? ctx_.file.ruleset->pos : SourcePos{1, 1, 0},
                 "a ruleset needs a `schema lead { ... }` declaration", "declare the leads file's columns, e.g. "
                 "schema lead { lead_id: id  country: string }");
  }

  void schema(const ast::Schema& s) {
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
    claim_label(labels_, label, pos);
  }
  void claim_label(std::unordered_map<std::string, SourcePos>& labels, const std::string& label, SourcePos pos) {
    auto [it, inserted] = labels.emplace(label, pos);
    if (!inserted)
      ctx_.error(pos, fmt::format("label \"{}\" is already used on line {}", label, it->second.line),
                 "every rule, multiplier and gate criterion needs its own label");
  }

  static std::int32_t index_of(const Context& ctx, const std::string& name, NameKind kind, SourcePos pos) {
    auto it = ctx.names.find(name);
    if (it == ctx.names.end() || it->second.kind != kind || it->second.pos != pos) return -1;
    return it->second.index;
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
    std::int32_t i = index_of(ctx_, d.name, NameKind::Section, d.name_pos);
    if (i < 0) return;
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
        ir::Rule rule{item.label, item.label_pos, item.pos, false, ir::kNoNode, -1, when->points.value, {}};
        if (when->condition) rule.condition = check_condition(ctx_, *when->condition, ir::Domain::Lead, "a rule's condition");
        program_.sections[static_cast<std::size_t>(i)].rules.push_back(std::move(rule));
      } else if (const auto* each = std::get_if<ast::EachRule>(&item.body)) {
        each_rule(static_cast<std::size_t>(i), item, *each);
      } else if (const auto* mul = std::get_if<ast::Multiply>(&item.body)) {
        refuse_huge(mul->factor, "the factor");
        ir::Multiplier m{item.label, item.label_pos, item.pos, ir::kNoNode, mul->factor.value};
        if (mul->condition) m.condition = check_condition(ctx_, *mul->condition, ir::Domain::Lead, "a multiplier's condition");
        program_.sections[static_cast<std::size_t>(i)].multipliers.push_back(std::move(m));
      }
    }
  }

  void each_rule(std::size_t section, const ast::ScoreItem& item, const ast::EachRule& each) {
    ir::Rule rule{item.label, item.label_pos, item.pos, true, ir::kNoNode, -1, each.points.value, {}};
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
    std::int32_t i = index_of(ctx_, d.name, NameKind::Gate, d.name_pos);
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
        claim_label(criterion_labels, *c.label, c.label_pos);
      if (c.condition) criterion.condition = check_condition(ctx_, *c.condition, ir::Domain::Lead, "a gate criterion");
      program_.gates[static_cast<std::size_t>(i)].criteria.push_back(std::move(criterion));
    }
  }

  void body(const ast::MqlDecl& d) {
    if (program_.has_mql) {
      ctx_.error(d.pos, "`mql` is declared twice", "a ruleset has at most one `mql when ...`");
      return;
    }
    program_.has_mql = true;
    if (d.condition) program_.mql = check_condition(ctx_, *d.condition, ir::Domain::Lead, "`mql`'s condition");
  }

  void body(const ast::ClassifyDecl& d) {
    std::int32_t i = index_of(ctx_, d.name, NameKind::Classify, d.name_pos);
    if (i < 0) return;
    bool otherwise_seen = false;
    for (const auto& b : d.branches) {
      if (otherwise_seen) {
        ctx_.error(b.value_pos, "a branch after `otherwise` can never be chosen",
                   "`otherwise` must be the last branch of a classify");
        break;
      }
      ctx_.refuse_control_characters(b.value, b.value_pos, "a classify value");
      ir::Branch branch{b.value, b.value_pos, ir::kNoNode};
      if (b.condition) branch.condition = check_condition(ctx_, *b.condition, ir::Domain::Lead, "a classify branch");
      else otherwise_seen = true;
      program_.classifies[static_cast<std::size_t>(i)].branches.push_back(std::move(branch));
    }
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

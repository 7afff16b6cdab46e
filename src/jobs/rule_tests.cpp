#include "jobs/rule_tests.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "common/escape.hpp"
#include "common/suggest.hpp"
#include "common/temp_dir.hpp"
#include "engine/check/checker.hpp"
#include "jobs/explain.hpp"
#include "jobs/batches.hpp"
#include "jobs/reasons.hpp"
#include "jobs/run_inputs.hpp"
#include "jobs/test_coverage.hpp"
#include "io/csv_reader.hpp"
#include "io/csv_writer.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;
using namespace leadscore::calibrate;

namespace fs = std::filesystem;

std::optional<std::int64_t> parse_relative_time(std::string_view text, bool* beyond_range) {
  constexpr std::int64_t kLimit = 36525 * io::kMicrosPerDay;  // 100 years, as durations in rules
  text = io::trim_blanks(text);
  if (text.size() < 2) return std::nullopt;
  std::int64_t sign = 1;
  if (text[0] == '-') sign = -1;
  else if (text[0] != '+') {
    // Only "0d" style zero offsets may omit the sign.
    if (text.find_first_not_of('0') != text.size() - 1) return std::nullopt;
  }
  if (text[0] == '-' || text[0] == '+') text.remove_prefix(1);
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  while (!text.empty()) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits == text.size()) return std::nullopt;
    // Any number of digits: past the limit in any unit, the amount stops growing (and cannot overflow).
    std::int64_t amount = 0;
    for (std::size_t i = 0; i < digits; ++i) amount = std::min(amount * 10 + (text[i] - '0'), kLimit + 1);
    std::int64_t unit = 0;
    switch (text[digits]) {
      case 's': unit = io::kMicrosPerSecond; break;
      case 'm': unit = 60 * io::kMicrosPerSecond; break;
      case 'h': unit = 3600 * io::kMicrosPerSecond; break;
      case 'd': unit = io::kMicrosPerDay; break;
      case 'w': unit = 7 * io::kMicrosPerDay; break;
      default: return std::nullopt;
    }
    if (amount > kLimit / unit || (total += amount * unit) > kLimit) {
      if (beyond_range) *beyond_range = true;
      return std::nullopt;
    }
    text.remove_prefix(digits + 1);
  }
  return sign * total;
}

std::vector<std::string> output_columns(const ir::Program& program) {
  std::vector<std::string> columns;
  columns.push_back(program.lead_fields[static_cast<std::size_t>(program.lead_id_field)].name);
  for (const auto& s : program.sections) columns.push_back(s.name);
  columns.emplace_back("score");
  for (const auto& g : program.gates) columns.push_back(g.name);
  if (program.has_mql) columns.emplace_back("mql");
  for (const auto& c : program.classifies) columns.push_back(c.name);
  if (program.has_mqa) columns.emplace_back("mqa");
  return columns;
}

namespace {

SourcePos to_pos(const YAML::Mark& mark, SourcePos fallback = {}) {
  if (mark.is_null() || mark.line < 0) return fallback;
  return SourcePos{static_cast<std::uint32_t>(mark.line + 1), static_cast<std::uint32_t>(mark.column + 1),
                   static_cast<std::uint32_t>(mark.pos)};
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  auto best = closest_match(word, candidates);
  return best ? fmt::format(" (did you mean \"{}\"?)", *best) : std::string{};
}

std::string list_of(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Parses one file; holds the state shared by its cases.
class CaseParser {
 public:
  CaseParser(const SourceFilePtr& file, const ir::Program& program, Diagnostics& diags)
      : file_(file), program_(program), diags_(diags) {
    for (const auto& f : program.lead_fields) lead_names_.push_back(f.name);
    for (const auto& f : program.activity_fields) activity_names_.push_back(f.name);
    columns_ = output_columns(program);
    for (const auto& s : program.sections)
      for (const auto& r : s.rules) labels_.push_back(r.label);
    for (const auto& s : program.sections)
      for (const auto& m : s.multipliers) labels_.push_back(m.label);
    for (const auto& g : program.gates)
      for (const auto& c : g.criteria) labels_.push_back(c.label);
  }

  bool parse(TestFile& out) {
    out.file = file_;
    YAML::Node root;
    try {
      root = YAML::Load(file_->text());
    } catch (const YAML::Exception& e) {
      error(to_pos(e.mark, SourcePos{1, 1, 0}), fmt::format("malformed YAML: {}", e.msg));
      return false;
    }
    YAML::Node cases;
    if (root.IsSequence()) {
      cases = root;
    } else if (root.IsMap()) {
      if (!map_keys_unique(root)) return false;
      for (auto it = root.begin(); it != root.end(); ++it) {
        std::string key;
        if (!key_text(it->first, key)) return false;
        if (key == "as_of") {
          if (!instant(it->second, default_as_of_)) return false;
        } else if (key == "cases") {
          cases = it->second;
        } else {
          error(to_pos(it->first.Mark()), fmt::format("unknown top-level key \"{}\"{}; a test file has `as_of` and `cases`",
                                                      key, did_you_mean(key, {"as_of", "cases"})));
          return false;
        }
      }
      if (!cases) {
        error(to_pos(root.Mark(), SourcePos{1, 1, 0}), "the test file has no `cases:` list");
        return false;
      }
    } else {
      error(to_pos(root.Mark(), SourcePos{1, 1, 0}),
            "a test file is a map with `as_of` and `cases`, or a list of cases");
      return false;
    }
    if (!cases.IsSequence()) {
      error(to_pos(cases.Mark(), SourcePos{1, 1, 0}), "`cases` must be a list of cases (`- name: ...`)");
      return false;
    }
    for (const auto& node : cases) out.cases.push_back(parse_case(node));
    return true;
  }

 private:
  void error(SourcePos pos, std::string message) {
    diags_.error(file_, pos, std::move(message));
  }

  // A map key as text (a null key reads "null", as YAML has it).
  bool key_text(const YAML::Node& key, std::string& text) {
    if (key.IsNull() || key.IsScalar()) {
      text = key.as<std::string>();
      return true;
    }
    error(to_pos(key.Mark()), "a key must be a single value, not a list or a map");
    return false;
  }

  // yaml-cpp keeps both of two equal keys in a map (a later `n` silently wins, a second `fit` is
  // checked too): each repeated key is an error at its second occurrence.
  bool map_keys_unique(const YAML::Node& map) {
    bool good = true;
    std::vector<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.IsNull() && !it->first.IsScalar()) continue;  // key_text reports it
      std::string key = it->first.as<std::string>();
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        error(to_pos(it->first.Mark()), fmt::format("duplicate key \"{}\": it is already given in this map", key));
        good = false;
      }
      seen.push_back(std::move(key));
    }
    return good;
  }

  // The same for `node` and every map inside it.
  bool keys_unique_within(const YAML::Node& node) {
    bool good = true;
    if (node.IsMap()) {
      good = map_keys_unique(node);
      for (auto it = node.begin(); it != node.end(); ++it) good = keys_unique_within(it->second) && good;
    } else if (node.IsSequence()) {
      for (const auto& item : node) good = keys_unique_within(item) && good;
    }
    return good;
  }

  bool scalar(const YAML::Node& node, std::string& text, const char* what) {
    if (node.IsNull()) {
      text.clear();
      return true;
    }
    if (!node.IsScalar()) {
      error(to_pos(node.Mark()), fmt::format("{} must be a single value, not a list or a map", what));
      return false;
    }
    text = node.Scalar();
    return true;
  }

  bool instant(const YAML::Node& node, std::optional<std::int64_t>& value) {
    std::string text;
    if (!scalar(node, text, "as_of")) return false;
    auto parsed = io::parse_timestamp(text);
    if (!parsed.has_value()) {
      error(to_pos(node.Mark()), fmt::format("as_of \"{}\" is not a timestamp; write e.g. 2026-11-01T00:00:00Z", text));
      return false;
    }
    value = parsed.value;
    return true;
  }

  // The cell text of a field value: relative times resolved for date and timestamp fields.
  std::string cell(const ir::Field& field, const std::string& text, std::int64_t as_of, bool& beyond_range) {
    if (field.type == ast::FieldType::Timestamp || field.type == ast::FieldType::Date) {
      if (auto offset = parse_relative_time(text, &beyond_range)) {
        std::int64_t at = as_of + *offset;
        return field.type == ast::FieldType::Timestamp ? io::format_timestamp(at) : io::format_date(at);
      }
    }
    return text;
  }

  bool fields(const YAML::Node& map, const std::vector<ir::Field>& schema, const std::vector<std::string>& names,
              const char* what, std::int64_t as_of, std::vector<std::string>& cells) {
    cells.assign(schema.size(), std::string{});
    if (map.IsNull()) return true;
    if (!map.IsMap()) {
      error(to_pos(map.Mark()), fmt::format("`{}` must be a map of field name to value", what));
      return false;
    }
    bool good = true;
    for (auto it = map.begin(); it != map.end(); ++it) {
      std::string name;
      if (!key_text(it->first, name)) {
        good = false;
        continue;
      }
      std::size_t f = 0;
      while (f < names.size() && names[f] != name) ++f;
      if (f == names.size()) {
        error(to_pos(it->first.Mark()), fmt::format("unknown {} field \"{}\"{}", what, name, did_you_mean(name, names)));
        good = false;
        continue;
      }
      std::string text;
      if (!scalar(it->second, text, name.c_str())) {
        good = false;
        continue;
      }
      bool beyond_range = false;
      cells[f] = cell(schema[f], text, as_of, beyond_range);
      if (beyond_range) {
        error(to_pos(it->second.Mark()), fmt::format("\"{}\" is more than 100 years from as_of", text));
        good = false;
      }
    }
    return good;
  }

  void expectation(const YAML::Node& key_node, const YAML::Node& value, TestCase& test) {
    Expectation e;
    if (!key_text(key_node, e.key)) {
      test.valid = false;
      return;
    }
    e.pos = to_pos(key_node.Mark());
    if (e.key == "fired" || e.key == "not_fired") {
      e.kind = e.key == "fired" ? Expectation::Kind::Fired : Expectation::Kind::NotFired;
      if (!value.IsSequence()) {
        error(to_pos(value.Mark(), e.pos), fmt::format("`{}` must be a list of rule labels", e.key));
        test.valid = false;
        return;
      }
      for (const auto& item : value) {
        std::string label;
        if (!scalar(item, label, "a label")) {
          test.valid = false;
          continue;
        }
        auto pos = to_pos(item.Mark(), e.pos);
        if (std::find(labels_.begin(), labels_.end(), label) == labels_.end()) {
          error(pos, fmt::format("no rule, multiplier or gate criterion is labeled \"{}\"{}", label,
                                 did_you_mean(label, labels_)));
          test.valid = false;
          continue;
        }
        e.labels.emplace_back(label, pos);
      }
      test.expectations.push_back(std::move(e));
      return;
    }
    std::size_t column = 1;
    while (column < columns_.size() && columns_[column] != e.key) ++column;
    if (e.key == "reasons") {
      e.kind = Expectation::Kind::Reasons;
      column = columns_.size();
    } else if (column == columns_.size()) {
      std::vector<std::string> keys(columns_.begin() + 1, columns_.end());
      keys.emplace_back("reasons");
      keys.emplace_back("fired");
      keys.emplace_back("not_fired");
      error(e.pos, fmt::format("unknown expectation \"{}\"{}; this ruleset's outputs are {}", e.key,
                               did_you_mean(e.key, keys), list_of(keys)));
      test.valid = false;
      return;
    } else {
      std::size_t c = column - 1;
      auto sections = program_.sections.size(), gates = program_.gates.size();
      std::size_t mql = program_.has_mql ? 1 : 0;
      if (c < sections) e.kind = Expectation::Kind::Section;
      else if (c == sections) e.kind = Expectation::Kind::Score;
      else if (c < sections + 1 + gates) e.kind = Expectation::Kind::Gate;
      else if (c < sections + 1 + gates + mql) e.kind = Expectation::Kind::Mql;
      else if (c < sections + 1 + gates + mql + program_.classifies.size()) e.kind = Expectation::Kind::Classify;
      else e.kind = Expectation::Kind::Mqa;
    }
    e.column = column;
    std::string text;
    if (!scalar(value, text, e.key.c_str())) {
      test.valid = false;
      return;
    }
    auto value_pos = to_pos(value.Mark(), e.pos);
    switch (e.kind) {
      case Expectation::Kind::Section:
      case Expectation::Kind::Score: {
        auto number = io::parse_number(text);
        if (!number.has_value()) {
          error(value_pos, fmt::format("{} expects a number, not \"{}\"", e.key, text));
          test.valid = false;
          return;
        }
        e.expected = io::format_number(number.value);
        break;
      }
      case Expectation::Kind::Gate:
      case Expectation::Kind::Mqa:
      case Expectation::Kind::Mql: {
        auto flag = io::parse_bool(text);
        if (!flag.has_value()) {
          error(value_pos, fmt::format("{} expects true or false, not \"{}\"", e.key, text));
          test.valid = false;
          return;
        }
        e.expected = flag.value ? "true" : "false";
        break;
      }
      case Expectation::Kind::Classify: {
        const auto& c = program_.classifies[column - 2 - program_.sections.size() - program_.gates.size() -
                                            (program_.has_mql ? 1 : 0)];
        std::vector<std::string> values;
        for (const auto& b : c.branches) values.push_back(b.value);
        if (!text.empty() && std::find(values.begin(), values.end(), text) == values.end()) {
          error(value_pos, fmt::format("\"{}\" is not a value of classify {}{}; its values are {}", text, c.name,
                                       did_you_mean(text, values), list_of(values)));
          test.valid = false;
          return;
        }
        e.expected = text;
        break;
      }
      default:
        e.expected = text;
        break;
    }
    test.expectations.push_back(std::move(e));
  }

  TestCase parse_case(const YAML::Node& node) {
    TestCase test;
    test.pos = to_pos(node.Mark(), SourcePos{1, 1, 0});
    if (!node.IsMap()) {
      error(test.pos, "a case is a map with name, lead, events and expect");
      test.valid = false;
      test.name = fmt::format("(case on line {})", test.pos.line);
      return test;
    }
    if (!keys_unique_within(node)) test.valid = false;
    static const std::vector<std::string> keys = {"name", "as_of", "lead", "events", "account", "account_leads",
                                                  "expect"};
    YAML::Node lead, events, expect, account, account_leads;
    std::optional<std::int64_t> as_of = default_as_of_;
    for (auto it = node.begin(); it != node.end(); ++it) {
      std::string key;
      if (!key_text(it->first, key)) {
        test.valid = false;
        continue;
      }
      if (key == "name") {
        if (!scalar(it->second, test.name, "name")) test.valid = false;
      } else if (key == "as_of") {
        if (!instant(it->second, as_of)) test.valid = false;
      } else if (key == "lead") {
        lead = it->second;
      } else if (key == "events") {
        events = it->second;
      } else if (key == "expect") {
        expect = it->second;
      } else if (key == "account") {
        account = it->second;
      } else if (key == "account_leads") {
        account_leads = it->second;
      } else {
        error(to_pos(it->first.Mark()), fmt::format("unknown case key \"{}\"{}; a case has {}", key,
                                                    did_you_mean(key, keys), list_of(keys)));
        test.valid = false;
      }
    }
    if (test.name.empty()) {
      error(test.pos, "the case has no `name`");
      test.valid = false;
      test.name = fmt::format("(case on line {})", test.pos.line);
    }
    if (!as_of) {
      error(test.pos, "the case has no `as_of` and the file has no top-level `as_of`");
      test.valid = false;
      return test;
    }
    test.as_of = *as_of;
    if (!fields(lead ? lead : YAML::Node(), program_.lead_fields, lead_names_, "lead", test.as_of, test.lead))
      test.valid = false;
    const auto& id_field = program_.lead_fields[static_cast<std::size_t>(program_.lead_id_field)];
    auto& id = test.lead[static_cast<std::size_t>(program_.lead_id_field)];
    if (id_field.from_row_number) {
      if (!id.empty() && id != "1") {
        error(to_pos(lead[id_field.name].Mark(), test.pos),
              fmt::format("{} is numbered from the row (`from row`): the test lead is row 1, so its id is 1",
                          id_field.name));
        test.valid = false;
      }
      id = "1";
    } else if (id.empty()) {
      id = "test-lead";
    }
    if (!parse_events(events, id, test, test.events)) test.valid = false;
    const bool has_account = account && !account.IsNull();
    const bool has_account_leads = account_leads && !account_leads.IsNull();
    if ((has_account || has_account_leads) && !program_.account_key) {
      error(to_pos((has_account ? account : account_leads).Mark(), test.pos),
            "this ruleset has no `account key`, so a case cannot have `account` or `account_leads`");
      test.valid = false;
    }
    if (has_account && program_.account_key) {
      if (!program_.has_account_schema) {
        error(to_pos(account.Mark(), test.pos), "this ruleset has no `schema account`, so a case cannot have `account`");
        test.valid = false;
      } else {
        std::vector<std::string> names;
        for (const auto& f : program_.account_fields) names.push_back(f.name);
        if (!fields(account, program_.account_fields, names, "account", test.as_of, test.account)) test.valid = false;
      }
    }
    if (has_account_leads && program_.account_key) {
      if (!account_leads.IsSequence()) {
        error(to_pos(account_leads.Mark(), test.pos),
              "`account_leads` must be a list of leads (`- lead: {...}` with optional `events:`)");
        test.valid = false;
      } else {
        for (const auto& other : account_leads) {
          if (!other.IsMap() || !other["lead"]) {
            error(to_pos(other.Mark(), test.pos), "each of `account_leads` is a map with `lead:` and optional `events:`");
            test.valid = false;
            continue;
          }
          std::vector<std::string> cells;
          if (!fields(other["lead"], program_.lead_fields, lead_names_, "lead", test.as_of, cells)) test.valid = false;
          auto& other_id = cells[static_cast<std::size_t>(program_.lead_id_field)];
          if (other_id.empty()) other_id = fmt::format("account-lead-{}", test.account_leads.size() + 1);
          std::vector<std::vector<std::string>> other_events;
          if (!parse_events(other["events"], other_id, test, other_events)) test.valid = false;
          test.account_leads.push_back(std::move(cells));
          test.account_lead_events.push_back(std::move(other_events));
        }
      }
    }
    if (!expect || expect.IsNull()) {
      error(test.pos, fmt::format("case \"{}\" has no `expect:`", test.name));
      test.valid = false;
    } else if (!expect.IsMap()) {
      error(to_pos(expect.Mark(), test.pos), "`expect` must be a map (`fit: 84`, `mql: true`, `fired: [...]`)");
      test.valid = false;
    } else {
      for (auto it = expect.begin(); it != expect.end(); ++it) expectation(it->first, it->second, test);
    }
    return test;
  }

  // A case's `events:` list (may be absent) as cells; events without a lead id belong to `id`.
  bool parse_events(const YAML::Node& events, const std::string& id, const TestCase& test,
                    std::vector<std::vector<std::string>>& out) {
    if (!events || events.IsNull()) return true;
    if (!program_.has_activity) {
      error(to_pos(events.Mark(), test.pos), "this ruleset has no `schema activity`, so a case cannot have events");
      return false;
    }
    if (!events.IsSequence()) {
      error(to_pos(events.Mark(), test.pos), "`events` must be a list of maps (`- type: page_view`)");
      return false;
    }
    bool good = true;
    for (const auto& event : events) {
      std::vector<std::string> cells;
      if (!fields(event, program_.activity_fields, activity_names_, "activity", test.as_of, cells)) {
        good = false;
        continue;
      }
      auto& lead_cell = cells[static_cast<std::size_t>(program_.activity_lead_field)];
      if (lead_cell.empty()) lead_cell = id;
      const auto time_field = static_cast<std::size_t>(program_.activity_time_field);
      if (cells[time_field].empty()) {
        error(to_pos(event.Mark(), test.pos),
              fmt::format("the event has no `{}` (when it happened), e.g. `{}: -3d`",
                          program_.activity_fields[time_field].name, program_.activity_fields[time_field].name));
        good = false;
      }
      out.push_back(std::move(cells));
    }
    return good;
  }

  SourceFilePtr file_;
  const ir::Program& program_;
  Diagnostics& diags_;
  std::vector<std::string> lead_names_, activity_names_, columns_, labels_;
  std::optional<std::int64_t> default_as_of_;
};


bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

std::string csv_table(const std::vector<ir::Field>& schema, const std::vector<std::vector<std::string>>& rows,
                      bool skip_row_id) {
  std::string out;
  bool first = true;
  for (const auto& f : schema) {
    if (skip_row_id && f.from_row_number) continue;
    if (!first) out += ',';
    first = false;
    io::append_csv_field(out, f.column);
  }
  out += '\n';
  for (const auto& row : rows) {
    first = true;
    const std::size_t start = out.size();
    for (std::size_t i = 0; i < schema.size(); ++i) {
      if (skip_row_id && schema[i].from_row_number) continue;
      if (!first) out += ',';
      first = false;
      // A cell that is only blanks would read as a one-field line; quoting keeps the row's shape.
      if (!row[i].empty() && row[i].find_first_not_of(" \t") == std::string::npos) {
        out += '"' + row[i] + '"';
      } else {
        io::append_csv_field(out, row[i]);
      }
    }
    if (out.size() == start) out += "\"\"";  // one empty cell: an empty line would be no row at all
    out += '\n';
  }
  return out;
}

// "Fired" as the outcome record defines it: a rule fired, a multiplier applied, a criterion held.
bool fired(const Graph& graph, const LeadRecord& record, const std::string& label) {
  for (const auto& section : graph.sections) {
    for (const auto& rule : section.rules)
      if (rule.label == label) return record.rules[static_cast<std::size_t>(rule.ordinal)].fired;
    for (const auto& m : section.multipliers)
      if (m.label == label) return record.multipliers[static_cast<std::size_t>(m.ordinal)].applied;
  }
  for (const auto& gate : graph.gates)
    for (const auto& c : gate.criteria)
      if (c.label == label) return record.criteria[static_cast<std::size_t>(c.ordinal)] == kTrue;
  return false;
}

// The text `score` writes in output column `column` (1 = the first section), from the record.
std::string output_text(const Graph& graph, const LeadRecord& record, std::size_t column) {
  std::size_t c = column - 1;
  if (c < graph.sections.size()) return io::format_number(record.sections[c].value);
  c -= graph.sections.size();
  if (c == 0) return io::format_number(record.score);
  c -= 1;
  if (c < graph.gates.size()) return record.gates[c] ? "true" : "false";
  c -= graph.gates.size();
  if (graph.has_mql) {
    if (c == 0) return record.mql ? "true" : "false";
    c -= 1;
  }
  if (c < graph.classifies.size()) {
    std::int32_t branch = record.classify_branch[c];
    return branch >= 0 ? graph.classifies[c].branches[static_cast<std::size_t>(branch)].value : std::string{};
  }
  c -= graph.classifies.size();
  if (graph.has_mqa && c == 0) return record.mqa ? "true" : "false";
  return {};
}

bool parses_as(ast::FieldType type, std::string_view text) {
  switch (type) {
    case ast::FieldType::Int: return io::parse_int(text).has_value();
    case ast::FieldType::Number: return io::parse_number(text).has_value();
    case ast::FieldType::Bool: return io::parse_bool(text).has_value();
    case ast::FieldType::Date: return io::parse_date(text).has_value();
    case ast::FieldType::Timestamp: return io::parse_timestamp(text).has_value();
    case ast::FieldType::Id:
    case ast::FieldType::String: return true;
  }
  return true;
}

std::string shown(const std::string& cell) { return cell.empty() ? "(empty)" : cell; }

}  // namespace

bool parse_test_file(const SourceFilePtr& file, const ir::Program& program, Diagnostics& diags, TestFile& out) {
  CaseParser parser(file, program, diags);
  return parser.parse(out);
}

bool CaseRunner::open(const std::string& rules_path, std::string& error) {
  dir_ = std::make_unique<TempDir>("leadscore-test");
  if (dir_->path().empty()) {
    error = "cannot create a temporary directory";
    return false;
  }
  inputs_.rules = rules_path;
  inputs_.leads = dir_->path() + "/leads.csv";
  inputs_.activities = dir_->path() + "/activities.csv";
  Diagnostics diags;
  if (!prepare_rules(inputs_, diags, run_, error)) {
    if (diags.has_errors()) error = "the rules do not compile";
    return false;
  }
  if (!run_.program.has_activity) inputs_.activities.reset();
  if (run_.program.has_account_schema) inputs_.accounts = dir_->path() + "/accounts.csv";
  return true;
}

CaseResult CaseRunner::run_alone(const TestCase& test) {
  CaseResult result;
  const ir::Program& program = run_.program;
  std::vector<std::vector<std::string>> leads{test.lead}, events = test.events;
  leads.insert(leads.end(), test.account_leads.begin(), test.account_leads.end());
  for (const auto& more : test.account_lead_events) events.insert(events.end(), more.begin(), more.end());
  std::vector<std::vector<std::string>> accounts;
  if (!test.account.empty()) accounts.push_back(test.account);
  if (!write_file(inputs_.leads, csv_table(program.lead_fields, leads, true)) ||
      (inputs_.activities && !write_file(*inputs_.activities, csv_table(program.activity_fields, events, false))) ||
      (inputs_.accounts && !write_file(*inputs_.accounts, csv_table(program.account_fields, accounts, false)))) {
    result.error = fmt::format("cannot write the case's files in {}", dir_->path());
    return result;
  }
  inputs_.before_events = [&](const ir::Program&, LeadTable& table, std::string&) {
    std::fill(table.as_of.begin(), table.as_of.end(), test.as_of);
    return true;
  };
  std::string rejected;
  bool loaded = load_run_data(inputs_, run_, result.error, [&](const RejectedRow& row) {
    if (rejected.empty()) rejected = fmt::format("line {}: {}", row.line - 1, row.reason);
  });
  inputs_.before_events = nullptr;
  if (!loaded) return result;
  if (run_.leads.rows == 0 || run_.leads.lines[0] != 2) {
    result.error = fmt::format("the lead was not scored: {}", rejected);
    return result;
  }
  LeadRecord record;
  for_each_batch(run_, [&](const BatchInput& batch, const BatchState& evaluated) {
    if (batch.first_lead != 0) return;
    record_lead(run_.graph, run_.points, batch, evaluated, 0, record);
  });
  result = compare(test, record);
  result.record = record;
  if (!result.failures.empty()) result.explanation = explanation(test, 0);
  return result;
}

// Every case becomes one row of one leads file (and its events rows of one events file), loaded
// exactly as `score` loads its files: row i has the made-up id `case-i` (a `from row` id: i) so that
// cases sharing an id do not collide, its own as-of instant, and, once the events are joined, the id
// the case gave. An event of another lead gets an id no row has: it counts for no case, as it would
// count for no lead in a file of the case alone.
std::vector<CaseResult> CaseRunner::run(const std::vector<const TestCase*>& cases) {
  std::vector<CaseResult> results(cases.size());
  if (run_.graph.has_accounts) {
    for (std::size_t c = 0; c < cases.size(); ++c) results[c] = run_alone(*cases[c]);
    return results;
  }
  const ir::Program& program = run_.program;
  const auto id_field = static_cast<std::size_t>(program.lead_id_field);
  const bool id_from_row = program.lead_fields[id_field].from_row_number;
  auto key = [&](std::size_t i) { return id_from_row ? std::to_string(i + 1) : fmt::format("case-{}", i + 1); };
  std::vector<std::vector<std::string>> lead_rows, event_rows;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    lead_rows.push_back(cases[i]->lead);
    if (!id_from_row) lead_rows.back()[id_field] = key(i);
    for (auto event : cases[i]->events) {
      auto& lead = event[static_cast<std::size_t>(program.activity_lead_field)];
      lead = io::trim_blanks(lead) == io::trim_blanks(cases[i]->lead[id_field]) ? key(i) : "other:" + lead;
      event_rows.push_back(std::move(event));
    }
  }
  auto fail_all = [&](const std::string& error) {
    for (auto& r : results) r.error = error;
    return results;
  };
  if (!write_file(inputs_.leads, csv_table(program.lead_fields, lead_rows, true)))
    return fail_all(fmt::format("cannot write {}", inputs_.leads));
  if (inputs_.activities && !write_file(*inputs_.activities, csv_table(program.activity_fields, event_rows, false)))
    return fail_all(fmt::format("cannot write {}", *inputs_.activities));

  // Row c of the file is case c, kept or rejected. A value with a line break makes its row span
  // several lines, so a row is found by the rank of its first line among those of every row.
  std::vector<std::pair<std::uint64_t, std::string>> rejects;
  std::vector<std::uint64_t> row_lines;
  std::vector<std::size_t> case_of_lead;
  auto case_at = [&](std::uint64_t line) {
    return static_cast<std::size_t>(std::lower_bound(row_lines.begin(), row_lines.end(), line) - row_lines.begin());
  };
  inputs_.before_events = [&](const ir::Program&, LeadTable& leads, std::string&) {
    row_lines = leads.lines;
    for (const auto& reject : rejects) row_lines.push_back(reject.first);
    std::sort(row_lines.begin(), row_lines.end());
    for (std::size_t l = 0; l < leads.rows; ++l) {
      case_of_lead.push_back(case_at(leads.lines[l]));
      leads.as_of[l] = cases[case_of_lead[l]]->as_of;
    }
    return true;
  };
  std::string error;
  bool loaded = load_run_data(inputs_, run_, error,
                              [&](const RejectedRow& row) { rejects.emplace_back(row.line, row.reason); });
  inputs_.before_events = nullptr;
  if (!loaded) return fail_all(error);
  std::vector<std::string> rejected(cases.size());
  for (const auto& [line, reason] : rejects) rejected[case_at(line)] = reason;
  // Each lead shows the id its case gave (or "1" for a `from row` id, as a file of one lead would).
  std::vector<std::int64_t> lead_of_case(cases.size(), -1);
  Column& ids = run_.leads.fields[id_field];
  for (std::size_t l = 0; l < run_.leads.rows; ++l) {
    const std::size_t c = case_of_lead[l];
    lead_of_case[c] = static_cast<std::int64_t>(l);
    std::string_view id = run_.leads.arena.store(cases[c]->lead[id_field]);
    if (ids.type == ir::Type::String) ids.str[l] = id;
    run_.leads.ids[l] = id;
  }
  BatchState state(run_.graph, false);
  LeadRecord record;
  for_each_batch(run_, [&](const BatchInput& batch, const BatchState& evaluated) {
    for (std::size_t r = 0; r < batch.rows; ++r) {
      const std::size_t lead = batch.first_lead + r;
      const std::size_t c = case_of_lead[lead];
      record_lead(run_.graph, run_.points, batch, evaluated, r, record);
      results[c] = compare(*cases[c], record);
      results[c].record = record;
      if (!results[c].failures.empty()) results[c].explanation = explanation(*cases[c], lead);
    }
  });
  for (std::size_t c = 0; c < cases.size(); ++c)
    if (lead_of_case[c] < 0) results[c].error = fmt::format("the lead was not scored: {}", rejected[c]);
  return results;
}

CaseResult CaseRunner::compare(const TestCase& test, const LeadRecord& record) const {
  CaseResult result;
  for (const auto& e : test.expectations) {
    if (e.kind == Expectation::Kind::Fired || e.kind == Expectation::Kind::NotFired) {
      bool want = e.kind == Expectation::Kind::Fired;
      for (const auto& [label, pos] : e.labels)
        if (fired(run_.graph, record, label) != want)
          result.failures.push_back(CaseFailure{
              pos, fmt::format("{}: expected \"{}\" {}, but it did{}", e.key, label, want ? "to fire" : "not to fire",
                               want ? " not" : "")});
      continue;
    }
    std::string actual = e.kind == Expectation::Kind::Reasons ? reasons_text(reasons_of(run_.graph, record))
                                                               : output_text(run_.graph, record, e.column);
    if (actual != e.expected)
      result.failures.push_back(
          CaseFailure{e.pos, fmt::format("{}: expected {}, got {}", e.key, shown(e.expected), shown(actual))});
  }
  return result;
}

// The explanation of a failed case, with a note for each value that did not parse.
std::string CaseRunner::explanation(const TestCase& test, std::size_t lead) const {
  const ir::Program& program = run_.program;
  std::string text = explain_lead(run_, lead, false);
  // The lead's line is its row in the file of all cases: name the case's own line instead.
  text = fmt::format("lead {} (the case on line {} of the test file) as of {}", run_.leads.ids[lead], test.pos.line,
                     io::format_timestamp(test.as_of)) +
         text.substr(text.find('\n'));
  for (std::size_t f = 0; f < program.lead_fields.size(); ++f) {
    if (!run_.leads.fields[f].valid.empty() && f != static_cast<std::size_t>(program.lead_id_field) &&
        !test.lead[f].empty() && !run_.leads.fields[f].valid[lead] && run_.leads.fields[f].type != ir::Type::Bool)
      text += fmt::format("note: lead field {} = \"{}\" does not parse as its type; it was read as missing\n",
                          program.lead_fields[f].name, test.lead[f]);
    if (run_.leads.fields[f].type == ir::Type::Bool && !run_.leads.fields[f].truth.empty() && !test.lead[f].empty() &&
        run_.leads.fields[f].truth[lead] == kUnknown)
      text += fmt::format("note: lead field {} = \"{}\" does not parse as its type; it was read as missing\n",
                          program.lead_fields[f].name, test.lead[f]);
  }
  for (const auto& event : test.events)
    for (std::size_t f = 0; f < program.activity_fields.size(); ++f)
      if (!event[f].empty() && !parses_as(program.activity_fields[f].type, event[f]))
        text += fmt::format("note: event value {} = \"{}\" does not parse as its type; it was read as missing\n",
                            program.activity_fields[f].name, event[f]);
  return text;
}

CaseResult CaseRunner::run(const TestCase& test) { return run(std::vector<const TestCase*>{&test})[0]; }

bool label_fired(const PreparedRun& run, std::size_t lead, const std::string& label) {
  BatchState state(run.graph, false);
  BatchInput batch = evaluate_leads(run, lead, 1, state);
  LeadRecord record;
  record_lead(run.graph, run.points, batch, state, 0, record);
  return fired(run.graph, record, label);
}

CaseResult run_test_case(const std::string& rules_path, const TestCase& test) {
  CaseRunner runner;
  CaseResult result;
  if (!runner.open(rules_path, result.error)) return result;
  return runner.run(test);
}

namespace {

std::string indent(const std::string& text, const char* prefix) {
  std::string out;
  bool start = true;
  for (char c : text) {
    if (start && c != '\n') out += prefix;
    out += c;
    start = c == '\n';
  }
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out;
}

std::string test_file_for(const std::string& rules, const std::optional<std::string>& cases) {
  fs::path path(rules);
  std::string name = path.stem().string() + ".test.yaml";
  if (!cases) return (path.parent_path() / name).string();
  std::error_code ec;
  if (fs::is_directory(*cases, ec)) return (fs::path(*cases) / name).string();
  return *cases;
}

}  // namespace

int run_rule_tests(const TestRequest& request, std::string& out) {
  std::size_t passed = 0, failed = 0;
  bool errors = false;
  const bool github = request.format == TestOutput::Github;
  std::vector<RulesCoverage> coverage;
  std::vector<std::string> failed_cases;
  auto render = [&](const Diagnostics& diags, Code code) {
    for (auto d : diags.sorted()) {
      out += github ? render_github(d) + render_text(d) : render_text(d);
      if (!request.results) continue;
      if (!d.code) d.code = code;
      request.results->add(std::move(d));
    }
  };
  auto failed_case = [&](const SourceFilePtr& file, SourcePos pos, const std::string& message) {
    if (request.results) request.results->error(file, pos, message, {}, Code::TestFailed);
  };
  for (const auto& rules : request.rules) {
    Diagnostics rule_diags;
    auto program = load_rules(rules, rule_diags);
    Diagnostics rule_errors;
    for (const auto& d : rule_diags.items())
      if (d.severity == Severity::Error) rule_errors.add(d);
    render(rule_errors, Code::InvalidRules);
    if (!program) {
      out += fmt::format("{}: the rules do not compile; no test was run\n", rules);
      errors = true;
      continue;
    }
    std::string test_path = test_file_for(rules, request.cases);
    std::string read_error;
    auto file = read_source_file(test_path, read_error);
    if (!file) {
      out += fmt::format("{}: no test file: cannot read {} ({}){}\n", rules, test_path, read_error,
                         request.cases ? "" : " (tests are found beside the rules as NAME.test.yaml, or give --cases)");
      if (request.results)
        request.results->add(Diagnostic{
            Severity::Error, nullptr, test_path, {},
            fmt::format("no test file for {}: cannot read {} ({})", rules, test_path, read_error), {}, Code::InvalidTest});
      errors = true;
      continue;
    }
    Diagnostics diags;
    TestFile tests;
    bool parsed = parse_test_file(file, *program, diags, tests);
    render(diags, Code::InvalidTest);
    if (diags.has_errors()) errors = true;
    if (!parsed) continue;
    CaseRunner runner;
    std::string runner_error;
    if (!runner.open(rules, runner_error)) {
      out += fmt::format("{}: {}; no test was run\n", rules, runner_error);
      errors = true;
      continue;
    }
    std::vector<const TestCase*> runnable;
    for (const auto& test : tests.cases)
      if (test.valid) runnable.push_back(&test);
    std::vector<CaseResult> results = runner.run(runnable);
    if (request.coverage) {
      coverage.push_back(coverage_items(rules, runner.prepared()));
      for (const auto& result : results)
        if (result.error.empty()) add_case(coverage.back(), result.record);
    }
    std::size_t next_result = 0;
    for (const auto& test : tests.cases) {
      if (!test.valid) {
        ++failed;
        failed_cases.push_back(test_path + ": " + test.name);
        out += fmt::format("FAIL {}: {} (the case has errors, see above)\n", test_path, one_line(test.name));
        continue;
      }
      const CaseResult& result = results[next_result++];
      if (result.passed()) {
        ++passed;
        out += fmt::format("PASS {}: {}\n", test_path, one_line(test.name));
        continue;
      }
      ++failed;
      failed_cases.push_back(test_path + ": " + test.name);
      out += fmt::format("FAIL {}: {}\n", test_path, one_line(test.name));
      if (!result.error.empty()) {
        out += fmt::format("  {}:{}:{}: error: {}\n", test_path, test.pos.line, test.pos.column, one_line(result.error));
        failed_case(file, test.pos, fmt::format("case \"{}\": {}", test.name, result.error));
        if (github)
          out += fmt::format("::error file={},line={},col={}::{}\n", github_property(test_path), test.pos.line, test.pos.column,
                             github_data(fmt::format("case \"{}\": {}", test.name, result.error)));
        continue;
      }
      for (const auto& f : result.failures) {
        out += fmt::format("  {}:{}:{}: {}\n", test_path, f.pos.line, f.pos.column, one_line(f.message));
        failed_case(file, f.pos, fmt::format("case \"{}\": {}", test.name, f.message));
        if (github)
          out += fmt::format("::error file={},line={},col={}::{}\n", github_property(test_path), f.pos.line, f.pos.column,
                             github_data(fmt::format("case \"{}\": {}", test.name, f.message)));
      }
      out += "  explanation:\n";
      out += indent(result.explanation, "    ");
    }
  }
  out += fmt::format("{} passed, {} failed\n", passed, failed);
  bool below = false;
  std::size_t covered = 0, total = 0;
  for (const auto& c : coverage) covered += c.covered(), total += c.items.size();
  const double percent = coverage_percent(covered, total);
  if (request.coverage && request.fail_under && percent < *request.fail_under) below = true;
  if (request.coverage && request.results) coverage_diagnostics(coverage, *request.results);
  if (request.format == TestOutput::Json) {
    nlohmann::ordered_json j{{"passed", passed}, {"failed", failed}, {"failed_cases", failed_cases}, {"errors", errors}};
    if (request.coverage) j["coverage"] = nlohmann::ordered_json::parse(coverage_json(coverage));
    if (request.fail_under) j["fail_under"] = *request.fail_under;
    out = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  } else if (request.coverage) {
    out += coverage_text(coverage);
    if (github) out += coverage_annotations(coverage);
    if (below)
      out += fmt::format("coverage {}% is below --fail-under {}%\n", io::format_number(percent),
                         io::format_number(*request.fail_under));
  }
  return failed > 0 || errors || below ? 1 : 0;
}

}  // namespace leadscore::jobs

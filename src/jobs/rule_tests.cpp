#include "jobs/rule_tests.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "common/suggest.hpp"
#include "common/temp_dir.hpp"
#include "engine/check/checker.hpp"
#include "jobs/explain.hpp"
#include "jobs/result_writer.hpp"
#include "jobs/run_inputs.hpp"
#include "io/csv_reader.hpp"
#include "io/csv_writer.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;
using namespace leadscore::calibrate;

namespace fs = std::filesystem;

// 10000 years (25 Gregorian cycles of 146097 days): as far as a timestamp can move, and far from
// overflowing when added to one.
constexpr std::int64_t kMaxRelativeTime = 25 * 146097 * io::kMicrosPerDay;

std::optional<std::int64_t> parse_relative_time(std::string_view text) {
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
    if (digits == 0 || digits > 9 || digits == text.size()) return std::nullopt;
    std::int64_t amount = 0;
    for (std::size_t i = 0; i < digits; ++i) amount = amount * 10 + (text[i] - '0');
    std::int64_t unit = 0;
    switch (text[digits]) {
      case 's': unit = io::kMicrosPerSecond; break;
      case 'm': unit = 60 * io::kMicrosPerSecond; break;
      case 'h': unit = 3600 * io::kMicrosPerSecond; break;
      case 'd': unit = io::kMicrosPerDay; break;
      case 'w': unit = 7 * io::kMicrosPerDay; break;
      default: return std::nullopt;
    }
    if (amount > (kMaxRelativeTime - total) / unit) return std::nullopt;
    total += amount * unit;
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
  std::string cell(const ir::Field& field, const std::string& text, std::int64_t as_of) {
    if (field.type == ast::FieldType::Timestamp || field.type == ast::FieldType::Date) {
      if (auto offset = parse_relative_time(text)) {
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
      cells[f] = cell(schema[f], text, as_of);
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
      else e.kind = Expectation::Kind::Classify;
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
    static const std::vector<std::string> keys = {"name", "as_of", "lead", "events", "expect"};
    YAML::Node lead, events, expect;
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
    if (events && !events.IsNull()) {
      if (!program_.has_activity) {
        error(to_pos(events.Mark(), test.pos), "this ruleset has no `schema activity`, so a case cannot have events");
        test.valid = false;
      } else if (!events.IsSequence()) {
        error(to_pos(events.Mark(), test.pos), "`events` must be a list of maps (`- type: page_view`)");
        test.valid = false;
      } else {
        for (const auto& event : events) {
          std::vector<std::string> cells;
          if (!fields(event, program_.activity_fields, activity_names_, "activity", test.as_of, cells)) {
            test.valid = false;
            continue;
          }
          auto& lead_cell = cells[static_cast<std::size_t>(program_.activity_lead_field)];
          if (lead_cell.empty()) lead_cell = id;
          const auto time_field = static_cast<std::size_t>(program_.activity_time_field);
          if (cells[time_field].empty()) {
            error(to_pos(event.Mark(), test.pos),
                  fmt::format("the event has no `{}` (when it happened), e.g. `{}: -3d`",
                              program_.activity_fields[time_field].name, program_.activity_fields[time_field].name));
            test.valid = false;
          }
          test.events.push_back(std::move(cells));
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
    out += '\n';
  }
  return out;
}

bool fired(const PreparedRun& run, const BatchState& state, const std::string& label) {
  for (const auto& section : run.graph.sections) {
    for (const auto& rule : section.rules)
      if (rule.label == label)
        return rule.each ? run.aggregates.value(static_cast<std::size_t>(rule.slot), 0) > 0
                         : state.view(rule.condition).truth[0] == kTrue;
    for (const auto& m : section.multipliers)
      if (m.label == label) return state.view(m.condition).truth[0] == kTrue;
  }
  for (const auto& gate : run.graph.gates)
    for (const auto& c : gate.criteria)
      if (c.label == label) return state.view(c.condition).truth[0] == kTrue;
  return false;
}

std::string shown(const std::string& cell) { return cell.empty() ? "(empty)" : cell; }

}  // namespace

bool parse_test_file(const SourceFilePtr& file, const ir::Program& program, Diagnostics& diags, TestFile& out) {
  CaseParser parser(file, program, diags);
  return parser.parse(out);
}

CaseResult run_test_case(const std::string& rules_path, const ir::Program& program, const TestCase& test) {
  CaseResult result;
  TempDir dir("leadscore-test");
  if (dir.path().empty()) {
    result.error = "cannot create a temporary directory";
    return result;
  }
  RunInputs inputs;
  inputs.rules = rules_path;
  inputs.leads = dir.path() + "/leads.csv";
  inputs.as_of = test.as_of;
  if (!write_file(inputs.leads, csv_table(program.lead_fields, {test.lead}, true))) {
    result.error = fmt::format("cannot write {}", inputs.leads);
    return result;
  }
  if (program.has_activity) {
    inputs.activities = dir.path() + "/activities.csv";
    if (!write_file(*inputs.activities, csv_table(program.activity_fields, test.events, false))) {
      result.error = fmt::format("cannot write {}", *inputs.activities);
      return result;
    }
  }
  Diagnostics diags;
  PreparedRun run;
  std::string error, rejected;
  if (!prepare_run(inputs, diags, run, error, [&](const RejectedRow& row) { rejected = row.reason; })) {
    result.error = diags.has_errors() ? "the rules do not compile" : error;
    return result;
  }
  if (run.leads.rows != 1) {
    result.error = fmt::format("the lead was not scored: {}", rejected);
    return result;
  }
  BatchState state(run.graph, false);
  evaluate_leads(run, 0, 1, state);
  ResultWriter writer(run.program, run.graph, OutputFormat::Csv, true);
  std::string row;
  Tally tally;
  tally.init(run.graph);
  writer.append_rows(run.leads, 0, 1, state, run.aggregates, row, tally);
  io::CsvReader reader(',');
  reader.open_memory(row);
  io::CsvRecord record;
  std::vector<std::string> cells;
  if (reader.next(record))
    for (auto f : record.fields) cells.emplace_back(f);

  for (const auto& e : test.expectations) {
    if (e.kind == Expectation::Kind::Fired || e.kind == Expectation::Kind::NotFired) {
      bool want = e.kind == Expectation::Kind::Fired;
      for (const auto& [label, pos] : e.labels)
        if (fired(run, state, label) != want)
          result.failures.push_back(CaseFailure{
              pos, fmt::format("{}: expected \"{}\" {}, but it did{}", e.key, label, want ? "to fire" : "not to fire",
                               want ? " not" : "")});
      continue;
    }
    std::string actual = e.column < cells.size() ? cells[e.column] : std::string{};
    if (actual != e.expected)
      result.failures.push_back(
          CaseFailure{e.pos, fmt::format("{}: expected {}, got {}", e.key, shown(e.expected), shown(actual))});
  }
  if (!result.failures.empty()) {
    result.explanation = explain_lead(run, 0, false);
    for (std::size_t f = 0; f < run.program.lead_fields.size(); ++f)
      if (f < run.leads.unparseable.size() && run.leads.unparseable[f] > 0)
        result.explanation += fmt::format("note: lead field {} = \"{}\" does not parse as its type; it was read as missing\n",
                                          run.program.lead_fields[f].name, test.lead[f]);
    for (std::size_t f = 0; f < run.events.unparseable.size(); ++f)
      if (run.events.unparseable[f] > 0)
        result.explanation += fmt::format("note: {} event value(s) of {} do not parse; they were read as missing\n",
                                          run.events.unparseable[f], run.program.activity_fields[f].name);
  }
  return result;
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

std::string github_text(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
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
  auto render = [&](const Diagnostics& diags) {
    for (const auto& d : diags.sorted()) out += github ? render_github(d) + render_text(d) : render_text(d);
  };
  for (const auto& rules : request.rules) {
    Diagnostics rule_diags;
    auto program = load_rules(rules, rule_diags);
    Diagnostics rule_errors;
    for (const auto& d : rule_diags.items())
      if (d.severity == Severity::Error) rule_errors.add(d);
    render(rule_errors);
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
      errors = true;
      continue;
    }
    Diagnostics diags;
    TestFile tests;
    bool parsed = parse_test_file(file, *program, diags, tests);
    render(diags);
    if (diags.has_errors()) errors = true;
    if (!parsed) continue;
    for (const auto& test : tests.cases) {
      if (!test.valid) {
        ++failed;
        out += fmt::format("FAIL {}: {} (the case has errors, see above)\n", test_path, test.name);
        continue;
      }
      CaseResult result = run_test_case(rules, *program, test);
      if (result.passed()) {
        ++passed;
        out += fmt::format("PASS {}: {}\n", test_path, test.name);
        continue;
      }
      ++failed;
      out += fmt::format("FAIL {}: {}\n", test_path, test.name);
      if (!result.error.empty()) {
        out += fmt::format("  {}:{}:{}: error: {}\n", test_path, test.pos.line, test.pos.column, result.error);
        if (github)
          out += fmt::format("::error file={},line={},col={}::{}\n", test_path, test.pos.line, test.pos.column,
                             github_text(fmt::format("case \"{}\": {}", test.name, result.error)));
        continue;
      }
      for (const auto& f : result.failures) {
        out += fmt::format("  {}:{}:{}: {}\n", test_path, f.pos.line, f.pos.column, f.message);
        if (github)
          out += fmt::format("::error file={},line={},col={}::{}\n", test_path, f.pos.line, f.pos.column,
                             github_text(fmt::format("case \"{}\": {}", test.name, f.message)));
      }
      out += "  explanation:\n";
      out += indent(result.explanation, "    ");
    }
  }
  out += fmt::format("{} passed, {} failed\n", passed, failed);
  return failed > 0 || errors ? 1 : 0;
}

}  // namespace leadscore::jobs

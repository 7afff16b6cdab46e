// What the checker refuses because it cannot be right (issue 11): control characters in texts that
// reach outputs, list paths that are not files, durations and points beyond their range; and the
// ruleset hash that ties a weights file to its ruleset.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <fstream>
#include <string>
#include <vector>

#include "common/temp_dir.hpp"
#include "engine/check/checker.hpp"
#include "parser/parser.hpp"

using namespace leadscore;

namespace {

const char* kHeader =
    "ruleset \"t\" version 1\n"
    "schema lead {\n"
    "  lead_id: id\n"
    "  country: string\n"
    "  verified: bool\n"
    "}\n"
    "schema activity {\n"
    "  lead_id: id\n"
    "  type: string\n"
    "  at: timestamp\n"
    "}\n";  // 11 lines: the body starts on line 12

std::vector<std::string> check(const std::string& text, const std::string& path = "t.rules") {
  auto file = std::make_shared<SourceFile>(path, text);
  Diagnostics diags;
  auto ast = parse_rules(file, diags);
  if (!diags.has_errors()) check_rules(ast, diags);
  std::vector<std::string> out;
  for (const auto& d : diags.sorted())
    out.push_back(d.path + ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " +
                  severity_name(d.severity) + ": " + d.message + (d.hint.empty() ? "" : " | " + d.hint));
  return out;
}

std::string first(const std::string& body) {
  auto diags = check(kHeader + body);
  return diags.empty() ? "" : diags.front();
}

std::optional<ir::Program> program_of(const std::string& text) {
  auto file = std::make_shared<SourceFile>("t.rules", text);
  Diagnostics diags;
  auto ast = parse_rules(file, diags);
  if (diags.has_errors()) return std::nullopt;
  return check_rules(ast, diags);
}

}  // namespace

TEST_CASE("checker: control characters in labels, names, values and list entries are refused") {
  const std::string hint =
      " | labels, names, classify values and list entries are shown in CSV, Markdown, HTML and CI annotations: "
      "write them on one line, without \\n, \\t or control characters";
  CHECK(first("score s { rule \"a\\nb\" when verified points 1 }\n") ==
        "t.rules:12:16: error: a label contains a line break (\\n)" + hint);
  CHECK(first("score s { rule \"a\\tb\" when verified points 1 }\n") ==
        "t.rules:12:16: error: a label contains a tab (\\t)" + hint);
  CHECK(first("score s { multiply \"x\\n::error::y\" when verified by 2 }\n") ==
        "t.rules:12:20: error: a label contains a line break (\\n)" + hint);
  CHECK(first("gate g { \"ok\\n\": verified }\n") == "t.rules:12:10: error: a gate criterion label contains a line break (\\n)" + hint);
  CHECK(first("classify q { \"hot\\t\" when verified \"cold\" otherwise }\n") ==
        "t.rules:12:14: error: a classify value contains a tab (\\t)" + hint);
  CHECK(first("list l = [\"US\", \"G\\nB\"]\nscore s { rule \"a\" when country in l points 1 }\n") ==
        "t.rules:12:17: error: a list entry contains a line break (\\n)" + hint);
  CHECK(first("score s { rule \"a\" when country in [\"a\\tb\"] points 1 }\n") ==
        "t.rules:12:37: error: a list entry contains a tab (\\t)" + hint);
  // A raw control byte (here ESC) in the file is refused as well, and a C1 control (U+0085).
  CHECK(first("score s { rule \"a\x1b[31m\" when verified points 1 }\n") ==
        "t.rules:12:16: error: a label contains the control character U+001B" + hint);
  CHECK(first("score s { rule \"a\xC2\x85\" when verified points 1 }\n") ==
        "t.rules:12:16: error: a label contains the control character U+0085" + hint);
  auto name = check("ruleset \"acme\\nx\" version 1\nschema lead { id: id }\n");
  REQUIRE_FALSE(name.empty());
  CHECK(name.front() == "t.rules:1:9: error: the ruleset name contains a line break (\\n)" + hint);
  // Ordinary labels, with quotes, unicode and symbols, are fine.
  CHECK(first("score s { rule \"Pricing \\\"x2\\\" ✓ (30d) | #1\" when verified points 1 }\n").empty());
}

TEST_CASE("checker: a classify value may not be one of the words the summaries write for no value") {
  // The score summary counts leads in no branch as `(none)` (so do handoff's groups), and its
  // run-over-run table has `(new)`, `(gone)` and `(unknown)` rows: a value spelt so would be counted
  // as one of them (`quadrant: hot 1, (none) 1, (none) 1`).
  const std::string hint =
      " | the summaries count leads in no branch as (none), and their run-over-run tables have (new), (gone) and "
      "(unknown) rows; write the value without parentheses, e.g. \"none\"";
  for (const char* word : {"(none)", "(new)", "(gone)", "(unknown)"}) {
    CAPTURE(word);
    CHECK(first(std::string("classify q { \"hot\" when verified \"") + word + "\" otherwise }\n") ==
          std::string("t.rules:12:34: error: \"") + word + "\" cannot be a classify value: the summaries use it" + hint);
  }
  // Anything else in parentheses, the words themselves, and route labels (always shown quoted) are fine.
  for (const char* value : {"none", "(None)", "(none) ", "(n/a)", "unknown"}) {
    CAPTURE(value);
    CHECK(first(std::string("classify q { \"hot\" when verified \"") + value + "\" otherwise }\n").empty());
  }
  CHECK(first("handoff { route \"(none)\" otherwise to \"sdr\" }\n").empty());
}

TEST_CASE("checker: list files must be regular files without control characters in entries") {
  TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  std::filesystem::create_directory(dir.path() + "/lists");
  REQUIRE(::mkfifo((dir.path() + "/pipe.txt").c_str(), 0600) == 0);
  std::ofstream(dir.path() + "/bad.txt") << "# comment\nok\n\tleading tab is trimmed\nin\x01side\n";
  const std::string rules = dir.path() + "/r.rules";
  auto with_list = [&](const std::string& file) {
    return check(std::string(kHeader) + "list l = file \"" + file + "\"\nscore s { rule \"a\" when country in l points 1 }\n",
                 rules);
  };
  auto diags = with_list("lists");
  REQUIRE_FALSE(diags.empty());
  CHECK(diags.front() == rules + ":12:15: error: list file \"" + dir.path() +
                             "/lists\" is a directory, not a regular file | a list file holds one entry a line; the path "
                             "is relative to the rules file's folder");
  diags = with_list("pipe.txt");  // would block, or be read once by one stage and empty for the next
  REQUIRE_FALSE(diags.empty());
  CHECK(diags.front().find("pipe.txt\" is a FIFO (named pipe), not a regular file") != std::string::npos);
  diags = with_list("bad.txt");
  REQUIRE(diags.size() == 1);
  CHECK(diags.front() == dir.path() + "/bad.txt:4:3: error: a list entry contains the control character U+0001 | "
                                      "one entry a line, without tabs or control characters inside it");
}

TEST_CASE("checker: durations beyond 100 years and points beyond 1B are errors at their position") {
  const std::string limit = "this duration is longer than 100 years (the limit: 36525d, 5217w or 876600h) | use at "
                            "most 36525d; a year is 365d or 52w";
  CHECK(first("score s { rule \"a\" when count(activity within 1000000000d) > 0 points 1 }\n") ==
        "t.rules:12:47: error: " + limit);
  CHECK(first("score s { rule \"a\" each activity within 36526d points 1 }\n") == "t.rules:12:41: error: " + limit);
  CHECK(first("score s { rule \"a\" each activity points 1 decay 5218w }\n") == "t.rules:12:49: error: " + limit);
  CHECK(first("score s { rule \"a\" each activity within 99999999999999999999999h points 1 }\n") ==
        "t.rules:12:41: error: " + limit);
  CHECK(first("score s { rule \"a\" each activity within 36525d points 1 decay 876600h }\n").empty());
  CHECK(first("score s { rule \"a\" when verified points 2B }\n") ==
        "t.rules:12:41: error: points 2B is beyond the limit of 1B (1,000,000,000) in magnitude | points, `by` "
        "factors and `max`/`min` are at most 1B; write a smaller scale");
  CHECK(first("score s { rule \"a\" when verified points -1000000001 }\n").rfind("t.rules:12:41: error: points -1000000001", 0) == 0);
  CHECK(first("score s { multiply \"m\" when verified by 1.5B }\n").rfind("t.rules:12:41: error: the factor 1.5B", 0) == 0);
  CHECK(first("score s max 10B { rule \"a\" when verified points 1 }\n").rfind("t.rules:12:13: error: `max` 10B", 0) == 0);
  CHECK(first("score s { rule \"a\" each activity points 1 max 2000000000 }\n").rfind("t.rules:12:47: error: `max` 2000000000", 0) == 0);
  CHECK(first("score s max 1B min -1B { rule \"a\" when verified points 1B }\n").empty());
  // Numbers in conditions are not points: revenue thresholds stay as large as they need.
  CHECK(first("score s { rule \"a\" when 10B > 1 points 1 }\n").empty());
}

TEST_CASE("checker: the ruleset hash ignores what calibration changes, not what the rules mean") {
  const std::string base = std::string(kHeader) +
                           "list l = [\"US\", \"CA\"]\n"
                           "score fit { rule \"US\" when country in l points 10\n"
                           "  rule \"Busy\" each activity where type == \"x\" within 30d points 2 max 10 }\n"
                           "mql when fit > 5\n";
  auto hash = [](const std::string& text) {
    auto p = program_of(text);
    REQUIRE(p);
    return p->rules_hash;
  };
  const std::string h = hash(base);
  CHECK(h.size() == 16);
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string text = base;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  // The same: the calibration line added, points and each-rule caps changed, version, comments, layout.
  CHECK(hash(replaced("ruleset \"t\" version 1\n", "ruleset \"t\" version 1\ncalibration \"w.yaml\"\n")) == h);
  CHECK(hash(replaced("points 10", "points 37.5")) == h);
  CHECK(hash(replaced("points 2 max 10", "points 1.25 max 6.25")) == h);
  CHECK(hash(replaced("version 1", "version 2")) == h);
  CHECK(hash(replaced("mql when fit > 5\n", "# why\nmql   when fit>5\n")) == h);
  // Different: another name, a changed condition, list, label, multiplier or limit.
  CHECK(hash(replaced("ruleset \"t\"", "ruleset \"u\"")) != h);
  CHECK(hash(replaced("within 30d", "within 31d")) != h);
  CHECK(hash(replaced("\"CA\"", "\"MX\"")) != h);
  CHECK(hash(replaced("rule \"US\"", "rule \"USA\"")) != h);
  CHECK(hash(replaced("fit > 5", "fit > 6")) != h);
  CHECK(hash(replaced("score fit {", "score fit max 50 {")) != h);
}

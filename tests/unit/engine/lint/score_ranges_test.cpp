// Thresholds outside a score's range: never true or always true, at the threshold's position, for
// the written points and for calibrated points with adopted limits and thresholds.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/check/checker.hpp"
#include "engine/lint/lint.hpp"
#include "engine/lint/score_ranges.hpp"
#include "parser/parser.hpp"

using namespace leadscore;

namespace {

const char* kHeader =
    "ruleset \"t\" version 1\n"
    "schema lead {\n"
    "  lead_id: id\n"
    "  a: bool\n"
    "  b: bool\n"
    "}\n"
    "schema activity {\n"
    "  lead_id: id\n"
    "  at: timestamp\n"
    "}\n";  // 10 lines: the body starts on line 11

std::optional<ir::Program> program_of(const std::string& body, Diagnostics& diags) {
  auto file = std::make_shared<SourceFile>("t.rules", kHeader + body);
  auto ast = parse_rules(file, diags);
  REQUIRE(!diags.has_errors());
  auto program = check_rules(ast, diags);
  REQUIRE(program);
  return program;
}

std::vector<std::string> warnings(const std::string& body, const ScoringNumbers* numbers = nullptr) {
  Diagnostics diags;
  auto program = program_of(body, diags);
  lint_score_ranges(*program, numbers, diags);
  std::vector<std::string> out;
  for (const auto& d : diags.sorted()) {
    out.push_back(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + d.message);
    CHECK_MESSAGE(!d.hint.empty(), d.message);
  }
  return out;
}

}  // namespace

TEST_CASE("score ranges: a threshold above the section's max is never true, at its position") {
  auto w = warnings("score fit max 100 {\n  rule \"A\" when a points 80\n  rule \"B\" when b points 70\n}\n"
                    "mql when fit >= 150\n");
  REQUIRE(w.size() == 1);
  CHECK(w[0] == "15:10: `fit >= 150` is never true: fit is at most 100 (its max 100)");
}

TEST_CASE("score ranges: without limits the range is the sums of negative and positive points") {
  auto w = warnings("score fit {\n  rule \"A\" when a points 30\n  rule \"B\" when b points -20\n}\n"
                    "mql when fit > 30\n"
                    "classify c {\n  \"x\" when fit >= -1000\n  \"y\" when fit < -20\n  \"z\" when fit between 0 and 30\n}\n");
  REQUIRE(w.size() == 3);
  CHECK(w[0] == "15:10: `fit > 30` is never true: fit is at most 30 (the sum of its positive points)");
  CHECK(w[1] == "17:12: `fit >= -1000` is always true: fit is at least -20 (the sum of its negative points)");
  CHECK(w[2] == "18:12: `fit < -20` is never true: fit is at least -20 (the sum of its negative points)");
}

TEST_CASE("score ranges: multipliers widen the range, each-rules without max are unbounded, `score` sums sections") {
  CHECK(warnings("score fit {\n  rule \"A\" when a points 50\n  multiply \"M\" when b by 2\n}\nmql when fit >= 90\n").empty());
  CHECK(warnings("score fit {\n  rule \"A\" when a points 50\n  multiply \"M\" when b by 2\n}\nmql when fit >= 101\n").size() == 1);
  CHECK(warnings("score e {\n  rule \"E\" each activity points 5\n}\nmql when e >= 1000\n").empty());
  auto capped = warnings("score e {\n  rule \"E\" each activity points 5 max 20\n}\nmql when e >= 25\n");
  REQUIRE(capped.size() == 1);
  CHECK(capped[0].find("e is at most 20") != std::string::npos);
  auto total = warnings("score f max 10 {\n  rule \"A\" when a points 20\n}\nscore g min 0 {\n  rule \"B\" when b points 5\n}\n"
                        "mql when score > 15 or score >= 0\n");
  REQUIRE(total.size() == 2);
  CHECK(total[0] == "17:10: `score > 15` is never true: score is at most 15 (the sum of the sections' highest values)");
  CHECK(total[1] == "17:24: `score >= 0` is always true: score is at least 0 (the sum of the sections' lowest values)");
}

TEST_CASE("score ranges: reachable thresholds, `30 <= fit` read as `fit >= 30`, lets and gates") {
  CHECK(warnings("score fit max 100 {\n  rule \"A\" when a points 80\n}\nmql when fit >= 50 and 30 <= fit\n").empty());
  auto w = warnings("score fit max 100 {\n  rule \"A\" when a points 80\n}\nlet hot = 150 <= fit\n"
                    "gate g {\n  \"Hot\": hot\n}\nmql when g\n");
  REQUIRE(w.size() == 1);
  CHECK(w[0] == "14:11: `fit >= 150` is never true: fit is at most 80 (the sum of its positive points)");
}

TEST_CASE("score ranges: lint_program reports them with the other warnings") {
  Diagnostics diags;
  auto file = std::make_shared<SourceFile>("t.rules", std::string(kHeader) +
                                                           "score fit max 100 {\n  rule \"A\" when a points 80\n}\n"
                                                           "mql when fit >= 150\n");
  auto ast = parse_rules(file, diags);
  auto program = check_rules(ast, diags);
  REQUIRE(program);
  lint_program(ast, *program, diags);
  REQUIRE(diags.warning_count() == 1);
  CHECK(diags.items()[0].message.find("`fit >= 150` is never true") != std::string::npos);
}

TEST_CASE("score ranges: calibrated points and adopted numbers, reported only when they newly do it") {
  const std::string body = "score fit max 60 {\n  rule \"A\" when a points 40\n  rule \"B\" when b points 20\n}\n"
                           "mql when fit >= 30\nclassify c {\n  \"hot\" when fit >= 50\n  \"cold\" otherwise\n}\n";
  CHECK(warnings(body).empty());
  ScoringNumbers numbers;
  numbers.source = "with the calibrated points of w.yaml";
  numbers.rules = {{{10, std::nullopt}, {5, std::nullopt}}};
  numbers.limits = {{60, std::nullopt}};
  // The written thresholds kept: 30 and 50 cannot be reached by 10 + 5 points.
  auto kept = warnings(body, &numbers);
  REQUIRE(kept.size() == 2);
  CHECK(kept[0] == "15:10: with the calibrated points of w.yaml, `fit >= 30` is never true: fit is at most 15 (the sum "
                   "of its positive points)");
  // Adopted: one reachable, one not.
  numbers.thresholds = {{"fit >= 30", 12}, {"fit >= 50", 20}};
  auto adopted = warnings(body, &numbers);
  REQUIRE(adopted.size() == 1);
  CHECK(adopted[0] == "17:14: with the calibrated points of w.yaml, `fit >= 20` (adopted for `fit >= 50`) is never "
                      "true: fit is at most 15 (the sum of its positive points)");
  // An adopted limit is a bound too.
  numbers.thresholds = {{"fit >= 30", 12}, {"fit >= 50", 14}};
  numbers.limits = {{13, std::nullopt}};
  auto limited = warnings(body, &numbers);
  REQUIRE(limited.size() == 1);
  CHECK(limited[0].find("`fit >= 14` (adopted for `fit >= 50`) is never true: fit is at most 13 (its max 13)") !=
        std::string::npos);
}

TEST_CASE("score ranges: section_range") {
  Diagnostics diags;
  auto program = program_of("score s max 50 min -10 {\n  rule \"A\" when a points 30\n  rule \"B\" when b points -40\n"
                            "  multiply \"M\" when a by 1.5\n  multiply \"N\" when b by 0.5\n}\nmql when s > 0\n",
                            diags);
  auto r = section_range(program->sections[0], nullptr, nullptr);
  CHECK(r.low == -10);  // -40 x 1.5 = -60, raised to -10
  CHECK(r.high == 45);  // 30 x 1.5
  ScoringNumbers::Limits none;
  std::vector<ScoringNumbers::Rule> rules{{30, std::nullopt}, {-40, std::nullopt}};
  r = section_range(program->sections[0], &rules, &none);
  CHECK(r.low == -60);
  CHECK(r.high == 45);
}

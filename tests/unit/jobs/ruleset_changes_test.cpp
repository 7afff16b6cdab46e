// The semantic diff of two rulesets: each declaration kind changed alone is reported, at its line in
// NEW; a change of layout, comments, version or list order is not.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "engine/check/checker.hpp"
#include "jobs/ruleset_changes.hpp"
#include "parser/parser.hpp"

using namespace leadscore;
using namespace leadscore::jobs;

namespace {

const char* kBase = R"(ruleset "t" version 1
schema lead {
  id:      id
  country: string
  size:    int
}
list icp = ["US", "CA"]
let big = size >= 100
score fit max 100 {
  rule "ICP"  when country in icp  points 15
  rule "Big"  when big             points 20
  multiply "Boost" when size >= 1000 by 1.5
}
gate cpal {
  "Has size": size is present
}
mql when cpal and fit >= 20
classify tier {
  "a" when fit >= 30
  "b" otherwise
}
)";

struct Version {
  ast::RulesFile file;
  std::optional<ir::Program> program;
};

std::unique_ptr<Version> load(const std::string& text) {
  auto v = std::make_unique<Version>();
  Diagnostics diags;
  v->file = parse_rules(std::make_shared<SourceFile>("t.rules", text), diags);
  v->program = check_rules(v->file, diags);
  REQUIRE_MESSAGE(!diags.has_errors(), text);
  return v;
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  return text.replace(at, from.size(), to);
}

std::vector<RulesetChange> changes_to(const std::string& new_text, std::string old_text = kBase,
                                      const std::string& old_weights = "", const std::string& new_weights = "") {
  auto a = load(old_text), b = load(new_text);
  return ruleset_changes({&a->file, &*a->program, old_weights, {}}, {&b->file, &*b->program, new_weights, {}});
}

void one_change(const std::string& from, const std::string& to, const std::string& kind, const std::string& name,
                const std::string& what, std::uint32_t line) {
  CAPTURE(from);
  CAPTURE(to);
  auto changes = changes_to(replaced(kBase, from, to));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == kind);
  CHECK(changes[0].name == name);
  CHECK(changes[0].what == what);
  CHECK(changes[0].line == line);
}

}  // namespace

TEST_CASE("ruleset changes: layout, comments, version and list order are no change") {
  CHECK(changes_to(kBase).empty());
  std::string reflowed = replaced(kBase, "rule \"ICP\"  when country in icp  points 15", "rule \"ICP\" when (country in icp) points 15 # ICP");
  reflowed = replaced(reflowed, "version 1", "version 2");
  reflowed = replaced(reflowed, "[\"US\", \"CA\"]", "[\"CA\",\n  \"US\"]");
  CHECK(changes_to(reflowed).empty());
}

TEST_CASE("ruleset changes: each declaration kind changed alone") {
  one_change("size:    int", "size:    number", "field", "lead.size", "changed", 5);
  one_change("[\"US\", \"CA\"]", "[\"US\", \"CA\", \"DE\"]", "list", "icp", "changed", 7);
  one_change("let big = size >= 100", "let big = size >= 200", "let", "big", "changed", 8);
  one_change("score fit max 100", "score fit max 90", "section", "fit", "changed", 9);
  one_change("points 15", "points 16", "rule", "ICP", "changed", 10);
  one_change("by 1.5", "by 2", "multiplier", "Boost", "changed", 12);
  one_change("size is present", "size >= 1", "criterion", "cpal: Has size", "changed", 15);
  one_change("mql when cpal and fit >= 20", "mql when fit >= 30", "mql", "mql", "changed", 17);
  one_change("\"a\" when fit >= 30", "\"a\" when fit >= 40", "branch", "tier: a", "changed", 19);
  one_change("ruleset \"t\"", "ruleset \"u\"", "ruleset", "name", "changed", 1);
}

TEST_CASE("ruleset changes: a list's entries as a detail, added, removed and moved items") {
  auto changes = changes_to(replaced(kBase, "[\"US\", \"CA\"]", "[\"US\", \"DE\", \"FR\"]"));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].detail == "+2 (DE, FR), -1 (CA)");
  CHECK(change_text(changes[0]) == "list \"icp\" changed: +2 (DE, FR), -1 (CA)");

  changes = changes_to(replaced(kBase, "  rule \"Big\"  when big             points 20\n", ""));
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].what == "removed");
  CHECK(changes[0].line == 9);  // the section that held it
  CHECK(change_text(changes[0]) == "rule \"Big\" removed: when big points 20");

  changes = changes_to(replaced(kBase, "gate cpal {", "score extra {\n  rule \"New\" when size > 5 points 1\n}\ngate cpal {"));
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].kind == "section");
  CHECK(changes[1].kind == "rule");
  CHECK(changes[1].what == "added");
  CHECK(changes[1].line == 15);
  CHECK(change_text(changes[1]) == "rule \"New\" added: when size > 5 points 1");
}

TEST_CASE("ruleset changes: the calibration line and its weights file's content") {
  std::string calibrated = std::string(kBase) + "calibration \"w.yaml\"\n";
  auto added = changes_to(calibrated);
  REQUIRE(added.size() == 1);
  CHECK(added[0].kind == "calibration");
  CHECK(added[0].what == "added");
  CHECK(added[0].line == 22);
  CHECK(changes_to(calibrated, calibrated, "aa", "aa").empty());
  auto reweighted = changes_to(calibrated, calibrated, "aa", "bb");
  REQUIRE(reweighted.size() == 1);
  CHECK(reweighted[0].new_text == "\"w.yaml\" (weights hash bb)");
}

TEST_CASE("ruleset changes: reordered classify branches are a change (the first match wins)") {
  std::string three = replaced(kBase, "  \"b\" otherwise", "  \"c\" when fit >= 10\n  \"b\" otherwise");
  std::string swapped = replaced(three, "  \"a\" when fit >= 30\n  \"c\" when fit >= 10", "  \"c\" when fit >= 10\n  \"a\" when fit >= 30");
  auto changes = changes_to(swapped, three);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].kind == "classify");
  CHECK(changes[0].name == "tier");
  CHECK(changes[0].what == "changed");
  CHECK(changes[0].line == 18);
  CHECK(change_text(changes[0]) == "classify \"tier\" changed: branches in order: \"a\", \"c\", \"b\" -> branches in order: \"c\", \"a\", \"b\"");
}

TEST_CASE("ruleset changes: reordering what order cannot change is no change") {
  // Points add up and factors multiply in any order; a gate holds when all its criteria hold;
  // fields, lists and declarations are found by name.
  std::string text = replaced(kBase, "  rule \"ICP\"  when country in icp  points 15\n  rule \"Big\"  when big             points 20\n",
                              "  rule \"Big\" when big points 20\n  rule \"ICP\" when country in icp points 15\n");
  text = replaced(text, "gate cpal {\n  \"Has size\": size is present\n}", "gate cpal {\n  \"Has country\": country is present\n  \"Has size\": size is present\n}");
  std::string old_text = replaced(kBase, "gate cpal {\n  \"Has size\": size is present\n}",
                                  "gate cpal {\n  \"Has size\": size is present\n  \"Has country\": country is present\n}");
  text = replaced(text, "  country: string\n  size:    int\n", "  size:    int\n  country: string\n");
  text = replaced(text, "list icp = [\"US\", \"CA\"]\nlet big = size >= 100\n", "let big = size >= 100\nlist icp = [\"US\", \"CA\"]\n");
  CHECK(changes_to(text, old_text).empty());
}

TEST_CASE("ruleset changes: adopted thresholds and limits show beside the item that holds them") {
  std::string calibrated = std::string(kBase) + "calibration \"w.yaml\"\n";
  auto a = load(calibrated), b = load(calibrated);
  const std::string& text = calibrated;
  const auto at = [&](const std::string& token) { return static_cast<std::uint32_t>(text.find(token)); };
  // `fit >= 20` of mql and `fit >= 30` of tier "a"; fit's max 100.
  std::vector<AdoptedNumber> before{{"", at("fit >= 20"), "fit >= 31 for 20"}, {"", at("fit >= 30"), "fit >= 44 for 30"},
                                    {"fit", 0, "max 150 for 100"}};
  CHECK(ruleset_changes({&a->file, &*a->program, "aa", before}, {&b->file, &*b->program, "aa", before}).empty());

  std::vector<AdoptedNumber> after = before;
  after[1].text = "fit >= 47 for 30";  // a refit moves the "a" threshold only
  auto moved = ruleset_changes({&a->file, &*a->program, "aa", before}, {&b->file, &*b->program, "bb", after});
  REQUIRE(moved.size() == 2);
  CHECK(moved[0].kind == "branch");
  CHECK(moved[0].name == "tier: a");
  CHECK(moved[0].old_text == "when fit >= 30 (calibrated: fit >= 44 for 30)");
  CHECK(moved[0].new_text == "when fit >= 30 (calibrated: fit >= 47 for 30)");
  CHECK(moved[0].line == 19);
  CHECK(moved[1].kind == "calibration");

  // Written points on the old side: the mql, the branch and the section say what calibration changed.
  auto adopted = ruleset_changes({&a->file, &*a->program, "aa", {}}, {&b->file, &*b->program, "aa", before});
  REQUIRE(adopted.size() == 3);
  CHECK(adopted[0].kind == "section");
  CHECK(adopted[0].new_text == "max 100 (calibrated: max 150 for 100)");
  CHECK(adopted[1].kind == "mql");
  CHECK(adopted[1].new_text == "when cpal and fit >= 20 (calibrated: fit >= 31 for 20)");
  CHECK(adopted[2].name == "tier: a");
}

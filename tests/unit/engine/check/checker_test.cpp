// Each checker diagnostic with its exact position, table-driven.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/check/checker.hpp"
#include "parser/parser.hpp"

using namespace leadscore;

namespace {

const char* kHeader =
    "ruleset \"t\" version 1\n"
    "schema lead {\n"
    "  lead_id: id\n"
    "  employees: int\n"
    "  country: string\n"
    "  verified: bool\n"
    "  created: date\n"
    "}\n"
    "schema activity {\n"
    "  lead_id: id\n"
    "  type: string\n"
    "  at: timestamp\n"
    "  amount: number\n"
    "}\n";  // 14 lines: the body starts on line 15

std::vector<std::string> check(const std::string& body, bool with_header = true) {
  auto file = std::make_shared<SourceFile>("t.rules", (with_header ? std::string(kHeader) : "") + body);
  Diagnostics diags;
  auto ast = parse_rules(file, diags);
  if (!diags.has_errors()) check_rules(ast, diags);
  std::vector<std::string> out;
  for (const auto& d : diags.sorted())
    out.push_back(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + severity_name(d.severity) +
                  ": " + d.message);
  return out;
}

// The first diagnostic with its hint: "LINE:COL: error: MESSAGE | HINT".
std::string first_with_hint(const std::string& body) {
  auto file = std::make_shared<SourceFile>("t.rules", std::string(kHeader) + body);
  Diagnostics diags;
  auto ast = parse_rules(file, diags);
  if (!diags.has_errors()) check_rules(ast, diags);
  const auto sorted = diags.sorted();
  if (sorted.empty()) return "no diagnostic";
  const auto& d = sorted.front();
  return std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + severity_name(d.severity) + ": " +
         d.message + " | " + d.hint;
}

struct Case {
  const char* body;
  const char* expected;  // first diagnostic
};

}  // namespace

TEST_CASE("checker accepts the building blocks") {
  CHECK(check("score s { rule \"a\" when employees >= 10 and country in [\"US\"] points 1 }\n").empty());
  CHECK(check("let big = employees >= 5000\nscore s { rule \"a\" when big points 1 }\n").empty());
  CHECK(check("score s { rule \"a\" when fit2 > 1 points 1 }\nscore fit2 { rule \"b\" when verified points 2 }\n").empty());
  CHECK(check("score s { rule \"a\" each activity where type == \"x\" within 30d points 2 max 10 decay 7d }\n").empty());
  CHECK(check("score s { rule \"a\" when sum(activity.amount where type == \"deal\") > 100 points 1 }\n").empty());
  CHECK(check("score s { rule \"a\" when days_since_last(activity) < 7 points 1 }\n").empty());
  CHECK(check("classify q { \"a\" when score > 5  \"b\" otherwise }\n").empty());
  CHECK(check("gate g { \"x\": verified  not verified is missing }\nmql when g\n").empty());
}

TEST_CASE("checker diagnostics point at the offending token") {
  const Case cases[] = {
      {"score s { rule \"a\" when employes >= 1 points 1 }\n",
       "15:25: error: unknown name `employes`; did you mean `employees`?"},
      {"score s { rule \"a\" when (employes) > 1 points 1 }\n",
       "15:26: error: unknown name `employes`; did you mean `employees`?"},
      {"score s { rule \"a\" when ((employes)) > 1 points 1 }\n",
       "15:27: error: unknown name `employes`; did you mean `employees`?"},
      {"score s { rule \"a\" when exists(activity where (typ) == \"x\") points 1 }\n",
       "15:48: error: unknown activity field `typ`; did you mean `type`?"},
      {"score s { rule \"a\" when country > \"US\" points 1 }\n",
       "15:33: error: `>` orders numbers and dates; it cannot be used on text"},
      {"score s { rule \"a\" when employees > \"50\" points 1 }\n",
       "15:37: error: cannot compare a number with text using `>`"},
      {"score s { rule \"a\" when verified == 1 points 1 }\n",
       "15:37: error: cannot compare a condition (true/false) with a number using `==`"},
      {"score s { rule \"a\" when employees points 1 }\n",
       "15:25: error: a rule's condition must be a condition (true or false), but this is a number"},
      {"score s { rule \"a\" when country in icp points 1 }\n", "15:36: error: unknown list `icp`"},
      {"list icp = [\"US\"]\nscore s { rule \"a\" when icp points 1 }\n",
       "16:25: error: `icp` is a list; use it with `in`, `not in` or `contains any`"},
      {"score s { rule \"a\" when domian(country) is present points 1 }\n",
       "15:25: error: unknown function `domian`; did you mean `domain`?"},
      {"score s { rule \"a\" when lower(country, country) is present points 1 }\n",
       "15:25: error: `lower` takes one argument, but 2 were given"},
      {"score s { rule \"a\" when days_since(country) > 1 points 1 }\n",
       "15:36: error: `days_since` needs a date, but this is text"},
      {"score s { rule \"a\" when day_of_week(employees) == 1 points 1 }\n",
       "15:37: error: `day_of_week` needs a date, but this is a number"},
      {"score s { rule \"a\" when hour(country) > 1 points 1 }\n",
       "15:30: error: `hour` needs a date, but this is text"},
      {"score s { rule \"a\" when month(created) == \"may\" points 1 }\n",
       "15:43: error: cannot compare a number with text using `==`"},
      {"score s { rule \"a\" when monht(created) == 5 points 1 }\n",
       "15:25: error: unknown function `monht`; did you mean `month`?"},
      {"score s { rule \"a\" when type == \"x\" points 1 }\n",
       "15:25: error: `type` is an activity field; it can only be used inside an activity `where` filter"},
      {"score s { rule \"a\" when exists(activity where country == \"US\") points 1 }\n",
       "15:47: error: `country` is a lead field; inside an activity `where` filter only activity fields can be used"},
      {"score s { rule \"a\" when exists(activity where typ == \"x\") points 1 }\n",
       "15:47: error: unknown activity field `typ`; did you mean `type`?"},
      {"score s { rule \"a\" when sum(activity.type) > 1 points 1 }\n",
       "15:38: error: `sum` adds numbers, but activity field `type` is string"},
      {"score s { rule \"a\" when verified points 1\n rule \"a\" when verified points 2 }\n",
       "16:7: error: label \"a\" is already used on line 15"},
      {"let x = 1\nlet x = 2\n", "16:5: error: `x` is already declared as a let on line 15"},
      {"let country = 1\n", "15:5: error: `country` is already declared as a lead field on line 5"},
      {"let a = b > 1\nlet b = a\n", "15:5: error: cycle between declarations: a -> b -> a"},
      {"score s { rule \"a\" when s > 1 points 1 }\n", "15:7: error: cycle between declarations: s -> s"},
      {"score s { rule \"a\" when score > 1 points 1 }\n", "15:7: error: cycle between declarations: s -> score -> s"},
      {"let hot = score > 50\nscore interest { rule \"b\" when hot points 1 }\n",
       "15:5: error: cycle between declarations: hot -> score -> interest -> hot"},
      {"score s { rule \"a\" each activity points 1 max -5 }\n",
       "15:47: error: write `max` as a positive number (got -5)"},
      {"classify q { \"a\" otherwise \"b\" when verified }\n",
       "15:28: error: a branch after `otherwise` can never be chosen"},
      {"mql when verified\nmql when verified\n", "16:1: error: `mql` is declared twice"},
      {"score s { rule \"a\" when not employees points 1 }\n",
       "15:29: error: `not` needs a condition (true/false), but this is a number"},
      {"score s { rule \"a\" when employees + country > 1 points 1 }\n",
       "15:37: error: arithmetic `+` needs a number, but this is text"},
      {"score s { rule \"a\" when verified and employees points 1 }\n",
       "15:38: error: `and` (right side) needs a condition (true/false), but this is a number"},
      {"list l = file \"no/such/file.txt\"\n", "15:15: error: cannot read list file \"no/such/file.txt\": No such file or directory"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.body);
    auto diags = check(c.body);
    REQUIRE_FALSE(diags.empty());
    CHECK(diags.front() == c.expected);
  }
}

TEST_CASE("checker reports several independent errors in one file") {
  auto diags = check(
      "score s {\n"
      "  rule \"a\" when employes > 1 points 1\n"
      "  rule \"b\" when contry == \"US\" points 1\n"
      "}\n");
  REQUIRE(diags.size() == 2);
  CHECK(diags[0].rfind("16:17: error: unknown name `employes`", 0) == 0);
  CHECK(diags[1].rfind("17:17: error: unknown name `contry`; did you mean `country`?", 0) == 0);
}

TEST_CASE("the ruleset's version is a whole number") {
  const std::string schema = "schema lead { lead_id: id }\n";
  for (const char* version : {"1.5", "2.5k", "2k", "1M", "3B", "1.0"}) {
    CAPTURE(version);
    auto diags = check("ruleset \"t\" version " + std::string(version) + "\n" + schema, false);
    REQUIRE(diags.size() == 1);
    CHECK(diags[0] == "1:21: error: the version must be a whole number in digits, not `" + std::string(version) + "`");
  }
  CHECK(check("ruleset \"t\" version 12\n" + schema, false).empty());
  CHECK(check("ruleset \"t\" version 1_000\n" + schema, false).empty());
}

TEST_CASE("schemas are validated") {
  CHECK(check("ruleset \"t\" version 1\nschema lead { a: string }\n", false).front() ==
        "2:8: error: `schema lead` needs one field of type `id`");
  CHECK(check("ruleset \"t\" version 1\nschema lead { a: id  b: id }\n", false).front() ==
        "2:25: error: a schema has exactly one `id` field; `a` is already the id");
  CHECK(check("ruleset \"t\" version 1\nschema lead { a: id }\nschema activity { l: id }\n", false).front() ==
        "3:8: error: `schema activity` needs one field of type `timestamp` (when the event happened)");
  CHECK(check("ruleset \"t\" version 1\nlet x = 1\n", false).front() ==
        "1:1: error: a ruleset needs a `schema lead { ... }` declaration");
  CHECK(check("ruleset \"t\" version 1\nschema lead { a: id  b: string from row }\n", false).front() ==
        "2:37: error: `from row` is only for the lead schema's `id` field");
  CHECK(check("ruleset \"t\" version 1\nschema lead { a: id }\nscore s { rule \"x\" when exists(activity) points 1 }\n",
              false)
            .front() == "3:25: error: `exists(activity ...)` needs a `schema activity` declaration");
}

TEST_CASE("gate criteria labels may repeat rule labels, as in the contract's example") {
  CHECK(check("score s { rule \"Verified\" when verified points 1 }\ngate g { \"Verified\": verified }\n").empty());
  CHECK(check("gate g { \"V\": verified  \"V\": verified }\n").front() == "15:25: error: label \"V\" is already used on line 15");
}

TEST_CASE("names inside an activity filter are activity fields, and the messages say so") {
  CHECK(first_with_hint("score s { rule \"a\" when exists(activity where zzz == 1) points 1 }\n") ==
        "15:47: error: unknown activity field `zzz` | declare it in `schema activity`");
  CHECK(first_with_hint("score s { rule \"a\" when exists(activity where typ == \"x\") points 1 }\n") ==
        "15:47: error: unknown activity field `typ`; did you mean `type`? | replace `typ` with `type`");
  CHECK(first_with_hint("score s { rule \"a\" when exists(activity where score > 1) points 1 }\n") ==
        "15:47: error: `score` cannot be used in an activity filter; inside `where` only activity fields can be "
        "used | move the condition on the score outside the aggregate, e.g. exists(activity where ...) and score > 50");
  CHECK(first_with_hint("let big = employees > 1\nscore s { rule \"a\" when exists(activity where big) points 1 }\n") ==
        "16:47: error: `big` is a let; inside an activity `where` filter only activity fields can be used | move the "
        "lead condition outside the aggregate, e.g. exists(activity where ...) and big");
  CHECK(first_with_hint("score s { rule \"a\" when sum(activity.zzz) > 1 points 1 }\n") ==
        "15:38: error: unknown activity field `zzz` | declare it in `schema activity`");
  CHECK(first_with_hint("score s { rule \"a\" when sum(activity.amont) > 1 points 1 }\n") ==
        "15:38: error: unknown activity field `amont`; did you mean `amount`? | replace `amont` with `amount`");
  CHECK(first_with_hint("score s { rule \"a\" when sum(activity.employees) > 1 points 1 }\n") ==
        "15:38: error: `employees` is a lead field; `sum(activity.FIELD)` adds up a number field of the activity | "
        "declare the field in `schema activity` as `int` or `number`");
}

TEST_CASE("an activity field outside an aggregate gets an example that fits its type") {
  CHECK(first_with_hint("score s { rule \"a\" when amount > 1 points 1 }\n") ==
        "15:25: error: `amount` is an activity field; it can only be used inside an activity `where` filter or as "
        "sum(activity.amount) | e.g. sum(activity.amount) > 0 or exists(activity where amount > 0)");
  CHECK(first_with_hint("score s { rule \"a\" when days_since(at) < 3 points 1 }\n") ==
        "15:36: error: `at` is an activity field; it can only be used inside an activity `where` filter | e.g. "
        "days_since_last(activity) <= 30, exists(activity within 30d) or exists(activity where hour(at) >= 18)");
  CHECK(first_with_hint("score s { rule \"a\" when type == \"x\" points 1 }\n") ==
        "15:25: error: `type` is an activity field; it can only be used inside an activity `where` filter | e.g. "
        "exists(activity where type == \"...\")");
}

TEST_CASE("the hint of a repeated label says which labels must differ") {
  CHECK(first_with_hint("score s { rule \"a\" when verified points 1\n multiply \"a\" when verified by 2 }\n") ==
        "16:11: error: label \"a\" is already used on line 15 | every rule and multiplier of the file needs its own "
        "label");
  CHECK(first_with_hint("gate g { \"a\": verified\n \"a\": employees > 1 }\n") ==
        "16:2: error: label \"a\" is already used on line 15 | every criterion of a gate needs its own label (it may "
        "repeat a rule's label)");
  // What that hint allows: a criterion labelled like a rule.
  CHECK(check("score s { rule \"a\" when verified points 1 }\ngate g { \"a\": verified }\n").empty());
}

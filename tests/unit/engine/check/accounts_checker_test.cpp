// The checker's account rules: what account rules may read, what lead rules may read of their
// account, and the cycle through an account, each with its exact message and position.
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
    "  email: string\n"
    "  account_id: string\n"
    "  department: string\n"
    "}\n"
    "schema account {\n"
    "  account_id: id\n"
    "  country: string\n"
    "}\n"
    "account key account_id\n"
    "score interest { rule \"Any\" when department is present points 10 }\n";  // the body starts on line 14

std::vector<std::string> check(const std::string& body, const char* header = kHeader) {
  auto file = std::make_shared<SourceFile>("t.rules", std::string(header) + body);
  Diagnostics diags;
  auto ast = parse_rules(file, diags);
  if (!diags.has_errors()) check_rules(ast, diags);
  std::vector<std::string> out;
  for (const auto& d : diags.sorted())
    out.push_back(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + d.message);
  return out;
}

}  // namespace

TEST_CASE("accounts: every construct checks") {
  CHECK(check("account score engagement max 100 {\n"
              "  rule \"n\" when count(leads) >= 2 points 1\n"
              "  rule \"e\" when exists(leads where interest > 0) points 1\n"
              "  rule \"d\" when distinct(department of leads where interest > 0) >= 2 points 1\n"
              "  rule \"x\" when max(interest of leads) >= 5 and min(interest of leads) < 5 points 1\n"
              "  rule \"s\" when sum(interest of leads) + avg(interest of leads) > 0 points 1\n"
              "  rule \"t\" when top(3, interest of leads) >= 30 points 1\n"
              "  rule \"c\" when country == \"US\" points 1\n"
              "  rule \"each\" each lead where interest > 0 points 5 max 20\n"
              "}\n"
              "account gate ok { engagement > 0 }\n"
              "account classify tier { \"a\" when ok  \"b\" otherwise }\n"
              "mqa when engagement >= 3 and tier == \"a\"\n"
              "mql when interest >= 10 and account.mqa and account.country == \"US\" and account.engagement > 0\n")
            .empty());
  // An account section may share a lead section's name: they live apart.
  CHECK(check("account score interest { rule \"n\" when count(leads) >= 2 points 1 }\n"
              "mql when interest > 0 and account.interest > 0\n")
            .empty());
  // A domain key with an except list.
  CHECK(check("score s { rule \"r\" when department is present points 1 }\n"
              "account key domain(email) except [\"example.com\"]\n"
              "account score a { rule \"n\" when count(leads) >= 2 points 1 }\n",
              "ruleset \"t\" version 1\nschema lead {\n  lead_id: id\n  email: string\n  department: string\n}\n")
            .empty());
}

TEST_CASE("accounts: what each side may read") {
  const std::pair<const char*, const char*> cases[] = {
      {"account score a { rule \"r\" when department == \"IT\" points 1 }\n",
       "14:33: `department` is a lead field; an account rule sees account fields, account results and aggregates over "
       "the account's leads"},
      {"account score a { rule \"r\" when score > 1 points 1 }\n",
       "14:33: `score` is the lead's total score; an account rule sees account fields, account results and aggregates "
       "over the account's leads"},
      {"account score a { rule \"r\" when exists(activity) points 1 }\n",
       "14:33: `exists(activity ...)` looks at one lead's events; an account rule aggregates them over the account's "
       "leads"},
      {"score b { rule \"r\" when count(leads) > 1 points 1 }\n",
       "14:25: `count(... leads ...)` aggregates the leads of an account; it belongs in an account rule"},
      {"score b { rule \"r\" each lead where interest > 0 points 1 }\n", "14:25: `each lead` is for account sections"},
      {"account score a { rule \"r\" when max(department of leads) > 1 points 1 }\n",
       "14:37: `max` needs a number or a date, but this is text"},
      {"account score a { rule \"r\" when top(0, interest of leads) > 1 points 1 }\n",
       "14:37: `top` takes a whole number of leads from 1 to 1000"},
      {"account score a { rule \"r\" when count(leads where account.b > 1) > 1 points 1 }\n"
       "account score b { rule \"s\" when count(leads) > 1 points 1 }\n",
       "14:51: inside an aggregate over leads, `account.` can only name account fields, not the score section `b`"},
      {"mql when account.nothing > 1\n", "14:10: unknown account value `nothing`"},
      {"account score a { rule \"r\" when count(leads) > 1 points 1 }\nmql when a > 1\n",
       "15:10: `a` is an account value; a lead rule reads it as account.a"},
      {"mqa when count(leads) > 1\nmqa when count(leads) > 2\n", "15:1: `mqa` is declared twice"},
  };
  for (const auto& c : cases) {
    const std::string body = c.first, expected = c.second;
    CAPTURE(body);
    auto errors = check(body);
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front() == expected);
  }
}

TEST_CASE("accounts: a lead value an aggregate reads cannot depend on the account (the cycle, with its path)") {
  // fit reads the account's engagement, which counts leads by fit.
  auto errors = check(
      "score fit { rule \"engaged account\" when account.engagement >= 10 points 20 }\n"
      "account score engagement { rule \"fit leads\" when count(leads where fit >= 20) >= 2 points 10 }\n");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "14:7: cycle between declarations: fit -> account.engagement -> fit");
  // Through a lead gate and the mqa.
  errors = check(
      "gate warm { account.mqa }\n"
      "account score engagement { rule \"warm leads\" each lead where warm points 10 }\n"
      "mqa when engagement >= 10\n");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "15:51: cycle through the account: this aggregate over leads reads warm -> account.engagement");
  // Between account sections only: the ordinary cycle error, with account names.
  errors = check(
      "account score a { rule \"r\" when b > 1 points 1 }\n"
      "account score b { rule \"s\" when a > 1 points 1 }\n");
  REQUIRE_FALSE(errors.empty());
  CHECK(errors[0] == "14:15: cycle between declarations: account.a -> account.b -> account.a");
}

TEST_CASE("accounts: declarations that need an account key or schema") {
  const char* no_key =
      "ruleset \"t\" version 1\nschema lead {\n  lead_id: id\n  account_id: string\n}\n";  // body on line 6
  auto errors = check("account score a { rule \"r\" when count(leads) > 1 points 1 }\n", no_key);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "6:15: account rules need an `account key` declaration");
  errors = check("score s { rule \"r\" when account.a > 1 points 1 }\n", no_key);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "6:25: `account.a` needs an `account key` declaration");
  errors = check("account key account_id\naccount key account_id\n", no_key);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "7:1: `account key` is declared twice");
  errors = check("score s { rule \"r\" when account_id is present points 1 }\naccount key s\n", no_key);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "7:13: the account key is built from lead fields, not from the score section `s`");
  errors = check("account key 5\n", no_key);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "6:13: the account key must be text (an id or a domain)");
  errors = check("schema account { name: string }\naccount key account_id\n", no_key);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0] == "6:8: `schema account` needs one field of type `id`");
}

// The grammar and the parser: text in, dump() or the exact rendered diagnostic out.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "parser/ast_dump.hpp"
#include "parser/parser.hpp"

using namespace leadscore;

namespace {

struct Parsed {
  ast::RulesFile file;
  Diagnostics diags;
};

Parsed parse_text(std::string text, std::string path = "t.rules") {
  Parsed p;
  p.file = parse_rules(std::make_shared<SourceFile>(std::move(path), std::move(text)), p.diags);
  return p;
}

// The dump of `let x = EXPR`'s value, or the first diagnostic when it does not parse.
std::string expr(const std::string& text) {
  Parsed p = parse_text("let x = " + text + "\n");
  if (p.diags.has_errors()) return "ERROR " + p.diags.sorted().front().message;
  return ast::dump(*std::get<ast::LetDecl>(p.file.declarations.at(0)).value);
}

std::string declarations(const std::string& text) {
  Parsed p = parse_text(text);
  if (p.diags.has_errors()) return "ERROR " + render_text(p.diags.sorted().front());
  return ast::dump(p.file);
}

std::string rendered_errors(const std::string& text) {
  Parsed p = parse_text(text);
  std::string out;
  for (const auto& d : p.diags.sorted()) out += render_text(d);
  return out;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

TEST_CASE("parser: expressions, precedence and associativity") {
  struct Case {
    const char* input;
    const char* dump;
  };
  const Case cases[] = {
      {"employees >= 5000 and country in icp", "(and (>= employees 5000) (in country icp))"},
      {"a or b and c", "(or a (and b c))"},
      {"a and b or c", "(or (and a b) c)"},
      {"a or b or c", "(or (or a b) c)"},
      {"not a and b", "(and (not a) b)"},
      {"not not a", "(not (not a))"},
      {"not x > 5", "(not (> x 5))"},
      {"a - b - c", "(- (- a b) c)"},
      {"a / b * c", "(* (/ a b) c)"},
      {"a + b * c", "(+ a (* b c))"},
      {"(a + b) * c", "(* (+ a b) c)"},
      {"-x * 2", "(* (neg x) 2)"},
      {"- -3", "(neg (neg 3))"},
      {"a == 1", "(== a 1)"},
      {"a != \"x\"", "(!= a \"x\")"},
      {"a < 1", "(< a 1)"},
      {"a <= 1", "(<= a 1)"},
      {"a > 1", "(> a 1)"},
      {"a >= 1 + 2", "(>= a (+ 1 2))"},
      {"x between 1 + 1 and 10", "(between x (+ 1 1) 10)"},
      {"x between 1 and 2 and y", "(and (between x 1 2) y)"},
      {"c in [\"US\", \"CA\",]", "(in c [\"US\" \"CA\"])"},
      {"c in []", "(in c [])"},
      {"c not in icp", "(not-in c icp)"},
      {"not c in icp", "(not (in c icp))"},
      {"t contains any [\"vp\"]", "(contains-any t [\"vp\"])"},
      {"t contains \"vp\"", "(contains t \"vp\")"},
      {"url starts with \"/careers\"", "(starts-with url \"/careers\")"},
      {"url ends with \".pdf\"", "(ends-with url \".pdf\")"},
      {"phone is missing", "(is-missing phone)"},
      {"phone is present or x", "(or (is-present phone) x)"},
      {"true and not false", "(and true (not false))"},
      {"domain(email) in free_mail", "(in (call domain email) free_mail)"},
      {"f()", "(call f)"},
      {"max_of(a, b + 1, lower(c))", "(call max_of a (+ b 1) (call lower c))"},
      {"score >= 50", "(>= score 50)"},
      {"lead + date", "(+ lead date)"},
      {"count(activity) >= 1", "(>= (count activity) 1)"},
      {"count(activity where type == \"demo\" within 30d)",
       "(count activity (where (== type \"demo\")) (within 30d:2592000))"},
      {"exists(activity within 4h)", "(exists activity (within 4h:14400))"},
      {"sum(activity.amount where amount > 0 within 2w)",
       "(sum activity.amount (where (> amount 0)) (within 2w:1209600))"},
      {"days_since_last(activity where type == \"visit\")", "(days_since_last activity (where (== type \"visit\")))"},
      {"count(x)", "(call count x)"},
      {"\"a\\\"b\\\\c\\nd\\te\"", "\"a\\\"b\\\\c\\nd\\te\""},
      {"a # comment\n and # another\n b", "(and a b)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(expr(c.input) == c.dump);
  }
}

TEST_CASE("parser: numbers, suffixes, underscores and durations") {
  const std::pair<const char*, const char*> cases[] = {
      {"42", "42"},          {"0.5", "0.5"},           {"1_000_000", "1000000"}, {"2.5k", "2500"},
      {"10M", "10000000"},   {"1.5B", "1500000000"},   {"0.25M", "250000"},      {"1_0.0_5", "10.05"},
      {"-3", "(neg 3)"},     {"7 - 2", "(- 7 2)"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.first);
    CHECK(expr(c.first) == c.second);
  }
  CHECK(expr("1__0") == "ERROR malformed number `1__0`: `_` only goes between two digits");
  CHECK(expr("1_") == "ERROR malformed number `1_`: `_` only goes between two digits");
  CHECK(expr("10Mx") == "ERROR malformed number `10Mx`: `Mx` is not a number suffix");
  CHECK(expr("10m") == "ERROR malformed number `10m`: `m` is not a number suffix");

  Parsed p = parse_text("score s { rule \"r\" when x points 2.5k }");
  REQUIRE_FALSE(p.diags.has_errors());
  const auto& points = std::get<ast::WhenRule>(std::get<ast::ScoreDecl>(p.file.declarations[0]).items[0].body).points;
  CHECK(points.value == 2500);
  CHECK(points.text == "2.5k");
  CHECK(points.pos.column == 34);
}

namespace {

// The value of `let x = TEXT` (a number literal) as parsed.
double literal_value(const std::string& text) {
  Parsed p = parse_text("let x = " + text + "\n");
  REQUIRE_FALSE(p.diags.has_errors());
  return std::get<ast::NumberLit>(std::get<ast::LetDecl>(p.file.declarations.at(0)).value->node).value;
}

}  // namespace

TEST_CASE("parser: a suffixed number is the double nearest its exact decimal value, not a product") {
  // 8.3 x 1e6 is 8300000.000000001 and 1.005 x 1e3 is 1004.9999999999999: a threshold written as
  // 8.3M would miss a revenue of exactly 8,300,000. Every x.y and x.yy with k, M and B is a whole number.
  const std::pair<char, std::int64_t> suffixes[] = {{'k', 1'000}, {'M', 1'000'000}, {'B', 1'000'000'000}};
  for (const auto& [suffix, scale] : suffixes)
    for (std::int64_t whole = 0; whole < 100; ++whole)
      for (std::int64_t hundredths = 0; hundredths < 100; ++hundredths) {
        const std::string two = fmt::format("{}.{:02}{}", whole, hundredths, suffix);
        CAPTURE(two);
        CHECK(literal_value(two) == static_cast<double>(whole * scale + hundredths * scale / 100));
        if (hundredths % 10 == 0) {
          const std::string one = fmt::format("{}.{}{}", whole, hundredths / 10, suffix);
          CAPTURE(one);
          CHECK(literal_value(one) == static_cast<double>(whole * scale + hundredths * scale / 100));
        }
      }
  CHECK(literal_value("8.3M") == 8'300'000.0);
  CHECK(literal_value("16.1k") == 16'100.0);
  CHECK(literal_value("1.005k") == 1'005.0);
  CHECK(literal_value("1_234.567_891M") == 1'234'567'891.0);
  CHECK(literal_value("0.000_000_001B") == 1.0);
  // Fractions that stay fractions are the double nearest the decimal, as if written out in full.
  CHECK(literal_value("0.0001k") == 0.1);
  CHECK(literal_value("0.0000003M") == 0.3);
  CHECK(literal_value("1.0000000007B") == 1'000'000'000.7);
  CHECK(literal_value("123.456789012345678M") == 123'456'789.012345678);
}

namespace {

// The first diagnostic of `text` with its hint: "LINE:COL: MESSAGE | HINT".
std::string first_error_with_hint(const std::string& text) {
  Parsed p = parse_text(text);
  if (!p.diags.has_errors()) return "no error";
  const auto d = p.diags.sorted().front();
  return std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + d.message + " | " + d.hint;
}

}  // namespace

TEST_CASE("parser: a malformed number says what is wrong with it and how to write it") {
  const std::pair<const char*, const char*> cases[] = {
      {"let a = b > 1__0", "1:13: malformed number `1__0`: `_` only goes between two digits | e.g. 1_000_000"},
      {"let a = b > 10X",
       "1:13: malformed number `10X`: `X` is not a number suffix | a number may end in k (thousands), M (millions) or "
       "B (billions), nothing else"},
      {"let a = b > 10m",
       "1:13: malformed number `10m`: `m` is not a number suffix | M (capital) means millions; k = thousands, B = "
       "billions"},
      {"let a = b > 10K",
       "1:13: malformed number `10K`: `K` is not a number suffix | k (lower case) means thousands; M = millions, B = "
       "billions"},
      {"let a = b > 1e5", "1:13: malformed number `1e5`: exponents (`e`) are not supported | write 100k or 100_000"},
      {"let a = b > 2.5e6", "1:13: malformed number `2.5e6`: exponents (`e`) are not supported | write 2.5M or 2_500_000"},
      {"let a = b > 1.5e-3", "1:13: malformed number `1.5e-3`: exponents (`e`) are not supported | write 0.0015"},
      {"let a = b > .5", "1:13: malformed number `.5`: a number starts with a digit | write 0.5"},
      {"score s { rule \"A\" when a points 1e400 }",
       "1:34: malformed number `1e400`: exponents (`e`) are not supported | write the number in digits, with k, M or "
       "B for thousands, millions or billions"},
      {"score s max 10m { }",
       "1:13: malformed number `10m`: `m` is not a number suffix | M (capital) means millions; k = thousands, B = "
       "billions"},
      // A duration is not a malformed number; where a duration is expected, the message stays about durations.
      {"let a = b > 30d", "1:13: expected a value after `>` | a number, field or expression, e.g. employees > 500 (a "
                          "rule ends with `points N`: when employees > 500 points 5)"},
      {"score s { rule \"A\" each activity within 3m points 1 }",
       "1:41: expected a duration after `within`, e.g. 30d (h = hours, d = days, w = weeks) | a whole number and a "
       "unit, e.g. within 30d"},
  };
  for (const auto& [text, expected] : cases) {
    CAPTURE(text);
    CHECK(first_error_with_hint(text) == expected);
  }
}

TEST_CASE("parser: `max` and `decay` after a `when` rule or a multiplier say they belong to `each` rules") {
  const std::pair<const char*, const char*> cases[] = {
      {"score s { rule \"A\" when a points 1 max 5 }",
       "1:36: `max` only applies to `each` rules, which add points per event: rule \"LABEL\" each activity where ... "
       "points P max M decay 30d | a `when` rule adds its points once; to add them per event, write the rule "
       "with `each activity`"},
      {"score s { rule \"A\" when a points 1 decay 3d }",
       "1:36: `decay` only applies to `each` rules, which add points per event: rule \"LABEL\" each activity where ... "
       "points P max M decay 30d | a `when` rule adds its points once; to add them per event, write the rule "
       "with `each activity`"},
      {"score s { multiply \"A\" when a by 2 max 5 }",
       "1:36: `max` only applies to `each` rules, which add points per event: rule \"LABEL\" each activity where ... "
       "points P max M decay 30d | a `when` rule adds its points once; to add them per event, write the rule "
       "with `each activity`"},
  };
  for (const auto& [text, expected] : cases) {
    CAPTURE(text);
    CHECK(first_error_with_hint(text) == expected);
  }
  CHECK(first_error_with_hint("score s { rule \"A\" each activity points 1 max 5 decay 3d }") == "no error");
}

TEST_CASE("parser: comparisons do not chain, and the message says so") {
  const std::pair<const char*, const char*> cases[] = {
      {"let a = n > 1 == b",
       "1:15: comparisons do not chain: join them with `and` (a < b and b < c) or group one in parentheses "
       "((a > 1) == b) | for a range, write employees between 200 and 4_999"},
      {"let a = (1 < n < 5)",
       "1:16: comparisons do not chain: join them with `and` (a < b and b < c) or group one in parentheses "
       "((a > 1) == b) | for a range, write employees between 200 and 4_999"},
      {"let a = n between 1 and 2 != b",
       "1:27: comparisons do not chain: join them with `and` (a < b and b < c) or group one in parentheses "
       "((a > 1) == b) | for a range, write employees between 200 and 4_999"},
  };
  for (const auto& [text, expected] : cases) {
    CAPTURE(text);
    CHECK(first_error_with_hint(text) == expected);
  }
  CHECK(expr("(n > 1) == b") == "(== (> n 1) b)");
  CHECK(expr("n > 1 and n < 5") == "(and (> n 1) (< n 5))");
}

TEST_CASE("parser: every declaration") {
  CHECK(declarations("ruleset \"acme\" version 7\n") == "(ruleset \"acme\" 7)\n");
  CHECK(declarations("schema lead {\n  lead_id: id from row\n  date: date\n  n: number from \"Number (#)\" # c\n"
                     "  from: string\n  t: timestamp\n  b: bool\n  i: int\n  s: string\n}") ==
        "(schema lead (lead_id id (from row)) (date date) (n number (from \"Number (#)\")) (from string) "
        "(t timestamp) (b bool) (i int) (s string))\n");
  CHECK(declarations("schema activity { lead_id: id at: timestamp }") ==
        "(schema activity (lead_id id) (at timestamp))\n");
  CHECK(declarations("list icp = [\"US\", \"CA\"]\nlist free = file \"lists/free.txt\"\nlist none = []") ==
        "(list icp [\"US\" \"CA\"])\n(list free (file \"lists/free.txt\"))\n(list none [])\n");
  CHECK(declarations("let big = employees >= 500") == "(let big (>= employees 500))\n");
  CHECK(declarations("score fit max 100 min -10 {\n"
                     "  rule \"A\" when a points -20\n"
                     "  rule \"B\" each activity where type == \"w\" within 90d points 3 max 9 decay 30d\n"
                     "  rule \"C\" each activity points 1\n"
                     "  multiply \"M\" when b by 1.2\n"
                     "  multiply \"N\" when c by -1\n"
                     "}") ==
        "(score fit (max 100) (min -10) (rule \"A\" (when a) (points -20)) (rule \"B\" (each (where (== type \"w\")) "
        "(within 90d:7776000) (points 3) (max 9) (decay 30d:2592000))) (rule \"C\" (each (points 1))) "
        "(multiply \"M\" (when b) (by 1.2)) (multiply \"N\" (when c) (by -1)))\n");
  CHECK(declarations("score empty {}") == "(score empty)\n");
  CHECK(declarations("gate g {\n  \"ICP\": a\n  not b\n  \"x\" == c\n}") ==
        "(gate g (\"ICP\" a) ((not b)) ((== \"x\" c)))\n");
  CHECK(declarations("mql when g and fit >= 40") == "(mql (and g (>= fit 40)))\n");
  CHECK(declarations("classify q {\n  \"hot\" when a\n  \"drop\" otherwise\n}") ==
        "(classify q (\"hot\" a) (\"drop\" otherwise))\n");
  CHECK(declarations("calibration \"weights/acme.yaml\"") == "(calibration \"weights/acme.yaml\")\n");
  CHECK(declarations("\xEF\xBB\xBFlet a = 1") == "(let a 1)\n");
  CHECK(declarations("") == "");
  CHECK(declarations("  # only a comment\n\n") == "");
}

TEST_CASE("parser: positions are those of the first token") {
  Parsed p = parse_text("ruleset \"r\" version 1\n\nscore fit {\n  rule \"A\" when (a or b) and c points 1\n}\n");
  REQUIRE_FALSE(p.diags.has_errors());
  CHECK(p.file.ruleset->pos == SourcePos{1, 1, 0});
  CHECK(p.file.ruleset->name_pos.column == 9);
  const auto& score = std::get<ast::ScoreDecl>(p.file.declarations[0]);
  CHECK(score.pos.line == 3);
  CHECK(score.name_pos.column == 7);
  const auto& item = score.items[0];
  CHECK(item.pos == SourcePos{4, 3, 37});
  CHECK(item.label_pos.column == 8);
  const auto& condition = *std::get<ast::WhenRule>(item.body).condition;
  CHECK(condition.pos.column == 17);  // the `(`
  const auto& binary = std::get<ast::Binary>(condition.node);
  CHECK(binary.op_pos.column == 26);
  CHECK(binary.rhs->pos.column == 30);
}

TEST_CASE("parser: comments are collected, # inside strings is text") {
  Parsed p = parse_text("# head\nschema lead { # after brace\n  id: id # field\n}\nlet a = \"#not\" # tail\r\n");
  REQUIRE_FALSE(p.diags.has_errors());
  REQUIRE(p.file.comments.size() == 4);
  CHECK(p.file.comments[0].text == "# head");
  CHECK(p.file.comments[1].text == "# after brace");
  CHECK(p.file.comments[1].pos == SourcePos{2, 15, 21});
  CHECK(p.file.comments[2].text == "# field");
  CHECK(p.file.comments[3].text == "# tail");
  CHECK(ast::dump(p.file) == "(schema lead (id id))\n(let a \"#not\")\n");
}

TEST_CASE("parser: syntax errors are rendered at the offending token") {
  struct Case {
    const char* input;
    const char* rendered;
  };
  const Case cases[] = {
      {"score fit {\n  rule \"Big\" when employees >= 5000 pts 20\n}",
       "t.rules:2:37: error: expected `points` after the rule's condition\n"
       " 2 |   rule \"Big\" when employees >= 5000 pts 20\n"
       "   |                                     ^\n"
       "   = hint: e.g. rule \"Big\" when employees >= 500 points 10\n"},
      {"score fit {\n  rule \"A\" when a points\n}",
       "t.rules:3:1: error: expected a number after `points`\n 3 | }\n   | ^\n"
       "   = hint: a number, e.g. points 10 or points -5\n"},
      {"score fit {\n  rule Demo when a points 1\n}",
       "t.rules:2:8: error: expected a string label after `rule`, e.g. rule \"Demo request\"\n"
       " 2 |   rule Demo when a points 1\n   |        ^\n"
       "   = hint: e.g. rule \"Demo request\" when demo_requested points 20\n"},
      {"\n\nscore fit {\n  rule \"A\" when a points 1\n",
       "t.rules:5:1: error: expected `}` to close the `score` section opened at line 3\n"},
      {"let min = 3", "t.rules:1:5: error: `min` is a reserved word; choose another name\n"
                      " 1 | let min = 3\n   |     ^\n"
                      "   = hint: add a word to it, e.g. `min_value` or `lead_min`\n"},
      {"schema lead {\n  score: int\n}", "t.rules:2:3: error: `score` is a reserved word; choose another name\n"
                                         " 2 |   score: int\n   |   ^\n"
                                         "   = hint: add a word to it, e.g. `score_value` or `lead_score`\n"},
      {"let a = \"abc\n", "t.rules:1:9: error: unterminated string: the closing `\"` is missing on this line\n"
                          " 1 | let a = \"abc\n   |         ^\n"
                          "   = hint: close the string on the same line, e.g. rule \"Demo request\"\n"},
      {"let a = \"a\\qb\"", "t.rules:1:11: error: unknown escape in a string: use \\\" for a quote, \\\\ for a "
                            "backslash, \\n or \\t\n 1 | let a = \"a\\qb\"\n   |           ^\n"
                            "   = hint: e.g. \"say \\\"hi\\\"\" or \"C:\\\\data\"\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    std::string rendered = rendered_errors(c.input);
    if (std::string(c.rendered).find('|') == std::string::npos)
      CHECK(rendered.substr(0, rendered.find('\n') + 1) == c.rendered);
    else
      CHECK(rendered == c.rendered);
  }
}

// Issue 14 item 8: the three syntax slips that used to blame the wrong token or say too little.
TEST_CASE("parser: a string closed too early, a misspelt declaration, an unclosed parenthesis") {
  struct Case {
    const char* input;
    const char* rendered;  // every diagnostic, as `check` prints it
  };
  const Case cases[] = {
      // The label's closing quote is missing: the parser used to stop at `US` ("expected `when`").
      {"score fit {\n  rule \"Demo when country == \"US\" points 5\n}",
       "t.rules:2:8: error: unterminated string: its closing `\"` is missing, so the string runs on to the `\"` at "
       "column 30\n"
       " 2 |   rule \"Demo when country == \"US\" points 5\n"
       "   |        ^\n"
       "   = hint: add the closing `\"` where the text ends\n"
       "t.rules:2:30: note: the string ends here, and the rest of the line is read as rules\n"
       " 2 |   rule \"Demo when country == \"US\" points 5\n"
       "   |                              ^\n"},
      // The same slip in the middle of a condition is blamed on that string.
      {"mql when country == \"US or country == \"CA\"",
       "t.rules:1:21: error: unterminated string: its closing `\"` is missing, so the string runs on to the `\"` at "
       "column 39\n"
       " 1 | mql when country == \"US or country == \"CA\"\n"
       "   |                     ^\n"
       "   = hint: add the closing `\"` where the text ends\n"
       "t.rules:1:39: note: the string ends here, and the rest of the line is read as rules\n"
       " 1 | mql when country == \"US or country == \"CA\"\n"
       "   |                                       ^\n"},
      {"section interest {\n  rule \"A\" when a points 1\n}",
       "t.rules:1:1: error: `section` is not a declaration; did you mean `score`?\n"
       " 1 | section interest {\n"
       "   | ^\n"
       "   = hint: a declaration starts with `ruleset`, `schema`, `list`, `let`, `score`, `gate`, `mql`, `classify` or "
       "`calibration`\n"},
      {"scroe fit {\n}", "t.rules:1:1: error: `scroe` is not a declaration; did you mean `score`?\n"
                         " 1 | scroe fit {\n"
                         "   | ^\n"
                         "   = hint: a declaration starts with `ruleset`, `schema`, `list`, `let`, `score`, `gate`, "
                         "`mql`, `classify` or `calibration`\n"},
      {"score fit {\n  rule \"B\" when (a or b points 1\n}",
       "t.rules:2:25: error: expected `)` to close the `(` opened at line 2\n"
       " 2 |   rule \"B\" when (a or b points 1\n"
       "   |                         ^\n"
       "   = hint: add `)` where the group ends, e.g. (a or b) and c\n"
       "t.rules:2:17: note: this `(` is never closed\n"
       " 2 |   rule \"B\" when (a or b points 1\n"
       "   |                 ^\n"},
      {"let a = (b\n  and (c or d)\nlet e = 1",
       "t.rules:3:1: error: expected `)` to close the `(` opened at line 1\n"
       " 3 | let e = 1\n"
       "   | ^\n"
       "   = hint: add `)` where the group ends, e.g. (a or b) and c\n"
       "t.rules:1:9: note: this `(` is never closed\n"
       " 1 | let a = (b\n"
       "   |         ^\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.input);
    CHECK(rendered_errors(c.input) == c.rendered);
  }
  // Not every error after a quote is a runaway string: with every string of the line closed, the
  // token is the slip.
  CHECK(rendered_errors("mql when \"a\"b").substr(0, 60) == "t.rules:1:13: error: expected a declaration: `ruleset`, `sch");
  // A word far from every keyword keeps the plain message.
  CHECK(expr("1\nfoo bar") == "ERROR expected a declaration: `ruleset`, `schema`, `list`, `let`, `score`, `gate`, `mql`, "
                              "`classify`, `calibration`, `handoff`, `output`, `account` or `mqa`");
  CHECK(parse_text("mq when a").diags.items().at(0).message == "`mq` is not a declaration; did you mean `mql`?");
  CHECK(parse_text("gates g {}").diags.items().at(0).message == "`gates` is not a declaration; did you mean `gate`?");
}

TEST_CASE("parser: every error message, each with a hint") {
  // input -> "line:col: message" of the first error, which has a hint (the `= hint:` line under the caret)
  const std::pair<const char*, const char*> cases[] = {
      {"rule \"x\"", "1:1: expected a declaration: `ruleset`, `schema`, `list`, `let`, `score`, `gate`, `mql`, "
                     "`classify`, `calibration`, `handoff`, `output`, `account` or `mqa`"},
      {"ruleset acme version 1", "1:9: expected the ruleset's name in quotes after `ruleset`, e.g. ruleset "
                                 "\"acme-b2b\" version 1"},
      {"ruleset \"a\" 1", "1:13: expected `version` after the ruleset's name, e.g. ruleset \"acme-b2b\" version 1"},
      {"ruleset \"a\" version x", "1:21: expected a version number after `version`"},
      {"schema leads {}", "1:8: expected `lead`, `activity` or `account` after `schema`"},
      {"schema lead id: id }", "1:13: expected `{` to start the schema's fields"},
      {"schema lead { id id }", "1:18: expected `:` after the field's name, e.g. employees: int"},
      {"schema lead { id: text }", "1:19: expected a field type after `:`: id, string, int, number, bool, date or "
                                   "timestamp"},
      {"schema lead { id: id from 3 }", "1:27: expected a column header in quotes or `row` after `from`, e.g. from "
                                        "\"Lead ID\""},
      {"schema lead {\n id: id\n 3 }", "3:2: expected `}` to close the schema opened at line 1 (each field is "
                                       "written NAME: TYPE)"},
      {"list = [\"a\"]", "1:6: expected a name after `list`, e.g. list icp_countries = [\"US\", \"CA\"]"},
      {"list a [\"a\"]", "1:8: expected `=` after the list's name"},
      {"list a = \"a\"", "1:10: expected `[` or `file` after `=`, e.g. [\"US\", \"CA\"] or file \"lists/icp.txt\""},
      {"list a = file lists", "1:15: expected a file path in quotes after `file`, e.g. file \"lists/icp.txt\""},
      {"list a = [US]", "1:11: expected a string in quotes or `]` after `[`, e.g. [\"US\", \"CA\"]"},
      {"list a = [\"US\" \"CA\"]", "1:16: expected `]` to close the list opened at line 1 (entries are strings in "
                                  "quotes separated by `,`)"},
      {"let = 1", "1:5: expected a name after `let`, e.g. let big = employees >= 500"},
      {"let a 1", "1:7: expected `=` after the name in `let`"},
      {"let a = )", "1:9: expected a value or condition after `=`"},
      {"calibration weights", "1:13: expected a file path in quotes after `calibration`, e.g. calibration "
                              "\"weights/acme.yaml\""},
      {"score {", "1:7: expected the section's name after `score`, e.g. score fit {"},
      {"score s max {", "1:13: expected a number after `max`"},
      {"score s min x {", "1:13: expected a number after `min`"},
      {"score s max 10 rule", "1:16: expected `{` to start the section's rules (optionally after `max N` and `min N`)"},
      {"score s { rule \"a\" if x }", "1:20: expected `when` or `each` after the rule's label"},
      {"score s { rule \"a\" when points 1 }", "1:25: expected a condition after `when`"},
      {"score s { rule \"a\" each visit points 1 }",
       "1:25: expected `activity` after `each` (or `lead` in an account section: each lead where ...)"},
      // accounts
      {"account foo", "1:9: expected `key`, `score`, `gate` or `classify` after `account`, e.g. account score engagement {"},
      {"account key", "1:12: expected the account key after `account key`: a lead field or an expression, e.g. account "
                      "key domain(email)"},
      {"account key email except", "1:25: expected a list name or an inline list after `except`, e.g. except free_mail"},
      {"mqa fit >= 1", "1:5: expected `when` after `mqa`, e.g. mqa when engagement >= 50"},
      {"mqa when", "1:9: expected a condition after `mqa when`"},
      {"let a = account.", "1:17: expected the name of an account section, gate, classify or field after `account.`, "
                           "e.g. account.fit"},
      {"let a = max(interest)", "1:21: expected `of leads` after the value, e.g. max(interest of leads)"},
      {"let a = max(interest of people)", "1:25: expected `leads` after `of`, e.g. max(interest of leads)"},
      {"let a = top(3 interest of leads)", "1:15: expected `,` after the number of leads, e.g. top(3, interest of leads)"},
      {"let a = count(leads where fit", "1:30: expected `)` to close the aggregate over leads, e.g. count(leads where "
                                       "interest >= 20)"},
      {"score s { rule \"a\" each activity 5 }", "1:34: expected `points` after `each activity` (and its optional "
                                                 "`where` and `within`)"},
      {"score s { rule \"a\" each activity where points 1 }", "1:40: expected a condition after `where`"},
      {"score s { rule \"a\" each activity within 30 points 1 }", "1:41: expected a duration after `within`, e.g. "
                                                                  "30d (h = hours, d = days, w = weeks)"},
      {"score s { rule \"a\" each activity within 1.5d points 1 }", "1:41: expected a duration after `within`, "
                                                                    "e.g. 30d (h = hours, d = days, w = weeks)"},
      {"score s { rule \"a\" each activity points 1 max x }", "1:47: expected a number after `max`"},
      {"score s { rule \"a\" each activity points 1 decay 3 }", "1:49: expected a half-life after `decay`, e.g. 30d "
                                                                "(h = hours, d = days, w = weeks)"},
      {"score s { multiply when a by 2 }", "1:20: expected a string label after `multiply`, e.g. multiply \"Core "
                                           "vertical\""},
      {"score s { multiply \"m\" a by 2 }", "1:24: expected `when` after the multiplier's label"},
      {"score s { multiply \"m\" when by 2 }", "1:29: expected a condition after `when`"},
      {"score s { multiply \"m\" when a 2 }", "1:31: expected `by` after the multiplier's condition"},
      {"score s { multiply \"m\" when a by x }", "1:34: expected a number after `by`"},
      {"gate { }", "1:6: expected the gate's name after `gate`, e.g. gate cpal {"},
      {"gate g a }", "1:8: expected `{` after the gate's name"},
      {"gate g { \"a\": }", "1:15: expected a condition after the criterion's label"},
      {"gate g { a b: }", "1:13: expected `}` to close the gate opened at line 1"},
      {"mql a", "1:5: expected `when` after `mql`, e.g. mql when fit >= 40"},
      {"mql when", "1:9: expected a condition after `when`"},
      {"classify { }", "1:10: expected a name after `classify`, e.g. classify quadrant {"},
      {"classify q \"a\" }", "1:12: expected `{` after the classify's name"},
      {"classify q { \"a\" if x }", "1:18: expected `when` or `otherwise` after the branch's value"},
      {"classify q { \"a\" when }", "1:23: expected a condition after `when`"},
      {"classify q { a when b }", "1:14: expected `}` to close the classify opened at line 1 (each branch is "
                                  "\"VALUE\" when CONDITION)"},
      {"let a = ( )", "1:11: expected a value or condition after `(`"},
      {"let a = (b", "1:11: expected `)` to close the `(` opened at line 1"},
      {"let a = f(b,)", "1:13: expected an argument after `,`"},
      {"let a = f(b c)", "1:13: expected `)` to close the function call opened at line 1"},
      {"let a = count(activity within 3d where x)", "1:34: expected `)` to close the aggregate opened at line 1 "
                                                     "(only `where` and `within` may follow `activity`)"},
      {"let a = sum(activity)", "1:21: expected `.FIELD` after `sum(activity`, e.g. sum(activity.amount)"},
      {"let a = sum(activity.3)", "1:22: expected an activity field's name after `activity.`"},
      {"let a = sum(activity.max)", "1:22: `max` is a reserved word; choose another name"},
      {"let a = - )", "1:11: expected a value after `-`"},
      {"let a = b * )", "1:13: expected a value after `*`"},
      {"let a = b / )", "1:13: expected a value after `/`"},
      {"let a = b + )", "1:13: expected a value after `+`"},
      {"let a = b - )", "1:13: expected a value after `-`"},
      {"let a = b == )", "1:14: expected a value after `==`"},
      {"let a = b != )", "1:14: expected a value after `!=`"},
      {"let a = b < )", "1:13: expected a value after `<`"},
      {"let a = b <= )", "1:14: expected a value after `<=`"},
      {"let a = b > )", "1:13: expected a value after `>`"},
      {"let a = b >= )", "1:14: expected a value after `>=`"},
      {"let a = b = 1", "1:11: use `==` to compare values (a single `=` only appears in `let` and `list`)"},
      {"let a = b between )", "1:19: expected a value after `between`"},
      {"let a = b between 1 or 2", "1:21: expected `and` after the first value of `between`"},
      {"let a = b between 1 and )", "1:25: expected a value after `and`"},
      // At the `(`, not at the next line where `and` was looked for.
      {"let a = n between (1 and 2)\nlet b = 1", "1:19: `between` takes its two values without parentheses: A and B"},
      {"let a = n between (1, 2)", "1:19: `between` takes its two values without parentheses: A and B"},
      {"let a = n between (-1.5 and x)", "1:19: `between` takes its two values without parentheses: A and B"},
      {"score s { rule \"a\" when employees > points 5 }", "1:37: expected a value after `>`"},
      {"score s { rule \"a\" when a points 1 foo }", "1:36: expected `}` to close the `score` section opened at line 1"},
      {"schema lead { t: timestamp zone UTC }", "1:33: expected a zone in quotes after `zone`, e.g. zone \"UTC\" or "
                                             "zone \"+02:00\""},
      {"handoff route", "1:9: expected `{` after `handoff`: its items are `route`, `response`, `working hours` and "
                        "`target`"},
      {"handoff { route \"a\" when a \"q\" }", "1:28: expected `to \"QUEUE\"` after the route's condition, e.g. to "
                                             "\"sdr\""},
      {"handoff { target acceptance > 70% }", "1:29: expected `>=` or `<=` after the target's metric"},
      {"output { score \"x\" }", "1:16: expected `as \"NAME\"` after the output column, e.g. score as "
                                "\"Lead_Score__c\""},
      {"let a = \"abc\n", "1:9: unterminated string: the closing `\"` is missing on this line"},
      {"let a = n > 1 == b", "1:15: comparisons do not chain: join them with `and` (a < b and b < c) or group one in "
                             "parentheses ((a > 1) == b)"},
      {"score s { rule \"a\" each activity within 99999d points 1 }",
       "1:41: this duration is longer than 100 years (the limit: 36525d, 5217w or 876600h)"},
      {"let a = b in 3", "1:14: expected a list's name or an inline list like [\"US\", \"CA\"]"},
      {"let a = b not in 3", "1:18: expected a list's name or an inline list like [\"US\", \"CA\"]"},
      {"let a = b contains any 3", "1:24: expected a list's name or an inline list like [\"US\", \"CA\"]"},
      {"let a = b contains )", "1:20: expected a value after `contains`"},
      {"let a = b starts \"x\"", "1:18: expected `with` after `starts`"},
      {"let a = b ends \"x\"", "1:16: expected `with` after `ends`"},
      {"let a = b ends with )", "1:21: expected a value after `with`"},
      {"let a = b is null", "1:14: expected `missing` or `present` after `is`"},
      {"let a = not )", "1:13: expected a condition after `not`"},
      {"let a = b and )", "1:15: expected a condition after `and`"},
      {"let a = b or )", "1:14: expected a condition after `or`"},
      {"let a = 99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
       "99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999"
       "99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999",
       "1:9: this number is too large"},
      {"ruleset \"a\" version 1\nruleset \"b\" version 2", "2:1: `ruleset` is declared twice"},
  };
  for (const auto& c : cases) {
    const std::string expected = c.second;
    CAPTURE(c.first);
    Parsed p = parse_text(c.first);
    REQUIRE(p.diags.has_errors());
    const auto d = p.diags.sorted().front();
    CHECK(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + d.message == expected);
    CHECK_FALSE(d.hint.empty());
  }
}

TEST_CASE("parser: recovery reports several errors and keeps what parsed") {
  Parsed p = parse_text(
      "ruleset \"r\" version 1\n"
      "score fit {\n"
      "  rule \"A\" when a pts 1\n"
      "  rule \"B\" when b points 2\n"
      "}\n"
      "let ok = 1\n"
      "gate g {\n"
      "  \"x\": \n"
      "}\n"
      "  mql when ok\n");
  CHECK(p.diags.error_count() == 2);
  auto sorted = p.diags.sorted();
  CHECK(sorted[0].pos == SourcePos{3, 19, 52});
  CHECK(sorted[0].message == "expected `points` after the rule's condition");
  CHECK(sorted[1].pos.line == 9);
  CHECK(sorted[1].message == "expected a condition after the criterion's label");
  CHECK(ast::dump(p.file) == "(ruleset \"r\" 1)\n(let ok 1)\n(mql ok)\n");
}

TEST_CASE("parser: an error at the first word of the next declaration does not hide that declaration's errors") {
  Parsed p = parse_text("mql when\nclassify c { \"a\" when agency \"b\" }\n");
  REQUIRE(p.diags.error_count() == 2);
  auto sorted = p.diags.sorted();
  CHECK(sorted[0].pos == SourcePos{2, 1, 9});
  CHECK(sorted[0].message == "expected a condition after `when`");
  CHECK(sorted[1].pos == SourcePos{2, 34, 42});
  CHECK(sorted[1].message == "expected `when` or `otherwise` after the branch's value");

  Parsed q = parse_text("let x =\nlet y = = 1\n");
  REQUIRE(q.diags.error_count() == 2);
  sorted = q.diags.sorted();
  CHECK(sorted[0].pos == SourcePos{2, 1, 8});
  CHECK(sorted[0].message == "expected a value or condition after `=`");
  CHECK(sorted[1].pos == SourcePos{2, 9, 16});
  CHECK(sorted[1].message == "expected a value or condition after `=`");

  // An error at the first word of the declaration where parsing resumed moves on to the next line.
  Parsed r = parse_text("let x =\nlet\nlet z = 1\nlet w =\n");
  REQUIRE(r.diags.error_count() == 3);
  CHECK(ast::dump(r.file) == "(let z 1)\n");

  // A schema field named like a declaration keyword starts no declaration.
  Parsed s = parse_text("schema lead {\n  a: strin\n  score: int\n}\nlet ok = 1\n");
  REQUIRE(s.diags.error_count() == 1);
  CHECK(s.diags.sorted()[0].message == "expected a field type after `:`: id, string, int, number, bool, date or timestamp");
  CHECK(ast::dump(s.file) == "(let ok 1)\n");
}

TEST_CASE("parser: invalid UTF-8 and NUL bytes are reported at their position") {
  CHECK(rendered_errors("let a = \"caf\xC3\xA9\"\nlet b = \"x\xFFy\"\n") ==
        "t.rules:2:11: error: invalid UTF-8 byte 0xFF\n 2 | let b = \"x\xFFy\"\n   |           ^\n"
        "   = hint: save the file as UTF-8\n");
  std::string with_nul = "let a = 1\nlet b";
  with_nul += '\0';
  with_nul += " = 2\n";
  Parsed p = parse_text(with_nul);
  REQUIRE(p.diags.error_count() == 1);
  CHECK(p.diags.items()[0].pos == SourcePos{2, 6, 15});
  CHECK(p.diags.items()[0].message == "NUL byte in the rules file; is this a binary file?");
  CHECK(expr("\"\xC3\xA9t\xC3\xA9\"") == "\"\xC3\xA9t\xC3\xA9\"");
  for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80"}) {
    CAPTURE(bad);
    Parsed q = parse_text(std::string("let a = \"") + bad + "\"");
    REQUIRE(q.diags.error_count() == 1);
    CHECK(q.diags.items()[0].pos.column == 10);
  }
}

TEST_CASE("parser: a flat chain of `or` counts as one level of nesting") {  // up to 1000 operators
  // Issue 11: 200 criteria joined by `or` were refused as "nested too deeply".
  for (const char* op : {" or ", " and ", " + ", " * "}) {
    std::string chain = "let a = x";
    for (int i = 0; i < 990; ++i) chain += op + std::string("x");
    CHECK_FALSE(parse_text(chain).diags.has_errors());
  }
  std::string mixed = "let a = x";
  for (int i = 0; i < 300; ++i) mixed += i % 2 ? " or x" : " and x";
  CHECK_FALSE(parse_text(mixed).diags.has_errors());
  // Real nesting still counts: 150 parenthesised chains inside each other, each of three terms.
  std::string nested = "let a = ";
  for (int i = 0; i < 150; ++i) nested += "(x or x or ";
  nested += "x" + std::string(150, ')');
  CHECK_FALSE(parse_text(nested).diags.has_errors());
  std::string too_deep = "let a = ";
  for (int i = 0; i < 250; ++i) too_deep += "x or (";
  too_deep += "x" + std::string(250, ')');
  CHECK(parse_text(too_deep).diags.items().at(0).message == "expressions nested too deeply (limit 200)");
}

TEST_CASE("parser: hostile input is bounded") {
  std::string deep = "let a = " + std::string(100000, '(') + "1" + std::string(100000, ')');
  Parsed p = parse_text(deep);
  REQUIRE(p.diags.error_count() == 1);
  CHECK(p.diags.items()[0].message == "expressions nested too deeply (limit 200)");
  CHECK(p.diags.items()[0].pos.column == 9 + 200);

  std::string ok_depth = "let a = " + std::string(150, '(') + "1" + std::string(150, ')');
  CHECK_FALSE(parse_text(ok_depth).diags.has_errors());

  std::string nots = "let a = ";
  for (int i = 0; i < 100000; ++i) nots += "not ";
  Parsed q = parse_text(nots + "x");
  REQUIRE(q.diags.error_count() == 1);
  CHECK(q.diags.items()[0].message == "expressions nested too deeply (limit 200)");

  // A flat chain is one level of nesting, however long; its length is bounded on its own.
  std::string chain = "let a = x";
  for (int i = 0; i < 100000; ++i) chain += " + x";
  CHECK(parse_text(chain).diags.items().at(0).message ==
        "expression too long (limit 1000 operators in a row): use a list, or split it with `let`");

  std::string long_list = "list big = [";
  while (long_list.size() < 10'000'000) long_list += "\"entry\", ";
  long_list += "]\n";
  Parsed big = parse_text(long_list);
  CHECK_FALSE(big.diags.has_errors());
  CHECK(std::get<ast::ListDecl>(big.file.declarations.at(0)).inline_items->items.size() > 1'000'000);

  std::string long_comment = "# " + std::string(10'000'000, 'x') + "\nlet a = \"" + std::string(1000, 'y') + "\"";
  Parsed c = parse_text(long_comment);
  CHECK_FALSE(c.diags.has_errors());
  CHECK(c.file.comments.at(0).text.size() == 10'000'002);
}

namespace {

// `let a = TERM OP TERM OP ... TERM` with `operators` operators.
std::string chain_of(const std::string& term, const std::string& op, int operators) {
  std::string text = "let a = " + term;
  for (int i = 0; i < operators; ++i) text += " " + op + " " + term;
  return text + "\n";
}

}  // namespace

TEST_CASE("parser: a chain holds 1000 operators of any kind, and not 1001") {
  const std::pair<const char*, const char*> chains[] = {
      {"x", "or"}, {"x", "and"}, {"x", "+"}, {"x", "-"}, {"x", "*"}, {"x", "/"},
      {"x == 1", "or"}, {"x > 1", "and"}, {"-x", "-"}, {"not x", "or"}, {"(x + 1)", "*"}};
  for (const auto& [term, op] : chains) {
    CAPTURE(term);
    CAPTURE(op);
    CHECK_FALSE(parse_text(chain_of(term, op, 1000)).diags.has_errors());
    Parsed p = parse_text(chain_of(term, op, 1001));
    REQUIRE(p.diags.error_count() == 1);
    const auto& d = p.diags.items()[0];
    CHECK(d.message == "expression too long (limit 1000 operators in a row): use a list, or split it with `let`");
    const std::size_t term_size = std::string(term).size(), op_size = std::string(op).size();
    const std::size_t thousand_and_first = 8 + term_size + 1000 * (term_size + op_size + 2) + 1;  // 0-based
    CHECK(d.pos.column == thousand_and_first + 1);
  }
}

TEST_CASE("parser: the whole expression tree is at most 1200 levels high") {
  // A chain of 999 `+` in parentheses is 1000 levels high; each `*` after it adds one.
  std::string sum = "x";
  for (int i = 0; i < 999; ++i) sum += " + x";
  auto times = [&](int n) {
    std::string text = "let a = (" + sum + ")";
    for (int i = 0; i < n; ++i) text += " * x";
    return text + "\n";
  };
  CHECK_FALSE(parse_text(times(200)).diags.has_errors());
  Parsed p = parse_text(times(201));
  REQUIRE(p.diags.error_count() == 1);
  CHECK(p.diags.items()[0].message == "expression too deep (limit 1200 levels of operators): split it with `let`");
}

TEST_CASE("parser: conformance rule files") {
  namespace fs = std::filesystem;
  fs::path cases = fs::path(LEADSCORE_SOURCE_DIR) / ".." / "shared" / "conformance" / "cases";
  if (!fs::exists(cases)) return;
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(cases)) {
    fs::path rules = entry.path() / "rules.rules";
    if (!fs::exists(rules)) continue;
    ++seen;
    CAPTURE(rules.string());
    Parsed p = parse_text(read_file(rules), "rules.rules");
    if (entry.path().filename() == "12-check-syntax") {
      REQUIRE(p.diags.error_count() == 1);
      const auto& d = p.diags.items()[0];
      CHECK(d.pos.line == 9);
      CHECK(d.pos.column == 37);
      CHECK(d.message.find("`points`") != std::string::npos);
    } else {
      CHECK_FALSE(p.diags.has_errors());
      CHECK(p.file.ruleset.has_value());
      CHECK_FALSE(p.file.declarations.empty());
    }
  }
  CHECK(seen >= 14);
}

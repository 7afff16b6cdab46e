// `leadscore fmt`: input -> exact canonical text, table-driven; every output is a fixed point and
// parses to the same tree, and every example and conformance rules file keeps its compiled graph.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/text.hpp"
#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"
#include "engine/plan/graph.hpp"
#include "format/expr_printer.hpp"
#include "format/formatter.hpp"
#include "parser/ast_dump.hpp"
#include "parser/parser.hpp"

using namespace leadscore;

namespace {

std::string format_text(const std::string& text, const std::string& path = "t.rules") {
  auto source = std::make_shared<SourceFile>(path, text);
  Diagnostics diags;
  auto out = format::format_source(source, diags);
  if (!out) {
    std::string errors;
    for (const auto& d : diags.sorted()) errors += render_text(d);
    FAIL_CHECK("does not format:\n" << text << "\n" << errors);
    return {};
  }
  return *out;
}

std::string expr_text(const std::string& condition) {
  std::string text = "mql when " + condition + "\n";
  return format_text(text).substr(std::string("mql when ").size());
}

struct Case {
  const char* name;
  const char* input;
  const char* expected;
};

const Case kCases[] = {
    {"schema fields: names, types and `from` in columns",
     "ruleset \"x\"   version 1\n"
     "schema lead {\n"
     "lead_id: id\n"
     "   employees : int from \"Number of Employees\"\n"
     "  annual_revenue: number\n"
     "  row_no: int from row\n"
     "}\n",
     "ruleset \"x\" version 1\n"
     "schema lead {\n"
     "  lead_id:        id\n"
     "  employees:      int     from \"Number of Employees\"\n"
     "  annual_revenue: number\n"
     "  row_no:         int     from row\n"
     "}\n"},
    {"list and let `=` aligned within a run; a blank line ends the run",
     "list a = [\"x\",\"y\"]\n"
     "list longer_name = file \"lists/l.txt\"\n"
     "\n"
     "\n"
     "let short=a\n"
     "# a comment does not end the run\n"
     "let much_longer = 1\n",
     "list a           = [\"x\", \"y\"]\n"
     "list longer_name = file \"lists/l.txt\"\n"
     "\n"
     "let short       = a\n"
     "# a comment does not end the run\n"
     "let much_longer = 1\n"},
    {"score items in three columns; each rules and multipliers too",
     "score interest max 100 {\n"
     "rule \"Demo\" when count(activity where type==\"demo\" within 30d)>=1 points 40\n"
     "    rule \"Webinar attended\" each activity where type == \"webinar\" within 90d points 5 max 15 decay 30d\n"
     "multiply \"Core\" when x by 1.2\n"
     "}\n",
     "score interest max 100 {\n"
     "  rule \"Demo\"              when count(activity where type == \"demo\" within 30d) >= 1  points 40\n"
     "  rule \"Webinar attended\"  each activity where type == \"webinar\" within 90d           points 5 max 15 decay 30d\n"
     "  multiply \"Core\"          when x                                                     by 1.2\n"
     "}\n"},
    {"an item that would pass 120 columns is not padded and does not widen the others",
     "score fit min -5 {\n"
     "  rule \"A\" when a points 1\n"
     "  rule \"Long\" when industry in [\"Financial Services\", \"Banking\", \"Insurance\", \"Asset Management\", \"Payments\"] points 10\n"
     "  rule \"Bb\" when b >= 10 points -2\n"
     "}\n",
     "score fit min -5 {\n"
     "  rule \"A\"   when a        points 1\n"
     "  rule \"Long\" when industry in [\"Financial Services\", \"Banking\", \"Insurance\", \"Asset Management\", \"Payments\"] points 10\n"
     "  rule \"Bb\"  when b >= 10  points -2\n"
     "}\n"},
    {"gate labels and classify values aligned; unlabeled criteria as written",
     "gate cpal {\n"
     "\"ICP\": icp\n"
     "  \"Not an agency\":   not is_agency\n"
     "  verified\n"
     "}\n"
     "classify q {\n"
     "  \"hot\" when fit >= 40 and interest >= 30\n"
     "  \"nurture\"   when fit >= 40\n"
     "  \"drop\" otherwise\n"
     "}\n",
     "gate cpal {\n"
     "  \"ICP\":           icp\n"
     "  \"Not an agency\": not is_agency\n"
     "  verified\n"
     "}\n"
     "classify q {\n"
     "  \"hot\"     when fit >= 40 and interest >= 30\n"
     "  \"nurture\" when fit >= 40\n"
     "  \"drop\"    otherwise\n"
     "}\n"},
    {"comments: full-line at their place, end-of-line after the item, aligned when they were",
     "# head comment\n"
     "\n"
     "ruleset \"x\" version 2 # trailing\n"
     "schema lead { # opens\n"
     "  # first field\n"
     "  lead_id: id        # the key\n"
     "  country: string\n"
     "  email: string      # aligned with the key's\n"
     "  size: int # not aligned\n"
     "\n"
     "  # before the brace\n"
     "} # closes\n"
     "\n"
     "\n"
     "# at the end\n",
     "# head comment\n"
     "\n"
     "ruleset \"x\" version 2  # trailing\n"
     "schema lead {  # opens\n"
     "  # first field\n"
     "  lead_id: id      # the key\n"
     "  country: string\n"
     "  email:   string  # aligned with the key's\n"
     "  size:    int  # not aligned\n"
     "\n"
     "  # before the brace\n"
     "}  # closes\n"
     "\n"
     "# at the end\n"},
    {"blank lines: at most one, none at the top of a block or before its brace",
     "\n\nmql when a\n\n\n\nscore s {\n\n  rule \"r\" when a points 1\n\n\n  rule \"q\" when b points 2\n\n}\n",
     "mql when a\n"
     "\n"
     "score s {\n"
     "  rule \"r\"  when a  points 1\n"
     "\n"
     "  rule \"q\"  when b  points 2\n"
     "}\n"},
    {"a multi-line item becomes one line; its second end-of-line comment moves below it",
     "let big = employees >= 1000 and # one\n"
     "  country == \"US\" # two\n"
     "let x = 1\n",
     "let big = employees >= 1000 and country == \"US\"  # one\n"
     "# two\n"
     "let x   = 1\n"},
    {"a comment line inside a multi-line item goes just above the item, before its end-of-line comment",
     "score fit {\n"
     "  rule \"Tiny\" when n < 2 points -5\n"
     "  # about Big\n"
     "  rule \"Big\"\n"
     "    # only companies of 10+ people\n"
     "    when n >= 10 # ten\n"
     "\n"
     "    # and more\n"
     "    points 5\n"
     "\n"
     "  rule \"Huge\" when n > 1000\n"
     "    # a blank line before the item stays before its comments\n"
     "    points 9\n"
     "}\n"
     "mql when\n"
     "  # c\n"
     "  fit > 3\n",
     "score fit {\n"
     "  rule \"Tiny\"  when n < 2     points -5\n"
     "  # about Big\n"
     "  # only companies of 10+ people\n"
     "  # and more\n"
     "  rule \"Big\"   when n >= 10   points 5  # ten\n"
     "\n"
     "  # a blank line before the item stays before its comments\n"
     "  rule \"Huge\"  when n > 1000  points 9\n"
     "}\n"
     "# c\n"
     "mql when fit > 3\n"},
    {"a comment line under an end-of-line comment, in its column, continues it",
     "schema activity {\n"
     "  role:  string    # buying role: champion, economic buyer,\n"
     "                   # procurement; empty when unknown\n"
     "  # about the next field\n"
     "  at: timestamp\n"
     "}\n",
     "schema activity {\n"
     "  role: string  # buying role: champion, economic buyer,\n"
     "                # procurement; empty when unknown\n"
     "  # about the next field\n"
     "  at:   timestamp\n"
     "}\n"},
    {"empty blocks, CRLF line ends and a byte order mark",
     "\xEF\xBB\xBF# bom\r\nscore s {\r\n}\r\ngate g {  }\r\n",
     "# bom\n"
     "score s {\n"
     "}\n"
     "gate g {\n"
     "}\n"},
    {"strings re-escaped canonically, numbers and durations as written",
     "list l = [\"tab\\there\", \"quote\\\"\", \"back\\\\slash\", \"line\\nbreak\"]\n"
     "score s max 1_000 { rule \"r\" each activity within 2w points 2.5k max 10M }\n",
     "list l = [\"tab\\there\", \"quote\\\"\", \"back\\\\slash\", \"line\\nbreak\"]\n"
     "score s max 1_000 {\n"
     "  rule \"r\"  each activity within 2w  points 2.5k max 10M\n"
     "}\n"},
};

struct ExprCase {
  const char* input;
  const char* expected;
};

const ExprCase kExprCases[] = {
    {"a  and(b)", "a and b\n"},
    {"(a - b) - c", "a - b - c\n"},
    {"a - (b - c)", "a - (b - c)\n"},
    {"(a + b) * c / (d * e)", "(a + b) * c / (d * e)\n"},
    {"a or b and c", "a or (b and c)\n"},
    {"(a and b) or (c and d)", "(a and b) or (c and d)\n"},
    {"(a or b) and c", "(a or b) and c\n"},
    {"a and (b and c)", "a and (b and c)\n"},
    {"not(x > 3)", "not x > 3\n"},
    {"not (a and b)", "not (a and b)\n"},
    {"not not a", "not not a\n"},
    {"(not a) and b", "not a and b\n"},
    {"-(a + b) > - 3", "-(a + b) > -3\n"},
    {"- -a == 1", "--a == 1\n"},
    {"(a == b) == c", "(a == b) == c\n"},
    {"x between (1 + 2) and 10", "x between 1 + 2 and 10\n"},
    {"lower( domain (email) )in[\"a\",\"b\"]", "lower(domain(email)) in [\"a\", \"b\"]\n"},
    {"x not in l and y contains any [ ]", "x not in l and y contains any []\n"},
    {"url starts  with \"/c\" or url ends with \"x\" or t contains \"y\"",
     "url starts with \"/c\" or url ends with \"x\" or t contains \"y\"\n"},
    {"x is missing or x is  present", "x is missing or x is present\n"},
    {"sum(activity . amount where (a) within 4h) > 1_000", "sum(activity.amount where a within 4h) > 1_000\n"},
    {"days_since_last(activity) < 7 and days_since(created) >= 0.5", "days_since_last(activity) < 7 and days_since(created) >= 0.5\n"},
    {"exists(activity) or score >= 10k", "exists(activity) or score >= 10k\n"},
    {"day_of_week( created )>=6 or hour(created)<9 or month (created) between 3 and 5",
     "day_of_week(created) >= 6 or hour(created) < 9 or month(created) between 3 and 5\n"},
    {"(true)", "true\n"},
};

std::string graph_of(const std::string& path, const std::string& text) {
  auto source = std::make_shared<SourceFile>(path, text);
  Diagnostics diags;
  auto ast = parse_rules(source, diags);
  REQUIRE_MESSAGE(!diags.has_errors(), path);
  auto program = check_rules(ast, diags);
  REQUIRE_MESSAGE(program, path);
  return engine::print_graph(*program, engine::compile_program(*program));
}

}  // namespace

TEST_CASE("fmt: each layout rule, and the result is a fixed point") {
  for (const auto& c : kCases) {
    INFO(c.name);
    std::string once = format_text(c.input);
    CHECK(once == c.expected);
    CHECK(format_text(once) == once);
  }
}

TEST_CASE("fmt: widths and the 120-column limit count characters, not bytes") {
  CHECK(format_text("score fit {\n"
                    "  rule \"Größe über\" when n > 1 points 1\n"
                    "  rule \"Size over\" when n > 2 points 2\n"
                    "}\n"
                    "classify q {\n"
                    "  \"ü\" when n > 1\n"
                    "  \"u\" otherwise\n"
                    "}\n") ==
        "score fit {\n"
        "  rule \"Größe über\"  when n > 1  points 1\n"
        "  rule \"Size over\"   when n > 2  points 2\n"
        "}\n"
        "classify q {\n"
        "  \"ü\" when n > 1\n"
        "  \"u\" otherwise\n"
        "}\n");
  // 83 two-byte characters make the padded line exactly 120 characters (203 bytes): still aligned.
  std::string accents;
  for (int i = 0; i < 83; ++i) accents += "é";
  std::string formatted = format_text("score fit {\n  rule \"A\" when s == \"" + accents +
                                      "\" points 1\n  rule \"Bbbb\" when n > 1 points 2\n}\n");
  std::string aligned = "  rule \"A\"     when s == \"" + accents + "\"  points 1\n";
  CHECK(formatted == "score fit {\n" + aligned + "  rule \"Bbbb\"  when n > 1" + std::string(83 + 2, ' ') +
                         "  points 2\n}\n");
  CHECK(text::utf8_length(aligned) == 120 + 1);
  // One more character runs past 120: that item is written with single spaces.
  std::string longer = format_text("score fit {\n  rule \"A\" when s == \"é" + accents +
                                   "\" points 1\n  rule \"Bbbb\" when n > 1 points 2\n}\n");
  CHECK(longer.find("  rule \"A\" when s == \"é" + accents + "\" points 1\n") != std::string::npos);
}

TEST_CASE("fmt: expressions keep their tree with only the parentheses needed") {
  for (const auto& c : kExprCases) {
    INFO(c.input);
    std::string once = expr_text(c.input);
    CHECK(once == c.expected);
    CHECK(expr_text(once.substr(0, once.size() - 1)) == once);
  }
}

TEST_CASE("fmt: a file with syntax errors is not formatted") {
  auto source = std::make_shared<SourceFile>("bad.rules", "score s {\n  rule \"r\" when points 1\n}\n");
  Diagnostics diags;
  CHECK_FALSE(format::format_source(source, diags));
  CHECK(diags.has_errors());
}

TEST_CASE("fmt: every example and conformance rules file: fixed point, same tree, same graph") {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const char* dir : {LEADSCORE_SOURCE_DIR "/rules/examples", LEADSCORE_SOURCE_DIR "/bench"})
    if (fs::exists(dir))
      for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".rules") files.push_back(e.path());
  fs::path cases = LEADSCORE_SOURCE_DIR "/../shared/conformance/cases";
  if (fs::exists(cases))
    for (const auto& e : fs::directory_iterator(cases))
      if (fs::exists(e.path() / "rules.rules")) files.push_back(e.path() / "rules.rules");
  REQUIRE(files.size() >= 4);
  for (const auto& path : files) {
    CAPTURE(path.string());
    std::string error;
    auto source = read_source_file(path.string(), error);
    REQUIRE(source);
    Diagnostics diags;
    auto ast = parse_rules(source, diags);
    if (diags.has_errors()) {  // the conformance suite's syntax-error case: fmt refuses it
      Diagnostics again;
      CHECK_FALSE(format::format_source(source, again));
      continue;
    }
    std::string once = format_text(source->text(), path.string());
    CHECK(format_text(once, path.string()) == once);
    auto reparsed_source = std::make_shared<SourceFile>(path.string(), once);
    Diagnostics reparsed_diags;
    CHECK(ast::dump(parse_rules(reparsed_source, reparsed_diags)) == ast::dump(ast));
    Diagnostics check_diags;
    if (!check_rules(ast, check_diags)) continue;  // the conformance error cases do not compile
    CHECK(graph_of(path.string(), once) == graph_of(path.string(), source->text()));
  }
}

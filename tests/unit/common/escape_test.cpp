#include <doctest/doctest.h>

#include "common/diagnostics.hpp"
#include "common/escape.hpp"
#include "common/utf8.hpp"

using namespace leadscore;

TEST_CASE("escape: GitHub workflow command data and properties") {
  CHECK(github_data("100% sure\r\n::stop-commands::x") == "100%25 sure%0D%0A::stop-commands::x");
  CHECK(github_data("a, b: c") == "a, b: c");
  CHECK(github_property("rules/a,b:c.rules") == "rules/a%2Cb%3Ac.rules");
  CHECK(github_property("x\ny%") == "x%0Ay%25");
  CHECK(github_data(std::string("nul\0here", 8)) == "nul\\x00here");
  CHECK(github_data("tab\tkept") == "tab\tkept");
}

TEST_CASE("escape: one GitHub annotation per diagnostic, whatever the path and message hold") {
  Diagnostic d{Severity::Error, nullptr, "a,b:c.rules", SourcePos{2, 3, 0}, "label \"x\n::error::y\"", "h%"};
  CHECK(render_github(d) == "::error file=a%2Cb%3Ac.rules,line=2,col=3::label \"x%0A::error::y\" (hint: h%25)\n");
  // The text renderer keeps a message on its line.
  CHECK(render_text(d) == "a,b:c.rules:2:3: error: label \"x\\n::error::y\"\n  = hint: h%\n");
}

TEST_CASE("escape: Markdown table cells") {
  CHECK(markdown_cell("a|b") == "a\\|b");
  CHECK(markdown_cell("line one\nline two\r\nthree") == "line one line two three");
  CHECK(markdown_cell("`code`") == "\\`code\\`");
  CHECK(markdown_cell("# heading") == "\\# heading");
  CHECK(markdown_cell("<script>") == "\\<script>");
  CHECK(markdown_cell("a # b < c") == "a # b < c");
  CHECK(markdown_cell("back\\slash") == "back\\\\slash");
}

TEST_CASE("escape: HTML text and attributes") {
  CHECK(html_text("<b>\"Tom & Jerry's\"</b>") == "&lt;b&gt;&quot;Tom &amp; Jerry&#39;s&quot;&lt;/b&gt;");
  CHECK(html_text(std::string("a\0b\x1b", 4)) == "ab");
  CHECK(html_text("two\nlines") == "two\nlines");
}

TEST_CASE("escape: one line for terminals and logs") {
  CHECK(one_line("a\nb\r\tc") == "a\\nb\\r\\tc");
  CHECK(one_line(std::string("x\0y\x7f", 4)) == "x\\x00y\\x7F");
  CHECK(one_line("plain ümlaut") == "plain ümlaut");
  CHECK(without_nul(std::string("a\0b\nc", 5)) == "a\\x00b\nc");
}

TEST_CASE("escape: control characters are found, C1 included") {
  std::size_t at = 99;
  CHECK_FALSE(find_control_character("Demo request (30d) ✓", at));
  CHECK(find_control_character("ab\ncd", at));
  CHECK(at == 2);
  CHECK(find_control_character("x\tz", at));
  CHECK(at == 1);
  CHECK(find_control_character("a\xC2\x85z", at));  // U+0085, NEXT LINE
  CHECK(at == 1);
  CHECK_FALSE(find_control_character("\xC2\xA0", at));  // U+00A0 is not a control character
}

TEST_CASE("utf8: invalid sequences and NUL become U+FFFD") {
  CHECK(clean_utf8("plain ASCII"));
  CHECK(clean_utf8("Zürich — 東京 😀"));
  CHECK_FALSE(clean_utf8("caf\xE9"));                  // Latin-1 é
  CHECK_FALSE(clean_utf8(std::string("a\0b", 3)));
  CHECK_FALSE(clean_utf8("\xED\xA0\x80"));             // a surrogate
  CHECK_FALSE(clean_utf8("\xC0\xAF"));                 // an overlong form
  CHECK_FALSE(clean_utf8("cut \xE6\x9D"));             // a character cut short
  CHECK(repair_utf8("caf\xE9") == "caf\xEF\xBF\xBD");
  CHECK(repair_utf8(std::string("a\0b", 3)) == "a\xEF\xBF\xBD" "b");
  CHECK(repair_utf8("cut \xE6\x9D!") == "cut \xEF\xBF\xBD!");  // one replacement for the cut character
  CHECK(repair_utf8("\xF0\x9F\x98\x80 ok") == "\xF0\x9F\x98\x80 ok");
  CHECK(repair_utf8("\xFF\xFE") == "\xEF\xBF\xBD\xEF\xBF\xBD");
  CHECK(clean_utf8(repair_utf8("\xC0\xAF\xED\xA0\x80\xF4\x90\x80\x80")));
}

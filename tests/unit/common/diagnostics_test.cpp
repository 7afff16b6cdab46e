#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "common/sarif.hpp"

using namespace leadscore;

TEST_CASE("diagnostic renders GCC-style with source line and caret") {
  auto file = std::make_shared<SourceFile>("rules/a.rules", "ruleset \"x\" version 1\n  rule \"Big\" when size > \"50\"\n");
  Diagnostic d{Severity::Error, file, {}, SourcePos{2, 27, 0}, "cannot compare text with a number", "write size > 50"};
  d.path = file->path();
  CHECK(render_text(d) ==
        "rules/a.rules:2:27: error: cannot compare text with a number\n"
        " 2 |   rule \"Big\" when size > \"50\"\n"
        "   |                           ^\n"
        "   = hint: write size > 50\n");
}

TEST_CASE("diagnostic without position and json/github renderers") {
  Diagnostic d{Severity::Warning, nullptr, "x.rules", SourcePos{}, "unused list \"a\"", ""};
  CHECK(render_text(d) == "x.rules: warning: unused list \"a\"\n");
  d.pos = SourcePos{3, 4, 0};
  CHECK(render_json(d) ==
        R"({"file":"x.rules","line":3,"column":4,"severity":"warning","message":"unused list \"a\"","hint":"",)"
        R"("code":null,"notes":[]})");
  CHECK(render_github(d) == "::warning file=x.rules,line=3,col=4::unused list \"a\"\n");
}

TEST_CASE("source file maps offsets to lines and strips CR") {
  SourceFile f("p", "ab\r\ncd\nef");
  CHECK(f.line_count() == 3);
  CHECK(f.line(1) == "ab");
  CHECK(f.line(3) == "ef");
  CHECK(f.line(4).empty());
  auto p = f.position_of(5);
  CHECK(p.line == 2);
  CHECK(p.column == 2);
}

TEST_CASE("columns count characters, not bytes, and a byte order mark is not part of the text") {
  // "Größe" is 5 characters in 7 bytes: the `x` after it is character 27 (byte 29), and the number
  // printed must be the column the caret is drawn under.
  auto file = std::make_shared<SourceFile>("u.rules", "ruleset \"Größe\" version 1 x\n\tlet é = 1\n");
  const auto x = file->position_of(28);
  CHECK(x.line == 1);
  CHECK(x.column == 27);
  CHECK(file->line_before(x) == "ruleset \"Größe\" version 1 ");
  Diagnostic d{Severity::Error, file, "u.rules", x, "expected a declaration", ""};
  CHECK(render_text(d) ==
        "u.rules:1:27: error: expected a declaration\n"
        " 1 | ruleset \"Größe\" version 1 x\n"
        "   |                           ^\n");
  // A tab is one character and stays a tab under the line, so the caret lines up in any editor.
  const auto one = file->position_of(file->text().find('1', 30));
  CHECK(one.column == 10);
  d.pos = one;
  CHECK(render_text(d) == "u.rules:2:10: error: expected a declaration\n 2 | \tlet é = 1\n   | \t        ^\n");

  SourceFile bom("b.txt", "\xEF\xBB\xBFgmail.com\nyahoo.com\n");
  CHECK(bom.text() == "gmail.com\nyahoo.com\n");
  CHECK(bom.line(1) == "gmail.com");
  CHECK(bom.position_of(5).column == 6);
}

TEST_CASE("every offset's line and column equal a count from the start of its line") {
  // Multi-byte characters and line ends at every distance from the 64-byte steps position_of keeps.
  std::string text;
  const char* pieces[] = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x99\x82", "\n", "\r\n", "bc"};
  for (unsigned i = 0; text.size() < 3000; ++i) text += pieces[(i * 7 + i / 5) % 7];
  SourceFile file("t", text);
  std::uint32_t line = 1, column = 1;
  for (std::size_t offset = 0; offset <= text.size(); ++offset) {
    const SourcePos pos = file.position_of(offset);
    REQUIRE(pos.line == line);
    REQUIRE(pos.column == column);
    if (offset == text.size()) break;
    if (text[offset] == '\n') ++line, column = 1;
    else column += (static_cast<unsigned char>(text[offset]) & 0xC0) != 0x80;
  }
}

TEST_CASE("a very long line is shown around the column, with the caret under the character") {
  std::string line = std::string(500, 'a') + "é" + std::string(10, 'b') + "X" + std::string(100, 'c');
  auto file = std::make_shared<SourceFile>("long.rules", line + "\n");
  const auto at = file->position_of(line.find('X'));
  CHECK(at.column == 512);
  const std::string text = render_text(Diagnostic{Severity::Error, file, "long.rules", at, "here", ""});
  const auto first = text.find('\n'), second = text.find('\n', first + 1);
  const std::string shown = text.substr(first + 1, second - first - 1), caret = text.substr(second + 1);
  const std::size_t x = shown.find('X');
  REQUIRE(x != std::string::npos);
  // Characters before X on the shown line (é is two bytes, one character) = spaces before the caret.
  std::size_t characters = 0;
  for (std::size_t i = 0; i < x; ++i) characters += (static_cast<unsigned char>(shown[i]) & 0xC0) != 0x80;
  CHECK(caret.find('^') == characters);
}

TEST_CASE("a warning's code ends its first line, and notes follow with their own caret") {
  auto file = std::make_shared<SourceFile>("a.rules", "list spare = [\"a\"]\nlet x = (1 +\n");
  Diagnostic w{Severity::Warning, file, "a.rules", SourcePos{1, 6, 5}, "list `spare` is never used", "use it",
               Code::UnusedList};
  CHECK(render_text(w) ==
        "a.rules:1:6: warning: list `spare` is never used [unused-list]\n"
        " 1 | list spare = [\"a\"]\n"
        "   |      ^\n"
        "   = hint: use it\n");
  CHECK(render_github(w) == "::warning file=a.rules,line=1,col=6::list `spare` is never used [unused-list] (hint: use it)\n");
  CHECK(render_json(w) == R"({"file":"a.rules","line":1,"column":6,"severity":"warning","message":"list `spare` is )"
                          R"(never used","hint":"use it","code":"unused-list","notes":[]})");
  // An error's code is for SARIF only: the text stays as it was.
  Diagnostic e{Severity::Error, file, "a.rules", SourcePos{3, 1, 0}, "expected `)` to close the `(` opened at line 2",
               "", Code::SyntaxError, {{SourcePos{2, 9, 0}, "this `(` is never closed"}}};
  CHECK(render_text(e) ==
        "a.rules:3:1: error: expected `)` to close the `(` opened at line 2\n"
        " 3 | \n"
        "   | ^\n"
        "a.rules:2:9: note: this `(` is never closed\n"
        " 2 | let x = (1 +\n"
        "   |         ^\n");
  CHECK(render_json(e) == R"({"file":"a.rules","line":3,"column":1,"severity":"error","message":"expected `)` to )"
                          R"(close the `(` opened at line 2","hint":"","code":null,"notes":[{"line":2,)"
                          R"("column":9,"message":"this `(` is never closed"}]})");
  // An error's code is for SARIF only (docs/warnings.md): not in JSON (above), GitHub or text.
  CHECK(render_github(e).find("syntax-error") == std::string::npos);
}

TEST_CASE("json output replaces invalid UTF-8 instead of failing") {
  Diagnostic d{Severity::Error, nullptr, "bad\xFF.rules", SourcePos{1, 1, 0}, "label \"caf\xC3\"", ""};
  CHECK(render_json(d) == "{\"file\":\"bad\xEF\xBF\xBD.rules\",\"line\":1,\"column\":1,\"severity\":\"error\","
                          "\"message\":\"label \\\"caf\xEF\xBF\xBD\\\"\",\"hint\":\"\",\"code\":null,\"notes\":[]}");
  CHECK(render_json_array({}) == "[]\n");
}

TEST_CASE("allowed codes are silenced on their line or in the whole file, and counted") {
  auto file = std::make_shared<SourceFile>("a.rules", "x\ny\nz\n");
  auto other = std::make_shared<SourceFile>("b.rules", "x\ny\nz\n");
  Diagnostics diags;
  diags.allow("a.rules", 2, Code::UnusedList, "kept for Q3");
  diags.allow("a.rules", 0, Code::UnusedLet);
  diags.warning(file, SourcePos{2, 1, 0}, Code::UnusedList, "on the allowed line");
  diags.warning(file, SourcePos{3, 1, 0}, Code::UnusedList, "another line");
  diags.warning(file, SourcePos{2, 1, 0}, Code::OverlappingTiers, "another code");
  diags.warning(file, SourcePos{1, 1, 0}, Code::UnusedLet, "the whole file");
  diags.warning(other, SourcePos{2, 1, 0}, Code::UnusedList, "another file");
  diags.error(file, SourcePos{2, 1, 0}, "errors are never silenced");
  CHECK(diags.error_count() == 1);
  CHECK(diags.warning_count() == 3);
  CHECK(diags.silenced_count() == 2);
  std::vector<std::string> silenced;
  for (const auto& d : diags.items())
    if (d.silenced) silenced.push_back(d.message + " / " + d.silence_reason);
  CHECK(silenced == std::vector<std::string>{"on the allowed line / kept for Q3", "the whole file / "});
  // Copying into another sink keeps the flag and the count.
  Diagnostics all;
  for (const auto& d : diags.items()) all.add(d);
  CHECK(all.silenced_count() == 2);
  CHECK(all.warning_count() == 3);
  CHECK(render_json_array(all.items()).find("on the allowed line") == std::string::npos);
}

TEST_CASE("every code has a unique slug, in enum order") {
  std::set<std::string_view> slugs;
  for (std::size_t i = 0; i < all_codes().size(); ++i) {
    const auto& info = all_codes()[i];
    CHECK(static_cast<std::size_t>(info.code) == i);
    CHECK(slugs.insert(info.slug).second);
    CHECK(code_named(info.slug) == info.code);
    CHECK(&code_info(info.code) == &info);
    CHECK_FALSE(info.summary.empty());
    CHECK_FALSE(info.help.empty());
  }
  CHECK_FALSE(code_named("LS101"));
}

TEST_CASE("docs/warnings.md has an entry for every warning code and names every error code") {
  std::ifstream in(LEADSCORE_SOURCE_DIR "/docs/warnings.md");
  REQUIRE(in);
  std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const auto& info : all_codes()) {
    CAPTURE(info.slug);
    if (info.warning) CHECK(doc.find("\n### " + std::string(info.slug) + "\n") != std::string::npos);
    else CHECK(doc.find("`" + std::string(info.slug) + "`") != std::string::npos);
  }
}

TEST_CASE("sarif: paths become URI references") {
  CHECK(path_to_uri("rules/acme.rules") == "rules/acme.rules");
  CHECK(path_to_uri("my rules/a#1.rules") == "my%20rules/a%231.rules");
  CHECK(path_to_uri("/abs/p\xC3\xA9.rules") == "file:///abs/p%C3%A9.rules");
}

TEST_CASE("sarif: results with rule ids, code-point columns, notes and suppressions") {
  auto file = std::make_shared<SourceFile>("r.rules", "let \xC3\xA9 = (1\nlist s = []\n");
  Diagnostics diags;
  diags.allow("r.rules", 2, Code::UnusedList, "kept");
  Diagnostic e{Severity::Error, file, {}, SourcePos{2, 1, 0}, "expected `)`", "close it", Code::SyntaxError,
               {{SourcePos{1, 9, 8}, "this `(` is never closed"}}};
  diags.add(e);
  diags.warning(file, SourcePos{2, 6, 0}, Code::UnusedList, "list `s` is never used");
  diags.error(nullptr, SourcePos{}, "cannot read x.rules");  // no code, no file
  auto log = render_sarif(diags.items(), "9.9.9");
  CHECK(log.find("\"version\": \"2.1.0\"") != std::string::npos);
  CHECK(log.find("\"name\": \"leadscore\"") != std::string::npos);
  CHECK(log.find("\"columnKind\": \"unicodeCodePoints\"") != std::string::npos);
  // `(` is byte 9 but code point 8: é is two bytes.
  CHECK(log.find("\"startColumn\": 8") != std::string::npos);
  CHECK(log.find("\"ruleId\": \"syntax-error\"") != std::string::npos);
  CHECK(log.find("\"text\": \"expected `)`\\nhint: close it\"") != std::string::npos);
  CHECK(log.find("\"kind\": \"inSource\"") != std::string::npos);
  CHECK(log.find("\"justification\": \"kept\"") != std::string::npos);
  CHECK(log.find("\"ruleId\": \"invalid-rules\"") != std::string::npos);  // the fallback for errors
  CHECK(log.find("\"ruleIndex\": " + std::to_string(static_cast<int>(Code::UnusedList))) != std::string::npos);
}

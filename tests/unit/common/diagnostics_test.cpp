#include <doctest/doctest.h>

#include "common/diagnostics.hpp"

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
        R"({"file":"x.rules","line":3,"column":4,"severity":"warning","message":"unused list \"a\"","hint":""})");
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

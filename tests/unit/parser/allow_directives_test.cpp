// `# leadscore: allow` comments: what each form silences, and the warnings about the ones that
// cannot silence anything. (check_lint.sh runs the same through `leadscore check`.)
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "parser/parser.hpp"

using namespace leadscore;

namespace {

// Parses `text`, then adds an unused-list warning at column 1 of each line in `lines`; returns the
// lines whose warning was silenced, and the parser's own warnings.
struct Outcome {
  std::vector<std::uint32_t> silenced;
  std::vector<std::string> warnings;
};

Outcome run(const std::string& text, std::vector<std::uint32_t> lines) {
  auto file = std::make_shared<SourceFile>("t.rules", text);
  Diagnostics diags;
  parse_rules(file, diags);
  Outcome out;
  for (const auto& d : diags.items())
    out.warnings.push_back(std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " + d.message);
  for (auto line : lines) diags.warning(file, SourcePos{line, 1, 0}, Code::UnusedList, "w");
  for (const auto& d : diags.items())
    if (d.silenced) out.silenced.push_back(d.pos.line);
  return out;
}

using Lines = std::vector<std::uint32_t>;
using Messages = std::vector<std::string>;

}  // namespace

TEST_CASE("allow comments: on the line, on the next line of code, for the whole file") {
  CHECK(run("let a = 1  # leadscore: allow unused-list\nlet b = 2\n", {1, 2}).silenced == Lines{1});
  CHECK(run("# leadscore: allow unused-list\n\n# another comment\nlet a = 1\nlet b = 2\n", {1, 4, 5}).silenced ==
        Lines{4});
  CHECK(run("# leadscore: allow unused-let, unused-list -- why\nlet a = 1\n", {2}).silenced == Lines{2});
  CHECK(run("# header\n# leadscore: allow-file unused-list\nlet a = 1\nlet b = 2\n", {3, 4}).silenced == Lines{3, 4});
  CHECK(run("let a = 1  # leadscore: allow overlapping-tiers\n", {1}).silenced.empty());
  CHECK(run("let a = \"# leadscore: allow unused-list\"\n", {1}).silenced.empty());  // text, not a comment
  CHECK(run("# leadscore:allow unused-list\nlet a = 1\n", {2}).silenced == Lines{2});
}

TEST_CASE("allow comments that cannot silence anything are warnings") {
  CHECK(run("let a = 1  # leadscore: allow unused-lists\n", {1}).warnings ==
        Messages{"1:31: unknown warning code `unused-lists`; did you mean `unused-list`?"});
  CHECK(run("let a = 1  # leadscore: allow syntax-error\n", {}).warnings ==
        Messages{"1:31: `syntax-error` is an error, which cannot be silenced"});
  CHECK(run("let a = 1  # leadscore: allow\n", {}).warnings == Messages{"1:30: `allow` names no warning code"});
  CHECK(run("let a = 1  # leadscore: ignore unused-list\n", {}).warnings ==
        Messages{"1:25: unknown directive `ignore` after `leadscore:`"});
  CHECK(run("let a = 1\n# leadscore: allow-file unused-list\nlet b = 2\n", {3}).warnings ==
        Messages{"2:14: `allow-file` works only before the first declaration (line 1)"});
  CHECK(run("let a = 1\n# leadscore: allow-file unused-list\nlet b = 2\n", {3}).silenced.empty());
  CHECK(run("# just a comment mentioning leadscore\nlet a = 1\n", {}).warnings.empty());
}

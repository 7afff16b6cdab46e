// `leadscore compile`: names and string constants are escaped, so the text view keeps one line per
// node and the Graphviz view stays valid DOT.
#include <doctest/doctest.h>

#include <string>

#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"
#include "engine/plan/graph.hpp"
#include "parser/parser.hpp"

using namespace leadscore;

namespace {

struct Printed {
  std::string text, dot;
};

Printed printed(const std::string& rules) {
  auto source = std::make_shared<SourceFile>("t.rules", rules);
  Diagnostics diags;
  auto ast = parse_rules(source, diags);
  auto program = check_rules(ast, diags);
  REQUIRE(program);
  auto graph = engine::compile_program(*program);
  return {engine::print_graph(*program, graph), engine::graph_to_dot(*program, graph)};
}

const char* kRules =
    "ruleset \"a\\\"b\" version 1\n"
    "schema lead {\n"
    "  id: id\n"
    "  s:  string\n"
    "}\n"
    "mql when s == \"x\\ny\"\n";

}  // namespace

TEST_CASE("compile --format dot: the graph's name is escaped like node labels") {
  const std::string dot = printed(kRules).dot;
  CHECK(dot.rfind("digraph \"a\\\"b\" {\n", 0) == 0);
  CHECK(dot.find("  n2 [label=\"\\\"x\\\\ny\\\"\"];\n") != std::string::npos);
}

TEST_CASE("compile: a string constant with a line break stays on its node's line, escaped") {
  const std::string text = printed(kRules).text;
  CHECK(text.rfind("ruleset \"a\\\"b\" version 1: ", 0) == 0);
  CHECK(text.find("  n2    string   \"x\\ny\"\n") != std::string::npos);
  CHECK(text.find("x\ny") == std::string::npos);
}

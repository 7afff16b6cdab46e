// `leadscore compile RULES [--print-graph] [--format text|dot]`
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"
#include "engine/plan/graph.hpp"

namespace leadscore::cli {

namespace {

int run_compile(const ParsedArgs& args) {
  const std::string format = args.get("--format").value_or("text");
  Diagnostics diags;
  auto program = load_rules(args.positionals()[0], diags);
  for (const auto& d : diags.sorted()) std::fputs(render_text(d).c_str(), stderr);
  if (!program) return 1;
  engine::Graph graph = engine::compile_program(*program);
  std::string out = format == "dot" ? engine::graph_to_dot(*program, graph) : engine::print_graph(*program, graph);
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace

const CommandSpec& compile_command() {
  static const CommandSpec spec{
      .name = "compile",
      .summary = "print the evaluation graph of a rules file",
      .synopsis = {},
      .positionals = {.synopsis = "RULES", .kind = OptionKind::InputPath, .min = 1, .max = 1,
                      .count_error = "name exactly one rules file", .described = "the rules file"},
      .options =
          {
              flag("--print-graph", "print the graph (what compile always does)"),
              choice("--format", "text|dot", "text: one line per node (default); dot: Graphviz"),
          },
      .description = R"(Compiles the rules and prints the evaluation graph: every node once (identical subexpressions
are shared, constants folded), the activity aggregates planned into accumulator slots, and the
sections, gates and classifies that read them.
)",
      .epilogue = "Exit status: 0 success, 1 the rules do not compile, 2 usage error.\n",
      .run = run_compile,
  };
  return spec;
}

}  // namespace leadscore::cli

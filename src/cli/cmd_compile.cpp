// `leadscore compile RULES [--print-graph] [--format text|dot]`
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"
#include "engine/plan/graph.hpp"

namespace leadscore::cli {

int cmd_compile(const Args& raw) {
  ParsedArgs args;
  std::string error;
  if (!args.parse(raw, {"--format"}, {"--print-graph"}, error) || args.positionals().size() != 1) {
    fmt::print(stderr, "leadscore compile: {}\n", error.empty() ? "name exactly one rules file" : error);
    return 2;
  }
  std::string format = args.get("--format").value_or("text");
  if (format != "text" && format != "dot") {
    fmt::print(stderr, "leadscore compile: --format takes text or dot, not \"{}\"\n", format);
    return 2;
  }
  Diagnostics diags;
  auto program = load_rules(args.positionals()[0], diags);
  for (const auto& d : diags.sorted()) std::fputs(render_text(d).c_str(), stderr);
  if (!program) return 1;
  engine::Graph graph = engine::compile_program(*program);
  std::string out = format == "dot" ? engine::graph_to_dot(*program, graph) : engine::print_graph(*program, graph);
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace leadscore::cli

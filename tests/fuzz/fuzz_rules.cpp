// libFuzzer entry point: any byte sequence must give diagnostics or a checked, compiled program,
// never a crash or hang.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"
#include "engine/plan/graph.hpp"
#include "parser/ast_dump.hpp"
#include "parser/parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto source = std::make_shared<leadscore::SourceFile>(
      "fuzz.rules", std::string(reinterpret_cast<const char*>(data), size));
  leadscore::Diagnostics diags;
  leadscore::ast::RulesFile file = leadscore::parse_rules(source, diags);
  // Walk the whole tree too, and render every diagnostic, so positions and nodes are exercised.
  leadscore::ast::dump(file);
  if (!diags.has_errors()) {
    // List files resolve against the fuzzer's working directory: usually absent, which is an error.
    if (auto program = leadscore::check_rules(file, diags)) {
      auto graph = leadscore::engine::compile_program(*program);
      leadscore::engine::print_graph(*program, graph);
    }
  }
  for (const auto& d : diags.items()) leadscore::render_text(d);
  return 0;

}

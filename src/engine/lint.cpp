#include "engine/lint.hpp"

namespace leadscore {

void lint_program(const ir::Program& program, Diagnostics& diags) {
  (void)program;
  (void)diags;
}

}  // namespace leadscore

#pragma once
// Warnings about rules that compile but are probably not what the author meant.
#include "common/diagnostics.hpp"
#include "engine/program.hpp"

namespace leadscore {

void lint_program(const ir::Program& program, Diagnostics& diags);

}  // namespace leadscore

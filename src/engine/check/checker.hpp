#pragma once
// AST to the typed, name-resolved program. Keeps going after errors so one mistake does not hide
// the next; returns nullopt when any error was reported.
#include <optional>

#include "common/diagnostics.hpp"
#include "engine/check/program.hpp"
#include "parser/ast.hpp"

namespace leadscore {

std::optional<ir::Program> check_rules(const ast::RulesFile& file, Diagnostics& diags);

// Reads, parses and checks one rules file (the usual entry point for commands).
std::optional<ir::Program> load_rules(const std::string& path, Diagnostics& diags);

}  // namespace leadscore

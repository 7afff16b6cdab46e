#pragma once
// `# leadscore: allow CODE[, CODE...] [-- reason]` silences those warnings on its own line, or, as a
// comment alone on its line, on the next line of code. `# leadscore: allow-file CODE...` before the
// first declaration silences them in the whole file. docs/warnings.md describes both.
#include "common/diagnostics.hpp"
#include "parser/ast.hpp"

namespace leadscore::parser_internal {

// Registers every directive of `file` with `diags`; a directive that names no warning code, or an
// `allow-file` after the first declaration, is itself a warning (invalid-allow).
void register_allow_directives(const ast::RulesFile& file, Diagnostics& diags);

}  // namespace leadscore::parser_internal

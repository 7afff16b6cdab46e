#pragma once
// `leadscore fmt`: one canonical layout of a rules file, printed from the syntax tree and its
// comments (docs/formatting.md has the rules). The output parses to the same tree (same
// ast::dump), formatting it again changes nothing, and comments and the blank lines the author put
// between declarations are kept.
#include <optional>
#include <string>

#include "common/diagnostics.hpp"
#include "parser/ast.hpp"

namespace leadscore::format {

inline constexpr std::size_t kMaxAlignedWidth = 120;  // a padded line stays within this many columns

// The canonical text of a file that parsed without errors.
std::string format_rules(const ast::RulesFile& file);

// Parses `source` and formats it; nullopt (with the syntax errors in diags) when it does not parse,
// or when the result would not parse back to the same tree (an internal error, also reported).
std::optional<std::string> format_source(const SourceFilePtr& source, Diagnostics& diags);

}  // namespace leadscore::format

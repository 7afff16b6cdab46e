#pragma once
// One CSV cell into a typed column row, by the schema field's declared type.
#include <optional>

#include "engine/exec/columns.hpp"
#include "parser/ast.hpp"

namespace leadscore::engine {

ir::Type column_type(ast::FieldType t);

// Writes row `row` of `column` (already sized); returns false when the cell was not empty but did
// not parse (the value is then missing). Text is copied into `arena`. `zone`: a timestamp field's
// declared zone, for its values written without one.
bool store_cell(ast::FieldType type, std::string_view cell, Column& column, std::size_t row, StringArena& arena,
                std::optional<std::int32_t> zone = std::nullopt);

}  // namespace leadscore::engine

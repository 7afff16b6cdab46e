#include "engine/load/cell_parse.hpp"

#include "io/value_parse.hpp"

namespace leadscore::engine {

ir::Type column_type(ast::FieldType t) {
  switch (t) {
    case ast::FieldType::Id:
    case ast::FieldType::String: return ir::Type::String;
    case ast::FieldType::Int:
    case ast::FieldType::Number: return ir::Type::Number;
    case ast::FieldType::Bool: return ir::Type::Bool;
    case ast::FieldType::Date:
    case ast::FieldType::Timestamp: return ir::Type::Instant;
  }
  return ir::Type::Error;
}

namespace {
template <typename T, typename Store>
bool store_parsed(const io::Parsed<T>& parsed, Column& column, std::size_t row, Store store) {
  if (parsed.has_value()) {
    store(parsed.value);
    column.valid[row] = 1;
    return true;
  }
  column.valid[row] = 0;
  return !parsed.unparseable();
}
}  // namespace

bool store_cell(ast::FieldType type, std::string_view cell, Column& column, std::size_t row, StringArena& arena,
                std::optional<std::int32_t> zone) {
  switch (type) {
    case ast::FieldType::Id:
    case ast::FieldType::String: {
      std::string_view trimmed = io::trim_blanks(cell);
      // Surrounding blanks are kept (comparisons ignore them), but an all-blank cell is missing.
      column.str[row] = trimmed.empty() ? std::string_view{} : arena.store(cell);
      column.valid[row] = !trimmed.empty();
      return true;
    }
    case ast::FieldType::Int:
      return store_parsed(io::parse_int(cell), column, row,
                          [&](std::int64_t v) { column.num[row] = static_cast<double>(v); });
    case ast::FieldType::Number:
      return store_parsed(io::parse_number(cell), column, row, [&](double v) { column.num[row] = v; });
    case ast::FieldType::Bool: {
      auto parsed = io::parse_bool(cell);
      column.truth[row] = parsed.has_value() ? (parsed.value ? kTrue : kFalse) : kUnknown;
      return !parsed.unparseable();
    }
    case ast::FieldType::Date:
      return store_parsed(io::parse_date(cell), column, row, [&](std::int64_t v) { column.time[row] = v; });
    case ast::FieldType::Timestamp:
      return store_parsed(io::parse_timestamp(cell, zone), column, row, [&](std::int64_t v) { column.time[row] = v; });
  }
  return true;
}

}  // namespace leadscore::engine

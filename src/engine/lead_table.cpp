#include "engine/lead_table.hpp"

#include <fmt/format.h>

#include "common/suggest.hpp"
#include "engine/cell_parse.hpp"
#include "io/csv_reader.hpp"
#include "io/value_parse.hpp"

namespace leadscore::engine {

bool map_columns(const std::vector<std::string_view>& header, const std::vector<std::string>& wanted,
                 const std::vector<std::string>& field_names, const std::string& path,
                 std::vector<std::int32_t>& positions, std::string& error) {
  positions.assign(wanted.size(), -1);
  for (std::size_t w = 0; w < wanted.size(); ++w) {
    if (wanted[w].empty()) continue;
    for (std::size_t h = 0; h < header.size(); ++h) {
      if (io::trim_blanks(header[h]) == wanted[w]) {
        positions[w] = static_cast<std::int32_t>(h);
        break;
      }
    }
    if (positions[w] < 0) {
      std::vector<std::string> names;
      for (auto h : header) names.emplace_back(io::trim_blanks(h));
      auto best = closest_match(wanted[w], names);
      std::string field = field_names[w] == wanted[w] ? "" : fmt::format(" (field `{}`)", field_names[w]);
      error = fmt::format("{}: required column \"{}\"{} is missing from the header{}", path, wanted[w], field,
                          best ? fmt::format("; closest header: \"{}\"", *best) : std::string{});
      return false;
    }
  }
  return true;
}

bool load_leads(const ir::Program& program, const Graph& graph, const std::string& path, const ReadOptions& options,
                std::int64_t as_of, LeadTable& table, const RejectSink& rejects, std::string& error) {
  io::CsvReader reader(options.delimiter);
  if (!reader.open(path, error)) return false;
  io::CsvRecord record;
  if (!reader.next(record)) {
    error = reader.error().empty() ? fmt::format("{}: the file is empty (a header row is required)", path)
                                   : reader.error();
    return false;
  }
  const auto& fields = program.lead_fields;
  const auto id_field = static_cast<std::size_t>(program.lead_id_field);
  const bool id_from_row = fields[id_field].from_row_number;
  std::vector<std::string> wanted(fields.size()), names(fields.size());
  for (std::size_t f = 0; f < fields.size(); ++f) {
    names[f] = fields[f].name;
    // Every declared column must be in the header (the schema is the contract with the export),
    // even when no rule reads it yet; only the columns the rules read are parsed.
    if (f != id_field || !id_from_row) wanted[f] = fields[f].column;
  }
  std::vector<std::int32_t> position;
  if (!map_columns(record.fields, wanted, names, path, position, error)) return false;
  const std::size_t header_fields = record.fields.size();

  table.fields.assign(fields.size(), Column{});
  table.unparseable.assign(fields.size(), 0);
  std::vector<std::size_t> used;
  for (std::size_t f = 0; f < fields.size(); ++f) {
    if (f == id_field || !graph.lead_field_used[f]) continue;
    table.fields[f].reset(column_type(fields[f].type), 0);
    used.push_back(f);
  }
  table.fields[id_field].reset(ir::Type::String, 0);

  std::string row_id;
  while (reader.next(record)) {
    ++table.rows_read;
    auto reject = [&](std::string reason) {
      ++table.rows_rejected;
      rejects(RejectedRow{record.line, std::move(reason), record.raw});
    };
    if (record.malformed) {
      reject(fmt::format("malformed record: {}", record.malformed_reason));
      continue;
    }
    if (record.fields.size() != header_fields) {
      reject(fmt::format("expected {} fields (as in the header), found {}", header_fields, record.fields.size()));
      continue;
    }
    std::string_view id;
    if (id_from_row) {
      row_id = std::to_string(table.rows_read);
      id = row_id;
    } else {
      id = io::trim_blanks(record.fields[static_cast<std::size_t>(position[id_field])]);
    }
    if (id.empty()) {
      reject("empty lead id");
      continue;
    }
    auto ordinal = static_cast<std::int32_t>(table.rows);
    std::string_view stored = table.arena.store(id);
    std::int32_t existing = table.index.insert(stored, ordinal);
    if (existing != ordinal) {
      reject(fmt::format("duplicate lead id \"{}\" (first on line {})", id,
                         table.lines[static_cast<std::size_t>(existing)]));
      continue;
    }
    table.ids.push_back(stored);
    table.lines.push_back(record.line);
    Column& id_column = table.fields[id_field];
    id_column.push_missing();
    id_column.str.back() = stored;
    id_column.valid.back() = 1;
    for (std::size_t f : used) {
      Column& column = table.fields[f];
      column.push_missing();
      if (!store_cell(fields[f].type, record.fields[static_cast<std::size_t>(position[f])], column, table.rows,
                      table.arena))
        ++table.unparseable[f];
    }
    ++table.rows;
  }
  if (!reader.error().empty()) {
    error = reader.error();
    return false;
  }
  table.as_of.assign(table.rows, as_of);
  return true;
}

}  // namespace leadscore::engine

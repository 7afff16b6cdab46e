#include "jobs/lead_columns.hpp"

#include <fmt/format.h>

#include "io/csv_reader.hpp"
#include "io/value_parse.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;

std::string column_for(const ir::Program& program, const std::string& name) {
  for (const auto& f : program.lead_fields)
    if (f.name == name && !f.from_row_number) return f.column;
  return name;
}

bool read_lead_columns(const std::string& path, char delimiter, const std::vector<std::string>& columns,
                       const engine::LeadTable& leads, std::vector<std::vector<std::string>>& values,
                       std::string& error) {
  values.assign(columns.size(), std::vector<std::string>(leads.rows));
  if (columns.empty()) return true;
  io::CsvReader reader(delimiter);
  if (!reader.open(path, error)) return false;
  io::CsvRecord record;
  if (!reader.next(record)) {
    error = reader.error().empty() ? fmt::format("{}: the file is empty", path) : reader.error();
    return false;
  }
  std::vector<std::int32_t> positions;
  if (!engine::map_columns(record.fields, columns, columns, path, positions, error)) return false;
  std::size_t lead = 0;  // leads are kept in file order, so their lines ascend
  while (lead < leads.rows && reader.next(record)) {
    if (record.line != leads.lines[lead]) continue;  // a rejected row
    for (std::size_t c = 0; c < columns.size(); ++c) {
      auto p = static_cast<std::size_t>(positions[c]);
      if (p < record.fields.size()) values[c][lead] = std::string(io::trim_blanks(record.fields[p]));
    }
    ++lead;
  }
  if (!reader.error().empty()) {
    error = reader.error();
    return false;
  }
  if (lead != leads.rows) {
    error = fmt::format("{}: the file changed while it was read ({} of {} leads found again)", path, lead, leads.rows);
    return false;
  }
  return true;
}

}  // namespace leadscore::jobs

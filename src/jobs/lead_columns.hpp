#pragma once
// Columns of the leads file that the rules do not read (an outcome, a source, a cutoff date),
// aligned with the leads a run kept: a second pass over the file, matched by physical line.
#include <string>
#include <vector>

#include "engine/load/lead_table.hpp"
#include "engine/check/program.hpp"

namespace leadscore::jobs {

// The CSV header a name stands for: a lead field's column (`from "..."`) when `name` is a lead
// field of the program, else `name` itself.
std::string column_for(const ir::Program& program, const std::string& name);

// values[c][lead] = the trimmed cell of header `columns[c]` for every lead kept in `leads`.
// False with a one-line error when the file cannot be read or a column is missing from the header.
bool read_lead_columns(const std::string& path, char delimiter, const std::vector<std::string>& columns,
                       const engine::LeadTable& leads, std::vector<std::vector<std::string>>& values,
                       std::string& error);

}  // namespace leadscore::jobs

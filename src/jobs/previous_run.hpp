#pragma once
// Last night's output, joined to tonight's leads by id: what `score --previous FILE` compares with and
// carries forward (mql_since, the route entry, owner and first response).
//
// The file is what `score` wrote (CSV, with the same column names: renamed ones included). Columns are
// matched by name: a column of tonight's output that the file lacks (another ruleset, or a run without
// routes) gives empty previous values and is listed in `missing`. An empty file (0 bytes, /dev/null)
// is a first run: every lead is new. A file without the id column is an error; rows with the wrong
// number of fields or broken quoting are skipped and counted, unreadable cells are missing.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/exec/columns.hpp"
#include "engine/load/lead_table.hpp"
#include "jobs/output_columns.hpp"

namespace leadscore::jobs {

// A lead of last night's output that is not among tonight's scored leads: gone from the export, or
// in it with a row that was rejected tonight.
struct GoneLead {
  std::string id;
  double score = 0;  // NaN when not readable
  bool mql = false;
  std::vector<std::string> classify;  // by classify
  std::vector<std::string> kept;      // by --keep column (the CRM record id the upload needs): "" when absent
  std::vector<std::string> cells;     // rejected tonight only: last night's cell of each output column ("" when absent)
};

struct PreviousRun {
  std::string path;
  bool first_run = false;          // an empty file: every lead is new
  std::uint64_t rows = 0;          // data rows read
  std::uint64_t matched = 0;       // rows whose id is a lead tonight
  std::uint64_t skipped = 0;       // rows with the wrong number of fields, broken quoting or no id
  std::vector<std::uint64_t> skipped_lines;  // the first few
  std::uint64_t unread_matched = 0;  // skipped rows whose id is a lead tonight: not new, values unknown
  std::uint64_t duplicates = 0;    // rows whose id an earlier row already had (the first is used)
  std::vector<std::string> missing;  // tonight's compared columns the file does not have
  std::vector<std::pair<std::string, std::uint64_t>> unreadable;  // column, cells that did not parse
  std::string ruleset_version, ruleset_hash;  // from --stamp columns, when the file has them

  std::vector<std::uint8_t> seen;     // per lead of tonight: a previous row was found
  std::vector<engine::Column> values;  // by output column; type Error for columns not read
  std::vector<GoneLead> gone;      // in last night's output, not in tonight's export
  std::vector<GoneLead> rejected;  // in last night's output, and tonight's row of that id was rejected
  engine::StringArena arena;

  bool has(std::size_t column) const { return column < values.size() && values[column].type != ir::Type::Error; }
};

// Reads `path` for the columns of `columns` that are compared or carried. `rejected_ids` (sorted) are
// the ids of tonight's rejected rows: a previous lead among them is not gone but `rejected`, with its
// whole row kept. False with a one-line `error` when the file cannot be read or has no id column.
bool read_previous_run(const std::string& path, const OutputColumns& columns, const engine::LeadTable& leads,
                       const std::vector<std::string>& rejected_ids, PreviousRun& previous, std::string& error);

}  // namespace leadscore::jobs

#pragma once
// The leads file as typed columns (only the fields the rules use), with an id index.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/exec/columns.hpp"
#include "engine/plan/graph.hpp"
#include "engine/load/lead_index.hpp"
#include "io/csv_reader.hpp"

namespace leadscore::engine {

struct RejectedRow {
  std::uint64_t line = 0;
  std::string reason;
  std::string_view raw;
  // The text in the id column's position, trimmed, when the row reached it: a best-effort reading of
  // a row with broken quoting or the wrong number of fields (`score --previous` uses it to tell a
  // lead whose row is broken tonight from one gone from the export). Empty when there is none.
  std::string_view id;
};
using RejectSink = std::function<void(const RejectedRow&)>;

// A cell that did not read as its field's type, kept to show in the summary.
struct UnreadableCell {
  std::uint64_t line = 0;  // physical line of the record
  std::string text;
};
inline constexpr std::size_t kUnreadableExamples = 3;  // kept per field

struct LeadTable {
  std::size_t rows = 0;              // leads kept (scored)
  std::uint64_t rows_read = 0;       // data records read (kept + rejected)
  std::uint64_t rows_rejected = 0;
  std::vector<Column> fields;        // by lead field index; unused fields have type Error
  std::vector<std::string_view> ids;
  std::vector<std::uint64_t> lines;  // physical line each lead starts on
  // By lead field index, for every typed field of the schema (also those no rule reads): cells that
  // did not parse, and the first few of them in file order.
  std::vector<std::uint64_t> unparseable;
  std::vector<std::vector<UnreadableCell>> unreadable;
  std::vector<std::uint64_t> invalid_text;  // by lead field index: text cells with invalid UTF-8 or NUL, repaired
  std::vector<std::int64_t> as_of;   // per lead
  // Per lead, or empty: the instant from which FirstSince aggregates count events (when the lead
  // entered its route, carried from the previous run; kNoTime = none). Set before the events pass.
  std::vector<std::int64_t> since;
  // Columns of the file that the rules do not read but a job asked for (ReadOptions::extra_columns):
  // trimmed text, missing when blank, in the order asked.
  std::vector<std::string> extra_names;
  std::vector<Column> extra;
  LeadIndex index;
  StringArena arena;
  std::vector<std::unique_ptr<StringArena>> part_arenas;  // text of leads parsed in parallel parts
};

struct ReadOptions {
  char delimiter = ',';
  int threads = 1;  // the leads file is parsed in this many byte ranges at once
  const char* row_noun = "lead";  // in reject reasons: "duplicate lead id" (the accounts file: "account")
  std::size_t block_size = io::CsvReader::kDefaultBlockSize;  // of the leads file's readers (small in fuzzing)
  // Header names of more columns to keep as text (an outcome, a source, pass-through columns):
  // read in the same pass, so no job reads the file twice. A name missing from the header is an error.
  std::vector<std::string> extra_columns;
  bool all_columns_extra = false;  // keep every column of the header as extra text (baselines)
};

// The extra column of that header name, or null when it was not asked for.
const Column* extra_column(const LeadTable& table, std::string_view name);

// Reads every row of the leads file. Rows that cannot be leads go to `rejects`. Text cells (the id and
// the string fields the rules read) that are not valid UTF-8 or hold NUL are repaired (common/utf8.hpp).
// Returns false with a
// one-line `error` when the file cannot be read or a required column is missing from the header.
bool load_leads(const ir::Program& program, const Graph& graph, const std::string& path, const ReadOptions& options,
                std::int64_t as_of, LeadTable& table, const RejectSink& rejects, std::string& error);

// Maps each wanted header name to its column position, or reports the first that is missing with the
// closest header present, or a wanted name the header has twice (with both column positions).
// `wanted[i]` empty means "not needed".
bool map_columns(const std::vector<std::string_view>& header, const std::vector<std::string>& wanted,
                 const std::vector<std::string>& field_names, const std::string& path,
                 std::vector<std::int32_t>& positions, std::string& error);

}  // namespace leadscore::engine

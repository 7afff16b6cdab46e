#include "engine/load/lead_table.hpp"

#include <algorithm>
#include <atomic>
#include <functional>
#include <new>

#include <fmt/format.h>

#include "common/escape.hpp"
#include "common/hash.hpp"
#include "common/suggest.hpp"
#include "common/utf8.hpp"
#include "engine/load/cell_parse.hpp"
#include "io/csv_reader.hpp"
#include "io/file_parts.hpp"
#include "io/input_file.hpp"
#include "io/value_parse.hpp"

namespace leadscore::engine {

bool map_columns(const std::vector<std::string_view>& header, const std::vector<std::string>& wanted,
                 const std::vector<std::string>& field_names, const std::string& path,
                 std::vector<std::int32_t>& positions, std::string& error) {
  positions.assign(wanted.size(), -1);
  for (std::size_t w = 0; w < wanted.size(); ++w) {
    if (wanted[w].empty()) continue;
    // Blanks around a header cell are not part of its name, in the file or in `from " Header "`.
    const std::string_view name = io::trim_blanks(wanted[w]);
    for (std::size_t h = 0; h < header.size(); ++h) {
      if (io::trim_blanks(header[h]) != name) continue;
      if (positions[w] >= 0) {  // which of the two the export meant cannot be known
        error = fmt::format("{}: the header has column \"{}\" twice (columns {} and {}){}", path, one_line(wanted[w]),
                            positions[w] + 1, h + 1,
                            field_names[w] == wanted[w] ? "" : fmt::format(" for field `{}`", field_names[w]));
        return false;
      }
      positions[w] = static_cast<std::int32_t>(h);
    }
    if (positions[w] < 0) {
      std::vector<std::string> names;
      for (auto h : header) names.emplace_back(one_line(io::trim_blanks(h)));
      auto best = closest_match(wanted[w], names);
      std::string field = field_names[w] == wanted[w] ? "" : fmt::format(" (field `{}`)", field_names[w]);
      error = fmt::format("{}: required column \"{}\"{} is missing from the header{}", path, one_line(wanted[w]), field,
                          best ? fmt::format("; closest header: \"{}\"", *best) : std::string{});
      return false;
    }
  }
  return true;
}

namespace {

// Rows of one byte range of the leads file, parsed but not yet numbered: ids are checked for
// duplicates when the parts are merged in file order.
struct LeadPart {
  std::vector<Column> fields;
  std::vector<Column> extra;
  std::vector<std::string_view> ids;
  IdShape id_shape;
  std::vector<std::uint64_t> id_keys;  // LeadIndex::key_of, once the index layout is chosen
  std::vector<std::uint64_t> lines;        // relative to the part's first line
  std::vector<std::uint64_t> raw_offset;   // where each row's record starts, to quote it if rejected later
  std::vector<std::uint32_t> raw_length;
  struct Reject {
    std::uint64_t line;  // relative
    std::string reason;
    std::string raw;
    std::string id;  // RejectedRow::id
  };
  std::vector<Reject> rejects;
  std::vector<std::uint64_t> unparseable;
  std::vector<std::vector<UnreadableCell>> unreadable;  // lines relative to the part
  std::vector<std::uint64_t> invalid_text;
  std::uint64_t rows_read = 0;
  std::uint64_t first_line = 0;   // as passed to the reader
  std::uint64_t next_line = 0;    // the reader's next line when it finished
  std::uint64_t end_offset = 0;
  std::unique_ptr<StringArena> arena = std::make_unique<StringArena>();
  std::string error;
};

struct LeadLayout {
  const ir::Program& program;
  const Graph& graph;
  std::size_t id_field;
  bool id_from_row;
  std::vector<std::int32_t> position;
  std::size_t header_fields;
  std::vector<std::size_t> used;  // parsed fields other than the id
  std::vector<std::size_t> checked;  // typed fields no rule reads: only checked, so bad cells are counted
  std::vector<std::int32_t> extra_position;  // header position of each extra column
  const char* row_noun = "lead";
};

// Sizes the part's per-row vectors for the rows a range of `range_bytes` likely holds, judged from the
// `rows` records in its first `bytes` bytes, so that they are not copied each time they grow.
void reserve_rows(const LeadLayout& layout, std::uint64_t range_bytes, std::uint64_t bytes, std::uint64_t rows,
                  LeadPart& part) {
  if (range_bytes == 0 || bytes == 0 || rows == 0) return;
  const double per_row = static_cast<double>(bytes) / static_cast<double>(rows);
  // A row takes at least a byte per field (its delimiters and line end): no estimate goes past that.
  const double most = static_cast<double>(range_bytes / std::max<std::size_t>(layout.header_fields, 1));
  const auto expected = static_cast<std::size_t>(std::min(most, static_cast<double>(range_bytes) / per_row * 1.05) + 64);
  // First rows much shorter than the rest overestimate: the room is only address space until rows
  // fill it, and when even that cannot be had, the vectors keep what they hold and grow as they fill.
  try {
    part.ids.reserve(expected);
    part.lines.reserve(expected);
    part.raw_offset.reserve(expected);
    part.raw_length.reserve(expected);
    for (std::size_t f : layout.used) part.fields[f].reserve(expected);
    for (auto& column : part.extra) column.reserve(expected);
  } catch (const std::bad_alloc&) {
  }
}

// range_bytes: the size of the byte range the reader reads (0 when unknown).
void parse_part(const LeadLayout& layout, io::CsvReader& reader, LeadPart& part, std::uint64_t range_bytes) {
  constexpr std::size_t kSampleRows = 512;  // rows read before the vectors are sized
  constexpr std::size_t kGrowRows = 4096;    // the columns grow this many rows at a time, as missing cells
  std::size_t column_rows = 0;
  const std::uint64_t range_begin = reader.end_offset();
  const auto& fields = layout.program.lead_fields;
  part.fields.assign(fields.size(), Column{});
  part.unparseable.assign(fields.size(), 0);
  part.unreadable.assign(fields.size(), {});
  part.invalid_text.assign(fields.size(), 0);
  for (std::size_t f : layout.used) part.fields[f].reset(column_type(fields[f].type), 0);
  part.extra.assign(layout.extra_position.size(), Column{});
  for (auto& column : part.extra) column.reset(ir::Type::String, 0);
  io::CsvRecord record;
  std::string row_id, repaired;
  // A text cell as stored: repaired (and counted) when it is not valid UTF-8 or holds NUL.
  auto clean_text = [&](std::string_view cell, std::size_t field) {
    if (clean_utf8(cell)) return cell;
    ++part.invalid_text[field];
    repaired = repair_utf8(cell);
    return std::string_view(repaired);
  };
  while (reader.next(record)) {
    ++part.rows_read;
    auto reject = [&](std::string reason) {
      std::string id;
      const auto id_at = static_cast<std::size_t>(layout.id_from_row ? 0 : layout.position[layout.id_field]);
      if (!layout.id_from_row && id_at < record.fields.size()) {
        const std::string_view cell = io::trim_blanks(record.fields[id_at]);
        id = clean_utf8(cell) ? std::string(cell) : repair_utf8(cell);  // not counted: the row is not kept
      }
      part.rejects.push_back(LeadPart::Reject{record.line, std::move(reason), std::string(record.raw), std::move(id)});
    };
    if (record.malformed) {
      reject(fmt::format("malformed record: {}", record.malformed_reason));
      continue;
    }
    if (record.fields.size() != layout.header_fields) {
      reject(fmt::format("expected {} fields (as in the header), found {}", layout.header_fields, record.fields.size()));
      continue;
    }
    std::string_view id;
    if (layout.id_from_row) {
      row_id = std::to_string(part.rows_read);  // only used with a single part: the row number is global
      id = row_id;
    } else {
      id = clean_text(io::trim_blanks(record.fields[static_cast<std::size_t>(layout.position[layout.id_field])]),
                      layout.id_field);
    }
    if (id.empty()) {
      reject(fmt::format("empty {} id", layout.row_noun));
      continue;
    }
    std::string_view stored = part.arena->store(id);
    part.ids.push_back(stored);
    part.id_shape.observe(stored);
    part.lines.push_back(record.line);
    part.raw_offset.push_back(record.offset);
    part.raw_length.push_back(static_cast<std::uint32_t>(std::min<std::size_t>(record.raw.size(), UINT32_MAX)));
    const std::size_t row = part.ids.size() - 1;
    if (row == kSampleRows) reserve_rows(layout, range_bytes, record.offset - range_begin, part.rows_read - 1, part);
    if (row == column_rows) {
      column_rows += kGrowRows;
      for (std::size_t f : layout.used) part.fields[f].resize(column_rows);
      for (auto& column : part.extra) column.resize(column_rows);
    }
    auto unreadable = [&](std::size_t f, std::string_view cell) {
      ++part.unparseable[f];
      if (part.unreadable[f].size() < kUnreadableExamples)
        part.unreadable[f].push_back(UnreadableCell{record.line, std::string(cell)});
    };
    for (std::size_t f : layout.used) {
      Column& column = part.fields[f];
      std::string_view cell = record.fields[static_cast<std::size_t>(layout.position[f])];
      if (column.type == ir::Type::String) cell = clean_text(cell, f);
      if (!store_cell(fields[f].type, cell, column, row, *part.arena, fields[f].zone)) unreadable(f, cell);
    }
    for (std::size_t f : layout.checked) {
      std::string_view cell = record.fields[static_cast<std::size_t>(layout.position[f])];
      if (!cell_parses(fields[f].type, cell, fields[f].zone)) unreadable(f, cell);
    }
    for (std::size_t c = 0; c < layout.extra_position.size(); ++c) {
      Column& column = part.extra[c];
      std::string_view text = io::trim_blanks(record.fields[static_cast<std::size_t>(layout.extra_position[c])]);
      if (!text.empty()) {
        column.str[row] = part.arena->store(text);
        column.valid[row] = 1;
      }
    }
  }
  for (std::size_t f : layout.used) part.fields[f].resize(part.ids.size());
  for (auto& column : part.extra) column.resize(part.ids.size());
  if (!reader.error().empty()) part.error = reader.error();
  part.next_line = reader.next_line();
  part.end_offset = reader.end_offset();
}

using Duplicates = std::vector<std::vector<std::uint8_t>>;  // by part: 1 per duplicate row, empty when none

// One vector of every part's kept rows, in file order: `of(part)` is a part's vector, one value per
// row. Part 0's vector is taken over when it lost no row to a duplicate (with several parts it was
// reserved for the whole file, so the others' rows usually fit without a reallocation); the other
// parts' kept rows are appended.
template <typename T, typename Of>
std::vector<T> gather_rows(std::vector<LeadPart>& parts, const Duplicates& duplicate, std::size_t rows, Of of) {
  std::vector<T> to;
  std::size_t p = 0;
  if (duplicate[0].empty()) {
    to = std::move(of(parts[0]));
    p = 1;
  }
  to.reserve(rows);
  for (; p < parts.size(); ++p) {
    const std::vector<T>& from = of(parts[p]);
    const std::size_t n = parts[p].ids.size();
    if (duplicate[p].empty()) {
      to.insert(to.end(), from.begin(), from.begin() + static_cast<std::ptrdiff_t>(n));
      continue;
    }
    for (std::size_t r = 0; r < n; ++r)
      if (!duplicate[p][r]) to.push_back(from[r]);
  }
  return to;
}

// The table's column from the parts' columns at `index` of `columns` (fields or extra).
void gather_column(Column& to, ir::Type type, std::vector<LeadPart>& parts, const Duplicates& duplicate,
                   std::size_t rows, std::vector<Column> LeadPart::*columns, std::size_t index) {
  to.reset(type, 0);
  auto member = [&](auto Column::*values) {
    return [columns, index, values](LeadPart& part) -> auto& { return (part.*columns)[index].*values; };
  };
  switch (type) {
    case ir::Type::Number: to.num = gather_rows<double>(parts, duplicate, rows, member(&Column::num)); break;
    case ir::Type::Instant: to.time = gather_rows<std::int64_t>(parts, duplicate, rows, member(&Column::time)); break;
    case ir::Type::String: to.str = gather_rows<std::string_view>(parts, duplicate, rows, member(&Column::str)); break;
    case ir::Type::Bool: to.truth = gather_rows<std::int8_t>(parts, duplicate, rows, member(&Column::truth)); return;
    case ir::Type::Error: return;
  }
  to.valid = gather_rows<std::uint8_t>(parts, duplicate, rows, member(&Column::valid));
}

// Fills the table's per-lead vectors (ids, the id column, every parsed and extra column, the as-of
// instants) from the parts, once their duplicates are known. Each vector is assembled by one thread;
// the threads take the next vector as they finish one, the largest first, so no thread waits on one
// that drew the larger share. A part's column is freed as soon as it is gathered.
void assemble_table(const LeadLayout& layout, std::vector<LeadPart>& parts, const Duplicates& duplicate,
                    std::int64_t as_of, LeadTable& table) {
  const auto& fields = layout.program.lead_fields;
  const std::size_t rows = table.rows;
  table.extra.assign(layout.extra_position.size(), Column{});
  struct Job {
    std::size_t bytes_per_row;  // of what it writes: the largest are started first
    std::function<void()> run;
  };
  std::vector<Job> jobs;
  jobs.push_back({2 * sizeof(std::string_view) + 1, [&] {
                    table.ids = gather_rows<std::string_view>(parts, duplicate, rows,
                                                              [](LeadPart& part) -> auto& { return part.ids; });
                    Column& id_column = table.fields[layout.id_field];
                    id_column.reset(ir::Type::String, 0);
                    id_column.str = table.ids;
                    id_column.valid.assign(rows, 1);
                  }});
  jobs.push_back({sizeof(std::int64_t), [&] { table.as_of.assign(rows, as_of); }});
  auto column_job = [&](Column& to, ir::Type type, std::vector<Column> LeadPart::*columns, std::size_t index) {
    const std::size_t width = type == ir::Type::String ? sizeof(std::string_view) + 1
                              : type == ir::Type::Bool ? 1
                                                       : sizeof(double) + 1;
    jobs.push_back({width, [&, target = &to, type, columns, index] {
                      gather_column(*target, type, parts, duplicate, rows, columns, index);
                      for (auto& part : parts) (part.*columns)[index] = Column{};
                    }});
  };
  for (std::size_t f : layout.used) column_job(table.fields[f], column_type(fields[f].type), &LeadPart::fields, f);
  for (std::size_t c = 0; c < table.extra.size(); ++c) column_job(table.extra[c], ir::Type::String, &LeadPart::extra, c);
  std::stable_sort(jobs.begin(), jobs.end(), [](const Job& a, const Job& b) { return a.bytes_per_row > b.bytes_per_row; });
  const std::size_t threads = std::min(parts.size(), jobs.size());
  if (threads <= 1) {
    for (auto& job : jobs) job.run();
    return;
  }
  std::atomic<std::size_t> next{0};
  io::run_ranges(threads, [&](std::size_t) {
    for (std::size_t j = next++; j < jobs.size(); j = next++) jobs[j].run();
  });
}

// Numbers the parts' rows in file order: duplicates (checked across parts) and every other reject
// are reported in line order, exactly as a single sequential read would. Only the id index and the
// lines (which a duplicate's reason quotes) are built row by row; the other per-lead vectors are
// assembled afterwards, in parallel.
void merge_parts(const LeadLayout& layout, const std::string& path, std::vector<LeadPart>& parts, std::int64_t as_of,
                 LeadTable& table, const RejectSink& rejects) {
  const auto& fields = layout.program.lead_fields;
  IdShape shape;
  for (const auto& p : parts) shape.merge(p.id_shape);
  table.index.prepare(shape);
  io::run_ranges(parts.size(), [&](std::size_t p) {
    LeadPart& part = parts[p];
    part.id_keys.resize(part.ids.size());
    for (std::size_t r = 0; r < part.ids.size(); ++r) part.id_keys[r] = table.index.key_of(part.ids[r]);
  });
  table.fields.assign(fields.size(), Column{});
  table.unparseable.assign(fields.size(), 0);
  table.unreadable.assign(fields.size(), {});
  table.invalid_text.assign(fields.size(), 0);
  std::size_t total = 0;
  for (const auto& p : parts) total += p.ids.size();
  table.lines.reserve(total);

  std::uint64_t base = 0;  // added to a part's relative line numbers
  Duplicates duplicate(parts.size());
  for (std::size_t p = 0; p < parts.size(); ++p) {
    LeadPart& part = parts[p];
    if (p > 0) base = parts[p - 1].first_line + base + (parts[p - 1].next_line - parts[p - 1].first_line) - part.first_line;
    table.rows_read += part.rows_read;
    for (std::size_t f = 0; f < fields.size(); ++f) {
      table.unparseable[f] += part.unparseable[f];
      for (auto& cell : part.unreadable[f])
        if (table.unreadable[f].size() < kUnreadableExamples)
          table.unreadable[f].push_back(UnreadableCell{cell.line + base, std::move(cell.text)});
      table.invalid_text[f] += part.invalid_text[f];
    }
    std::vector<LeadPart::Reject> part_rejects = std::move(part.rejects);
    // Number the part's rows; a duplicate keeps the first row's ordinal and is rejected.
    constexpr std::size_t kAhead = 8;
    for (std::size_t r = 0; r < part.ids.size() && r < kAhead; ++r) table.index.prefetch(part.id_keys[r]);
    for (std::size_t r = 0; r < part.ids.size(); ++r) {
      if (r + kAhead < part.ids.size()) table.index.prefetch(part.id_keys[r + kAhead]);
      auto ordinal = static_cast<std::int32_t>(table.rows);
      std::int32_t existing = table.index.insert(part.ids[r], ordinal, part.id_keys[r]);
      if (existing == ordinal) {
        table.lines.push_back(part.lines[r] + base);
        ++table.rows;
        continue;
      }
      part_rejects.push_back(LeadPart::Reject{
          part.lines[r],
          fmt::format("duplicate {} id \"{}\" (first on line {})", layout.row_noun, part.ids[r],
                      table.lines[static_cast<std::size_t>(existing)]),
          io::read_input_bytes(path, part.raw_offset[r], part.raw_length[r]), std::string(part.ids[r])});
      if (duplicate[p].empty()) duplicate[p].assign(part.ids.size(), 0);
      duplicate[p][r] = 1;
    }
    std::stable_sort(part_rejects.begin(), part_rejects.end(),
                     [](const LeadPart::Reject& a, const LeadPart::Reject& b) { return a.line < b.line; });
    for (auto& reject : part_rejects) {
      ++table.rows_rejected;
      rejects(RejectedRow{reject.line + base, std::move(reject.reason), reject.raw, reject.id});
    }
  }
  assemble_table(layout, parts, duplicate, as_of, table);
  for (auto& part : parts) {
    part.fields.clear();
    part.extra.clear();
    table.part_arenas.push_back(std::move(part.arena));
  }
}

}  // namespace

const Column* extra_column(const LeadTable& table, std::string_view name) {
  for (std::size_t c = 0; c < table.extra_names.size(); ++c)
    if (table.extra_names[c] == name) return &table.extra[c];
  return nullptr;
}

bool load_leads(const ir::Program& program, const Graph& graph, const std::string& path, const ReadOptions& options,
                std::int64_t as_of, LeadTable& table, const RejectSink& rejects, std::string& error) {
  io::CsvReader header_reader(options.delimiter, options.block_size);
  if (!header_reader.open(path, error)) return false;
  io::CsvRecord header;
  if (!header_reader.next(header)) {
    error = header_reader.error().empty() ? fmt::format("{}: the file is empty (a header row is required)", path)
                                          : header_reader.error();
    return false;
  }
  const auto& fields = program.lead_fields;
  const auto id_field = static_cast<std::size_t>(program.lead_id_field);
  LeadLayout layout{program, graph, id_field, fields[id_field].from_row_number, {}, header.fields.size(), {}, {}, {},
                    options.row_noun};
  std::vector<std::string> wanted(fields.size()), names(fields.size());
  for (std::size_t f = 0; f < fields.size(); ++f) {
    names[f] = fields[f].name;
    // Every declared column must be in the header (the schema is the contract with the export),
    // even when no rule reads it yet; only the columns the rules read are parsed.
    if (f != id_field || !layout.id_from_row) wanted[f] = fields[f].column;
    if (f != id_field && graph.lead_field_used[f]) layout.used.push_back(f);
    else if (f != id_field && column_type(fields[f].type) != ir::Type::String) layout.checked.push_back(f);
  }
  if (!map_columns(header.fields, wanted, names, path, layout.position, error)) return false;
  // Every header column in header order (the asked ones are among them), or the asked ones.
  table.extra_names.clear();
  const auto& asked = options.extra_columns;
  if (options.all_columns_extra)
    for (auto h : header.fields) table.extra_names.emplace_back(io::trim_blanks(h));
  for (const auto& name : asked)
    if (std::find(table.extra_names.begin(), table.extra_names.end(), name) == table.extra_names.end())
      table.extra_names.push_back(name);
  if (!map_columns(header.fields, table.extra_names, table.extra_names, path, layout.extra_position, error))
    return false;
  const std::uint64_t data_start = header_reader.end_offset();
  const std::uint64_t data_line = header_reader.next_line();

  // Parallel parts need ids that do not depend on the row's position in the file.
  std::vector<std::uint64_t> cuts;
  if (!layout.id_from_row &&
      !io::split_data(path, data_start, static_cast<std::size_t>(std::max(1, options.threads)), cuts, error))
    return false;
  std::vector<LeadPart> parts;
  if (cuts.size() > 2) {
    parts.resize(cuts.size() - 1);
    for (std::size_t p = 0; p < parts.size(); ++p) parts[p].first_line = p == 0 ? data_line : 1;
    io::run_ranges(parts.size(), [&](std::size_t p) {
      io::CsvReader reader(options.delimiter, options.block_size);
      if (!reader.open_range(path, cuts[p], cuts[p + 1], parts[p].first_line, parts[p].error)) return;
      // The first part's vectors are sized for the whole file: the table takes them over and the
      // other parts' rows are appended in place.
      parse_part(layout, reader, parts[p], p == 0 ? cuts.back() - cuts.front() : cuts[p + 1] - cuts[p]);
    });
    bool exact = false;
    if (!io::check_ranges(parts, cuts, exact, error)) return false;
    if (!exact) parts.clear();  // a cut fell inside a quoted field: read it all in one pass
  }
  if (parts.empty()) {
    parts.resize(1);
    parts[0].first_line = data_line;
    io::CsvReader reader(options.delimiter, options.block_size);
    if (!reader.open_range(path, data_start, UINT64_MAX, data_line, error)) return false;
    std::uint64_t size = 0;
    std::string ignored;  // a size that cannot be learned only means the vectors grow as they fill
    parse_part(layout, reader, parts[0], io::input_size(path, size, ignored) && size > data_start ? size - data_start : 0);
    if (!parts[0].error.empty()) {
      error = parts[0].error;
      return false;
    }
  }
  merge_parts(layout, path, parts, as_of, table, rejects);
  return true;
}

}  // namespace leadscore::engine

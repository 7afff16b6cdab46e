// libFuzzer target: the CSV reader. Any bytes are read the same way whatever the block size, from
// memory or from a file, and in byte ranges whenever the ranges prove their cuts (as the parallel
// leads loader relies on); every record lies where its line and offset say, and a text without
// quotes reads exactly as a plain split on line ends and delimiters.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/csv_reader.hpp"
#include "tests/fuzz/support.hpp"

namespace {

using leadscore::fuzz::line_count;
using leadscore::io::CsvReader;
using leadscore::io::CsvRecord;

// Larger than any input the fuzzer makes (run.sh's -max_len): the whole input in one block, as the
// default 8 MB block holds a real file's records, at a fraction of the allocation.
constexpr std::size_t kOneBlock = std::size_t{1} << 16;

struct Record {
  std::vector<std::string> fields;
  std::uint64_t line = 0;
  std::uint64_t offset = 0;
  std::string raw;
  bool malformed = false;
  std::string reason;
  bool operator==(const Record&) const = default;
};

struct Reading {
  std::vector<Record> records;
  std::uint64_t empty_lines = 0;
  std::uint64_t next_line = 0;
  std::uint64_t end_offset = 0;
  std::string error;
};

Reading read_all(CsvReader& reader) {
  Reading out;
  CsvRecord record;
  while (reader.next(record)) {
    Record r{{}, record.line, record.offset, std::string(record.raw), record.malformed,
             std::string(record.malformed_reason)};
    for (auto f : record.fields) r.fields.emplace_back(f);
    out.records.push_back(std::move(r));
  }
  FUZZ_CHECK(reader.records_read() == out.records.size(), "records_read {} but {} returned", reader.records_read(),
             out.records.size());
  out.empty_lines = reader.empty_lines();
  out.next_line = reader.next_line();
  out.end_offset = reader.end_offset();
  out.error = reader.error();
  return out;
}

Reading read_memory(std::string_view text, char delimiter, std::size_t block) {
  CsvReader reader(delimiter, block);
  reader.open_memory(text);
  return read_all(reader);
}

void check_same(const Reading& a, const Reading& b, const char* what) {
  FUZZ_CHECK(a.records.size() == b.records.size(), "{}: {} records vs {}", what, a.records.size(), b.records.size());
  for (std::size_t i = 0; i < a.records.size(); ++i)
    FUZZ_CHECK(a.records[i] == b.records[i], "{}: record {} (line {} vs {}) differs", what, i, a.records[i].line,
               b.records[i].line);
  FUZZ_CHECK(a.empty_lines == b.empty_lines && a.next_line == b.next_line && a.end_offset == b.end_offset,
             "{}: empty lines {}/{}, next line {}/{}, end offset {}/{}", what, a.empty_lines, b.empty_lines,
             a.next_line, b.next_line, a.end_offset, b.end_offset);
}

// Where the record's text and position must be, whatever the quoting.
void check_positions(std::string_view text, const Reading& reading, char delimiter) {
  const std::uint64_t lines = line_count(text);
  std::uint64_t previous_line = 0, previous_offset = 0;
  std::uint64_t newlines_before = 0;  // in text[0, counted)
  std::size_t counted = 0;
  for (const auto& r : reading.records) {
    FUZZ_CHECK(r.line > previous_line && r.line <= lines, "record line {} after {}, of {} lines", r.line,
               previous_line, lines);
    FUZZ_CHECK(r.offset >= previous_offset && r.offset < text.size(), "record offset {}", r.offset);
    FUZZ_CHECK(text.substr(r.offset, r.raw.size()) == r.raw, "raw text of line {} is not the input at {}", r.line,
               r.offset);
    FUZZ_CHECK(!r.fields.empty(), "a record without fields on line {}", r.line);
    FUZZ_CHECK(r.malformed == !r.reason.empty(), "malformed flag and reason disagree on line {}", r.line);
    // Lines before this record: each was an empty line or part of an earlier record.
    newlines_before += static_cast<std::uint64_t>(std::count(text.begin() + counted, text.begin() + r.offset, '\n'));
    counted = r.offset;
    FUZZ_CHECK(newlines_before + 1 == r.line, "line {} starts after {} line ends", r.line, newlines_before);
    previous_line = r.line;
    previous_offset = r.offset + 1;
  }
  FUZZ_CHECK(reading.end_offset == text.size(), "reading stopped at {} of {} bytes", reading.end_offset, text.size());
  FUZZ_CHECK(reading.error.empty(), "error reading memory: {}", reading.error);

  if (text.find('"') != std::string_view::npos) return;
  // Without quotes a record is a line, and its fields are the line split at the delimiter.
  std::vector<Record> expected;
  std::string_view rest = text;
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
  std::uint64_t line = 0;
  std::uint64_t empty = 0;
  while (!rest.empty()) {
    ++line;
    const std::size_t end = rest.find('\n');
    std::string_view body = rest.substr(0, end);
    const bool last = end == std::string_view::npos;
    rest.remove_prefix(last ? rest.size() : end + 1);
    if (!body.empty() && body.back() == '\r') body.remove_suffix(1);
    if (body.empty()) {
      ++empty;
      continue;
    }
    Record r{{}, line, 0, std::string(body), false, {}};
    std::size_t start = 0;
    for (;;) {
      const std::size_t cut = body.find(delimiter, start);
      r.fields.emplace_back(body.substr(start, cut == std::string_view::npos ? body.npos : cut - start));
      if (cut == std::string_view::npos) break;
      start = cut + 1;
    }
    expected.push_back(std::move(r));
  }
  FUZZ_CHECK(expected.size() == reading.records.size(), "without quotes: {} lines with text, {} records",
             expected.size(), reading.records.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Record& got = reading.records[i];
    FUZZ_CHECK(got.line == expected[i].line && got.raw == expected[i].raw && got.fields == expected[i].fields &&
                   !got.malformed,
               "without quotes: line {} read as line {} with {} fields (expected {})", expected[i].line, got.line,
               got.fields.size(), expected[i].fields.size());
  }
  FUZZ_CHECK(empty == reading.empty_lines, "without quotes: {} empty lines, reader counted {}", empty,
             reading.empty_lines);
  FUZZ_CHECK(reading.next_line == line + 1, "without quotes: next line {} after {} lines", reading.next_line, line);
}

// Reads the file in the byte ranges split_points proposes, chaining line numbers like the leads
// loader. When every range ended exactly on the next cut, the records must be the whole reading's.
void check_ranges(const std::string& path, const Reading& whole, char delimiter, std::size_t parts) {
  std::vector<std::uint64_t> cuts;
  std::string error;
  FUZZ_CHECK(leadscore::io::split_points(path, parts, cuts, error), "split_points: {}", error);
  FUZZ_CHECK(cuts.size() >= 2 && cuts.front() == 0 && cuts.back() == whole.end_offset, "cuts from {} to {}",
             cuts.front(), cuts.back());
  Reading joined;
  std::uint64_t first_line = 1;
  for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
    FUZZ_CHECK(cuts[p] < cuts[p + 1] || cuts.size() == 2, "cuts not increasing at {}", p);
    CsvReader reader(delimiter, kOneBlock);
    FUZZ_CHECK(reader.open_range(path, cuts[p], cuts[p + 1], first_line, error), "open_range: {}", error);
    Reading part = read_all(reader);
    if (part.end_offset != cuts[p + 1]) return;  // not proven: the loader reads the file in one pass
    for (auto& r : part.records) joined.records.push_back(std::move(r));
    joined.empty_lines += part.empty_lines;
    first_line = part.next_line;
  }
  joined.next_line = first_line;
  joined.end_offset = cuts.back();
  check_same(whole, joined, "proven byte ranges");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static leadscore::fuzz::MemoryFile file;
  const std::string text(reinterpret_cast<const char*>(data), size);
  file.assign(text);
  for (const char delimiter : {',', ';'}) {
    const Reading whole = read_memory(text, delimiter, kOneBlock);
    check_positions(text, whole, delimiter);
    for (const std::size_t block : {std::size_t{1}, std::size_t{3}, std::size_t{64}})
      check_same(whole, read_memory(text, delimiter, block), "small blocks");
    CsvReader reader(delimiter, 5);
    std::string error;
    FUZZ_CHECK(reader.open(file.path(), error), "open: {}", error);
    check_same(whole, read_all(reader), "file");
    for (const std::size_t step : {std::size_t{7}, kOneBlock}) {  // memory-mapped (any size), extended `step` at a time
      CsvReader mapped(delimiter, step, 0, step);
      FUZZ_CHECK(mapped.open(file.path(), error), "open mapped: {}", error);
      check_same(whole, read_all(mapped), "mapped file");
    }
    for (const std::size_t parts : {std::size_t{2}, std::size_t{3}}) check_ranges(file.path(), whole, delimiter, parts);
  }
  return 0;
}

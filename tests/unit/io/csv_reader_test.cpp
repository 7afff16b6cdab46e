#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "io/csv_reader.hpp"
#include "io/csv_writer.hpp"
#include "io/temporary_files.hpp"

using namespace leadscore::io;

namespace {

const std::string kCases = std::string(LEADSCORE_SOURCE_DIR) + "/../shared/conformance/cases/";

struct Row {
  std::vector<std::string> fields;
  std::uint64_t line;
  std::string raw;
  bool malformed;
  std::uint64_t offset;
};

std::vector<Row> collect(CsvReader& reader) {
  std::vector<Row> rows;
  CsvRecord record;
  while (reader.next(record)) {
    rows.push_back({{record.fields.begin(), record.fields.end()}, record.line, std::string(record.raw),
                    record.malformed, record.offset});
  }
  CHECK(reader.error().empty());
  return rows;
}

std::vector<Row> read_text(std::string_view text, char delimiter = ',', std::size_t block_size = 1 << 20) {
  CsvReader reader(delimiter, block_size);
  reader.open_memory(text);
  return collect(reader);
}

std::vector<Row> read_file(const std::string& path, char delimiter = ',', std::size_t block_size = 1 << 20) {
  CsvReader reader(delimiter, block_size);
  std::string error;
  REQUIRE(reader.open(path, error));
  return collect(reader);
}

using Fields = std::vector<std::string>;

// The same records, on the same lines, at the same offsets (shifted by `offset_shift`).
void check_same_rows(const std::vector<Row>& rows, const std::vector<Row>& expected, std::uint64_t offset_shift = 0) {
  REQUIRE(rows.size() == expected.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i].fields == expected[i].fields);
    CHECK(rows[i].line == expected[i].line);
    CHECK(rows[i].raw == expected[i].raw);
    CHECK(rows[i].malformed == expected[i].malformed);
    CHECK(rows[i].offset == expected[i].offset + offset_shift);
  }
}

// Every block size from 1 byte up must give the same records, so records, quotes, `""` and CRLF straddle
// block boundaries at every possible position.
void check_all_block_sizes(std::string_view text, char delimiter = ',') {
  const std::vector<Row> expected = read_text(text, delimiter);
  for (std::size_t block = 1; block <= text.size() + 1; ++block) {
    CAPTURE(block);
    check_same_rows(read_text(text, delimiter, block), expected);
  }
}

}  // namespace

TEST_CASE("csv reader: 05-csv-quoting records, fields and start lines") {
  const auto rows = read_file(kCases + "05-csv-quoting/leads.csv");
  REQUIRE(rows.size() == 10);
  CHECK(rows[0].fields == Fields{"lead_id", "company", "title", "notes", "employees"});
  CHECK(rows[0].line == 1);
  CHECK(rows[1].fields == Fields{"Q01", "Acme, Inc.", "CEO", "plain", "250"});
  CHECK(rows[1].line == 2);
  CHECK(rows[2].fields == Fields{"Q02", "Globex", "VP \"Growth\"", "first line\nline two", "40"});
  CHECK(rows[2].line == 3);
  CHECK(rows[2].raw == "\"Q02\",Globex,\"VP \"\"Growth\"\"\",\"first line\nline two\",40");
  CHECK(rows[3].fields == Fields{"Q03", "Initech, LLC", "", "", "99"});
  CHECK(rows[3].line == 5);
  CHECK(rows[4].fields == Fields{"Q04", "Umbrella", "CTO", "a \"quoted\", note", "100"});
  CHECK(rows[4].line == 6);
  CHECK(rows[5].fields == Fields{"Q05", "too", "many", "fields", "1", "2"});
  CHECK(rows[5].line == 7);
  CHECK(rows[6].fields == Fields{"Q06", "Hooli", "Head of \"AI\", EMEA", "multi\nline\nthree", "12"});
  CHECK(rows[6].line == 8);
  CHECK(rows[7].fields == Fields{"Q07", "short", "row"});
  CHECK(rows[7].line == 11);
  CHECK(rows[7].raw == "Q07,short,row");
  CHECK(rows[8].fields == Fields{"Q08", "Pied Piper", "Engineer", "x, \"y\"\nline two", "7"});
  CHECK(rows[8].line == 12);
  CHECK(rows[9].fields == Fields{"Q09", "Vandelay", "Importer", "", "100"});
  CHECK(rows[9].line == 14);
  CHECK(rows[9].raw == "Q09,Vandelay,Importer,\"\",100");
  for (const Row& row : rows) CHECK_FALSE(row.malformed);
}

TEST_CASE("csv reader: 06-crlf-bom skips the BOM and keeps CR out of fields") {
  const auto leads = read_file(kCases + "06-crlf-bom/leads.csv");
  REQUIRE(leads.size() == 6);
  CHECK(leads[0].fields == Fields{"lead_id", "country", "verified", "employees"});
  CHECK(leads[0].raw == "lead_id,country,verified,employees");
  CHECK(leads[2].fields == Fields{"C02", "Canada, eh", "no", "99"});
  CHECK(leads[3].fields == Fields{"C03", "US", "yes", ""});
  CHECK(leads[4].fields == Fields{"C04", "multi\r\nline", "1", "100"});
  CHECK(leads[4].line == 5);
  CHECK(leads[5].fields == Fields{"C05", "us", "0", "7"});
  CHECK(leads[5].line == 7);

  const auto events = read_file(kCases + "06-crlf-bom/activities.csv");
  REQUIRE(events.size() == 6);
  CHECK(events[0].fields == Fields{"lead_id", "type", "at"});
  CHECK(events[1].fields == Fields{"C01", "visit", "2026-10-25T00:00:00Z"});
  CHECK(events[5].fields == Fields{"C05", "visit", "2026-10-31T10:00:00Z"});
  CHECK(events[5].line == 6);
}

TEST_CASE("csv reader: 08-unparseable-bools and 02-numbers-comments cells come through verbatim") {
  const auto rows = read_file(kCases + "08-unparseable-bools/leads.csv");
  REQUIRE(rows.size() == 15);
  CHECK(rows[2].fields == Fields{"U02", "12abc", "n/a", "FALSE", "10/01/2026", "2026-10-30 10:00"});
  CHECK(rows[3].fields == Fields{"U03", "", "", "Yes", "", ""});
  CHECK(rows[6].fields == Fields{"U06", "3.5", "12 000", "0", "2026-1-5", "2026-10-29"});
  CHECK(rows[8].fields == Fields{"U08", "ten", "$100", "Y", "yesterday", "2026-10-30T10:00:00"});
  CHECK(rows[14].line == 15);

  const auto numbers = read_file(kCases + "02-numbers-comments/leads.csv");
  REQUIRE(numbers.size() == 12);
  CHECK(numbers[0].fields == Fields{"id", "revenue", "employees", "ARR (USD)", "note"});
  CHECK(numbers[1].fields == Fields{"N01", "2500", "999", "250000", "exact 2.5k; arr not above 0.25M"});
  CHECK(numbers[10].fields == Fields{"N10", "", "", "", "everything missing"});
}

TEST_CASE("csv reader: the bank marketing file is semicolon-delimited with 41188 records of 21 fields") {
  CsvReader reader(';');
  std::string error;
  REQUIRE(reader.open(std::string(LEADSCORE_SOURCE_DIR) + "/../shared/data/bank-marketing/bank-additional-full.csv",
                      error));
  CsvRecord record;
  REQUIRE(reader.next(record));
  REQUIRE(record.fields.size() == 21);
  CHECK(record.fields[0] == "age");
  CHECK(record.fields[20] == "y");
  REQUIRE(reader.next(record));
  CHECK(record.fields[0] == "56");
  CHECK(record.fields[1] == "housemaid");
  CHECK(record.fields[15] == "1.1");
  std::uint64_t data_records = 1;
  std::uint64_t wrong_width = 0;
  std::uint64_t last_line = 0;
  while (reader.next(record)) {
    ++data_records;
    wrong_width += record.fields.size() != 21 ? 1 : 0;
    last_line = record.line;
  }
  CHECK(reader.error().empty());
  CHECK(data_records == 41188);
  CHECK(wrong_width == 0);
  CHECK(last_line == 41189);
  CHECK(reader.records_read() == 41189);
}

TEST_CASE("csv reader: BOM, CRLF, embedded CRLF and a last record without a line end") {
  const auto rows = read_text("\xEF\xBB\xBFid,note\r\n1,\"a\r\nb\"\r\n2,\"x\"\"y\"\r\n3,last");
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].fields == Fields{"id", "note"});
  CHECK(rows[1].fields == Fields{"1", "a\r\nb"});
  CHECK(rows[1].line == 2);
  CHECK(rows[2].fields == Fields{"2", "x\"y"});
  CHECK(rows[2].line == 4);
  CHECK(rows[3].fields == Fields{"3", "last"});
  CHECK(rows[3].line == 5);
  CHECK(rows[3].raw == "3,last");
  check_all_block_sizes("\xEF\xBB\xBFid,note\r\n1,\"a\r\nb\"\r\n2,\"x\"\"y\"\r\n3,last");
}

TEST_CASE("csv reader: a BOM only at the start, a lone CR is data, a CR at end of input is dropped") {
  CHECK(read_text("a,\xEF\xBB\xBF\n")[0].fields == Fields{"a", "\xEF\xBB\xBF"});
  CHECK(read_text("a\rb,c\n")[0].fields == Fields{"a\rb", "c"});
  CHECK(read_text("a,b\r")[0].fields == Fields{"a", "b"});
  CHECK(read_text("a,\"b\"\r")[0].fields == Fields{"a", "b"});
  CHECK(read_text("\xEF\xBB\xBF").empty());
  CHECK(read_text("").empty());
}

TEST_CASE("csv reader: empty lines are skipped but counted") {
  const auto rows = read_text("h\n\n1\r\n\r\n\n2\n\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[0].line == 1);
  CHECK(rows[1].fields == Fields{"1"});
  CHECK(rows[1].line == 3);
  CHECK(rows[2].fields == Fields{"2"});
  CHECK(rows[2].line == 6);
  CsvReader reader;
  reader.open_memory("h\n\n1\r\n\r\n\n2\n\n");
  collect(reader);
  CHECK(reader.empty_lines() == 4);
  // Blanks are not an empty line: one field holding them.
  CHECK(read_text("h\n  \n")[1].fields == Fields{"  "});
}

TEST_CASE("csv reader: empty fields, trailing delimiters and quoted empties") {
  CHECK(read_text(",,\n")[0].fields == Fields{"", "", ""});
  CHECK(read_text("a,\n")[0].fields == Fields{"a", ""});
  CHECK(read_text("a,")[0].fields == Fields{"a", ""});
  CHECK(read_text("\"\",\"\"\n")[0].fields == Fields{"", ""});
  CHECK(read_text("\"\"\"\"\n")[0].fields == Fields{"\""});
  CHECK(read_text("\"a,b\"")[0].fields == Fields{"a,b"});
}

TEST_CASE("csv reader: a quote inside an unquoted field is literal") {
  const auto rows = read_text("5\" disk,ab\"c\"d,x\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].fields == Fields{"5\" disk", "ab\"c\"d", "x"});
  CHECK_FALSE(rows[0].malformed);
}

TEST_CASE("csv reader: malformed records are flagged with a reason") {
  SUBCASE("unterminated quote takes the rest of the input as one field") {
    CsvReader reader;
    reader.open_memory("id,n\n1,\"open\n2,x\n");
    CsvRecord record;
    REQUIRE(reader.next(record));
    CHECK_FALSE(record.malformed);
    REQUIRE(reader.next(record));
    CHECK(record.malformed);
    CHECK(record.malformed_reason == "unterminated quoted field");
    CHECK(record.line == 2);
    REQUIRE(record.fields.size() == 2);
    CHECK(record.fields[1] == "open\n2,x");
    CHECK_FALSE(reader.next(record));
  }
  SUBCASE("text after a closing quote is kept") {
    CsvReader reader;
    reader.open_memory("\"ab\"cd,\"x\"\"\"y\n2,ok\n");
    CsvRecord record;
    REQUIRE(reader.next(record));
    CHECK(record.malformed);
    CHECK(record.malformed_reason == "text after closing quote");
    REQUIRE(record.fields.size() == 2);
    CHECK(record.fields[0] == "abcd");
    CHECK(record.fields[1] == "x\"y");
    REQUIRE(reader.next(record));
    CHECK_FALSE(record.malformed);
    CHECK(record.fields[1] == "ok");
  }
  check_all_block_sizes("id,n\n1,\"open\n2,x\n");
  check_all_block_sizes("\"ab\"cd,\"x\"\"\"y\r\n2,ok\n");
}

TEST_CASE("csv reader: semicolon and tab delimiters") {
  CHECK(read_text("a;\"b;c\";d,e\n", ';')[0].fields == Fields{"a", "b;c", "d,e"});
  CHECK(read_text("a\t\"b\tc\"\t\td\n", '\t')[0].fields == Fields{"a", "b\tc", "", "d"});
  check_all_block_sizes("a;\"b;c\";d,e\r\n1;2;3", ';');
  check_all_block_sizes("a\t\"b\tc\"\t\td\n", '\t');
}

TEST_CASE("csv reader: records, quotes, doubled quotes and CRLF straddle every block boundary") {
  check_all_block_sizes(
      "\xEF\xBB\xBFlead_id,company,notes\r\n"
      "L1,\"Acme, \"\"Inc\"\"\",\"line one\r\nline two\"\r\n"
      "\r\n"
      "L2,plain,\"\"\r\n"
      "L3,\"a very long quoted field that is longer than the small blocks, with \"\"quotes\"\"\",x\n"
      "L4,last,\"no final line end\"");
  std::string big = "id,text\n";
  for (int i = 0; i < 200; ++i) big += std::to_string(i) + ",\"" + std::string(static_cast<std::size_t>(i), 'x') + "\"\"\n\"\n";
  const auto rows = read_text(big, ',', 7);
  REQUIRE(rows.size() == 201);
  CHECK(rows[200].fields == Fields{"199", std::string(199, 'x') + "\"\n"});
  CHECK(rows[200].line == 2 + 199 * 2);
}

TEST_CASE("csv reader: reuses the record and counts records read") {
  CsvReader reader;
  reader.open_memory("a,b\n1,2\n3,4\n");
  CsvRecord record;
  int count = 0;
  while (reader.next(record)) ++count;
  CHECK(count == 3);
  CHECK(reader.records_read() == 3);
  CHECK(reader.end_offset() == 12);
}

TEST_CASE("csv reader: a missing file reports the path and the system's reason") {
  CsvReader reader;
  std::string error;
  CHECK_FALSE(reader.open("/nonexistent/leads.csv", error));
  CHECK(error == "cannot open /nonexistent/leads.csv: No such file or directory");
}

TEST_CASE("csv reader: split points and range reading give the same records as one pass") {
  std::string text = "id,note\n";
  for (int i = 0; i < 500; ++i) {
    text += std::to_string(i) + (i % 7 == 0 ? ",\"multi\nline, quoted\"\n" : ",plain\n");
  }
  const std::string path = "/tmp/leadscore_csv_split_test_" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  const auto whole = read_file(path);

  std::vector<std::uint64_t> cuts;
  std::string error;
  REQUIRE(split_points(path, 4, cuts, error));
  REQUIRE(cuts.size() == 5);
  CHECK(cuts.front() == 0);
  CHECK(cuts.back() == text.size());
  // Also a cut that is a line end inside a quoted field: it must be caught and repaired.
  const auto inside_quotes = static_cast<std::uint64_t>(text.find("multi\n", 100) + 6);
  cuts.insert(std::upper_bound(cuts.begin(), cuts.end(), inside_quotes), inside_quotes);

  // What a parallel caller does: read every piece on its own (lines counted from 1), then walk them in
  // order; a piece counts only when it starts where the previous one really ended, otherwise it is
  // re-read from there. Its lines are then shifted by the lines the previous pieces consumed.
  struct Piece {
    std::vector<Row> rows;
    std::uint64_t end;
    std::uint64_t lines;
  };
  auto read_piece = [&](std::uint64_t begin, std::uint64_t end, std::uint64_t first_line) {
    CsvReader reader;
    REQUIRE(reader.open_range(path, begin, end, first_line, error));
    Piece piece{collect(reader), reader.end_offset(), reader.next_line() - first_line};
    return piece;
  };
  std::vector<Piece> speculative;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) speculative.push_back(read_piece(cuts[i], cuts[i + 1], 1));

  std::vector<Row> merged;
  std::uint64_t begin = 0;
  std::uint64_t line = 1;
  int repaired = 0;
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    if (begin >= cuts[i + 1]) continue;
    Piece piece = speculative[i];
    if (cuts[i] != begin) {
      ++repaired;
      piece = read_piece(begin, cuts[i + 1], 1);
    }
    for (Row& row : piece.rows) row.line += line - 1;
    merged.insert(merged.end(), piece.rows.begin(), piece.rows.end());
    begin = piece.end;
    line += piece.lines;
  }
  CHECK(repaired == 1);
  REQUIRE(merged.size() == whole.size());
  for (std::size_t i = 0; i < whole.size(); ++i) {
    CHECK(merged[i].fields == whole[i].fields);
    CHECK(merged[i].line == whole[i].line);
  }
  std::remove(path.c_str());
}

TEST_CASE("csv reader: random well-formed files read back exactly, whatever the block size") {
  std::mt19937 random(20261101);
  const char alphabet[] = {'a', 'b', ',', '"', '\n', '\r', ' ', ';'};
  for (int round = 0; round < 200; ++round) {
    std::vector<Fields> records;
    std::string text = random() % 4 == 0 ? "\xEF\xBB\xBF" : "";
    const std::size_t count = 1 + random() % 6;
    for (std::size_t r = 0; r < count; ++r) {
      Fields fields(2 + random() % 3);  // two fields at least, so no record is an empty line
      for (std::string& field : fields) {
        const std::size_t length = random() % 6;
        for (std::size_t i = 0; i < length; ++i) field.push_back(alphabet[random() % sizeof alphabet]);
      }
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i > 0) text.push_back(',');
        leadscore::io::append_csv_field(text, fields[i]);
      }
      if (r + 1 < count || random() % 2 == 0) text += random() % 2 == 0 ? "\n" : "\r\n";
      records.push_back(fields);
    }
    CAPTURE(text);
    for (std::size_t block : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{5}, std::size_t{64}, text.size()}) {
      CAPTURE(block);
      const auto rows = read_text(text, ',', block);
      REQUIRE(rows.size() == records.size());
      for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(rows[i].fields == records[i]);
        CHECK_FALSE(rows[i].malformed);
      }
    }
  }
}

TEST_CASE("csv reader: random malformed input gives the same records at every block size") {
  std::mt19937 random(7);
  const char alphabet[] = {'a', ',', '"', '"', '\n', '\r'};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const std::size_t length = random() % 24;
    for (std::size_t i = 0; i < length; ++i) text.push_back(alphabet[random() % sizeof alphabet]);
    CAPTURE(text);
    check_all_block_sizes(text);
    // A record's line is one more than the line ends before it, and its raw text is where it says.
    for (const Row& row : read_text(text)) {
      const auto before = std::string_view(text).substr(0, row.offset);
      CHECK(row.line == 1 + static_cast<std::uint64_t>(std::count(before.begin(), before.end(), '\n')));
      CHECK(text.compare(row.offset, row.raw.size(), row.raw) == 0);
    }
  }
}

namespace {

// Reads `path` memory-mapped (map_at_least 0), extending the mapping `block` bytes at a time.
std::vector<Row> read_mapped(const std::string& path, std::size_t block, std::uint64_t begin = 0) {
  CsvReader reader(',', block, 0, block);
  std::string error;
  REQUIRE(reader.open_range(path, begin, UINT64_MAX, 1, error));
  CHECK(reader.memory_mapped());
  return collect(reader);
}

}  // namespace

TEST_CASE("csv reader: a memory-mapped file reads the same records as one read in blocks, at every step") {
  // The mapped reader holds data up to a line end a block further on, extends past a record that
  // crosses it, and reads the file's last bytes in blocks; every boundary position is exercised.
  std::string text = "\xEF\xBB\xBFlead_id,company,notes\r\n";
  for (int i = 0; i < 12; ++i) {
    text += "L" + std::to_string(i) + ",\"Acme, \"\"Inc\"\"\",\"line one\r\nline two\"\r\n\r\n";
    text += "L" + std::to_string(i) + "b,plain," + std::string(static_cast<std::size_t>(i * 7), 'x') + "\n";
  }
  text += "L99,last,\"no final line end\"";
  const std::string path = "/tmp/leadscore_csv_mapped_test_" + std::to_string(::getpid()) + ".csv";
  auto write = [&](const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
  };
  write(text);
  const auto expected = read_text(text);
  REQUIRE(expected.size() == 26);
  for (std::size_t block = 1; block <= text.size() + 1; ++block) {
    CAPTURE(block);
    check_same_rows(read_mapped(path, block), expected);
  }
  // A range that starts inside the mapping's first page, and one further on.
  for (std::size_t from : {text.find("L3,"), text.find("L10b,")}) {
    CAPTURE(from);
    const auto rest = read_text(std::string_view(text).substr(from));
    for (std::size_t block : {std::size_t{1}, std::size_t{9}, std::size_t{64}, std::size_t{1} << 20})
      check_same_rows(read_mapped(path, block, from), rest, from);
  }
  {  // Below the threshold a file is read in blocks.
    CsvReader reader(',', CsvReader::kDefaultBlockSize, text.size() + 1);
    std::string error;
    REQUIRE(reader.open(path, error));
    CHECK_FALSE(reader.memory_mapped());
    check_same_rows(collect(reader), expected);
  }
  // Random malformed input, long enough to be mapped.
  std::mt19937 random(11);
  const char alphabet[] = {'a', ',', '"', '"', '\n', '\r', 'b', 'c'};
  for (int round = 0; round < 60; ++round) {
    std::string noise;
    const std::size_t length = 130 + random() % 400;
    for (std::size_t i = 0; i < length; ++i) noise.push_back(alphabet[random() % sizeof alphabet]);
    CAPTURE(noise);
    write(noise);
    const auto noise_expected = read_text(noise);
    for (std::size_t block : {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{17}, std::size_t{256}})
      check_same_rows(read_mapped(path, block), noise_expected);
  }
  std::remove(path.c_str());
}

TEST_CASE("csv reader: a mapped file truncated while it is read ends the process with a message and no temporaries") {
  // Another process truncating an input that is being read through a mapping makes the next read of
  // it raise SIGBUS. The run must not crash: it says what happened, removes its temporary outputs
  // (so nothing half-written is left or published) and exits with status 1. Checked in a child.
  const std::string path = "/tmp/leadscore_csv_truncated_test_" + std::to_string(::getpid()) + ".csv";
  const std::string temporary = path + ".out.tmp";
  {
    std::ofstream out(path, std::ios::binary);
    out << "id,note\n";
    for (int i = 0; i < 20000; ++i) out << "L" << i << ",some text to fill the pages\n";
  }
  int err[2];
  REQUIRE(::pipe(err) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::dup2(err[1], STDERR_FILENO);
    ::close(err[0]);
    std::ofstream(temporary) << "half an output";
    if (register_temporary(temporary) < 0) ::_exit(40);
    CsvReader reader(',', 4096, 0, 4096);
    std::string error;
    CsvRecord record;
    if (!reader.open(path, error) || !reader.memory_mapped() || !reader.next(record)) ::_exit(41);
    if (::truncate(path.c_str(), 0) != 0) ::_exit(42);
    while (reader.next(record)) {
    }
    ::_exit(43);  // the whole file was read: the truncation went unnoticed
  }
  ::close(err[1]);
  std::string message;
  char buffer[512];
  for (ssize_t got; (got = ::read(err[0], buffer, sizeof buffer)) > 0;) message.append(buffer, static_cast<std::size_t>(got));
  ::close(err[0]);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(message == "leadscore: error: " + path +
                       " became shorter while it was read (another process truncated it or rewrote it in place); "
                       "nothing was written\n");
  CHECK(::access(temporary.c_str(), F_OK) != 0);
  std::remove(path.c_str());
  std::remove(temporary.c_str());
}

TEST_CASE("csv reader: a SIGBUS sent with kill while a file is mapped still ends the process") {
  // The handler for truncated inputs only acts on faults; a SIGBUS from kill() gets the action it had
  // before (the default ends the process by the signal).
  const std::string path = "/tmp/leadscore_csv_killed_test_" + std::to_string(::getpid()) + ".csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "id,note\n";
    for (int i = 0; i < 1000; ++i) out << "L" << i << ",text\n";
  }
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    CsvReader reader(',', 4096, 0, 4096);
    std::string error;
    CsvRecord record;
    if (!reader.open(path, error) || !reader.memory_mapped() || !reader.next(record)) ::_exit(41);
    ::kill(::getpid(), SIGBUS);
    ::_exit(44);  // the signal was swallowed
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  // By SIGBUS itself, or by what the action from before does with it (a sanitizer's report aborts,
  // with the abort_on_error=1 that scripts/test.sh sets). Exit status 44: the signal was swallowed.
  CHECK(WIFSIGNALED(status));
  std::remove(path.c_str());
}

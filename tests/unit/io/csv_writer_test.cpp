#include <doctest/doctest.h>

#include <string>

#include "io/csv_reader.hpp"
#include "io/csv_writer.hpp"

using leadscore::io::append_csv_field;
using leadscore::io::CsvReader;
using leadscore::io::CsvRecord;

namespace {

std::string field(std::string_view value, char delimiter = ',') {
  std::string out;
  append_csv_field(out, value, delimiter);
  return out;
}

}  // namespace

TEST_CASE("csv writer: quotes only when needed") {
  CHECK(field("plain") == "plain");
  CHECK(field("") == "");
  CHECK(field("Acme, Inc.") == "\"Acme, Inc.\"");
  CHECK(field("VP \"Growth\"") == "\"VP \"\"Growth\"\"\"");
  CHECK(field("\"") == "\"\"\"\"");
  CHECK(field("line one\nline two") == "\"line one\nline two\"");
  CHECK(field("a\rb") == "\"a\rb\"");
  CHECK(field(" padded ") == " padded ");
  CHECK(field("semi;colon") == "semi;colon");
  CHECK(field("semi;colon", ';') == "\"semi;colon\"");
  CHECK(field("a,b", ';') == "a,b");
  CHECK(field("tab\there", '\t') == "\"tab\there\"");
}

TEST_CASE("csv writer: what it writes reads back unchanged") {
  const std::string values[] = {"plain", "", "Acme, Inc.", "VP \"Growth\"", "x\r\ny", "\"\"", "end\""};
  std::string line;
  for (const std::string& value : values) {
    if (&value != &values[0]) line.push_back(',');
    append_csv_field(line, value);
  }
  line.push_back('\n');
  CsvReader reader;
  reader.open_memory(line);
  CsvRecord record;
  REQUIRE(reader.next(record));
  REQUIRE(record.fields.size() == std::size(values));
  for (std::size_t i = 0; i < std::size(values); ++i) CHECK(record.fields[i] == values[i]);
}

namespace {

std::string text_cell(std::string_view value, leadscore::io::CsvSafety safety = leadscore::io::CsvSafety::SpreadsheetSafe) {
  std::string out;
  leadscore::io::append_csv_text(out, value, safety);
  return out;
}

}  // namespace

TEST_CASE("csv writer: spreadsheet-safe text cells") {
  using leadscore::io::csv_formula_like;
  // Formula-like: a spreadsheet would run these.
  CHECK(text_cell("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  CHECK(text_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(text_cell("+40 Demo request; -10 Free-mail address") == "'+40 Demo request; -10 Free-mail address");
  CHECK(text_cell("-10 Gone quiet (60d)") == "'-10 Gone quiet (60d)");
  CHECK(text_cell("-2+3") == "'-2+3");
  CHECK(text_cell("+") == "'+");
  CHECK(text_cell("\tTAB") == "'\tTAB");
  CHECK(text_cell("\rCR") == "\"'\rCR\"");
  // Plain numbers and ordinary text stay as they are.
  CHECK(text_cell("-5") == "-5");
  CHECK(text_cell("+44") == "+44");
  CHECK(text_cell("-3.5") == "-3.5");
  CHECK(text_cell("1e5") == "1e5");
  CHECK(text_cell("x1.2 Core vertical") == "x1.2 Core vertical");
  CHECK(text_cell("L00001") == "L00001");
  CHECK(text_cell("a=b") == "a=b");
  CHECK(text_cell("") == "");
  CHECK_FALSE(csv_formula_like("-1e5"));
  CHECK(csv_formula_like("-5 "));
  // Raw: for machine consumers.
  CHECK(text_cell("=1+1", leadscore::io::CsvSafety::Raw) == "=1+1");
  CHECK(text_cell("+40 Demo request", leadscore::io::CsvSafety::Raw) == "+40 Demo request");
}

TEST_CASE("csv writer: a guarded cell reads back as the text with its quote") {
  std::string out;
  leadscore::io::append_csv_text(out, "=1,\"2\"", leadscore::io::CsvSafety::SpreadsheetSafe);
  out += '\n';
  CsvReader reader;
  reader.open_memory(out);
  CsvRecord record;
  REQUIRE(reader.next(record));
  REQUIRE(record.fields.size() == 1);
  CHECK(record.fields[0] == "'=1,\"2\"");
}

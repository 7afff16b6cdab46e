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

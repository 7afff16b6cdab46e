#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "io/value_parse.hpp"

using namespace leadscore::io;

namespace {

constexpr std::int64_t kHour = 3600 * kMicrosPerSecond;

// 2026-11-01T00:00:00Z, checked with `date -u -d 2026-11-01 +%s` = 1793491200.
constexpr std::int64_t kNov1 = 1'793'491'200 * kMicrosPerSecond;

}  // namespace

TEST_CASE("value parse: trimming, missing versus unparseable") {
  CHECK(trim_blanks(" \t 12 \t") == "12");
  CHECK(parse_int("").missing());
  CHECK(parse_int(" \t ").missing());
  CHECK(parse_bool("").missing());
  CHECK(parse_date("  ").missing());
  CHECK(parse_timestamp("").missing());
  CHECK(parse_number("\t").missing());
  CHECK(parse_int(" 42 ").value == 42);
  CHECK(parse_int(" 42 ").has_value());
  CHECK(parse_int("x").unparseable());
  CHECK_FALSE(parse_int("x").has_value());
  CHECK(parse_int("4 2").unparseable());
  CHECK(parse_int("\n42").unparseable());  // only spaces and tabs are trimmed
}

TEST_CASE("value parse: int") {
  CHECK(parse_int("250").value == 250);
  CHECK(parse_int("-5").value == -5);
  CHECK(parse_int("+7").value == 7);
  CHECK(parse_int("007").value == 7);
  CHECK(parse_int("0").value == 0);
  CHECK(parse_int("9223372036854775807").value == std::numeric_limits<std::int64_t>::max());
  CHECK(parse_int("-9223372036854775808").value == std::numeric_limits<std::int64_t>::min());
  for (const std::string bad : {"12abc", "3.5", "ten", "9223372036854775808", "-9223372036854775809",
                          "99999999999999999999", "18446744073709551616", "-", "+", "--1", "1e3", "0x10", "1_000"}) {
    CAPTURE(bad);
    CHECK(parse_int(bad).unparseable());
  }
}

TEST_CASE("value parse: number") {
  CHECK(parse_number("1000.50").value == 1000.5);
  CHECK(parse_number("-0.5").value == -0.5);
  CHECK(parse_number("0.001").value == 0.001);
  CHECK(parse_number("+2.5").value == 2.5);
  CHECK(parse_number("1e6").value == 1e6);
  CHECK(parse_number("2.5E-3").value == 0.0025);
  CHECK(parse_number("1e+2").value == 100.0);
  CHECK(parse_number("-3").value == -3.0);
  CHECK(parse_number("2499.99").value == 2499.99);
  CHECK(parse_number("0.1").value == 0.1);
  CHECK(parse_number("9007199254740993").value == 9007199254740992.0);  // correctly rounded (ties to even)
  CHECK(parse_number("1e-400").value == 0.0);
  for (const std::string bad : {"n/a", "12 000", "$100", "inf", "-inf", "nan", "NaN", "0x1p3", "1.", ".5", "1e", "1e+",
                          "--1", "+-1", "1,5", "12abc", "1.2.3", "1e400", "-", "e5", "1_000"}) {
    CAPTURE(bad);
    CHECK(parse_number(bad).unparseable());
  }
}

TEST_CASE("value parse: bool spellings from 08-unparseable-bools") {
  for (const std::string yes : {"true", "Yes", "1", "t", "Y", "YES", "True", "TRUE", "y", "T", "yEs"}) {
    CAPTURE(yes);
    CHECK(parse_bool(yes).has_value());
    CHECK(parse_bool(yes).value == true);
  }
  for (const std::string no : {"FALSE", "no", "0", "N", "f", "false", "F", "n", "No"}) {
    CAPTURE(no);
    CHECK(parse_bool(no).has_value());
    CHECK(parse_bool(no).value == false);
  }
  for (const std::string bad : {"maybe", "2", "tru", "yess", "on", "off", "-1", "00", "truee"}) {
    CAPTURE(bad);
    CHECK(parse_bool(bad).unparseable());
  }
}

TEST_CASE("value parse: date") {
  CHECK(parse_date("1970-01-01").value == 0);
  CHECK(parse_date("2026-11-01").value == kNov1);
  CHECK(parse_date("2026-10-02").value == kNov1 - 30 * kMicrosPerDay);
  CHECK(parse_date("1969-12-31").value == -kMicrosPerDay);
  CHECK(parse_date("2024-02-29").has_value());
  CHECK(parse_date("2000-02-29").has_value());
  CHECK(parse_date(" 2026-10-01 ").has_value());
  for (const std::string bad : {"2026-02-29", "1900-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-04-31",
                          "2026-01-00", "2026-1-5", "10/01/2026", "yesterday", "2026-10-30T10:00:00Z",
                          "2026-10-30 10:00", "2026/10/01", "20261001", "2026-10-011", "+2026-10-01"}) {
    CAPTURE(bad);
    CHECK(parse_date(bad).unparseable());
  }
}

TEST_CASE("value parse: timestamp") {
  CHECK(parse_timestamp("2026-11-01T00:00:00Z").value == kNov1);
  CHECK(parse_timestamp("2026-11-01").value == kNov1);
  CHECK(parse_timestamp("2026-10-29").value == kNov1 - 3 * kMicrosPerDay);
  CHECK(parse_timestamp("2026-10-31T21:00:00+01:00").value == kNov1 - 4 * kHour);
  CHECK(parse_timestamp("2026-10-31T12:00:00.250+02:00").value == kNov1 - 14 * kHour + 250'000);
  CHECK(parse_timestamp("2026-10-25T00:00:00.000Z").value == kNov1 - 7 * kMicrosPerDay);
  CHECK(parse_timestamp("2026-10-31T23:30:00-01:30").value == kNov1 + kHour);
  CHECK(parse_timestamp("2026-10-31T23:59:59Z").value == kNov1 - kMicrosPerSecond);
  CHECK(parse_timestamp("2026-10-31T23:59:59.5Z").value == kNov1 - 500'000);
  CHECK(parse_timestamp("2026-10-31T23:59:59.123456Z").value == kNov1 - kMicrosPerSecond + 123'456);
  CHECK(parse_timestamp("2026-10-31T23:59:59.123456789Z").value == kNov1 - kMicrosPerSecond + 123'456);
  CHECK(parse_timestamp("2024-02-29T12:00:00Z").has_value());
  CHECK(parse_timestamp("1969-12-31T23:59:59.75Z").value == -250'000);
  for (const std::string bad : {"2026-10-30 10:00", "2026-10-30T10:00:00", "2026-10-30 10:00:00", "2026-10-30T10:00Z",
                          "2026-10-30T24:00:00Z", "2026-10-30T10:60:00Z", "2026-10-30T10:00:60Z",
                          "2026-10-30T10:00:00.Z", "2026-10-30T10:00:00.1234567890Z", "2026-10-30T10:00:00+010",
                          "2026-10-30T10:00:00+01:0", "2026-10-30T10:00:00+2400", "2026-10-30_10:00:00Z",
                          "2026-10-30  10:00:00Z", "2026-10-30T10:00:00+24:00", "2026-10-30T10:00:00+01:60", "2026-10-30T10:00:00z",
                          "2026-10-30t10:00:00Z", "2026-02-29T10:00:00Z", "2026-10-30T10:00:00ZZ",
                          "2026-10-30T1:00:00Z", "2026-10-30T10:00:00+01:00x", "2026-10-30T"}) {
    CAPTURE(bad);
    CHECK(parse_timestamp(bad).unparseable());
  }
}

TEST_CASE("value parse: the forms CRMs export: a space for T, offsets without a colon") {
  CHECK(parse_timestamp("2026-10-31 21:00:00+01:00").value == kNov1 - 4 * kHour);
  CHECK(parse_timestamp("2026-10-31T21:00:00+0100").value == kNov1 - 4 * kHour);
  CHECK(parse_timestamp("2026-10-31 21:00:00+0100").value == kNov1 - 4 * kHour);
  CHECK(parse_timestamp("2026-10-31 23:30:00-0130").value == kNov1 + kHour);
  CHECK(parse_timestamp("2026-10-31 23:59:59.5Z").value == kNov1 - 500'000);
  CHECK(parse_timestamp("2026-11-01 00:00:00+0000").value == kNov1);
}

TEST_CASE("value parse: timestamps without a zone are read only in a zone given for them") {
  // The contract's default: no zone, unparseable (conformance case 08).
  CHECK(parse_timestamp("2026-10-30T10:00:00").unparseable());
  CHECK(parse_timestamp("2018-02-26 19:58:54").unparseable());
  const DefaultZone utc = 0, plus2 = 2 * 3600;
  CHECK(parse_timestamp("2026-10-31 20:00:00", utc).value == kNov1 - 4 * kHour);
  CHECK(parse_timestamp("2026-10-31T20:00:00", utc).value == kNov1 - 4 * kHour);
  CHECK(parse_timestamp("2026-11-01 02:00:00", plus2).value == kNov1);
  CHECK(parse_timestamp("2026-11-01 02:00:00.25", plus2).value == kNov1 + 250'000);
  // A bare date is midnight in that zone; a written zone always wins over the default.
  CHECK(parse_timestamp("2026-11-01", plus2).value == kNov1 - 2 * kHour);
  CHECK(parse_timestamp("2026-11-01", std::nullopt).value == kNov1);
  CHECK(parse_timestamp("2026-11-01T00:00:00Z", plus2).value == kNov1);
  CHECK(parse_timestamp("2026-11-01T01:00:00+01:00", plus2).value == kNov1);
  // Still unparseable with a zone: no seconds, a half-written time.
  CHECK(parse_timestamp("2026-10-30 10:00", utc).unparseable());
  CHECK(parse_timestamp("2026-10-30 10:00:0", utc).unparseable());
  CHECK(parse_timestamp("2026-10-30 10:00:00 ", utc).value == parse_timestamp("2026-10-30T10:00:00Z").value);
}

TEST_CASE("value parse: zones") {
  CHECK(parse_zone("UTC") == 0);
  CHECK(parse_zone("Z") == 0);
  CHECK(parse_zone("+02:00") == 7200);
  CHECK(parse_zone("-0530") == -19800);
  CHECK(parse_zone(" +00:00 ") == 0);
  for (const char* bad : {"", "utc", "Europe/Berlin", "+2", "+24:00", "02:00", "+02:60", "GMT+1"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_zone(bad).has_value());
  }
}

TEST_CASE("value parse: a timestamp is read only when its UTC instant can be written back") {
  // Found by the value_parse fuzzer: an offset moved these out of years 0000-9999, and the output
  // wrote "10000-01-01T00:59:59Z" and "-0001-12-31T23:00:00Z", which no reader takes back.
  CHECK(parse_timestamp("9999-12-31T23:59:59-01:00").unparseable());
  CHECK(parse_timestamp("0000-01-01T00:00:00+01:00").unparseable());
  TimestampParser parser;
  CHECK(parser.parse("9999-12-31T23:59:59-01:00").unparseable());
  CHECK(parser.parse("0000-01-01T00:30:00+00:31").unparseable());
  // The edges themselves are fine, with or without an offset that keeps them inside.
  for (const char* text : {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "0000-01-01T00:30:00+00:30",
                           "9999-12-31T22:59:59-01:00", "0000-01-01", "9999-12-31"}) {
    CAPTURE(text);
    const auto parsed = parse_timestamp(text);
    REQUIRE(parsed.has_value());
    CHECK(parse_timestamp(format_timestamp(parsed.value)).value == parsed.value);
  }
}

TEST_CASE("value parse: a bare date's zone may not move it out of the UTC years 0000-9999 either") {
  // Midnight of 0000-01-01 at +02:00 is -0001-12-31T22:00:00Z; the end of 9999-12-31 at -01:00 is in
  // 10000, but a bare date is midnight, so 9999-12-31 is inside with any zone.
  const DefaultZone plus2 = 2 * 3600, minus1 = -3600;
  CHECK(parse_timestamp("0000-01-01", plus2).unparseable());
  CHECK(parse_timestamp("0000-01-01 00:00:00", plus2).unparseable());
  TimestampParser parser(plus2);
  CHECK(parser.parse("0000-01-01").unparseable());
  CHECK(parser.parse("0000-01-01 00:00:00").unparseable());
  for (const char* text : {"0000-01-02", "9999-12-31"}) {
    CAPTURE(text);
    CHECK(parser.parse(text).value == parse_timestamp(text, plus2).value);
    for (const DefaultZone zone : {plus2, minus1}) {
      const auto parsed = parse_timestamp(text, zone);
      REQUIRE(parsed.has_value());
      CHECK(parse_timestamp(format_timestamp(parsed.value)).value == parsed.value);
    }
  }
  CHECK(parse_timestamp("0000-01-01", minus1).value == parse_timestamp("0000-01-01T01:00:00Z").value);
}

TEST_CASE("value parse: days from civil agrees with known day numbers") {
  CHECK(days_from_civil(1970, 1, 1) == 0);
  CHECK(days_from_civil(2000, 3, 1) == 11017);
  CHECK(days_from_civil(2026, 11, 1) == 20758);
  CHECK(days_from_civil(1, 1, 1) == -719162);
}

TEST_CASE("value parse: format timestamp and date") {
  CHECK(format_timestamp(kNov1) == "2026-11-01T00:00:00Z");
  CHECK(format_timestamp(kNov1 - 4 * kHour) == "2026-10-31T20:00:00Z");
  CHECK(format_timestamp(kNov1 + 250'000) == "2026-11-01T00:00:00.25Z");
  CHECK(format_timestamp(kNov1 + 1) == "2026-11-01T00:00:00.000001Z");
  CHECK(format_timestamp(-250'000) == "1969-12-31T23:59:59.75Z");
  CHECK(format_timestamp(0) == "1970-01-01T00:00:00Z");
  CHECK(format_date(kNov1 + 23 * kHour) == "2026-11-01");
  CHECK(format_date(-1) == "1969-12-31");
  for (const char* text : {"2024-02-29T12:34:56.789Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"}) {
    CHECK(format_timestamp(parse_timestamp(text).value) == text);
  }
  std::string out = "x,";
  append_timestamp(out, kNov1);
  CHECK(out == "x,2026-11-01T00:00:00Z");
}

TEST_CASE("value parse: TimestampParser reads every cell exactly like parse_timestamp") {
  std::vector<std::string> cells = {
      "2026-02-28T10:00:00Z", "2026-02-28T23:59:59Z", "2026-02-29T10:00:00Z",  // not a leap year
      "2024-02-29T10:00:00Z", "2026-02-28", " 2026-02-28T01:02:03+02:00 ", "2026-02-28T01:02:03.5Z",
      "2026-02-28T24:00:00Z", "2026-02-28X10:00:00Z", "2026-13-01T00:00:00Z", "", "  ", "2026-02-2",
      "2026-02-28T10:00:00", "2026-02-28T10:00:00z", "1969-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
      "2026-02-28 10:00:00+0200", "2026-02-28 10:00:00", "2026-02-28 10:00:00.125", "2026-02-28 10:00",
      "2026-02-28T10:00:00-05", "2018-02-26 19:58:54",
      // The same month and day, years apart with the same last digit: one remembered entry, replaced.
      "2026-05-05T10:00:00Z", "2036-05-05T10:00:00Z", "1926-05-05T10:00:00Z", "2026-05-05T11:00:00Z",
      // The first and last days, far beyond 2038 (days past 2^31 seconds).
      "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31", "2100-03-01T00:00:01Z"};
  // Every byte of the clock replaced by a digit, a separator or junk, and the edges of each part.
  const std::string clock = "12:34:56";
  for (std::size_t at = 0; at < clock.size(); ++at)
    for (const char c : {'0', '9', ':', '/', '.', 'A', ' ', '\x7f', '\xff', '\0', '+'}) {
      std::string changed = clock;
      changed[at] = c;
      cells.push_back("2026-02-28T" + changed + "Z");
    }
  for (const char* edge :
       {"00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:00:60", "19:99:99", "99:00:00", "2:34:567"})
    cells.push_back(std::string("2026-02-28T") + edge + "Z");
  // Enough distinct days to make remembered days collide and be replaced.
  for (int day = 0; day < 3000; ++day) {
    auto date = format_date(std::int64_t{day} * 7919 % 40000 * kMicrosPerDay);
    cells.push_back(date + "T12:34:56Z");
    cells.push_back(date);
  }
  for (const DefaultZone zone : {DefaultZone{}, DefaultZone{0}, DefaultZone{-5 * 3600}}) {
    TimestampParser parser(zone);
    for (int round = 0; round < 2; ++round) {  // the second round reads remembered days
      for (const auto& cell : cells) {
        auto expected = parse_timestamp(cell, zone);
        auto got = parser.parse(cell);
        CHECK_MESSAGE(got.status == expected.status, cell);
        CHECK_MESSAGE(got.value == expected.value, cell);
      }
    }
  }
}

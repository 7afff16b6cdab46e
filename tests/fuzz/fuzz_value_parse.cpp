// libFuzzer target: parsing one CSV cell as each type, and writing values back. Oracles: each parser
// agrees with an independent one (std::from_chars, strtod, std::chrono's calendar, a plain list of
// words); a parsed date or timestamp formats to text that parses to the same instant; a number is
// finite and written output reads back within the output's rounding; relative test times (-3d4h) stay
// in range.
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "io/number_format.hpp"
#include "io/value_parse.hpp"
#include "jobs/rule_tests.hpp"
#include "tests/fuzz/support.hpp"

namespace {

namespace io = leadscore::io;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void check_int(std::string_view cell, std::string_view t) {
  const auto got = io::parse_int(cell);
  if (t.empty()) {
    FUZZ_CHECK(got.missing(), "int: blank cell \"{}\" is not missing", cell);
    return;
  }
  std::string_view digits = t;
  bool plus_minus = false;
  if (digits.front() == '+') {
    digits.remove_prefix(1);
    plus_minus = !digits.empty() && digits.front() == '-';
  }
  std::int64_t expected = 0;
  const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), expected);
  const bool valid = !plus_minus && r.ec == std::errc() && r.ptr == digits.data() + digits.size();
  FUZZ_CHECK(got.has_value() == valid && (!valid || got.value == expected), "int: \"{}\" parsed {} ({}), from_chars {} ({})",
             t, got.has_value(), got.value, valid, expected);
}

// [+-]digits[.digits][(e|E)[+-]digits], the documented number shape.
bool number_shape(std::string_view t) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < t.size() && is_digit(t[i])) ++i;
    return i > from;
  };
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
  if (!digits()) return false;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

void check_number(std::string_view cell, std::string_view t) {
  const auto got = io::parse_number(cell);
  if (t.empty()) {
    FUZZ_CHECK(got.missing(), "number: blank cell is not missing");
    return;
  }
  const std::string copy(t);
  const double expected = number_shape(t) ? std::strtod(copy.c_str(), nullptr) : NAN;
  const bool valid = std::isfinite(expected);
  FUZZ_CHECK(got.has_value() == valid, "number: \"{}\" parsed {}, strtod gives {}", t, got.has_value(), expected);
  if (!valid) {
    FUZZ_CHECK(got.unparseable(), "number: \"{}\" neither a value nor unparseable", t);
    return;
  }
  FUZZ_CHECK(got.value == expected && std::signbit(got.value) == std::signbit(expected),
             "number: \"{}\" parsed {}, strtod {}", t, got.value, expected);
  // The output's text: no exponent, never -0, and it reads back within its 2-decimal rounding.
  const std::string written = io::format_number(got.value);
  FUZZ_CHECK(!written.empty() && written.find_first_of("eE") == std::string::npos && written != "-0",
             "number: {} written as \"{}\"", got.value, written);
  const auto back = io::parse_number(written);
  FUZZ_CHECK(back.has_value() && std::fabs(back.value - got.value) <= 0.005 + std::fabs(got.value) * 0x1p-52,
             "number: {} written as \"{}\" reads back as {}", got.value, written, back.value);
}

void check_bool(std::string_view cell, std::string_view t) {
  const auto got = io::parse_bool(cell);
  std::string lower(t);
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  const bool yes = lower == "true" || lower == "yes" || lower == "1" || lower == "t" || lower == "y";
  const bool no = lower == "false" || lower == "no" || lower == "0" || lower == "f" || lower == "n";
  if (t.empty()) FUZZ_CHECK(got.missing(), "bool: blank cell is not missing");
  else FUZZ_CHECK(got.has_value() == (yes || no) && (!got.has_value() || got.value == yes), "bool: \"{}\"", t);
}

// The UTC day of YYYY-MM-DD by std::chrono, or nothing when it is not that shape or not a real day.
std::optional<std::int64_t> chrono_days(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!is_digit(t[i])) return std::nullopt;
  auto number = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  const std::chrono::year_month_day day{std::chrono::year{number(0, 4)},
                                        std::chrono::month{static_cast<unsigned>(number(5, 2))},
                                        std::chrono::day{static_cast<unsigned>(number(8, 2))}};
  if (!day.ok()) return std::nullopt;
  return std::chrono::sys_days{day}.time_since_epoch().count();
}

void check_date(std::string_view cell, std::string_view t) {
  const auto got = io::parse_date(cell);
  if (t.empty()) {
    FUZZ_CHECK(got.missing(), "date: blank cell is not missing");
    return;
  }
  const auto expected = chrono_days(t);
  FUZZ_CHECK(got.has_value() == expected.has_value(), "date: \"{}\" parsed {}, std::chrono {}", t, got.has_value(),
             expected.has_value());
  if (!got.has_value()) return;
  FUZZ_CHECK(got.value == *expected * io::kMicrosPerDay, "date: \"{}\" is day {}, std::chrono says {}", t,
             got.value / io::kMicrosPerDay, *expected);
  FUZZ_CHECK(io::format_date(got.value) == t, "date: \"{}\" formats as \"{}\"", t, io::format_date(got.value));
}

void check_timestamp(std::string_view cell, std::string_view t) {
  const auto got = io::parse_timestamp(cell);
  static io::TimestampParser warm;  // remembers days across inputs, as it does across cells
  io::TimestampParser cold;
  for (auto* parser : {&warm, &cold}) {
    const auto again = parser->parse(cell);
    FUZZ_CHECK(again.status == got.status && again.value == got.value,
               "timestamp: \"{}\": TimestampParser gives {} ({}), parse_timestamp {} ({})", t,
               static_cast<int>(again.status), again.value, static_cast<int>(got.status), got.value);
  }
  if (t.empty()) {
    FUZZ_CHECK(got.missing(), "timestamp: blank cell is not missing");
    return;
  }
  if (t.size() == 10) {
    const auto date = io::parse_date(cell);
    FUZZ_CHECK(date.status == got.status && date.value == got.value, "timestamp: bare date \"{}\" differs", t);
  }
  if (!got.has_value()) return;
  const auto day = chrono_days(t.substr(0, 10));
  FUZZ_CHECK(day.has_value(), "timestamp: \"{}\" accepted with an invalid date", t);
  // The instant is within a day and a bit of its local date.
  FUZZ_CHECK(std::llabs(got.value - *day * io::kMicrosPerDay) < 2 * io::kMicrosPerDay,
             "timestamp: \"{}\" is {} us from its date", t, got.value - *day * io::kMicrosPerDay);
  const std::string text = io::format_timestamp(got.value);
  const auto back = io::parse_timestamp(text);
  FUZZ_CHECK(back.has_value() && back.value == got.value, "timestamp: \"{}\" ({} us) formats as \"{}\", read back {}",
             t, got.value, text, back.value);
  const std::string date_text = io::format_date(got.value);
  const auto date_back = io::parse_date(date_text);
  FUZZ_CHECK(date_back.has_value() && date_back.value <= got.value && got.value - date_back.value < io::kMicrosPerDay,
             "timestamp: \"{}\" has UTC day \"{}\", read back {}", t, date_text, date_back.value);
}

void check_relative_time(std::string_view t) {
  const auto offset = leadscore::jobs::parse_relative_time(t);
  if (!offset) return;
  // At most 100 years, as durations in rules: far within int64.
  FUZZ_CHECK(std::llabs(*offset) <= 36525 * io::kMicrosPerDay, "relative time \"{}\" is {}", t, *offset);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view cell(reinterpret_cast<const char*>(data), size);
  const std::string_view t = io::trim_blanks(cell);
  check_int(cell, t);
  check_number(cell, t);
  check_bool(cell, t);
  check_date(cell, t);
  check_timestamp(cell, t);
  check_relative_time(cell);
  return 0;
}

#include "io/value_parse.hpp"

#include <fast_float/fast_float.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace leadscore::io {
namespace {

template <typename T>
constexpr Parsed<T> value(T v) {
  return {CellStatus::value, v};
}
template <typename T>
constexpr Parsed<T> unparseable() {
  return {CellStatus::unparseable, T{}};
}

constexpr bool is_digit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
constexpr unsigned digit(char c) { return static_cast<unsigned>(c - '0'); }
constexpr char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

// Reads exactly `count` digits at `p`; false when one is not a digit.
constexpr bool read_digits(const char* p, int count, unsigned& out) {
  unsigned v = 0;
  for (int i = 0; i < count; ++i) {
    if (!is_digit(p[i])) return false;
    v = v * 10 + digit(p[i]);
  }
  out = v;
  return true;
}

constexpr bool is_leap_year(unsigned year) { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0); }

constexpr unsigned days_in_month(unsigned year, unsigned month) {
  constexpr unsigned kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[month - 1];
}

// The 10 characters at `p` as YYYY-MM-DD; days since the epoch.
bool read_date(const char* p, std::int64_t& days) {
  unsigned year = 0, month = 0, day = 0;
  if (!read_digits(p, 4, year) || p[4] != '-' || !read_digits(p + 5, 2, month) || p[7] != '-' ||
      !read_digits(p + 8, 2, day)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return false;
  days = days_from_civil(year, month, day);
  return true;
}

// HH:MM or HHMM after the sign at `p[0]`, ending exactly at `end`; signed seconds.
bool read_offset(const char* p, const char* end, std::int64_t& seconds) {
  unsigned hours = 0, minutes = 0;
  const auto size = end - p;
  if (size == 6) {
    if (!read_digits(p + 1, 2, hours) || p[3] != ':' || !read_digits(p + 4, 2, minutes)) return false;
  } else if (size == 5) {
    if (!read_digits(p + 1, 2, hours) || !read_digits(p + 3, 2, minutes)) return false;
  } else {
    return false;
  }
  if (hours > 23 || minutes > 59) return false;
  const std::int64_t magnitude = hours * 3600 + minutes * 60;
  seconds = p[0] == '-' ? -magnitude : magnitude;
  return true;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

constexpr Civil civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void append_two_digits(std::string& out, unsigned v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void append_year(std::string& out, std::int64_t year) {
  if (year < 0) {
    out.push_back('-');
    year = -year;
  }
  char digits[20];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + year % 10);
    year /= 10;
  } while (year > 0);
  for (int pad = n; pad < 4; ++pad) out.push_back('0');
  while (n > 0) out.push_back(digits[--n]);
}

}  // namespace

Parsed<std::int64_t> parse_int(std::string_view cell) {
  cell = trim_blanks(cell);
  if (cell.empty()) return {};
  const char* p = cell.data();
  const char* const end = p + cell.size();
  const bool negative = *p == '-';
  if (*p == '-' || *p == '+') ++p;
  if (p == end) return unparseable<std::int64_t>();
  std::uint64_t magnitude = 0;
  constexpr std::uint64_t kMaxBeforeDigit = std::numeric_limits<std::uint64_t>::max() / 10;
  for (; p < end; ++p) {
    if (!is_digit(*p) || magnitude > kMaxBeforeDigit) return unparseable<std::int64_t>();
    const std::uint64_t next = magnitude * 10 + digit(*p);
    if (next < magnitude * 10) return unparseable<std::int64_t>();
    magnitude = next;
  }
  constexpr auto kMaxPositive = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (magnitude > kMaxPositive + (negative ? 1 : 0)) return unparseable<std::int64_t>();
  if (negative) return value(static_cast<std::int64_t>(0 - magnitude));
  return value(static_cast<std::int64_t>(magnitude));
}

Parsed<double> parse_number(std::string_view cell) {
  cell = trim_blanks(cell);
  if (cell.empty()) return {};
  const char* const begin = cell.data();
  const char* const end = begin + cell.size();
  const char* p = begin;
  if (*p == '+') ++p;  // fast_float does not take a leading '+'
  const char* const number_begin = p;
  if (p == begin && *p == '-') ++p;
  const char* digits = p;
  while (p < end && is_digit(*p)) ++p;
  if (p == digits) return unparseable<double>();
  if (p < end && *p == '.') {
    digits = ++p;
    while (p < end && is_digit(*p)) ++p;
    if (p == digits) return unparseable<double>();
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-')) ++p;
    digits = p;
    while (p < end && is_digit(*p)) ++p;
    if (p == digits) return unparseable<double>();
  }
  if (p != end) return unparseable<double>();
  double result = 0;
  const auto parsed = fast_float::from_chars(number_begin, end, result);
  if (parsed.ec != std::errc() || parsed.ptr != end || !std::isfinite(result)) return unparseable<double>();
  return value(result);
}

Parsed<bool> parse_bool(std::string_view cell) {
  cell = trim_blanks(cell);
  if (cell.empty()) return {};
  char lower[5];
  if (cell.size() > sizeof lower) return unparseable<bool>();
  for (std::size_t i = 0; i < cell.size(); ++i) lower[i] = ascii_lower(cell[i]);
  const std::string_view word(lower, cell.size());
  if (word == "true" || word == "yes" || word == "1" || word == "t" || word == "y") return value(true);
  if (word == "false" || word == "no" || word == "0" || word == "f" || word == "n") return value(false);
  return unparseable<bool>();
}

Parsed<std::int64_t> parse_date(std::string_view cell) {
  cell = trim_blanks(cell);
  if (cell.empty()) return {};
  std::int64_t days = 0;
  if (cell.size() != 10 || !read_date(cell.data(), days)) return unparseable<std::int64_t>();
  return value(days * kMicrosPerDay);
}

namespace {

// An instant that a zone may have moved out of years 0000-9999, where no output could write it back.
Parsed<std::int64_t> within_writable_years(std::int64_t micros) {
  constexpr std::int64_t kFirst = days_from_civil(0, 1, 1) * kMicrosPerDay;
  constexpr std::int64_t kEnd = days_from_civil(10000, 1, 1) * kMicrosPerDay;
  if (micros < kFirst || micros >= kEnd) return unparseable<std::int64_t>();
  return value(micros);
}

// The rest of a timestamp whose first 10 characters were read as `days`.
Parsed<std::int64_t> timestamp_after_date(const char* p, std::size_t size, std::int64_t days, DefaultZone zone) {
  if (size == 10) return within_writable_years((days * 86'400 - zone.value_or(0)) * kMicrosPerSecond);
  // YYYY-MM-DD(T| )HH:MM:SS then a zone: at least 20 characters (19 when the zone is implied).
  unsigned hours = 0, minutes = 0, seconds = 0;
  if (size < (zone ? 19u : 20u) || (p[10] != 'T' && p[10] != ' ') || !read_digits(p + 11, 2, hours) || p[13] != ':' ||
      !read_digits(p + 14, 2, minutes) || p[16] != ':' || !read_digits(p + 17, 2, seconds) || hours > 23 ||
      minutes > 59 || seconds > 59) {
    return unparseable<std::int64_t>();
  }
  std::size_t i = 19;
  std::int64_t fraction_micros = 0;
  if (i < size && p[i] == '.') {
    const std::size_t first = ++i;
    int scale = 0;
    while (i < size && is_digit(p[i])) {
      if (scale < 6) {
        fraction_micros = fraction_micros * 10 + digit(p[i]);
        ++scale;
      }
      ++i;
    }
    const std::size_t count = i - first;
    if (count < 1 || count > 9) return unparseable<std::int64_t>();
    for (; scale < 6; ++scale) fraction_micros *= 10;
  }
  std::int64_t offset_seconds = 0;
  if (i == size && zone) {
    offset_seconds = *zone;
  } else if (i + 1 == size && p[i] == 'Z') {
    offset_seconds = 0;
  } else if (i < size && (p[i] == '+' || p[i] == '-')) {
    if (!read_offset(p + i, p + size, offset_seconds)) return unparseable<std::int64_t>();
  } else {
    return unparseable<std::int64_t>();
  }
  const std::int64_t local_seconds = days * 86'400 + hours * 3600 + minutes * 60 + seconds;
  return within_writable_years((local_seconds - offset_seconds) * kMicrosPerSecond + fraction_micros);
}

}  // namespace

std::optional<std::int32_t> parse_zone(std::string_view text) {
  text = trim_blanks(text);
  if (text == "UTC" || text == "Z") return 0;
  if (text.empty() || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  std::int64_t seconds = 0;
  if (!read_offset(text.data(), text.data() + text.size(), seconds)) return std::nullopt;
  return static_cast<std::int32_t>(seconds);
}

Parsed<std::int64_t> parse_timestamp(std::string_view cell, DefaultZone zone) {
  cell = trim_blanks(cell);
  if (cell.empty()) return {};
  std::int64_t days = 0;
  if (cell.size() < 10 || !read_date(cell.data(), days)) return unparseable<std::int64_t>();
  return timestamp_after_date(cell.data(), cell.size(), days, zone);
}

namespace {

// The second of the day written as "HH:MM:SS" in `clock` (its 8 bytes, first byte lowest), or -1.
// Checks all six digits and both colons at once: a digit byte has high nibble 3 before and after
// adding 6 (0x30-0x39 -> 0x36-0x3F).
std::int64_t clock_seconds(std::uint64_t clock) {
  constexpr std::uint64_t kDigitBytes = 0xFFFF00FFFF00FFFFULL;
  constexpr std::uint64_t kColons = 0x00003A00003A0000ULL;
  constexpr std::uint64_t kHighNibbles = 0xF0F000F0F000F0F0ULL & kDigitBytes;
  constexpr std::uint64_t kZeros = 0x3030303030303030ULL & kDigitBytes;
  if ((clock & ~kDigitBytes) != kColons || (clock & kHighNibbles) != kZeros ||
      ((clock + (0x0606060606060606ULL & kDigitBytes)) & kHighNibbles) != kZeros)
    return -1;
  const std::uint64_t d = (clock - kZeros) & kDigitBytes;
  auto two = [d](int first_byte) { return ((d >> (8 * first_byte)) & 0xF) * 10 + ((d >> (8 * first_byte + 8)) & 0xF); };
  const std::uint64_t hours = two(0), minutes = two(3), seconds = two(6);
  if (hours > 23 || minutes > 59 || seconds > 59) return -1;
  return static_cast<std::int64_t>(hours * 3600 + minutes * 60 + seconds);
}

}  // namespace

Parsed<std::int64_t> TimestampParser::parse(std::string_view cell) {
  cell = trim_blanks(cell);
  if (cell.empty()) return {};
  if (cell.size() < 10) return unparseable<std::int64_t>();
  const char* const p = cell.data();
  std::uint64_t head;
  std::uint16_t tail;
  std::memcpy(&head, p, 8);
  std::memcpy(&tail, p + 8, 2);
  Day& day = days_[day_entry(p)];
  if (!day.known || day.head != head || day.tail != tail) {
    std::int64_t days = 0;
    if (!read_date(p, days)) return unparseable<std::int64_t>();
    day = Day{head, static_cast<std::int32_t>(days), tail, true};
  }
  // Most exports write UTC to the second: YYYY-MM-DDTHH:MM:SSZ. Its instant is always in range.
  if (std::endian::native == std::endian::little && cell.size() == 20 && p[10] == 'T' && p[19] == 'Z') {
    std::uint64_t clock;
    std::memcpy(&clock, p + 11, 8);
    const std::int64_t second = clock_seconds(clock);
    if (second >= 0) return value((std::int64_t{day.days} * 86'400 + second) * kMicrosPerSecond);
  }
  return timestamp_after_date(p, cell.size(), day.days, zone_);
}

void append_date(std::string& out, std::int64_t micros) {
  const Civil civil = civil_from_days(floor_div(micros, kMicrosPerDay));
  append_year(out, civil.year);
  out.push_back('-');
  append_two_digits(out, civil.month);
  out.push_back('-');
  append_two_digits(out, civil.day);
}

void append_timestamp(std::string& out, std::int64_t micros) {
  append_date(out, micros);
  const std::int64_t day_micros = micros - floor_div(micros, kMicrosPerDay) * kMicrosPerDay;
  const auto second_of_day = static_cast<unsigned>(day_micros / kMicrosPerSecond);
  auto fraction = static_cast<unsigned>(day_micros % kMicrosPerSecond);
  out.push_back('T');
  append_two_digits(out, second_of_day / 3600);
  out.push_back(':');
  append_two_digits(out, second_of_day / 60 % 60);
  out.push_back(':');
  append_two_digits(out, second_of_day % 60);
  if (fraction != 0) {
    char digits[6];
    for (int i = 5; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + fraction % 10);
      fraction /= 10;
    }
    int length = 6;
    while (digits[length - 1] == '0') --length;
    out.push_back('.');
    out.append(digits, static_cast<std::size_t>(length));
  }
  out.push_back('Z');
}

std::string format_timestamp(std::int64_t micros) {
  std::string out;
  append_timestamp(out, micros);
  return out;
}

std::string format_date(std::int64_t micros) {
  std::string out;
  append_date(out, micros);
  return out;
}

int day_of_week_utc(std::int64_t micros) {
  const std::int64_t days = floor_div(micros, kMicrosPerDay);
  return static_cast<int>((days % 7 + 7 + 3) % 7 + 1);  // 1970-01-01 was a Thursday
}

int hour_utc(std::int64_t micros) {
  return static_cast<int>((micros - floor_div(micros, kMicrosPerDay) * kMicrosPerDay) / (kMicrosPerDay / 24));
}

int month_utc(std::int64_t micros) { return static_cast<int>(civil_from_days(floor_div(micros, kMicrosPerDay)).month); }

}  // namespace leadscore::io

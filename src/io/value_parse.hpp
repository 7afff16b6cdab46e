#pragma once
// Strict parsing of one (already unquoted) CSV cell into a typed value.
// Leading and trailing ASCII spaces and tabs are trimmed first; a cell that is then empty is missing,
// a cell that does not have the type's exact shape is unparseable (the caller counts those).
// Dates and timestamps are int64 microseconds since 1970-01-01T00:00:00Z.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadscore::io {

enum class CellStatus : std::uint8_t { value, missing, unparseable };

template <typename T>
struct Parsed {
  CellStatus status = CellStatus::missing;
  T value{};

  bool has_value() const { return status == CellStatus::value; }
  bool missing() const { return status == CellStatus::missing; }
  bool unparseable() const { return status == CellStatus::unparseable; }
};

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;

// Without leading and trailing ASCII spaces and tabs. Inline: it runs on several cells of every event.
inline std::string_view trim_blanks(std::string_view cell) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  std::size_t begin = 0;
  std::size_t end = cell.size();
  while (begin < end && blank(cell[begin])) ++begin;
  while (end > begin && blank(cell[end - 1])) --end;
  return cell.substr(begin, end - begin);
}

// [+-]digits, within int64. `12abc`, `3.5`, `ten` are unparseable.
Parsed<std::int64_t> parse_int(std::string_view cell);
// [+-]digits[.digits][(e|E)[+-]digits], correctly rounded; no inf/nan/hex/`$`/inner spaces, and a value
// too large for a double is unparseable.
Parsed<double> parse_number(std::string_view cell);
// true/false, yes/no, 1/0, t/f, y/n in any ASCII case.
Parsed<bool> parse_bool(std::string_view cell);
// YYYY-MM-DD with a real calendar day; midnight UTC.
Parsed<std::int64_t> parse_date(std::string_view cell);
// The zone of timestamps written without one (`2026-10-30 10:00:00`), in seconds east of UTC: none
// (the default) leaves them unparseable, as the contract says; a schema field's `zone "UTC"` or
// calibrate's --closed-at-zone gives one.
using DefaultZone = std::optional<std::int32_t>;

// `UTC`, `Z`, `+02:00`, `-0530`: seconds east of UTC; nullopt for anything else (named zones with
// daylight saving such as `Europe/Berlin` are not offsets).
std::optional<std::int32_t> parse_zone(std::string_view text);

// YYYY-MM-DD(T| )HH:MM:SS[.fraction](Z|+HH:MM|-HH:MM|+HHMM|-HHMM), or a bare date (midnight UTC). The
// fraction has 1-9 digits; digits beyond microseconds are dropped. With a `zone`, the zone may be left
// out (the time is read in that zone, a bare date is midnight there). The instant must lie in the UTC
// years 0000-9999 (an offset may not move it out), so that it can be written back as text this reads.
Parsed<std::int64_t> parse_timestamp(std::string_view cell, DefaultZone zone = std::nullopt);

// parse_timestamp() for millions of cells: an activity file has millions of timestamps but only
// hundreds of distinct days, so the day of each recently seen YYYY-MM-DD is remembered (checked
// once, then looked up by its 10 characters). One per thread.
class TimestampParser {
 public:
  explicit TimestampParser(DefaultZone zone = std::nullopt) : zone_(zone) {}
  Parsed<std::int64_t> parse(std::string_view cell);

 private:
  DefaultZone zone_;
  // Where a date is remembered: its last year digit, month and day numbered in calendar order
  // (372 a year), so the days of any 2.75 consecutive years each have their own entry. Any bytes
  // give some entry; the entry's text decides whether it holds this date.
  static constexpr std::size_t kDays = 1024;
  static std::size_t day_entry(const char* p) {
    auto digit = [p](int i) { return static_cast<std::size_t>(static_cast<unsigned char>(p[i]) - '0'); };
    return (digit(3) * 372 + digit(5) * 310 + digit(6) * 31 + digit(8) * 10 + digit(9)) % kDays;
  }
  struct Day {  // 16 bytes
    std::uint64_t head = 0;  // the first 8 characters of the date
    std::int32_t days = 0;   // since 1970-01-01: years 0000-9999 fit
    std::uint16_t tail = 0;  // the last 2
    bool known = false;
  };
  std::array<Day, kDays> days_{};
};

// Days from 1970-01-01 of a proleptic Gregorian date (month 1-12, day 1-31).
constexpr std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

// Calendar parts of an instant in UTC: ISO day of the week (1 = Monday ... 7 = Sunday), hour (0-23),
// month (1 = January ... 12 = December).
int day_of_week_utc(std::int64_t micros);
int hour_utc(std::int64_t micros);
int month_utc(std::int64_t micros);

// 2026-11-01T00:00:00Z; a fraction (.25, .000001) only when not a whole second.
std::string format_timestamp(std::int64_t micros);
void append_timestamp(std::string& out, std::int64_t micros);
// 2026-11-01 (the UTC day of the instant).
std::string format_date(std::int64_t micros);
void append_date(std::string& out, std::int64_t micros);

}  // namespace leadscore::io

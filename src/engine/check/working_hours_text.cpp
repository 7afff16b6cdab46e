#include "engine/check/working_hours_text.hpp"

#include <array>
#include <vector>

#include <fmt/format.h>

#include "common/text.hpp"

namespace leadscore::check {
namespace {

constexpr std::array<std::string_view, 7> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::array<std::string_view, 7> kDayNames{"monday", "tuesday", "wednesday", "thursday",
                                                     "friday", "saturday", "sunday"};
constexpr const char* kShape = "write days, hours and an optional offset, e.g. \"Mon-Fri 09:00-17:00 UTC+01:00\"";

int day_index(std::string_view word) {
  std::string lower = text::normalize(word);
  for (std::size_t d = 0; d < kDays.size(); ++d)
    if (lower == kDays[d] || lower == kDayNames[d]) return static_cast<int>(d);
  return -1;
}

// "09:00" -> 540; "24:00" is the end of the day.
bool clock_minutes(std::string_view t, std::int32_t& minutes) {
  auto colon = t.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || t.size() - colon != 3) return false;
  int h = 0, m = 0;
  for (char c : t.substr(0, colon)) {
    if (c < '0' || c > '9') return false;
    h = h * 10 + (c - '0');
  }
  for (char c : t.substr(colon + 1)) {
    if (c < '0' || c > '9') return false;
    m = m * 10 + (c - '0');
  }
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return false;
  minutes = h * 60 + m;
  return true;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && text::is_space(s[i])) ++i;
    std::size_t start = i;
    while (i < s.size() && !text::is_space(s[i])) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

}  // namespace

bool parse_working_hours(std::string_view input, ir::WorkingHours& hours, std::string& error) {
  hours = ir::WorkingHours{};
  hours.text = std::string(input);
  // Days may be written with spaces after commas ("Mon, Wed, Fri"): join those first.
  std::string joined;
  for (std::size_t i = 0; i < input.size(); ++i) {
    joined += input[i];
    if (input[i] == ',')
      while (i + 1 < input.size() && text::is_space(input[i + 1])) ++i;
  }
  auto parts = words(joined);
  if (parts.size() < 2 || parts.size() > 3) {
    error = fmt::format("working hours \"{}\" have {} parts; {}", input, parts.size(), kShape);
    return false;
  }
  // Days: "Mon-Fri", "Mon,Wed,Fri", "Sun-Thu" (a range may wrap around the week).
  std::string_view days = parts[0];
  std::size_t start = 0;
  while (start <= days.size()) {
    std::size_t comma = days.find(',', start);
    if (comma == std::string_view::npos) comma = days.size();
    std::string_view item = days.substr(start, comma - start);
    auto dash = item.find('-');
    int from = day_index(dash == std::string_view::npos ? item : item.substr(0, dash));
    int to = dash == std::string_view::npos ? from : day_index(item.substr(dash + 1));
    if (from < 0 || to < 0) {
      error = fmt::format("\"{}\" is not a day or a range of days (Mon, Tue, Wed, Thu, Fri, Sat, Sun); {}", item, kShape);
      return false;
    }
    for (int d = from;; d = (d + 1) % 7) {
      hours.days = static_cast<std::uint8_t>(hours.days | (1u << d));
      if (d == to) break;
    }
    start = comma + 1;
  }
  // Hours: "09:00-17:00".
  std::string_view range = parts[1];
  auto dash = range.find('-');
  if (dash == std::string_view::npos || !clock_minutes(range.substr(0, dash), hours.start_minute) ||
      !clock_minutes(range.substr(dash + 1), hours.end_minute)) {
    error = fmt::format("\"{}\" is not a time range like 09:00-17:00; {}", range, kShape);
    return false;
  }
  if (hours.start_minute >= hours.end_minute) {
    error = fmt::format("working hours {} end before they start (a working day cannot pass midnight)", range);
    return false;
  }
  // Offset: "UTC", "UTC+01:00", "UTC-05:00", "UTC+5:30".
  if (parts.size() == 3) {
    std::string zone = text::normalize(parts[2]);
    bool ok = zone.rfind("utc", 0) == 0;
    std::int32_t minutes = 0;
    if (ok && zone.size() > 3) {
      char sign = zone[3];
      std::string_view rest = std::string_view(zone).substr(4);
      std::string padded = rest.find(':') == std::string_view::npos ? std::string(rest) + ":00" : std::string(rest);
      ok = (sign == '+' || sign == '-') && clock_minutes(padded, minutes) && minutes <= 14 * 60;
      if (sign == '-') minutes = -minutes;
    }
    if (!ok) {
      error = fmt::format("\"{}\" is not a UTC offset like UTC, UTC+01:00 or UTC-05:00; {}", parts[2], kShape);
      return false;
    }
    hours.utc_offset_minutes = minutes;
  }
  return true;
}

}  // namespace leadscore::check

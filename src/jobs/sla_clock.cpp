#include "jobs/sla_clock.hpp"

#include <algorithm>
#include <bit>

namespace leadscore::jobs {

namespace {

constexpr std::int64_t kMicrosPerMinute = 60'000'000;
constexpr std::int64_t kMicrosPerDay = 24 * 60 * kMicrosPerMinute;

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// 0 = Monday ... 6 = Sunday, of the local day `day` (days since 1970-01-01, a Thursday).
int weekday(std::int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }

}  // namespace

std::int64_t add_working_time(std::int64_t start, std::int64_t working, const ir::WorkingHours& hours) {
  if (hours.days == 0 || hours.end_minute <= hours.start_minute) return start + working;
  const std::int64_t offset = std::int64_t{hours.utc_offset_minutes} * kMicrosPerMinute;
  std::int64_t local = start + offset;
  std::int64_t day = floor_div(local, kMicrosPerDay);
  std::int64_t left = working;
  // Each pass consumes one working day's interval; a long SLA spans at most a few weeks of them.
  for (int guard = 0; guard < 100'000; ++guard) {
    const std::int64_t open = day * kMicrosPerDay + hours.start_minute * kMicrosPerMinute;
    const std::int64_t close = day * kMicrosPerDay + hours.end_minute * kMicrosPerMinute;
    if ((hours.days >> weekday(day)) & 1u) {
      const std::int64_t from = std::max(local, open);
      if (from < close) {
        if (left <= close - from) return from + left - offset;
        left -= close - from;
      }
    }
    ++day;
    local = day * kMicrosPerDay;
  }
  return start + working;  // unreachable for a valid working week
}

std::int64_t working_time_between(std::int64_t start, std::int64_t end, const std::optional<ir::WorkingHours>& hours) {
  if (end <= start) return 0;
  if (!hours || hours->days == 0 || hours->end_minute <= hours->start_minute) return end - start;
  const std::int64_t offset = std::int64_t{hours->utc_offset_minutes} * kMicrosPerMinute;
  const std::int64_t first = floor_div(start + offset, kMicrosPerDay), last = floor_div(end + offset, kMicrosPerDay);
  const std::int64_t day_length = std::int64_t{hours->end_minute - hours->start_minute} * kMicrosPerMinute;
  auto open_part = [&](std::int64_t day, std::int64_t from, std::int64_t to) -> std::int64_t {
    if (!((hours->days >> weekday(day)) & 1u)) return 0;
    const std::int64_t open = day * kMicrosPerDay + hours->start_minute * kMicrosPerMinute;
    const std::int64_t close = day * kMicrosPerDay + hours->end_minute * kMicrosPerMinute;
    return std::max<std::int64_t>(0, std::min(close, to) - std::max(open, from));
  };
  if (first == last) return open_part(first, start + offset, end + offset);
  std::int64_t total = open_part(first, start + offset, (first + 1) * kMicrosPerDay) +
                       open_part(last, last * kMicrosPerDay, end + offset);
  // Whole days in between: whole weeks at once, then the days left over.
  std::int64_t day = first + 1;
  const std::int64_t weeks = (last - day) / 7;
  total += weeks * std::popcount(static_cast<unsigned>(hours->days & 0x7f)) * day_length;
  for (day += weeks * 7; day < last; ++day)
    if ((hours->days >> weekday(day)) & 1u) total += day_length;
  return total;
}

std::optional<std::int64_t> sla_due(const ir::Route& route, const std::optional<ir::WorkingHours>& hours,
                                    std::int64_t entered) {
  if (!route.sla_seconds) return std::nullopt;
  if (!hours) return entered + *route.sla_seconds * 1'000'000;
  const std::int64_t day_length = std::int64_t{hours->end_minute - hours->start_minute} * kMicrosPerMinute;
  std::int64_t working = 0;
  switch (route.sla_unit) {
    case 'd': working = route.sla_count * day_length; break;
    case 'w': working = route.sla_count * std::popcount(static_cast<unsigned>(hours->days)) * day_length; break;
    default: working = *route.sla_seconds * 1'000'000; break;
  }
  return add_working_time(entered, working, *hours);
}

}  // namespace leadscore::jobs

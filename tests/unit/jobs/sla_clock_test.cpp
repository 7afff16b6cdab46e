// The SLA clock: due times with and without working hours, and the working-hours text.
#include <doctest/doctest.h>

#include <string>

#include "engine/check/working_hours_text.hpp"
#include "io/value_parse.hpp"
#include "jobs/sla_clock.hpp"

using namespace leadscore;

namespace {

std::int64_t at(const char* text) {
  auto parsed = io::parse_timestamp(text);
  REQUIRE(parsed.has_value());
  return parsed.value;
}

std::string due(const char* hours_text, const char* entered, std::int64_t count, char unit) {
  ir::Route route;
  route.sla_count = count;
  route.sla_unit = unit;
  route.sla_seconds = count * (unit == 'h' ? 3600 : unit == 'd' ? 86400 : 7 * 86400);
  std::optional<ir::WorkingHours> hours;
  if (hours_text) {
    ir::WorkingHours h;
    std::string error;
    REQUIRE_MESSAGE(check::parse_working_hours(hours_text, h, error), error);
    hours = h;
  }
  return io::format_timestamp(*jobs::sla_due(route, hours, at(entered)));
}

}  // namespace

TEST_CASE("SLA clock: around the clock without working hours") {
  CHECK(due(nullptr, "2026-11-02T08:00:00Z", 4, 'h') == "2026-11-02T12:00:00Z");
  CHECK(due(nullptr, "2026-11-06T16:00:00Z", 1, 'd') == "2026-11-07T16:00:00Z");
}

TEST_CASE("SLA clock: inside working hours only") {
  const char* week = "Mon-Fri 09:00-17:00";
  CHECK(due(week, "2026-11-02T08:00:00Z", 4, 'h') == "2026-11-02T13:00:00Z");  // Monday, before opening
  CHECK(due(week, "2026-11-02T15:00:00Z", 4, 'h') == "2026-11-03T11:00:00Z");  // over the night
  CHECK(due(week, "2026-11-06T16:00:00Z", 4, 'h') == "2026-11-09T12:00:00Z");  // Friday to Monday
  CHECK(due(week, "2026-11-07T10:00:00Z", 4, 'h') == "2026-11-09T13:00:00Z");  // entered on Saturday
  CHECK(due(week, "2026-11-02T13:00:00Z", 1, 'd') == "2026-11-03T13:00:00Z");  // one working day
  CHECK(due(week, "2026-11-02T09:00:00Z", 1, 'w') == "2026-11-06T17:00:00Z");  // five working days
  // UTC+01:00: 09:00 local is 08:00 UTC.
  CHECK(due("Mon-Fri 09:00-17:00 UTC+01:00", "2026-11-02T07:00:00Z", 4, 'h') == "2026-11-02T12:00:00Z");
}

TEST_CASE("working hours text: what is accepted and what is not") {
  ir::WorkingHours h;
  std::string error;
  REQUIRE(check::parse_working_hours("Mon,Wed,Fri 08:30-12:00 UTC-05:00", h, error));
  CHECK(h.days == 0b10101);
  CHECK(h.start_minute == 510);
  CHECK(h.end_minute == 720);
  CHECK(h.utc_offset_minutes == -300);
  CHECK_FALSE(check::parse_working_hours("Mon-Fri 17:00-09:00", h, error));
  CHECK(error == "working hours 17:00-09:00 end before they start (a working day cannot pass midnight)");
  CHECK_FALSE(check::parse_working_hours("weekdays 9-5", h, error));
  CHECK_FALSE(error.empty());
}

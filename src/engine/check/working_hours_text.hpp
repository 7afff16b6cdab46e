#pragma once
// The text of `working hours "Mon-Fri 09:00-17:00 UTC+01:00"`: days (single days, ranges, commas),
// one daily time range, and an optional fixed UTC offset (no daylight saving).
#include <string>
#include <string_view>

#include "engine/check/program.hpp"

namespace leadscore::check {

// False with a one-line `error` that says what is wrong and how it is written.
bool parse_working_hours(std::string_view text, ir::WorkingHours& hours, std::string& error);

}  // namespace leadscore::check

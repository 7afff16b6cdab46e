#pragma once
// The service-level clock of a route: when a lead that entered a route is due a sales response.
// Without working hours the clock runs all the time; with them it runs only inside them (`4h` is
// four working hours, `1d` one working day's length, `1w` as many working days as the week has).
#include <cstdint>
#include <optional>

#include "engine/check/program.hpp"

namespace leadscore::jobs {

// `start` plus `working` microseconds of working time (instants in microseconds since the epoch, UTC).
std::int64_t add_working_time(std::int64_t start, std::int64_t working, const ir::WorkingHours& hours);

// The working time from `start` to `end` (microseconds; 0 when end <= start): all of it without working
// hours (`hours` empty), else only the part inside them. The hand-off metrics measure response times so.
std::int64_t working_time_between(std::int64_t start, std::int64_t end, const std::optional<ir::WorkingHours>& hours);

// When a lead that entered `route` at `entered` is due a response; nullopt when the route has no SLA.
std::optional<std::int64_t> sla_due(const ir::Route& route, const std::optional<ir::WorkingHours>& hours,
                                    std::int64_t entered);

}  // namespace leadscore::jobs

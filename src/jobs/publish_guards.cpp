#include "jobs/publish_guards.hpp"

#include <fmt/format.h>

#include "io/value_parse.hpp"

namespace leadscore::jobs {

namespace {

std::string duration_text(std::int64_t micros) {
  const std::int64_t hours = micros / 3'600'000'000LL;
  if (hours % 24 == 0) return fmt::format("{}d", hours / 24);
  return fmt::format("{}h", hours);
}

}  // namespace

std::optional<std::string> refuse_without_activities(const engine::Graph& graph, bool activities_given,
                                                     const GuardOptions& guards) {
  if (!graph.needs_activity || activities_given || guards.no_activities) return std::nullopt;
  return std::string(
      "the rules read activity events but no --activities file was given: every activity rule would score 0 "
      "(give --activities FILE, or --no-activities to score without events on purpose)");
}

std::optional<std::string> refuse_leads(std::uint64_t rows_read, std::uint64_t scored, std::uint64_t rejected,
                                        const GuardOptions& guards) {
  if (guards.off) return std::nullopt;
  if (scored == 0)
    return rows_read == 0 ? std::string("the leads file has no data rows: nothing to score")
                          : fmt::format("none of the {} rows of the leads file could be scored (all rejected)", rows_read);
  const double rate = static_cast<double>(rejected) / static_cast<double>(rows_read);
  if (!guards.reject_rate_given && rows_read < kDefaultRejectRateMinRows) return std::nullopt;
  if (rate > guards.max_reject_rate)
    return fmt::format("{} of {} rows ({:.1f}%) were rejected, more than --max-reject-rate {:g}% (is it the right "
                       "file and --delimiter? --rejects FILE with --max-reject-rate 1 keeps them to look at)",
                       rejected, rows_read, 100 * rate, 100 * guards.max_reject_rate);
  return std::nullopt;
}

std::optional<std::string> refuse_stale_events(const engine::Graph& graph, const engine::EventStats& events,
                                               std::int64_t as_of, const GuardOptions& guards) {
  if (!graph.needs_activity || !guards.max_staleness || guards.off) return std::nullopt;
  if (events.used == 0) {
    if (!guards.staleness_given) return std::nullopt;
    return fmt::format("no activity event before as-of {} belongs to a lead of the leads file ({} events read): "
                       "the events export is empty or from another system (--max-staleness none accepts it)",
                       io::format_timestamp(as_of), events.read);
  }
  if (events.newest < as_of - *guards.max_staleness)
    return fmt::format("the newest activity event ({}) is older than --max-staleness {} before as-of {}: the events "
                       "export looks stale (--max-staleness none accepts it)",
                       io::format_timestamp(events.newest), duration_text(*guards.max_staleness),
                       io::format_timestamp(as_of));
  return std::nullopt;
}

}  // namespace leadscore::jobs

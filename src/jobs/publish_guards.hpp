#pragma once
// Guards that keep yesterday's file: a nightly run that would publish garbage (nothing scored, most
// rows rejected, rules that read activities without any, events that stopped days ago) refuses to
// replace the previous outputs and says why. `score` exits with kRefusedStatus then.
#include <cstdint>
#include <optional>
#include <string>

#include "engine/load/event_stream.hpp"
#include "engine/plan/graph.hpp"

namespace leadscore::jobs {

inline constexpr int kRefusedStatus = 4;
inline constexpr double kDefaultMaxRejectRate = 0.5;
// The default reject rate judges a file only from this many rows: on a handful of rows a share is
// no evidence of a broken export (and hand-made test files reject most rows on purpose).
inline constexpr std::uint64_t kDefaultRejectRateMinRows = 100;
// A year: catches a wrong --as-of year or an export that stopped long ago without refusing the
// ordinary lag of an ad-hoc run; a nightly job sets its own (docs/nightly.md uses 2d).
inline constexpr std::int64_t kDefaultMaxStaleness = 365 * 86'400'000'000LL;

struct GuardOptions {
  double max_reject_rate = kDefaultMaxRejectRate;  // of the rows read
  bool reject_rate_given = false;                  // --max-reject-rate: applies whatever the file's size
  std::optional<std::int64_t> max_staleness = kDefaultMaxStaleness;  // microseconds; nullopt: never stale
  bool staleness_given = false;  // --max-staleness: also refuses a run that used no event at all
  bool no_activities = false;    // --no-activities: scoring without events is meant
  bool off = false;  // --no-guards: one part of a run whose driver judges the leads and events guards on all parts
};

// Before reading data: the rules read activity events and none were given.
std::optional<std::string> refuse_without_activities(const engine::Graph& graph, bool activities_given,
                                                     const GuardOptions& guards);
// After reading the leads: nothing to score, or too many rows rejected.
std::optional<std::string> refuse_leads(std::uint64_t rows_read, std::uint64_t scored, std::uint64_t rejected,
                                        const GuardOptions& guards);
// After reading the events: the newest event the run used is older than --max-staleness before as-of.
std::optional<std::string> refuse_stale_events(const engine::Graph& graph, const engine::EventStats& events,
                                               std::int64_t as_of, const GuardOptions& guards);

}  // namespace leadscore::jobs

#pragma once
// One streaming pass over the activity events, folded into per-lead aggregates. Memory grows with
// the number of leads and aggregates, never with the number of events.
#include <string>
#include <vector>

#include "engine/exec/evaluator.hpp"
#include "engine/load/lead_table.hpp"

namespace leadscore::engine {

struct EventStats {
  std::uint64_t read = 0;          // data records read
  std::uint64_t used = 0;          // events of known leads before their as-of instant
  std::uint64_t unknown_lead = 0;  // events whose lead id is not a lead of the run
  std::uint64_t malformed = 0;     // wrong number of fields or broken quoting
  std::uint64_t bad_time = 0;      // event time missing or unparseable
  std::uint64_t not_before_as_of = 0;  // at or after the lead's as-of instant: never seen
  std::vector<std::uint64_t> unparseable;  // by activity field
  std::int64_t newest = INT64_MIN;  // the latest time of a used event (INT64_MIN: none was used)
  std::vector<std::string> unparseable_example;  // by activity field: the first such value in the file
  std::vector<std::uint64_t> invalid_text;  // by activity field: text with invalid UTF-8 or NUL, repaired
  void add(const EventStats& other);
};

// Folds every event of the file at `path` into `aggregates` (initialised for `leads`). With several
// threads the file is read in byte ranges at once, and the result is the same as on one thread: the
// same aggregates (sums added in file order), counts and examples.
bool aggregate_events(const ir::Program& program, const Graph& graph, const std::string& path,
                      const ReadOptions& options, const LeadTable& leads, int threads, AggregateState& aggregates,
                      EventStats& stats, std::string& error);

}  // namespace leadscore::engine

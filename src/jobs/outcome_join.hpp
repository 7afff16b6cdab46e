#pragma once
// Outcomes joined onto the leads: which leads closed (won or lost), each lead's cutoff (its as-of
// instant for point-in-time evaluation) and its place in time for the train/test split. Shared by
// `calibrate` and `suggest`, so both learn from exactly the same leads.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "engine/check/program.hpp"
#include "engine/load/lead_table.hpp"
#include "io/csv_reader.hpp"
#include "io/value_parse.hpp"
#include "jobs/calibrate_job.hpp"

namespace leadscore::jobs {

inline constexpr std::int64_t kNoInstant = std::numeric_limits<std::int64_t>::min();

enum class Status : std::uint8_t { Won, Lost, Open, NoOutcome, NoCutoff, ClosedBeforeCutoff, NoTime };

inline bool closed(Status s) { return s == Status::Won || s == Status::Lost; }

// What orders the leads in time for the split and the walk-forward.
enum class TimeKind : std::uint8_t { Rows, Instant, Number };

// A value that could not be read: how many, and the first one.
struct Unreadable {
  std::uint64_t count = 0, line = 0;
  std::string value;
  void note(std::uint64_t at, std::string_view text) {
    if (count++ == 0) line = at, value = std::string(text);
  }
};

// Everything known about each lead besides the rules' view of it.
struct LeadFacts {
  std::vector<Status> status;
  std::vector<double> amount;  // NaN: none
  std::vector<std::string> source;
  std::vector<std::int64_t> time;  // split order (microseconds, a number's order key, or the line)
  std::vector<double> time_number;  // TimeKind::Number: the number itself
  std::vector<std::int64_t> closed_at;  // kNoInstant: not known
  TimeKind time_kind = TimeKind::Rows;
  std::uint64_t outcome_rows = 0, outcome_unknown_ids = 0, outcome_duplicates = 0, closed_without_date = 0;
  bool has_closed_at_column = false;
  Unreadable closed_at_unreadable, cutoff_unreadable, time_unreadable;
  io::DefaultZone cutoff_zone, time_zone;  // the `zone` of the cutoff and time fields in the schema
};

// Opens an outcomes CSV (o.file) and finds its columns by o's headers: pos = the positions of the id
// (called `id_name` in errors), outcome, closed_at and amount, -1 for an optional one it lacks.
bool open_outcomes_csv(const OutcomeOptions& o, const char* id_name, io::CsvReader& reader,
                       std::vector<std::int32_t>& pos, std::string& error);

// Won or Lost when `value` is one of o.won / o.lost (trimmed, ASCII case ignored), else Open.
Status classify_outcome(std::string_view value, const OutcomeOptions& o);

// Fills `facts` for every lead of `leads` (outcome, amount, source, split time) and sets each lead's
// as_of from req.cutoff_field + req.cutoff_delay. Counts leads without a readable cutoff in no_cutoff.
// A closed_at that cannot be read on a won or lost row is an error naming the file, line and value.
// The leads must have been read with the extra columns the request names.
bool read_lead_facts(const CalibrateRequest& req, const ir::Program& program, engine::LeadTable& leads, LeadFacts& facts,
                     std::uint64_t& no_cutoff, std::string& err);

}  // namespace leadscore::jobs

#pragma once
// The files `leadscore handoff` reads, joined by lead id: the scored file (a `score` output: id, mql,
// the classify columns, the route columns, a source column kept with `score --keep`), the sales
// dispositions exported from the CRM, and optionally the outcomes file calibrate reads.
// Bad rows never stop the run: they are counted, and the first few are named by line.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/check/program.hpp"
#include "engine/plan/graph.hpp"
#include "jobs/calibrate_job.hpp"
#include "jobs/handoff_metrics.hpp"

namespace leadscore::jobs {

struct HandoffRequest {
  std::string scored, dispositions;
  char delimiter = ',';  // of the scored and the dispositions file
  // Headers of the dispositions file (--disposition-columns); reason and disposition_at are optional
  // unless renamed there.
  std::string id_column = "lead_id", disposition_column = "disposition", reason_column = "reason",
              at_column = "disposition_at";
  bool reason_required = false, at_required = false;
  std::optional<std::int32_t> at_zone;  // the zone of disposition times written without one
  DispositionWords words;
  OutcomeOptions outcomes;                  // outcomes.file empty: no outcome metrics
  std::optional<std::string> source_field;  // a column of the scored file
  std::optional<std::string> by;            // a classify; default: the ruleset's first
  HandoffSettings settings;                 // targets and working hours are filled from the rules
};

struct LineExample {
  std::uint64_t line = 0;
  std::string value;
};

// A count and its first few examples.
struct Counted {
  std::uint64_t count = 0;
  std::vector<LineExample> examples;
  void note(std::uint64_t line, std::string_view value);
};

struct HandoffInputReport {
  std::string ruleset, version;
  std::string by;            // the classify grouped by ("" = none)
  std::string source_field;  // "" = none
  std::uint64_t scored_rows = 0, mqls = 0;
  Counted scored_skipped;     // malformed rows, rows without an id
  Counted scored_duplicates;  // an id seen before (the first row is used)
  std::uint64_t disposition_rows = 0, not_mql = 0;
  Counted unknown_ids;        // dispositions of ids that are not in the scored file
  Counted unknown_dispositions;
  Counted duplicate_dispositions;  // a second row for a lead: the later line is used
  Counted unreadable_times;
  Counted disposition_skipped;     // malformed rows
  std::uint64_t outcome_rows = 0, outcome_unknown_ids = 0, outcome_duplicates = 0;
  std::vector<std::string> notes;  // what is not measured and why
};

// Reads the three files for `program`. False with a one-line `error` when a file cannot be read or a
// required column is missing (naming the closest header); everything else is counted in `report`.
bool read_handoff_inputs(const HandoffRequest& req, const ir::Program& program, const engine::Graph& graph,
                         std::vector<HandoffLead>& leads, HandoffInputReport& report, std::string& error);

}  // namespace leadscore::jobs

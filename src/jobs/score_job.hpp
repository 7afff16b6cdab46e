#pragma once
// The whole `leadscore score` job: rules, leads, events, evaluation in batches, output written atomically.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "engine/load/event_stream.hpp"
#include "jobs/result_writer.hpp"

namespace leadscore::jobs {

struct ScoreRequest {
  std::string rules;
  std::string leads;
  std::optional<std::string> activities;
  std::int64_t as_of = 0;
  std::string out;
  std::optional<std::string> rejects;
  engine::ReadOptions read;
  OutputFormat format = OutputFormat::Csv;
  bool explain = false;
  int threads = 1;
  bool progress = false;  // a progress line on stderr (for terminals)
  std::size_t top = 0;    // list the N highest-scoring leads with their reasons in the summary
  io::CsvSafety csv_safety = io::CsvSafety::SpreadsheetSafe;  // --spreadsheet-safe on|off (CSV text cells)
  bool allow_other_ruleset = false;  // apply a weights file calibrated for another ruleset
};

struct TopLead {
  double score = 0;
  std::size_t ordinal = 0;
  std::string id, classes, reasons;
};

struct ScoreReport {
  std::string ruleset, version, content_hash;
  std::uint64_t rows_read = 0, scored = 0, rejected = 0;
  std::vector<std::pair<std::string, std::uint64_t>> unparseable;  // "field (column \"X\")", count
  std::vector<std::string> unparseable_example;  // beside each: ` (first on line 3: "n/a")`
  bool had_activities = false;
  engine::EventStats events;
  std::vector<std::string> activity_unparseable;
  std::uint64_t non_finite = 0;
  std::vector<std::pair<std::string, std::uint64_t>> invalid_text;  // "field" or "activity field", cells repaired  // arithmetic results beyond the finite numbers, written as missing
  Tally tally;
  bool has_mql = false;
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::uint64_t>>>> classify_counts;
  std::vector<TopLead> top;  // highest score first
  int threads_used = 1;  // --threads capped at the hardware threads
  double seconds = 0;
  double leads_seconds = 0, events_seconds = 0, scoring_seconds = 0;  // where the time went
};

// Returns false with diagnostics (rule errors) or a one-line `error` (input/output problems).
bool run_score(const ScoreRequest& request, Diagnostics& diags, ScoreReport& report, std::string& error);

// The summary printed on stderr after a run.
std::string format_summary(const ScoreRequest& request, const ScoreReport& report);

}  // namespace leadscore::jobs

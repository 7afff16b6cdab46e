#pragma once
// The whole `leadscore score` job: rules, leads, events, evaluation in batches, output written atomically;
// with --previous, what changed since last night; guards that refuse to publish a run that is garbage.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "engine/load/event_stream.hpp"
#include "jobs/publish_guards.hpp"
#include "jobs/result_writer.hpp"

namespace leadscore::jobs {

struct ScoreRequest {
  std::string rules;
  std::string leads;  // `-`: standard input
  std::optional<std::string> activities;
  std::optional<std::string> accounts;      // the accounts file (`schema account`)
  std::optional<std::string> accounts_out;  // one row per account
  std::int64_t as_of = 0;
  std::string out;
  std::optional<std::string> rejects;
  engine::ReadOptions read;
  OutputFormat format = OutputFormat::Csv;
  bool explain = false;
  int threads = 1;
  bool progress = false;  // a progress line on stderr (for terminals)
  std::size_t top = 0;    // list the N highest-scoring leads with their reasons in the summary
  // Run over run and CRM output.
  std::optional<std::string> previous;     // last night's output
  std::optional<std::string> changes_out;  // the rows of new and changed leads, and gone leads
  double min_change = 0;                   // score changes smaller than this are not changes
  std::vector<std::string> keep;           // leads-file columns passed through
  std::vector<std::string> stamps;         // ruleset, version, hash, as_of, scored_at
  std::vector<std::pair<std::string, std::string>> renames;  // COLUMN=NAME
  std::size_t reasons_max = 0;             // 0: every reason
  GuardOptions guards;
  io::CsvSafety csv_safety = io::CsvSafety::SpreadsheetSafe;  // --spreadsheet-safe on|off (CSV text cells)
  bool allow_other_ruleset = false;  // apply a weights file calibrated for another ruleset
};

struct TopLead {
  double score = 0;
  std::size_t ordinal = 0;
  std::string id, classes, reasons;
};

// A column's unreadable cells: how many, and the first few with their line numbers.
struct UnreadableColumn {
  std::string column;  // "employees (column \"Number of Employees\")"
  std::uint64_t count = 0;
  std::vector<engine::UnreadableCell> examples;
  bool lacks_zone = false;  // a timestamp column whose first example reads once given a zone
};

struct ScoreReport {
  std::string ruleset, version, content_hash;
  bool leads_read = false;
  std::uint64_t rows_read = 0, scored = 0, rejected = 0;
  std::vector<UnreadableColumn> unparseable;
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
  // Run over run.
  bool has_previous = false;
  PreviousRun previous;  // its per-lead values are released after the run; counts and gone leads stay
  std::uint64_t changes_written = 0;
  std::vector<std::string> route_labels;
  // Accounts (rules with an `account key`).
  bool has_accounts = false;
  std::uint64_t accounts = 0, leads_in_accounts = 0, leads_without_key = 0, leads_excluded = 0;
  std::uint64_t mqa_accounts = 0;
  bool had_accounts_file = false;
  std::uint64_t account_rows_read = 0, accounts_not_in_file = 0, file_accounts_without_leads = 0;
  std::vector<std::pair<std::uint64_t, std::string>> account_rejects;  // line, reason
  std::vector<std::string> warnings;
  // A guard refused to publish: the reason (the previous outputs are untouched).
  std::optional<std::string> refused;
};

// Returns false with diagnostics (rule errors) or a one-line `error` (input/output problems, or a
// guard's refusal: then report.refused is set too).
bool run_score(const ScoreRequest& request, Diagnostics& diags, ScoreReport& report, std::string& error);

// The summary printed on stderr after a run (also after a refused one: what was read so far).
std::string format_summary(const ScoreRequest& request, const ScoreReport& report);

}  // namespace leadscore::jobs

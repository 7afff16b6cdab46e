#pragma once
// The whole `leadscore suggest` job: from the closed leads of the training part (the same leads,
// cutoffs and time split as `calibrate`), propose rules the outcomes support: ranges of numeric
// fields, groups of text values, days since a date; keep each only when adding it to the current
// rules raises the AUC on the held-out part; write the rules file with them appended as a section.
#include <cstdint>
#include <string>
#include <vector>

#include "calibrate/binning.hpp"
#include "calibrate/evidence.hpp"
#include "common/diagnostics.hpp"
#include "jobs/calibrate_job.hpp"

namespace leadscore::jobs {

struct SuggestRequest {
  // Inputs, outcomes, cutoffs, time split, l2, pdo and min_support as for `calibrate`.
  CalibrateRequest calibrate;
  std::vector<std::string> exclude;  // lead fields never suggested (besides those marked `# leaks`)
  std::size_t max_rules = 10;
  double min_gain = 0.001;  // held-out AUC a suggestion must add
  calibrate::BinningOptions binning;
  std::string section = "suggested";  // the name of the new score section (made unique)
};

struct Suggestion {
  std::string label;
  std::string condition;  // rules text
  std::string field;
  double points = 0;
  calibrate::RuleEvidence evidence;  // on the training part
  double auc_gain = 0;               // held-out AUC added when it was selected
};

struct SuggestResult {
  std::string text;  // the rules file with the suggestions (canonical layout)
  std::vector<Suggestion> suggestions;
  std::size_t candidates = 0;  // candidate rules with enough support and a significant close rate
  std::size_t train = 0, test = 0;
  double base_rate = 0;           // on the training part
  double auc_before = 0, auc_after = 0;  // held-out AUC of the fitted rules without / with the suggestions
  std::vector<std::string> fields_used, fields_skipped;  // skipped: excluded or marked as leaking
};

// Returns false with diagnostics (rule errors) or a one-line `error`.
bool run_suggest(const SuggestRequest& request, Diagnostics& diags, SuggestResult& result, std::string& error);

// A human summary (what `suggest` prints on stderr).
std::string format_suggest_summary(const SuggestResult& result);

// Whether the schema line that declares a field carries a comment marking it as leaking the outcome
// (`duration: int  # leaks: known only after the call`).
bool marked_as_leaking(std::string_view declaration_line);

}  // namespace leadscore::jobs

#pragma once
// The whole `leadscore suggest` job: from the closed leads of the training part (the same leads,
// cutoffs and time split as `calibrate`), propose rules the outcomes support: ranges of numeric
// fields, groups of text values, days since a date and its calendar parts, activity counts, recency
// and sums of number fields per type; keep each only when adding it to the current rules raises the
// AUC of training leads it was not fitted on (cross-validation over the training part, or its newest
// part alone); report the AUC on the untouched test part before and after; write the
// rules file with them appended as a section.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calibrate/binning.hpp"
#include "calibrate/evidence.hpp"
#include "calibrate/suggestion_summary.hpp"
#include "common/diagnostics.hpp"
#include "jobs/calibrate_job.hpp"

namespace leadscore::jobs {

// How suggestions are chosen. CrossValidation: found on the whole training part, kept when they raise
// the mean AUC of its folds (every k-th lead in time order), each judged with the rules fitted on the
// others. Validation:
// found on the older training leads, kept when they raise the AUC of the newest (validation) part.
enum class Chooser { CrossValidation, Validation };

struct SuggestRequest {
  // Inputs, outcomes, cutoffs, time split, l2, pdo and min_support as for `calibrate`.
  CalibrateRequest calibrate;
  std::vector<std::string> exclude;  // lead fields never suggested (besides those marked `# leaks`)
  std::size_t max_rules = 10;
  double min_gain = 0.001;  // held-out AUC a suggestion must add
  Chooser choose_by = Chooser::CrossValidation;
  std::size_t folds = 5;  // CrossValidation: folds of the training part
  // Validation: the newest part of the training part that chooses the rules; the older rest finds them.
  double validation_fraction = 0.25;
  // The activity field holding the event's type (default: a string field named `type`).
  std::optional<std::string> activity_type_field;
  // After the single conditions, try `A and B` of the most promising ones (different fields).
  bool two_conditions = true;
  calibrate::BinningOptions binning;
  // The name of the new score section: a name, not a keyword (section_name_problem); made unique when
  // the ruleset already declares it.
  std::string section = "suggested";
};

struct Suggestion {
  std::string label;
  std::string condition;  // rules text
  std::string field;
  double points = 0;
  calibrate::RuleEvidence evidence;  // on the training part
  double auc_gain = 0;               // held-out (cross-validated or validation) AUC added when it was selected
};

struct SuggestResult {
  std::string text;  // the rules file with the suggestions (canonical layout)
  std::vector<Suggestion> suggestions;
  std::size_t candidates = 0;  // candidate rules with enough support and a significant close rate
  std::size_t pair_candidates = 0;  // of them: two-condition rules
  std::size_t train = 0, test = 0;  // closed leads of the training part and of the test part
  // The leads the candidates were found on, and those that chose them: with cross-validation both are
  // the whole training part (folds > 0); with a validation part, its older and its newer leads.
  std::size_t fit = 0, validation = 0;
  std::size_t folds = 0;
  double base_rate = 0;           // on the leads the candidates were found on
  // Held-out AUC (mean over the folds, or on the validation part) without / with the suggestions.
  double validation_before = 0, validation_after = 0;
  // Test AUC of the rules fitted on the whole training part, without / with the suggestions: the part
  // that had no say in choosing them.
  double auc_before = 0, auc_after = 0;
  std::size_t activity_types = 0;  // activity types suggestions were looked for
  std::vector<std::string> fields_used, fields_skipped;  // skipped: excluded or marked as leaking
  // Text values (and activity types) never suggested because they hold a line break, a tab or another
  // control character, which no list entry or label may hold (`check` refuses them); and where they
  // were: lead fields by name, activity types as `activity TYPE_FIELD`.
  std::size_t values_unwritable = 0;
  std::vector<std::string> unwritable_in;
};

// Returns false with diagnostics (rule errors) or a one-line `error`.
bool run_suggest(const SuggestRequest& request, Diagnostics& diags, SuggestResult& result, std::string& error);

// What `--summary-out` writes (and `report --suggestions` shows) for the rules file `rules_path`.
calibrate::SuggestionSummary suggestion_summary(const SuggestResult& result, const std::string& rules_path);

// A human summary (what `suggest` prints on stderr).
std::string format_suggest_summary(const SuggestResult& result);

// Why `name` cannot be the suggested section's name (`score` and other keywords, `bad name`, `2nd`),
// as the rest of a `--section NAME` usage message; nullopt when it is a name.
std::optional<std::string> section_name_problem(std::string_view name);

// Whether the schema line that declares a field carries a comment marking it as leaking the outcome
// (`duration: int  # leaks: known only after the call`).
bool marked_as_leaking(std::string_view declaration_line);

}  // namespace leadscore::jobs

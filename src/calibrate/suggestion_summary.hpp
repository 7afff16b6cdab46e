#pragma once
// What `suggest --summary-out` writes and `report --suggestions` reads: the suggested rules with their
// evidence and the AUC before and after, as a small JSON file.
#include <cstdint>
#include <string>
#include <vector>

#include "calibrate/evidence.hpp"

namespace leadscore::calibrate {

struct SuggestedRule {
  std::string label, condition;
  double points = 0;
  RuleEvidence evidence;        // on the older training leads (matched, won, close rate, interval, lift)
  double validation_gain = 0;   // validation AUC the rule added when it was kept
};

struct SuggestionSummary {
  std::string ruleset;  // the rules file suggestions were made for
  std::uint64_t fit = 0, validation = 0, test = 0;
  std::uint64_t folds = 0;  // > 0: chosen by cross-validation with that many folds of the training part
  double base_rate = 0;  // of the older training leads
  double validation_before = 0, validation_after = 0, test_before = 0, test_after = 0;
  std::vector<SuggestedRule> rules;
};

std::string suggestion_summary_json(const SuggestionSummary& summary);
// False with `error` naming the file when it cannot be read or is not such a summary.
bool read_suggestion_summary(const std::string& path, SuggestionSummary& summary, std::string& error);
// The report's "Suggested rules" section.
std::string suggestions_html(const SuggestionSummary& summary);

}  // namespace leadscore::calibrate

#include "common/diagnostic_codes.hpp"

#include <array>

namespace leadscore {
namespace {

constexpr std::array<CodeInfo, 21> kCodes{{
    {Code::ImpossibleCondition, "impossible-condition", true, "A condition that no lead can meet",
     "A rule, multiplier, gate criterion, `mql` or classify branch whose condition is always false: a constant "
     "such as `1 > 2`, `between` with its bounds swapped, or bounds on one value that exclude each other "
     "(`x > 10 and x < 5`, `country == \"US\" and country == \"CA\"`). Fix the condition or remove the item."},
    {Code::OverlappingTiers, "overlapping-tiers", true, "Two tier rules of a section both add points for some values",
     "Two rules with positive points in one section select ranges of the same value that overlap without one "
     "containing the other, so a lead in the overlap gets both. Make one range end where the other starts "
     "(`< 1000` / `>= 1000`). Nested ranges (`>= 10M` and `>= 100M`) are a deliberate bonus and not warned."},
    {Code::UnreachableBranch, "unreachable-branch", true, "A classify branch that can never be chosen",
     "The first true branch of a classify wins; this branch comes after a branch that is always true or has the "
     "same condition. Fix the earlier condition or move this branch up."},
    {Code::AlwaysTrueCriterion, "always-true-criterion", true, "A gate criterion that holds for every lead",
     "A gate criterion that is always true (`true`, `1 < 2`, `x is missing or x is present`) filters nothing. Fix "
     "it or remove it."},
    {Code::DuplicateListEntry, "duplicate-list-entry", true, "A list names the same entry twice",
     "Entries compare ignoring case and surrounding spaces, so the second one adds nothing; often it is a typo "
     "for another entry. Remove the repeated entry (or line of the list file)."},
    {Code::DecayLongerThanWindow, "decay-longer-than-window", true, "A half-life longer than the rule's window",
     "Events leave the `within` window before losing half their weight, so the decay barely matters. Shorten the "
     "half-life or widen the window."},
    {Code::DecayWithoutWindow, "decay-without-window", true, "A decaying `each` rule without `within`",
     "Every event of the lead's history counts, however old. Add a window, about four half-lives long "
     "(`decay 30d` with `within 120d`)."},
    {Code::UnusedList, "unused-list", true, "A list that nothing reads",
     "No rule, multiplier, gate, `mql`, classify or used `let` reads the list. Use it or remove it."},
    {Code::UnusedLet, "unused-let", true, "A `let` that nothing uses",
     "No rule, multiplier, gate, `mql` or classify reaches the `let` (one used only by an unused `let` is unused "
     "too). Use it or remove it."},
    {Code::UnreachableThreshold, "unreachable-threshold", true, "A score threshold no lead can reach",
     "A comparison of a section (or `score`) with a number outside the values the section can take, from its "
     "`max`/`min` and the sums of its points: `fit >= 150` with `score fit max 100` is never true. With a "
     "`calibration`, the calibrated points and adopted thresholds are checked too. Fix the number or the limit, "
     "or re-run `leadscore calibrate`."},
    {Code::VacuousThreshold, "vacuous-threshold", true, "A score threshold every lead passes",
     "A comparison of a section (or `score`) with a number every value of the section passes: `fit >= -1000` "
     "with `score fit min -50` filters nothing. Fix the number or remove the comparison."},
    {Code::CalibrationOutOfDate, "calibration-out-of-date", true,
     "The weights file does not match the rules any more",
     "A rule has no calibrated weight, the weights file has a weight for a rule that no longer exists, or a "
     "rule's written points changed since calibration. Re-run `leadscore calibrate` to refresh the weights."},
    {Code::CalibrationUnreadable, "calibration-unreadable", true, "The `calibration` weights file cannot be read",
     "`leadscore score` fails until the file exists and is valid: run `leadscore calibrate ... --out` to write it, "
     "or fix the path."},
    {Code::CalibrationOtherRuleset, "calibration-other-ruleset", true,
     "The `calibration` weights file was fitted for another ruleset",
     "The weights file records the rules hash of the ruleset it was calibrated for, and this file's rules "
     "(conditions, lists, labels) are different: its points may not mean what they meant. Re-run "
     "`leadscore calibrate` on this ruleset; `--allow-other-ruleset` applies the weights anyway."},
    {Code::InvalidAllow, "invalid-allow", true, "A `# leadscore: allow` comment that silences nothing",
     "The comment names a code that does not exist or is an error (errors cannot be silenced), or an "
     "`allow-file` comment stands after the first declaration. Fix the code's spelling or move the comment to "
     "the top of the file."},
    {Code::SlaWithoutResponse, "sla-without-response", true,
     "A route has a service-level time but nothing counts as a sales response",
     "The `handoff` block gives a route a `within` time, yet no `response` line says what a sales response is, so "
     "every routed lead breaches its SLA. Add `response activity where type == \"call\"` or `response when status == "
     "\"Working\"`."},
    {Code::SyntaxError, "syntax-error", false, "The rules file does not parse",
     "The message says what was expected at the position; fix the text there."},
    {Code::InvalidRules, "invalid-rules", false, "The rules file parses but cannot be compiled",
     "An unknown name, a type mismatch, a cycle, a duplicate label or an unreadable list file: the message says "
     "which, with a hint."},
    {Code::InvalidTest, "invalid-test", false, "A rule test file cannot be used",
     "A YAML error, an unknown key, field, label or output in a rule test file (docs/rule-tests.md)."},
    {Code::TestFailed, "test-failed", false, "A rule test case failed",
     "An expectation of the case did not hold: the message gives the expected and the actual value; "
     "`leadscore test` in text shows the lead's explanation."},
    {Code::Untested, "untested", true, "A rule, multiplier, criterion or branch that no test case makes true (or false)",
     "`leadscore test --coverage` found no case in which the item is true (a rule fires, a multiplier applies, a "
     "criterion holds, a branch is chosen), or none in which it is false. Add a case to the rule test file that "
     "exercises it (docs/rule-tests.md)."},
}};

}  // namespace

std::span<const CodeInfo> all_codes() { return kCodes; }

const CodeInfo& code_info(Code code) { return kCodes[static_cast<std::size_t>(code)]; }

std::optional<Code> code_named(std::string_view slug) {
  for (const auto& info : kCodes)
    if (info.slug == slug) return info.code;
  return std::nullopt;
}

}  // namespace leadscore

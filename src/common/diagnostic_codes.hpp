#pragma once
// The stable code of every kind of diagnostic leadscore reports. Warnings show theirs
// (`... [unused-list]`) and can be silenced by it; errors carry one only in SARIF, where every
// result names a rule. Codes are readable slugs, never renumbered or renamed: they are written in
// rules files (`# leadscore: allow unused-list`) and in code-scanning dashboards. docs/warnings.md
// has an entry for each.
#include <optional>
#include <span>
#include <string_view>

namespace leadscore {

enum class Code {
  // warnings
  ImpossibleCondition,
  OverlappingTiers,
  UnreachableBranch,
  AlwaysTrueCriterion,
  DuplicateListEntry,
  DecayLongerThanWindow,
  DecayWithoutWindow,
  UnusedList,
  UnusedLet,
  UnreachableThreshold,
  VacuousThreshold,
  CalibrationOutOfDate,
  CalibrationUnreadable,
  CalibrationOtherRuleset,
  InvalidAllow,
  SlaWithoutResponse,
  // errors
  SyntaxError,
  InvalidRules,
  InvalidTest,
  TestFailed,
  // `test --coverage` (a warning, added after the errors so no index moves)
  Untested,
};

struct CodeInfo {
  Code code;
  std::string_view slug;     // `unused-list`
  bool warning;              // false: an error, which no comment can silence
  std::string_view summary;  // one line
  std::string_view help;     // what it means and how to fix it, a few sentences
};

std::span<const CodeInfo> all_codes();
const CodeInfo& code_info(Code code);
std::optional<Code> code_named(std::string_view slug);

}  // namespace leadscore

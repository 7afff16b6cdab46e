#pragma once
// What changed between two versions of a ruleset, declaration by declaration and by meaning: each
// declaration is compared through its canonical text (the formatter's printing of the syntax tree),
// so a change of layout or comments is no change, while a changed condition, list entry (inline or
// in a list file), limit, branch order, calibration weights file or adopted threshold is.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/check/program.hpp"
#include "parser/ast.hpp"

namespace leadscore::jobs {

struct RulesetChange {
  // ruleset, field, list, let, section, rule, multiplier, gate, criterion, mql, classify, branch,
  // calibration
  std::string kind;
  std::string name;  // "lead.email", "icp_countries", a rule's label, "cpal: Revenue", "quadrant: hot"
  std::string what;  // added, removed, changed, moved
  std::string old_text, new_text;  // canonical; empty on the side where it does not exist
  std::string detail;              // lists: "+2 entries (DE, FR), -1 (US)"; otherwise empty
  // Where to annotate in NEW: the item itself, or for a removed item the declaration that held it
  // (line 0 when there is none: the whole file).
  std::uint32_t line = 0, column = 0;
  friend bool operator==(const RulesetChange&, const RulesetChange&) = default;
};

// A number that calibrated points use in place of the written one: a score threshold or a section limit.
struct AdoptedNumber {
  std::string section;       // a limit: its section; empty for a threshold
  std::uint32_t offset = 0;  // a threshold: byte offset of its comparison in the rules file
  std::string text;          // `fit >= 41.5 for 30`, `max 87.5 for 60` (adopted for written)
  friend bool operator==(const AdoptedNumber&, const AdoptedNumber&) = default;
};

struct RulesetVersion {
  const ast::RulesFile* file = nullptr;   // the parsed rules (positions and canonical text)
  const ir::Program* program = nullptr;   // the checked program (list file entries, calibration path)
  std::string weights_hash;               // FNV-1a of the calibration weights file; empty without one
  // Adopted thresholds and limits (issue 12): each declaration's text ends with the ones it holds,
  // `(calibrated: fit >= 41.5 for 30)`, so a recalibration that moves them shows as a change.
  std::vector<AdoptedNumber> adopted;
};

// Every change from `old_version` to `new_version`, in NEW's declaration order, removals last.
std::vector<RulesetChange> ruleset_changes(const RulesetVersion& old_version, const RulesetVersion& new_version);

// "rule \"Demo request\" changed: when ... points 40 -> when ... points 50" (one line, for annotations).
std::string change_text(const RulesetChange& change);

}  // namespace leadscore::jobs

#pragma once
// The identity of a ruleset for a weights file: what `calibrate` records as `rules_hash` and what
// `score`, `explain` and `diff` compare before applying calibrated points.
#include <string>

#include "engine/check/program.hpp"

namespace leadscore {

// FNV-1a 64 (hex) of the checked program: the ruleset's name, its schemas, list entries (inline and
// from files), every condition, label, section limit, multiplier, gate, `mql` and classify. Left out:
// what calibration changes or what does not change a score's meaning: the written points and
// each-rule `max` of rules (calibration replaces them), the `calibration "..."` line itself, the
// version number, comments and layout. So calibrating and then adding the calibration line keeps
// the hash; a changed condition, list or label, or another ruleset, does not.
std::string ruleset_hash(const ir::Program& program);

}  // namespace leadscore

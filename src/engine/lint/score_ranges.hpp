#pragma once
// Thresholds no lead can ever pass, or every lead passes, found from each section's value range:
// its limits, and the sums of its negative and positive points under its multipliers. `mql when fit
// >= 150` with `score fit max 100` is never true; `fit >= -1000` with `min -50` always is. Checked
// for the written points and, for a ruleset with a calibration, for the calibrated points with the
// adopted limits and thresholds.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"
#include "engine/check/program.hpp"

namespace leadscore {

// The numbers a ruleset scores with when they are not the written ones.
struct ScoringNumbers {
  struct Rule {
    double points = 0;
    std::optional<double> cap;  // each-rules
  };
  std::vector<std::vector<Rule>> rules;  // by section, then rule, in declaration order
  struct Limits {
    std::optional<double> max, min;
  };
  std::vector<Limits> limits;                // by section
  std::map<std::string, double> thresholds;  // adopted value by threshold (`fit >= 30`)
  std::string source;                        // `with the calibrated points of weights.yaml`
};

// The values a section (or the whole score) can take: [low, high], infinite when unbounded.
struct ValueRange {
  double low = 0, high = 0;
};
ValueRange section_range(const ir::Section& section, const std::vector<ScoringNumbers::Rule>* rules,
                         const ScoringNumbers::Limits* limits);

// Warnings at each comparison of a score with a number that is never or always true. With `numbers`,
// only what those numbers newly make so (the written points are checked by lint_program()).
void lint_score_ranges(const ir::Program& program, const ScoringNumbers* numbers, Diagnostics& diags);

}  // namespace leadscore

#pragma once
// What `leadscore diff` found, as data, and its four renderings (text, markdown, JSON, GitHub).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "jobs/ruleset_changes.hpp"

namespace leadscore::jobs {

struct DiffSideSummary {
  std::string shown;  // as given on the command line
  std::string name, version, hash;
};

struct ScoreStats {
  double min = 0, p10 = 0, p25 = 0, median = 0, p75 = 0, p90 = 0, max = 0, mean = 0;
};

// A lead whose score moved, or whose MQL decision flipped, with what explains it.
struct LeadChange {
  std::string id;
  double old_score = 0, new_score = 0;
  bool mql_in = false;  // flips: became MQL (otherwise left)
  std::vector<std::string> removed, added;  // reasons that stopped / started applying
  std::vector<std::string> criteria;        // gate criteria whose truth changed: "cpal: Revenue held -> failed"
  std::vector<std::string> definitions;     // changed declarations that decide MQL directly: "mql", "gate cpal"
};

// How many leads an item fired on (rules), applied to (multipliers) or held for (gate criteria).
struct FiringCount {
  std::string kind, name;   // rule / multiplier / criterion; label ("cpal: Revenue" for criteria)
  std::int64_t old_count = -1, new_count = -1;  // -1: not in that ruleset
};

struct Transition {
  std::string name;
  std::vector<std::string> old_values, new_values;  // last = "(none)"
  std::vector<std::vector<std::uint64_t>> counts;
};

struct DiffReport {
  DiffSideSummary old_side, new_side;
  std::string shown_path;     // NEW's file as the report and its JSON name it (git: from the top folder)
  std::string annotate_path;  // NEW's file as annotations name it: from the repository's top folder
  std::vector<RulesetChange> changes;
  std::uint32_t version_line = 0;  // NEW's `ruleset` line, for the warning below
  std::vector<std::string> warnings;  // e.g. content changed, version did not
  std::uint64_t leads = 0;            // compared (same id in both)
  bool both = false;                  // both sides scored the data
  bool mql_both = false;
  std::uint64_t mql_old = 0, mql_new = 0, mql_in = 0, mql_out = 0;
  std::vector<LeadChange> flips;      // the first N MQL flips, in lead order
  std::vector<FiringCount> firing;    // items whose count changed
  std::size_t firing_unchanged = 0;
  std::vector<Transition> transitions;
  std::uint64_t classify_moves = 0;   // leads whose value of a classify in both changed
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::uint64_t>>>> one_sided;
  ScoreStats old_stats, new_stats;
  std::uint64_t moved = 0;
  double mean_change = 0;
  std::vector<LeadChange> movers;     // the top N
  std::vector<std::string> notes;     // what could not be compared
  std::vector<std::string> violated;  // --fail-if thresholds exceeded
};

std::string render_diff_text(const DiffReport& report, bool markdown);
std::string render_diff_json(const DiffReport& report);
// GitHub Actions workflow commands: a notice at each change's line, the version warning, the MQL
// flips, classify moves and score shift (p10, median, p90, mean) in one summary, an error per threshold exceeded.
std::string render_diff_annotations(const DiffReport& report);
// `--format github`: the text report, with workflow commands stopped around it (a lead id or a
// classify value such as `::error::x` at the start of a line must not become an annotation), then
// the annotations.
std::string render_diff_github(const DiffReport& report);

}  // namespace leadscore::jobs

#pragma once
// The columns `score` writes, in order, and the name each is written under. The contract's columns
// come first (id, sections, score, gates, mql, classifies); every other column appears only when the
// rules declare it (calibration, a handoff with routes) or the command asks for it (--previous,
// --stamp, --keep, --explain). Names can be changed for a CRM by the rules' `output { ... }` block
// and by --rename (which wins).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/check/program.hpp"
#include "engine/plan/graph.hpp"

namespace leadscore::jobs {

enum class ColumnKind {
  Id, Account, Section, Score, Gate, Mql, Mqa, Classify,
  PClose, ExpectedValue,
  Route, RouteQueue, RouteOwner, RouteEnteredAt, RouteDueAt, RouteRespondedAt, SlaBreached,
  PreviousScore, ScoreChange, MqlChange, MqlSince, PreviousClassify, ExportChange,
  Ruleset, RulesetVersion, RulesetHash, AsOf, ScoredAt,
  Keep,
  Reasons,
};

struct OutputColumn {
  ColumnKind kind = ColumnKind::Id;
  std::size_t index = 0;  // the section, gate, classify or kept column it belongs to
  std::string name;       // leadscore's own name: `score`, `previous_quadrant`, a kept header
  std::string header;     // the name written: `name`, or its CRM name
};

// The `--stamp` items and the columns they add.
inline constexpr const char* kStampItems = "ruleset, version, hash, as_of, scored_at";
inline bool is_stamp_item(std::string_view item) {
  return item == "ruleset" || item == "version" || item == "hash" || item == "as_of" || item == "scored_at";
}

struct OutputColumnOptions {
  bool calibrated = false;        // p_close and expected_value
  bool previous = false;          // --previous: the run-over-run columns
  std::vector<std::string> stamps;  // --stamp items
  std::vector<std::string> keep;    // --keep headers of the leads file
  bool reasons = false;             // --explain
  std::vector<std::pair<std::string, std::string>> renames;  // --rename COLUMN=NAME (over the rules' output block)
};

struct OutputColumns {
  std::vector<OutputColumn> columns;
  std::vector<std::string> warnings;  // an output-block rename of a column this run does not write

  // The first column of `kind` (and `index`), or null.
  const OutputColumn* find(ColumnKind kind, std::size_t index = 0) const;
  const OutputColumn* by_name(std::string_view name) const;
};

// Returns false with `error` for an unknown --stamp item, a --rename of a column this run does not
// write, a kept column whose name is already an output column, or two columns with the same name.
bool plan_output_columns(const ir::Program& program, const engine::Graph& graph, const OutputColumnOptions& options,
                         OutputColumns& out, std::string& error);

// Whether a column's value is compared with last night's to decide that a lead changed.
bool compared_run_over_run(ColumnKind kind);

}  // namespace leadscore::jobs

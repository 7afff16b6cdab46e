#pragma once
// `leadscore handoff` output as text (a terminal, a log) and JSON (a dashboard, CI); HTML is in
// handoff_html. The input problems (unknown dispositions, duplicates...) go to stderr as warnings().
#include <string>
#include <vector>

#include "jobs/handoff_inputs.hpp"
#include "jobs/handoff_metrics.hpp"

namespace leadscore::jobs {

struct HandoffReport {
  const HandoffMetrics& metrics;
  const HandoffInputReport& inputs;
  const HandoffSettings& settings;
  std::string working_hours;  // as written in the rules, "" = around the clock
};

std::string handoff_text(const HandoffReport& report);
std::string handoff_json(const HandoffReport& report);

// One line per input problem, naming the file and the first lines: "DISP.csv: 2 dispositions not
// recognised (line 5: "Maybe later", line 9: "?"); they count as pending (--accepted/--rejected map them)".
std::vector<std::string> handoff_warnings(const HandoffRequest& req, const HandoffInputReport& inputs);

// "70.0%", "n/a" for NaN.
std::string percent_text(double share);

}  // namespace leadscore::jobs

#pragma once
// `leadscore handoff --format html`: one self-contained page (inline CSS and SVG, no script, no
// network) in the style of `leadscore report`: the totals against the targets, the acceptance of each
// source and classify value as stacked bars, SLA met and MQL-to-won against their targets, and the
// rejection reasons.
#include <string>

#include "jobs/handoff_render.hpp"

namespace leadscore::jobs {

std::string handoff_html(const HandoffReport& report, const std::vector<std::string>& warnings);

}  // namespace leadscore::jobs

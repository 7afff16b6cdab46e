#pragma once
// `leadscore report`: one self-contained HTML page (inline CSS and SVG, no script, no network)
// showing a weights file's backtest and per-rule evidence.
#include <string>

#include "calibrate/weights.hpp"

namespace leadscore::calibrate {

std::string report_html(const Weights& weights, const std::string& weights_path);

}  // namespace leadscore::calibrate

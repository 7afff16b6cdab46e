#pragma once
// `leadscore report`: one self-contained HTML page (inline CSS and SVG, no script, no network)
// showing a weights file's backtest and per-rule evidence.
#include <string>

#include "calibrate/suggestion_summary.hpp"
#include "calibrate/weights.hpp"

namespace leadscore::calibrate {

// The step of round axis ticks: 1, 2, 2.5 or 5 times a power of ten, at least top / ticks.
double round_tick_step(double top, int ticks);

// `1 / (1 + exp(-(0.052 x score - 1.27)))`: the Platt curve as a reader writes it.
std::string platt_formula(double a, double b);

// The page style of the HTML reports (this one and `leadscore handoff --format html`).
const char* report_style();

// With `suggestions`, a "Suggested rules" section follows the rule evidence.
std::string report_html(const Weights& weights, const std::string& weights_path,
                        const SuggestionSummary* suggestions = nullptr);

}  // namespace leadscore::calibrate

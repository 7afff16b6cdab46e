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

// With `suggestions`, a "Suggested rules" section follows the rule evidence; with `adopted` (the
// weights of the rules with the suggestions added, calibrated on the same data), a before/after
// backtest of adopting them.
std::string report_html(const Weights& weights, const std::string& weights_path,
                        const SuggestionSummary* suggestions = nullptr, const Weights* adopted = nullptr);

// Whether two weights files were backtested on the same leads and the same split (the leads file's
// hash, the train and test parts): false with the first difference in `why`.
bool same_backtest_data(const Weights& a, const Weights& b, std::string& why);

}  // namespace leadscore::calibrate

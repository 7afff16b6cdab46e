// What `calibrate` prints: the data, the results, the adopted limits and thresholds, the rules, and
// then the warnings grouped by kind.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "calibrate/model_backtest.hpp"
#include "io/number_format.hpp"
#include "jobs/calibrate_job.hpp"

namespace leadscore::jobs {

using namespace leadscore::calibrate;

namespace {

std::string pct(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.1f}%", 100 * v); }

// The kinds in the order they are listed; a kind not in the list comes last.
const char* const kKinds[] = {"data", "time order", "drift", "backtest", "limits", "thresholds", "evidence", "baseline"};

}  // namespace

std::string format_calibration_warnings(const Weights& w) {
  std::string s;
  std::vector<bool> shown(w.warnings.size(), false);
  auto group = [&](const std::string& kind) {
    std::string lines;
    for (std::size_t i = 0; i < w.warnings.size(); ++i)
      if (!shown[i] && w.warnings[i].kind == kind) {
        lines += fmt::format("  warning: {}\n", w.warnings[i].message);
        shown[i] = true;
      }
    if (!lines.empty()) s += fmt::format("{}:\n{}", kind, lines);
  };
  for (const char* kind : kKinds) group(kind);
  for (std::size_t i = 0; i < w.warnings.size(); ++i)
    if (!shown[i]) group(w.warnings[i].kind);
  return s;
}

std::string format_calibration_summary(const Weights& w) {
  std::string s;
  s += fmt::format("ruleset \"{}\" version {}: {} leads, {} closed ({} won, {} lost), {} open, {} excluded\n", w.ruleset,
                   w.ruleset_version, w.leads, w.closed, w.won, w.lost, w.open, w.excluded);
  for (const auto& x : w.exclusions) s += fmt::format("  excluded: {}\n", x);
  s += fmt::format("base rate {} over {} (the leads the final points were fitted on)\n", pct(w.base_rate),
                   w.base_rate_window);
  s += fmt::format("time order: {}\n", w.time_order);
  s += fmt::format("method {}: train {} leads ({} to {}), test {} leads ({} to {})\n", w.method, w.train.leads,
                   w.train.first, w.train.last, w.test.leads, w.test.first, w.test.last);
  if (w.has_backtest) {
    auto line = [&](const char* name, const ModelBacktest& b) {
      return fmt::format("  {:<11} AUC {:.3f}  Brier {:.4f}  log loss {:.4f}  top-decile lift {:.2f}\n", name, b.auc,
                         b.brier, b.log_loss, b.deciles.empty() ? std::numeric_limits<double>::quiet_NaN() : b.deciles.front().lift);
    };
    s += "backtest on the test part:\n";
    s += line("written", w.written);
    s += line("calibrated", w.calibrated);
    if (!std::isnan(w.calibrated_unlimited_auc))
      s += fmt::format("  {:<11} AUC {:.3f}  (calibrated points without any section limit)\n", "", w.calibrated_unlimited_auc);
    if (w.baseline) s += line("baseline", *w.baseline);
    if (w.walk_forward) {
      const auto& wf = *w.walk_forward;
      s += fmt::format("walk-forward: refit every {} leads on the {} older closed leads ({} for the curves), {} leads "
                       "scored:\n",
                       wf.refit_every, wf.window ? fmt::format("{} most recent", wf.window) : std::string("all"),
                       wf.curve_window ? fmt::format("{} most recent", wf.curve_window) : std::string("all"), wf.leads);
      auto wline = [&](const char* name, const ModelBacktest& b, double chunk_auc) {
        return fmt::format("  {:<11} AUC {:.3f}  within-chunk AUC {:.3f}  Brier {:.4f}  log loss {:.4f}  worst decile gap "
                           "{:.1f} points\n",
                           name, b.auc, chunk_auc, b.brier, b.log_loss, 100 * max_reliability_gap(b));
      };
      s += wline("written", wf.written, wf.written_chunk_auc);
      s += wline("calibrated", wf.calibrated, wf.calibrated_chunk_auc);
    }
  }
  if (w.accounts) {
    const auto& x = *w.accounts;
    s += fmt::format("account rules: {} accounts; {} outcome rows, {} closed ({} won, {} lost), {} open, {} excluded\n",
                     x.accounts, x.rows, x.closed, x.won, x.lost, x.open, x.excluded);
    for (const auto& e : x.exclusions) s += fmt::format("  excluded: {}\n", e);
    s += fmt::format("  base rate {}; lead rules fitted on {}\n", pct(x.base_rate), x.lead_outcomes);
    s += fmt::format("  time order: {}: train {} rows ({} to {}), test {} rows ({} to {})\n", x.time_order, x.train.leads,
                     x.train.first, x.train.last, x.test.leads, x.test.first, x.test.last);
    if (x.has_backtest)
      s += fmt::format("  account score on the test rows: written AUC {:.3f}, calibrated AUC {:.3f}\n", x.written_auc,
                       x.calibrated_auc);
  }
  if (w.adopted && (!w.adopted->limits.empty() || !w.adopted->thresholds.empty() || !w.adopted->outputs.empty())) {
    const auto& a = *w.adopted;
    s += fmt::format("adopted for the calibrated points (same share of the {} calibration leads):\n", a.leads);
    for (const auto& l : a.limits)
      s += fmt::format("  {:<24} {:>8} -> {:<8} holds {} (written {}), {} AUC{}\n", l.section + " " + l.kind,
                       io::format_number(l.written), io::format_number(l.adopted), pct(l.adopted_share),
                       pct(l.written_share),
                       // A limit can help a little: said as a gain, never as a cost of -0.000.
                       l.auc_cost < -0.0005 ? fmt::format("gains {:.3f}", -l.auc_cost)
                                            : fmt::format("costs {:.3f}", std::max(0.0, l.auc_cost)),
                       l.widened ? fmt::format(" (widened from {})", io::format_number(l.same_share)) : "");
    for (const auto& t : a.thresholds)
      s += fmt::format("  {:<24} -> {:<8} selects {} (written {})  {}\n", t.key, io::format_number(t.adopted),
                       pct(t.adopted_share), pct(t.written_share), t.used_in);
    for (const auto& o : a.outputs)
      s += fmt::format("  {:<24} {} of the leads with the adopted thresholds (written {})\n", o.name, pct(o.adopted),
                       pct(o.written));
  }
  s += fmt::format("  {:<34} {:>7} {:>7} {:>7} {:>6} {:>15}  {}\n", "rule", "written", "points", "matched", "rate",
                   "95% interval", "");
  for (const auto& r : w.rules) {
    const auto& e = r.evidence;
    s += fmt::format("  {:<34} {:>7} {:>7} {:>7} {:>6} {:>15}  {}\n", r.label, io::format_number(r.written_points),
                     io::format_number(r.points), e.matched, pct(e.close_rate),
                     fmt::format("{}-{}", pct(e.wilson.low), pct(e.wilson.high)),
                     r.status == "low_support" ? "low support: written points kept"
                     : e.significant           ? "significant"
                                               : "not significant");
  }
  s += format_calibration_warnings(w);
  return s;
}

}  // namespace leadscore::jobs

#include "calibrate/report_html.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "calibrate/model_backtest.hpp"
#include "common/escape.hpp"
#include "io/number_format.hpp"

namespace leadscore::calibrate {
namespace {

// Every text of the weights file (labels, names, paths, warnings) goes through html_text().
std::string esc(std::string_view s) { return html_text(s); }

std::string pct(double v) { return std::isfinite(v) ? fmt::format("{:.1f}%", 100 * v) : "n/a"; }
std::string num(double v, int digits) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : "n/a"; }

struct Series {
  const char* name;
  const char* color;
  const ModelBacktest* b;
};

constexpr double kW = 560, kH = 300, kLeft = 50, kRight = 15, kTop = 20, kBottom = 40;

}  // namespace

double round_tick_step(double top, int ticks) {
  if (!(top > 0) || ticks < 1) return 1;
  const double raw = top / ticks;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * power >= raw * (1 - 1e-12)) return m * power;
  return 10 * power;
}

namespace {

// An axis top at a whole number of round steps (1, 2, 2.5 or 5 times a power of ten) at or above `top`.
struct Ticks {
  double step, top;
  int count;
};
Ticks round_ticks(double top) {
  const double step = round_tick_step(top, 4);
  const int count = std::max(1, static_cast<int>(std::ceil(top / step - 1e-9)));
  return {step, step * count, count};
}

std::string tick_text(double v, bool percent) {
  if (percent) return io::format_number(100 * v) + "%";
  return io::format_number(v);
}

// Horizontal grid lines and labels at round values up to `ticks.top`.
std::string axes(const std::string& x_label, const std::string& y_label, const Ticks& ticks, bool percent) {
  std::string s;
  const double plot_h = kH - kTop - kBottom;
  for (int t = 0; t <= ticks.count; ++t) {
    double v = ticks.step * t, y = kTop + plot_h * (1 - v / ticks.top);
    s += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" class="grid"/>)", kLeft, y, kW - kRight, y);
    s += fmt::format(R"(<text x="{}" y="{:.1f}" class="tick" text-anchor="end">{}</text>)", kLeft - 4, y + 4,
                     tick_text(v, percent));
  }
  s += fmt::format(R"(<text x="{}" y="{}" class="label" text-anchor="middle">{}</text>)", (kLeft + kW - kRight) / 2,
                   kH - 5, esc(x_label));
  s += fmt::format(R"~(<text x="12" y="{}" class="label" text-anchor="middle" transform="rotate(-90 12 {})">{}</text>)~",
                   kH / 2, kH / 2, esc(y_label));
  return s;
}

std::string legend(const std::vector<Series>& series) {
  std::string s;
  double x = kLeft + 10;
  for (const auto& se : series) {
    s += fmt::format(R"(<rect x="{}" y="4" width="10" height="10" fill="{}"/><text x="{}" y="13" class="tick">{}</text>)",
                     x, se.color, x + 14, se.name);
    x += 30 + 7.0 * static_cast<double>(std::string_view(se.name).size());
  }
  return s;
}

std::string svg_open(const char* id, const char* title) {
  return fmt::format(R"(<svg id="{}" class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">)",
                     id, kW, kH, kW, kH, title);
}

// Stacked won/lost bars of the test leads' calibrated scores.
std::string histogram_svg(const ModelBacktest& b) {
  std::string s = svg_open("score-histogram", "Score distribution of the test leads");
  std::uint64_t most = 1;
  for (const auto& h : b.histogram) most = std::max(most, h.won + h.lost);
  const Ticks ticks = round_ticks(static_cast<double>(most));
  const double top = ticks.top;
  const double plot_w = kW - kLeft - kRight, plot_h = kH - kTop - kBottom;
  s += axes("calibrated score", "leads", ticks, false);
  const double bw = b.histogram.empty() ? 0 : plot_w / static_cast<double>(b.histogram.size());
  for (std::size_t i = 0; i < b.histogram.size(); ++i) {
    const auto& h = b.histogram[i];
    double x = kLeft + bw * static_cast<double>(i);
    double lost_h = plot_h * static_cast<double>(h.lost) / top;
    double won_h = plot_h * static_cast<double>(h.won) / top;
    double base = kTop + plot_h;
    s += fmt::format(R"(<rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="#b8c4d6"><title>{} to {}: {} lost</title></rect>)",
                     x + 1, base - lost_h, bw - 2, lost_h, num(h.low, 1), num(h.high, 1), h.lost);
    s += fmt::format(R"(<rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="#2a9d5c"><title>{} to {}: {} won</title></rect>)",
                     x + 1, base - lost_h - won_h, bw - 2, won_h, num(h.low, 1), num(h.high, 1), h.won);
  }
  // Score ticks at round values across the bins' range.
  if (!b.histogram.empty()) {
    const double low = b.histogram.front().low, high = b.histogram.back().high;
    if (high > low) {
      const double step = round_tick_step(high - low, 5);
      for (double v = std::ceil(low / step) * step; v <= high + 1e-9; v += step)
        s += fmt::format(R"(<text x="{:.1f}" y="{}" class="tick" text-anchor="middle">{}</text>)",
                         kLeft + plot_w * (v - low) / (high - low), kTop + plot_h + 14, io::format_number(v == 0 ? 0 : v));
    }
  }
  s += legend({{"lost", "#b8c4d6", nullptr}, {"won", "#2a9d5c", nullptr}});
  return s + "</svg>";
}

std::string lift_svg(const std::vector<Series>& series) {
  std::string s = svg_open("lift-by-decile", "Lift by score decile");
  double most = 1;
  for (const auto& se : series)
    for (const auto& d : se.b->deciles)
      if (std::isfinite(d.lift)) most = std::max(most, d.lift);
  const Ticks ticks = round_ticks(most);
  const double top = ticks.top;
  const double plot_w = kW - kLeft - kRight, plot_h = kH - kTop - kBottom;
  s += axes("score decile (1 = highest scores)", "lift over the base rate", ticks, false);
  const double group = plot_w / 10;
  const double bw = (group - 6) / static_cast<double>(series.size());
  for (std::size_t k = 0; k < series.size(); ++k)
    for (const auto& d : series[k].b->deciles) {
      if (!std::isfinite(d.lift)) continue;
      double x = kLeft + group * (d.decile - 1) + 3 + bw * static_cast<double>(k);
      double h = plot_h * d.lift / top;
      s += fmt::format(R"(<rect class="bar" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" fill="{}"><title>{} decile {}: lift {} ({} of {} won)</title></rect>)",
                       x, kTop + plot_h - h, bw, h, series[k].color, series[k].name, d.decile, num(d.lift, 2),
                       d.positives, d.count);
    }
  for (int d = 1; d <= 10; ++d)
    s += fmt::format(R"(<text x="{:.1f}" y="{}" class="tick" text-anchor="middle">{}</text>)",
                     kLeft + group * (d - 0.5), kTop + plot_h + 14, d);
  double y1 = kTop + plot_h * (1 - 1 / top);
  s += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" class="ref"/>)", kLeft, y1, kW - kRight, y1);
  s += legend(series);
  return s + "</svg>";
}

std::string reliability_svg(const std::vector<Series>& series) {
  std::string s = svg_open("reliability", "Reliability: predicted vs observed close rate");
  double most = 0.05;
  for (const auto& se : series)
    for (const auto& r : se.b->reliability) most = std::max({most, r.mean_predicted, std::isfinite(r.observed_rate) ? r.observed_rate : 0});
  const Ticks ticks = round_ticks(std::min(1.0, most));
  const double top = ticks.top;
  const double plot_w = kW - kLeft - kRight, plot_h = kH - kTop - kBottom;
  s += axes("predicted p_close", "observed close rate", ticks, true);
  auto px = [&](double v) { return kLeft + plot_w * v / top; };
  auto py = [&](double v) { return kTop + plot_h * (1 - v / top); };
  s += fmt::format(R"(<line id="diagonal" x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" class="ref"/>)", px(0), py(0),
                   px(top), py(top));
  for (int t = 0; t <= ticks.count; ++t)
    s += fmt::format(R"(<text x="{:.1f}" y="{}" class="tick" text-anchor="middle">{}</text>)", px(ticks.step * t),
                     kTop + plot_h + 14, tick_text(ticks.step * t, true));
  for (const auto& se : series) {
    std::string points;
    for (const auto& r : se.b->reliability) {
      if (!std::isfinite(r.observed_rate)) continue;
      points += fmt::format("{:.1f},{:.1f} ", px(r.mean_predicted), py(r.observed_rate));
    }
    s += fmt::format(R"(<polyline class="curve" points="{}" fill="none" stroke="{}" stroke-width="2"/>)", points, se.color);
    for (const auto& r : se.b->reliability) {
      if (!std::isfinite(r.observed_rate)) continue;
      s += fmt::format(R"(<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="{}"><title>{}: predicted {}, observed {} ({} leads)</title></circle>)",
                       px(r.mean_predicted), py(r.observed_rate), se.color, se.name, pct(r.mean_predicted),
                       pct(r.observed_rate), r.count);
    }
  }
  s += legend(series);
  return s + "</svg>";
}

const char* kStyle = R"(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2733; margin: 24px auto; max-width: 1200px; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #d9dee5; }
.sub { color: #5b6675; } .warn { background: #fff4d6; border-left: 4px solid #e0a100; padding: 6px 10px; margin: 4px 0; }
table { border-collapse: collapse; margin: 8px 0; } th, td { padding: 3px 9px; border-bottom: 1px solid #e6e9ee; text-align: right; }
th { background: #f3f5f8; } td.l, th.l { text-align: left; } tr.low td { color: #8a94a3; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; } figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { background: #fff; border: 1px solid #e6e9ee; } .grid { stroke: #eceff3; } .ref { stroke: #8a94a3; stroke-dasharray: 4 3; }
.tick { font-size: 11px; fill: #5b6675; } .label { font-size: 12px; fill: #1d2733; }
.yes { color: #1f7a46; font-weight: 600; } .no { color: #8a94a3; }
)";

// The walk-forward block: pooled and within-chunk metrics, the reliability table and one row per chunk.
std::string walk_forward_html(const WalkForwardBacktest& wf) {
  auto window = [](std::uint64_t n) { return n ? fmt::format("the {} most recent", n) : std::string("all"); };
  std::string h = fmt::format(
      "<h2>Walk-forward backtest</h2>\n<p>The test leads scored {} at a time in time order; before each chunk the points "
      "were refitted on {} older closed leads and the p_close curves (written and calibrated alike) on {}. {} leads "
      "scored, {} won. <i>Within-chunk AUC</i> ranks leads of the same period only: knowing the period's close rate "
      "cannot help it.</p>\n",
      wf.refit_every, window(wf.window), window(wf.curve_window), wf.leads, wf.won);
  h += "<table id=\"walk-forward\"><tr><th class=\"l\">points</th><th>AUC of p_close</th><th>within-chunk AUC</th>"
       "<th>Brier</th><th>log loss</th><th>worst decile gap</th></tr>\n";
  auto row = [&](const char* name, const ModelBacktest& b, double chunk_auc) {
    return fmt::format("<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} points</td></tr>\n",
                       name, num(b.auc, 3), num(chunk_auc, 3), num(b.brier, 4), num(b.log_loss, 4),
                       num(100 * max_reliability_gap(b), 1));
  };
  h += row("written", wf.written, wf.written_chunk_auc);
  h += row("calibrated", wf.calibrated, wf.calibrated_chunk_auc);
  h += "</table>\n<h3>Reliability (walk-forward p_close)</h3>\n<table id=\"walk-forward-reliability\"><tr><th>bin</th>"
       "<th>written predicted</th><th>written observed</th><th>calibrated predicted</th><th>calibrated observed</th></tr>\n";
  for (std::size_t i = 0; i < std::max(wf.written.reliability.size(), wf.calibrated.reliability.size()); ++i) {
    auto cells = [&](const ModelBacktest& b) {
      return i < b.reliability.size()
                 ? fmt::format("<td>{}</td><td>{}</td>", pct(b.reliability[i].mean_predicted), pct(b.reliability[i].observed_rate))
                 : std::string("<td>-</td><td>-</td>");
    };
    h += fmt::format("<tr><td>{}</td>{}{}</tr>\n", i + 1, cells(wf.written), cells(wf.calibrated));
  }
  h += "</table>\n<h3>Chunks</h3>\n<table id=\"walk-forward-chunks\"><tr><th class=\"l\">from</th><th class=\"l\">to</th>"
       "<th>leads</th><th>close rate</th><th>written mean p_close</th><th>calibrated mean p_close</th><th>written AUC</th>"
       "<th>calibrated AUC</th><th>outcomes known too late</th></tr>\n";
  for (const auto& c : wf.chunks)
    h += fmt::format("<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                     "<td>{}</td><td>{}</td></tr>\n",
                     esc(c.first), esc(c.last), c.leads,
                     pct(c.leads ? static_cast<double>(c.won) / static_cast<double>(c.leads) : std::numeric_limits<double>::quiet_NaN()),
                     pct(c.written_predicted), pct(c.calibrated_predicted), num(c.written_auc, 3), num(c.calibrated_auc, 3),
                     c.late_outcomes);
  h += "</table>\n";
  return h;
}

// The limits and thresholds adopted for the calibrated points, and the shares of the outputs.
std::string adoption_html(const Adoption& a) {
  std::string h = fmt::format(
      "<h2>Adopted limits and thresholds</h2>\n<p>The calibrated points are on their own scale, so the numbers the "
      "rules compare scores with are re-expressed at the same share of the {} calibration leads; a limit is moved "
      "further out when the same share would cost more than {} of AUC against no limit. <code>score</code>, "
      "<code>explain</code> and <code>check</code> use these.</p>\n",
      a.leads, num(a.auc_tolerance, 3));
  if (!a.limits.empty()) {
    h += "<table id=\"adopted-limits\"><tr><th class=\"l\">section</th><th class=\"l\">limit</th><th>written</th>"
         "<th>adopted</th><th>held (written)</th><th>held (adopted)</th><th>AUC cost</th><th class=\"l\">note</th></tr>\n";
    for (const auto& l : a.limits)
      h += fmt::format("<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                       "<td>{}</td><td class=\"l\">{}</td></tr>\n",
                       esc(l.section), esc(l.kind), io::format_number(l.written), io::format_number(l.adopted),
                       pct(l.written_share), pct(l.adopted_share), num(l.auc_cost, 3),
                       l.widened ? fmt::format("at the same share ({}) it would cost {} AUC", io::format_number(l.same_share),
                                               num(l.same_share_cost, 3))
                                 : std::string("same share"));
    h += "</table>\n";
  }
  if (!a.thresholds.empty()) {
    h += "<table id=\"adopted-thresholds\"><tr><th class=\"l\">threshold as written</th><th>adopted</th>"
         "<th>selects (written)</th><th>selects (adopted)</th><th class=\"l\">used in</th></tr>\n";
    for (const auto& t : a.thresholds)
      h += fmt::format("<tr><td class=\"l\"><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"l\">{}</td></tr>\n",
                       esc(t.key), io::format_number(t.adopted), pct(t.written_share), pct(t.adopted_share), esc(t.used_in));
    h += "</table>\n";
  }
  if (!a.outputs.empty()) {
    h += "<table id=\"adopted-outputs\"><tr><th class=\"l\">output</th><th>written</th><th>adopted</th></tr>\n";
    for (const auto& o : a.outputs)
      h += fmt::format("<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td></tr>\n", esc(o.name), pct(o.written),
                       pct(o.adopted));
    h += "</table>\n";
  }
  for (const auto& k : a.kept) h += fmt::format("<p class=\"sub\">Kept as written: {}.</p>\n", esc(k));
  return h;
}

// Every warning after the results, one group per kind.
std::string warnings_html(const Weights& w) {
  if (w.warnings.empty()) return {};
  std::string h = "<h2>Warnings</h2>\n";
  std::vector<std::string> kinds;
  for (const char* k : {"data", "time order", "drift", "backtest", "limits", "thresholds", "evidence", "baseline"})
    kinds.emplace_back(k);
  for (const auto& warning : w.warnings)
    if (std::find(kinds.begin(), kinds.end(), warning.kind) == kinds.end()) kinds.push_back(warning.kind);
  for (const auto& kind : kinds) {
    std::string items;
    for (const auto& warning : w.warnings)
      if (warning.kind == kind) items += fmt::format("<div class=\"warn\">{}</div>\n", esc(warning.message));
    if (!items.empty()) h += fmt::format("<h3 class=\"warn-kind\">{}</h3>\n{}", esc(kind), items);
  }
  return h;
}

}  // namespace

const char* report_style() { return kStyle; }

std::string platt_formula(double a, double b) {
  const std::string slope = io::format_number(a) == "0" ? fmt::format("{:.3g}", a) : fmt::format("{:.5g}", a);
  std::string offset = fmt::format("{:.4g}", std::fabs(b));
  return fmt::format("1 / (1 + exp(-({} x score {} {})))", slope, b < 0 ? "-" : "+", offset);
}

bool same_backtest_data(const Weights& a, const Weights& b, std::string& why) {
  auto leads_of = [](const Weights& w) -> const InputFile* {
    for (const auto& f : w.inputs)
      if (f.role == "leads") return &f;
    return nullptr;
  };
  const InputFile* la = leads_of(a);
  const InputFile* lb = leads_of(b);
  if (!la || !lb || la->fnv1a != lb->fnv1a) {
    why = fmt::format("the leads files differ ({} and {})", la ? la->path : "none", lb ? lb->path : "none");
    return false;
  }
  auto part = [](const SplitPart& p) { return fmt::format("{} leads, {} won, {} to {}", p.leads, p.won, p.first, p.last); };
  if (part(a.train) != part(b.train) || part(a.test) != part(b.test)) {
    why = fmt::format("the splits differ (test part: {}; {})", part(a.test), part(b.test));
    return false;
  }
  if (!a.has_backtest || !b.has_backtest) {
    why = "one of them has no backtest";
    return false;
  }
  return true;
}

namespace {

std::string adoption_html(const Weights& before, const Weights& after) {
  std::string h = "<h2>Adopting the suggestions: backtest</h2>\n";
  h += fmt::format("<p>The rules as they are and the rules with the suggestions added, each calibrated on the same {} "
                   "older closed leads and judged on the same {} newer ones.</p>\n",
                   before.train.leads, before.test.leads);
  h += "<table id=\"adoption\"><tr><th class=\"l\">model</th><th>rules</th><th>AUC</th><th>Brier</th><th>log loss</th>"
       "<th>top-decile lift</th><th>precision at MQL volume</th></tr>\n";
  auto row = [&](const char* name, std::size_t rules, const ModelBacktest& b) {
    h += fmt::format("<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                     name, rules, num(b.auc, 3), num(b.brier, 4), num(b.log_loss, 4),
                     b.deciles.empty() ? "n/a" : num(b.deciles.front().lift, 2), pct(b.top_volume.precision));
  };
  row("as they are, written points", before.rules.size(), before.written);
  row("as they are, calibrated", before.rules.size(), before.calibrated);
  row("with the suggestions, calibrated", after.rules.size(), after.calibrated);
  if (before.baseline) row("baseline (raw columns)", 0, *before.baseline);
  return h + "</table>\n";
}

}  // namespace

std::string report_html(const Weights& w, const std::string& weights_path, const SuggestionSummary* suggestions,
                        const Weights* adopted) {
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  h += fmt::format("<title>Calibration report: {}</title><style>{}</style></head><body>\n", esc(w.ruleset), kStyle);
  h += fmt::format("<h1>Calibration report: {} version {}</h1>\n", esc(w.ruleset), esc(w.ruleset_version));
  h += fmt::format("<p class=\"sub\">From <code>{}</code> ({}). Method <b>{}</b>, {} points double the odds. {} leads: "
                   "{} closed ({} won, {} lost), {} open, {} excluded. Base rate <b>{}</b> over {} (the leads the "
                   "final points were fitted on). Point in time: {}. Time order: {}.{}</p>\n",
                   esc(weights_path), esc(w.created_by), esc(w.method), io::format_number(w.pdo), w.leads, w.closed,
                   w.won, w.lost, w.open, w.excluded, pct(w.base_rate), esc(w.base_rate_window), esc(w.point_in_time),
                   esc(w.time_order),
                   w.warnings.empty() ? "" : fmt::format(" {} warnings, listed after the results.", w.warnings.size()));

  if (w.has_backtest) {
    std::vector<Series> series{{"written", "#d1495b", &w.written}, {"calibrated", "#2e6fd8", &w.calibrated}};
    if (w.baseline) series.push_back({"baseline", "#8a6fb0", &*w.baseline});
    h += fmt::format("<h2>Backtest</h2>\n<p>Fitted on the {} older closed leads ({} to {}, close rate {}), judged on the {} "
                     "newer ones ({} to {}, close rate {}). Time order: {}.{}{}</p>\n",
                     w.train.leads, esc(w.train.first), esc(w.train.last),
                     pct(static_cast<double>(w.train.won) / static_cast<double>(std::max<std::uint64_t>(1, w.train.leads))),
                     w.test.leads, esc(w.test.first), esc(w.test.last),
                     pct(static_cast<double>(w.test.won) / static_cast<double>(std::max<std::uint64_t>(1, w.test.leads))),
                     esc(w.time_order),
                     w.train_late_outcomes ? fmt::format(" {} older leads whose outcome was known only after the test "
                                                         "part started were left out of the fit.", w.train_late_outcomes)
                                           : "",
                     std::isfinite(w.calibrated_unlimited_auc)
                         ? fmt::format(" Calibrated points without any section limit: AUC {}.", num(w.calibrated_unlimited_auc, 3))
                         : "");
    h += "<table id=\"metrics\"><tr><th class=\"l\">points</th><th>AUC</th><th>Brier</th><th>log loss</th>"
         "<th>top-decile lift</th><th>MQL precision</th><th>MQL recall</th><th>MQL volume</th>"
         "<th>precision at MQL volume</th><th>recall at MQL volume</th></tr>\n";
    for (const auto& se : series) {
      const auto& b = *se.b;
      h += fmt::format("<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>", se.name,
                       num(b.auc, 3), num(b.brier, 4), num(b.log_loss, 4),
                       b.deciles.empty() ? "n/a" : num(b.deciles.front().lift, 2));
      if (b.has_mql)
        h += fmt::format("<td>{}</td><td>{}</td><td>{}</td>", pct(b.mql.precision), pct(b.mql.recall),
                         pct(b.mql.volume_share));
      else
        h += "<td>-</td><td>-</td><td>-</td>";
      h += fmt::format("<td>{}</td><td>{}</td></tr>\n", pct(b.top_volume.precision), pct(b.top_volume.recall));
    }
    h += "</table>\n";
    if (w.baseline) h += fmt::format("<p class=\"sub\">Baseline: {}.</p>\n", esc(w.baseline_description));
    h += "<div class=\"charts\">\n";
    h += "<figure><figcaption>Score distribution (test leads, calibrated points)</figcaption>" + histogram_svg(w.calibrated) +
         "</figure>\n";
    h += "<figure><figcaption>Lift by score decile</figcaption>" + lift_svg(series) + "</figure>\n";
    h += "<figure><figcaption>Reliability: predicted p_close vs observed close rate (dashed: perfect)</figcaption>" +
         reliability_svg(series) + "</figure>\n";
    h += "</div>\n";
    h += "<h2>Lift by decile</h2>\n<table id=\"deciles\"><tr><th>decile</th>";
    for (const auto& se : series) h += fmt::format("<th>{} leads</th><th>{} rate</th><th>{} lift</th>", se.name, se.name, se.name);
    h += "</tr>\n";
    for (int d = 1; d <= 10; ++d) {
      h += fmt::format("<tr><td>{}</td>", d);
      for (const auto& se : series) {
        auto it = std::find_if(se.b->deciles.begin(), se.b->deciles.end(), [&](const DecileRow& r) { return r.decile == d; });
        if (it == se.b->deciles.end()) h += "<td>-</td><td>-</td><td>-</td>";
        else h += fmt::format("<td>{}</td><td>{}</td><td>{}</td>", it->count, pct(it->rate), num(it->lift, 2));
      }
      h += "</tr>\n";
    }
    h += "</table>\n";
  }

  if (w.walk_forward) h += walk_forward_html(*w.walk_forward);

  if (w.adopted) h += adoption_html(*w.adopted);
  h += "<h2>Rule evidence</h2>\n<table id=\"evidence\"><tr><th class=\"l\">rule</th><th class=\"l\">section</th>"
       "<th>written points</th><th>calibrated points</th><th>matched</th><th>won</th><th>close rate</th>"
       "<th>95% interval</th><th>lift</th><th class=\"l\">significant</th><th class=\"l\">status</th></tr>\n";
  for (const auto& r : w.rules) {
    const auto& e = r.evidence;
    h += fmt::format("<tr{}><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                     "<td>{}</td><td>{} to {}</td><td>{}</td><td class=\"l {}\">{}</td><td class=\"l\">{}</td></tr>\n",
                     r.status == "low_support" ? " class=\"low\"" : "", esc(r.label), esc(r.section),
                     io::format_number(r.written_points) + (r.each ? " each" : ""),
                     io::format_number(r.points) + (r.each ? " each" : ""), e.matched, e.won, pct(e.close_rate),
                     pct(e.wilson.low), pct(e.wilson.high), num(e.lift, 2), e.significant ? "yes" : "no",
                     e.significant ? "yes" : "no", r.status == "low_support" ? "low support: written points kept" : "calibrated");
  }
  h += "</table>\n";
  if (suggestions) h += suggestions_html(*suggestions);
  if (adopted) h += adoption_html(w, *adopted);
  h += "<h2>Data</h2>\n<table id=\"inputs\"><tr><th class=\"l\">role</th><th class=\"l\">file</th><th>rows</th><th class=\"l\">FNV-1a</th></tr>\n";
  for (const auto& f : w.inputs)
    h += fmt::format("<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}</td><td class=\"l\"><code>{}</code></td></tr>\n",
                     esc(f.role), esc(f.path), f.rows, esc(f.fnv1a));
  h += "</table>\n";
  h += fmt::format("<p class=\"sub\">Outcomes: {}.", esc(w.outcome_source));
  for (const auto& x : w.exclusions) h += fmt::format(" Excluded: {}.", esc(x));
  h += fmt::format(" p_close = {}.</p>\n", esc(platt_formula(w.platt_a, w.platt_b)));
  if (w.accounts) {
    const auto& x = *w.accounts;
    h += fmt::format("<p class=\"sub\" id=\"accounts\">Account rules (sections <code>account.*</code>): fitted on {} "
                     "account outcome rows of {} accounts ({} won, {} lost; {} open, {} excluded) from {}; lead rules on "
                     "{}.",
                     x.closed, x.accounts, x.won, x.lost, x.open, x.excluded, esc(x.outcomes), esc(x.lead_outcomes));
    for (const auto& e : x.exclusions) h += fmt::format(" Excluded: {}.", esc(e));
    if (x.has_backtest)
      h += fmt::format(" Account score on the {} newest rows: AUC {:.3f} written, {:.3f} calibrated.", x.test.leads,
                       x.written_auc, x.calibrated_auc);
    h += "</p>\n";
  }
  h += warnings_html(w);
  h += "</body></html>\n";
  return h;
}

}  // namespace leadscore::calibrate

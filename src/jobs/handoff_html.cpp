#include "jobs/handoff_html.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "calibrate/report_html.hpp"
#include "common/escape.hpp"

namespace leadscore::jobs {

namespace {

// Every text from the rules or the data (names, reasons, paths) goes through html_text().
std::string esc(std::string_view s) { return html_text(s); }

struct Segment {
  double share = 0;
  const char* color = "";
  std::string title;
};

struct BarRow {
  std::string label;
  std::vector<Segment> segments;
  std::string value_text;  // written after the bar
};

constexpr double kWidth = 640, kLabelWidth = 170, kValueWidth = 110, kRowHeight = 22, kTop = 24, kBottom = 24;

// Horizontal bars on a 0-100% axis, one row per group, with an optional dashed target line.
std::string share_bars(const std::string& id, const std::string& title, const std::vector<BarRow>& rows,
                       const TargetCheck* target) {
  const double plot = kWidth - kLabelWidth - kValueWidth;
  const double height = kTop + kBottom + kRowHeight * static_cast<double>(rows.size());
  std::string s = fmt::format(
      R"(<figure><figcaption>{}</figcaption><svg id="{}" class="chart" viewBox="0 0 {} {}" width="{}" height="{}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">)",
      esc(title), id, kWidth, height, kWidth, height, esc(title));
  for (int t = 0; t <= 4; ++t) {
    const double x = kLabelWidth + plot * t / 4;
    s += fmt::format(R"(<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{:.1f}" class="grid"/>)", x, kTop - 4, x, height - kBottom);
    s += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" class="tick" text-anchor="middle">{}%</text>)", x, height - kBottom + 14, 25 * t);
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const double y = kTop + kRowHeight * static_cast<double>(r);
    s += fmt::format(R"(<text x="{}" y="{:.1f}" class="label" text-anchor="end">{}</text>)", kLabelWidth - 6, y + 14,
                     esc(rows[r].label));
    double x = kLabelWidth;
    for (const auto& seg : rows[r].segments) {
      if (!std::isfinite(seg.share) || seg.share <= 0) continue;
      const double w = plot * std::min(1.0, seg.share);
      s += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{}" fill="{}"><title>{}</title></rect>)", x,
                       y + 3, w, kRowHeight - 6, seg.color, esc(seg.title));
      x += w;
    }
    s += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" class="tick">{}</text>)", kLabelWidth + plot + 6, y + 14,
                     esc(rows[r].value_text));
  }
  if (target) {
    const double x = kLabelWidth + plot * target->target;
    s += fmt::format(R"(<line x1="{:.1f}" y1="{}" x2="{:.1f}" y2="{:.1f}" class="ref"/>)", x, kTop - 8, x, height - kBottom);
    s += fmt::format(R"(<text x="{:.1f}" y="{}" class="tick" text-anchor="middle">target {}</text>)", x, kTop - 10,
                     esc(target->text));
  }
  return s + "</svg></figure>\n";
}

const TargetCheck* target_of(const GroupMetrics& g, ir::TargetMetric metric) {
  for (const auto& t : g.targets)
    if (t.metric == metric) return &t;
  return nullptr;
}

std::string mark(const GroupMetrics& g, ir::TargetMetric metric, double value) {
  const TargetCheck* t = target_of(g, metric);
  std::string text = esc(percent_text(value));
  if (!t || !std::isfinite(value)) return text;
  return fmt::format("{} <span class=\"{}\">{}</span>", text, t->met ? "yes" : "miss", t->met ? "met" : "missed");
}

std::string hours(double h) { return std::isfinite(h) ? fmt::format("{:.2f}h", h) : "n/a"; }
std::string money(double v) { return std::isfinite(v) ? fmt::format("{:.2f}", v) : "n/a"; }

std::string group_table(const std::vector<GroupMetrics>& groups, const HandoffReport& r) {
  const bool outcomes = r.metrics.has_outcomes;
  std::string s = "<table><tr><th class=\"l\">group</th><th>MQLs</th><th>accepted</th><th>rejected</th><th>pending</th>"
                  "<th>responded</th><th>median response</th><th>p90 response</th><th>SLA met</th>";
  if (outcomes) s += "<th>won</th><th>MQL-to-won</th><th>avg won amount</th><th>MQL value</th>";
  s += "</tr>\n";
  for (const auto& g : groups) {
    s += fmt::format("<tr{}><td class=\"l\">{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} of {}</td>"
                     "<td>{}</td><td>{}</td><td>{}</td>",
                     g.small_sample ? " class=\"low\"" : "", esc(g.name), g.small_sample ? " (small sample)" : "", g.mqls,
                     mark(g, ir::TargetMetric::Acceptance, g.acceptance()), mark(g, ir::TargetMetric::Rejection, g.rejection()),
                     esc(percent_text(g.pending_share())), g.responded, g.routed, hours(g.median_response_hours),
                     hours(g.p90_response_hours), mark(g, ir::TargetMetric::SlaMet, g.sla_met_share()));
    if (outcomes)
      s += fmt::format("<td>{}</td><td>{}</td><td>{}</td><td>{}</td>", g.won, mark(g, ir::TargetMetric::MqlToWon, g.mql_to_won()),
                       money(g.average_won_amount()), money(g.mql_value()));
    s += "</tr>\n";
  }
  return s + "</table>\n";
}

std::string breakdown(const std::string& id, const std::string& heading, const std::vector<GroupMetrics>& groups,
                      const HandoffReport& r) {
  std::vector<GroupMetrics> rows{r.metrics.all};
  rows.insert(rows.end(), groups.begin(), groups.end());
  std::string s = fmt::format("<h2>{}</h2>\n", esc(heading));
  s += group_table(rows, r);
  auto label = [](const GroupMetrics& g) { return g.name + (g.small_sample ? " *" : ""); };
  std::vector<BarRow> acceptance, sla, won;
  for (const auto& g : rows) {
    acceptance.push_back({label(g),
                          {{g.acceptance(), "#2a9d5c", fmt::format("{} accepted", g.accepted)},
                           {g.rejection(), "#d1495b", fmt::format("{} rejected", g.rejected)},
                           {g.pending_share(), "#b8c4d6", fmt::format("{} pending", g.pending + g.unknown)}},
                          fmt::format("{} MQLs", g.mqls)});
    sla.push_back({label(g), {{g.sla_met_share(), "#2e6fd8", fmt::format("{} met, {} missed", g.sla_met, g.sla_missed)}},
                   fmt::format("{} of {}", g.sla_met, g.sla_met + g.sla_missed)});
    won.push_back({label(g), {{g.mql_to_won(), "#8a6fb0", fmt::format("{} won", g.won)}},
                   fmt::format("{} of {}", g.won, g.mqls)});
  }
  s += "<div class=\"charts\">\n";
  s += share_bars(id + "-acceptance", "Accepted, rejected, pending", acceptance,
                  target_of(r.metrics.all, ir::TargetMetric::Acceptance));
  if (r.metrics.all.sla_leads)
    s += share_bars(id + "-sla", "SLA met (responded by the due time)", sla, target_of(r.metrics.all, ir::TargetMetric::SlaMet));
  if (r.metrics.has_outcomes)
    s += share_bars(id + "-won", "MQL-to-won", won, target_of(r.metrics.all, ir::TargetMetric::MqlToWon));
  return s + "</div>\n";
}

}  // namespace

std::string handoff_html(const HandoffReport& r, const std::vector<std::string>& warnings) {
  const auto& in = r.inputs;
  const auto& all = r.metrics.all;
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  h += fmt::format("<title>Hand-off: {}</title><style>{}.miss {{ color: #b3261e; font-weight: 600; }} td {{ white-space: nowrap; }}</style></head><body>\n",
                   esc(in.ruleset), calibrate::report_style());
  h += fmt::format("<h1>Hand-off: {} version {}</h1>\n", esc(in.ruleset), esc(in.version));
  std::string targets;
  for (const auto& t : r.settings.targets) targets += fmt::format("{}{} {}", targets.empty() ? "" : ", ", esc(t.name), esc(t.text));
  h += fmt::format("<p class=\"sub\">{} MQLs of {} scored leads, {} disposition rows{}. Targets: {}. {}Groups with fewer than "
                   "{} MQLs are a small sample (grey): read their counts, not their rates.</p>\n",
                   in.mqls, in.scored_rows, in.disposition_rows,
                   r.metrics.has_outcomes ? fmt::format(", {} outcome rows", in.outcome_rows) : "",
                   targets.empty() ? "none in the ruleset" : targets,
                   r.working_hours.empty() ? "" : fmt::format("Response times in working hours ({}). ", esc(r.working_hours)),
                   r.settings.small_sample);
  for (const auto& w : warnings) h += fmt::format("<div class=\"warn\">{}</div>\n", esc(w));
  for (const auto& n : in.notes) h += fmt::format("<div class=\"warn\">{}</div>\n", esc(n));

  h += "<h2>Targets</h2>\n<table id=\"targets\"><tr><th class=\"l\">metric</th><th>target</th><th>all MQLs</th><th class=\"l\"></th></tr>\n";
  for (const auto& t : all.targets)
    h += fmt::format("<tr><td class=\"l\">{}</td><td>{}</td><td>{}</td><td class=\"l\"><span class=\"{}\">{}</span></td></tr>\n",
                     esc(t.name), esc(t.text), esc(percent_text(t.value)), std::isfinite(t.value) && t.met ? "yes" : "miss",
                     !std::isfinite(t.value) ? "no data" : t.met ? "met" : "missed");
  h += "</table>\n";
  if (r.metrics.has_outcomes)
    h += fmt::format("<p>Value of an MQL: average won amount <b>{}</b> ({} won MQLs with an amount) &times; MQL-to-won <b>{}</b> "
                     "= <b>{}</b>.</p>\n",
                     money(all.average_won_amount()), all.won_with_amount, esc(percent_text(all.mql_to_won())),
                     money(all.mql_value()));

  if (!r.metrics.by_source.empty()) h += breakdown("source", "By source (" + in.source_field + ")", r.metrics.by_source, r);
  if (!r.metrics.by_group.empty()) h += breakdown("group", "By " + in.by, r.metrics.by_group, r);
  if (r.metrics.by_source.empty() && r.metrics.by_group.empty()) h += breakdown("all", "All MQLs", {}, r);

  if (!all.reasons.empty()) {
    h += fmt::format("<h2>Rejection reasons</h2>\n<p>{} rejected MQLs; reasons grouped by their words (case, spaces and "
                     "punctuation ignored).</p>\n",
                     all.rejected);
    std::vector<BarRow> rows;
    for (const auto& reason : all.reasons) {
      const double share = all.rejected ? static_cast<double>(reason.count) / static_cast<double>(all.rejected) : 0;
      rows.push_back({reason.reason, {{share, "#d1495b", fmt::format("{} rejected", reason.count)}},
                      fmt::format("{} ({})", reason.count, percent_text(share))});
    }
    h += "<div class=\"charts\">\n" + share_bars("reasons", "Share of rejections", rows, nullptr) + "</div>\n";
  }
  return h + "</body></html>\n";
}

}  // namespace leadscore::jobs

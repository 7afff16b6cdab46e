#include "jobs/calibrate_scale.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "calibrate/metrics.hpp"
#include "calibrate/same_share.hpp"
#include "engine/exec/outcome.hpp"
#include "io/number_format.hpp"
#include "jobs/batches.hpp"
#include "jobs/expression_text.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;
using namespace leadscore::calibrate;

SectionScores score_sections(const PreparedRun& run, const ScoringOverride& with) {
  const Graph& g = run.graph;
  const std::size_t n = run.leads.rows;
  SectionScores out;
  out.value.assign(g.sections.size(), std::vector<double>(n));
  out.unlimited.assign(g.sections.size(), std::vector<double>(n));
  out.score.resize(n);
  out.mql.assign(n, 0);
  out.branch.assign(g.classifies.size(), std::vector<std::int32_t>(n, -1));
  const PointsTable& points = with.points ? *with.points : run.points;
  LeadRecord record;
  for_each_batch(
      run,
      [&](const BatchInput& batch, const BatchState& state) {
        for (std::size_t r = 0; r < batch.rows; ++r) {
          const std::size_t lead = batch.first_lead + r;
          record_lead(g, points, batch, state, r, record);
          for (std::size_t s = 0; s < g.sections.size(); ++s) {
            out.value[s][lead] = record.sections[s].value;
            out.unlimited[s][lead] = record.sections[s].unlimited;
          }
          out.score[lead] = record.score;
          out.mql[lead] = record.mql;
          for (std::size_t c = 0; c < g.classifies.size(); ++c) out.branch[c][lead] = record.classify_branch[c];
        }
      },
      with);
  return out;
}

namespace {

Side side_of(Op op) {
  switch (op) {
    case Op::Gt: return Side::Above;
    case Op::Le: return Side::AtMost;
    case Op::Lt: return Side::Below;
    default: return Side::AtLeast;
  }
}

bool selected(Side side, double v, double t) {
  switch (side) {
    case Side::AtLeast: return v >= t;
    case Side::Above: return v > t;
    case Side::AtMost: return v <= t;
    case Side::Below: return v < t;
  }
  return false;
}

double share(std::size_t part, std::size_t whole) {
  return whole ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

const std::vector<double>& values_of(const SectionScores& s, std::int32_t section) {
  return section < 0 ? s.score : s.value[static_cast<std::size_t>(section)];
}

std::vector<double> sorted_over(const std::vector<double>& values, const std::vector<std::size_t>& rows) {
  std::vector<double> out;
  out.reserve(rows.size());
  for (auto r : rows) out.push_back(values[r]);
  std::sort(out.begin(), out.end());
  return out;
}

// Whether a rule or multiplier condition reads a score: then adopted thresholds change section
// values, and the thresholds are adopted again on those.
bool sections_read_scores(const Graph& g) {
  std::vector<std::int8_t> reads(g.lead_nodes.size(), -1);
  auto visit = [&](auto& self, NodeIndex n) -> bool {
    auto& r = reads[static_cast<std::size_t>(n)];
    if (r >= 0) return r;
    const Node& node = g.lead_nodes[static_cast<std::size_t>(n)];
    bool found = node.kind == Kind::SectionValue || node.kind == Kind::ScoreValue;
    for (NodeIndex a : node.args)
      if (!found && a != kNone) found = self(self, a);
    r = found;
    return found;
  };
  for (const auto& s : g.sections) {
    for (const auto& rule : s.rules)
      if (!rule.each && visit(visit, rule.condition)) return true;
    for (const auto& m : s.multipliers)
      if (visit(visit, m.condition)) return true;
  }
  return false;
}

// Where each comparison node is used: `mql`, `classify quadrant "hot"`, `gate cpal`, `rule "X"`.
std::map<NodeIndex, std::vector<std::string>> uses_of(const Graph& g) {
  std::map<NodeIndex, std::vector<std::string>> uses;
  auto walk = [&](const std::string& what, NodeIndex root) {
    std::vector<NodeIndex> stack{root};
    std::vector<bool> seen(g.lead_nodes.size(), false);
    while (!stack.empty()) {
      NodeIndex n = stack.back();
      stack.pop_back();
      if (n == kNone || seen[static_cast<std::size_t>(n)]) continue;
      seen[static_cast<std::size_t>(n)] = true;
      const Node& node = g.lead_nodes[static_cast<std::size_t>(n)];
      if (node.kind != Kind::Expr) continue;  // a score, gate or classify value: its own uses
      auto& list = uses[n];
      if (list.empty() || list.back() != what) list.push_back(what);
      for (NodeIndex a : node.args) stack.push_back(a);
    }
  };
  for (const auto& s : g.sections) {
    for (const auto& r : s.rules)
      if (!r.each) walk(fmt::format("rule \"{}\"", r.label), r.condition);
    for (const auto& m : s.multipliers) walk(fmt::format("multiply \"{}\"", m.label), m.condition);
  }
  for (const auto& gate : g.gates)
    for (const auto& c : gate.criteria) walk(fmt::format("gate {} \"{}\"", gate.name, c.label), c.condition);
  if (g.has_mql) walk("mql", g.lead_nodes[static_cast<std::size_t>(g.mql)].args[0]);
  for (const auto& c : g.classifies)
    for (const auto& b : c.branches)
      if (b.condition != kNone) walk(fmt::format("classify {} \"{}\"", c.name, b.value), b.condition);
  return uses;
}

std::string kind_of(bool is_max) { return is_max ? "max" : "min"; }

// Limits for the calibrated points: per written limit, the value holding the same share of the
// calibration leads, moved outwards (half the share, a quarter, ..., none) while it costs more AUC
// than the tolerance, alone and then all together.
void choose_limits(const PreparedRun& run, const SectionScores& written, const SectionScores& unlimited,
                   const std::vector<std::size_t>& rows, const std::vector<std::uint8_t>& label, AdoptedScale& a) {
  const Graph& g = run.graph;
  const std::size_t n = rows.size();
  std::vector<std::uint8_t> y;
  for (auto r : rows) y.push_back(label[r]);
  std::vector<std::vector<double>> free(g.sections.size());
  for (std::size_t s = 0; s < g.sections.size(); ++s)
    for (auto r : rows) free[s].push_back(unlimited.unlimited[s][r]);
  std::vector<double> total(n);
  auto auc_with = [&](const LimitsTable& limits) {
    for (std::size_t i = 0; i < n; ++i) {
      double t = 0;
      for (std::size_t s = 0; s < free.size(); ++s)
        t += section_outcome(free[s][i], 1.0, limits[s].max, limits[s].min).value;
      total[i] = t;
    }
    return calibrate::auc(total, y);
  };
  const LimitsTable none(g.sections.size());
  const double base = auc_with(none);

  struct Choice {
    std::size_t section;
    bool is_max;
    double written;
    std::size_t written_held;
    std::vector<double> steps;  // same share first, then further out
    std::size_t step = 0;
    double cost_alone = 0;
  };
  std::vector<Choice> choices;
  auto cost_alone = [&](const Choice& c, double value) {
    LimitsTable one(g.sections.size());
    (c.is_max ? one[c.section].max : one[c.section].min) = value;
    return base - auc_with(one);
  };
  for (std::size_t s = 0; s < g.sections.size(); ++s) {
    for (bool is_max : {true, false}) {
      const std::optional<double>& limit = is_max ? g.sections[s].max : g.sections[s].min;
      if (!limit) continue;
      Choice c{s, is_max, *limit, 0, {}, 0, 0};
      for (auto r : rows) {
        const double v = written.unlimited[s][r];
        c.written_held += is_max ? v > *limit : v < *limit;
      }
      std::vector<double> sorted = free[s];
      std::sort(sorted.begin(), sorted.end());
      const Side side = is_max ? Side::Above : Side::Below;  // the leads a limit holds
      for (std::size_t count = c.written_held;; count /= 2) {
        const double value = same_share_threshold(sorted, side, count);
        if (c.steps.empty() || c.steps.back() != value) c.steps.push_back(value);
        if (count == 0) break;
      }
      while (c.step + 1 < c.steps.size() && cost_alone(c, c.steps[c.step]) > kLimitAucTolerance) ++c.step;
      c.cost_alone = cost_alone(c, c.steps[c.step]);
      choices.push_back(std::move(c));
    }
  }
  auto table_of = [&] {
    LimitsTable t(g.sections.size());
    for (const auto& c : choices) (c.is_max ? t[c.section].max : t[c.section].min) = c.steps[c.step];
    return t;
  };
  // Together the limits may cost more than each alone: widen the costliest until they do not.
  while (base - auc_with(table_of()) > kLimitAucTolerance) {
    Choice* worst = nullptr;
    for (auto& c : choices)
      if (c.step + 1 < c.steps.size() && (!worst || c.cost_alone > worst->cost_alone)) worst = &c;
    if (!worst) break;
    ++worst->step;
    worst->cost_alone = cost_alone(*worst, worst->steps[worst->step]);
  }
  a.limits = table_of();
  for (const auto& c : choices) {
    AdoptedLimit l;
    l.section = g.sections[c.section].name;
    l.kind = kind_of(c.is_max);
    l.written = c.written;
    l.adopted = c.steps[c.step];
    l.written_share = share(c.written_held, n);
    std::size_t held = 0;
    for (double v : free[c.section]) held += c.is_max ? v > l.adopted : v < l.adopted;
    l.adopted_share = share(held, n);
    l.same_share = c.steps.front();
    l.same_share_cost = cost_alone(c, c.steps.front());
    l.auc_cost = c.cost_alone;
    l.widened = c.step > 0;
    a.report.limits.push_back(std::move(l));
  }
}

ThresholdTable thresholds_for(const Graph& g, const std::vector<ScoreThreshold>& found, const SectionScores& written,
                              const SectionScores& calibrated, const std::vector<std::size_t>& rows) {
  ThresholdTable table;
  std::map<std::string, double> adopted;  // the same comparison written twice gets one value
  for (const auto& t : found) {
    if (t.op == Op::Eq || t.op == Op::Ne) continue;
    const std::string key = threshold_key(g, t);
    auto it = adopted.find(key);
    if (it == adopted.end()) {
      const Side side = side_of(t.op);
      std::size_t count = 0;
      for (auto r : rows) count += selected(side, values_of(written, t.section)[r], t.written);
      const auto sorted = sorted_over(values_of(calibrated, t.section), rows);
      it = adopted.emplace(key, same_share_threshold(sorted, side, count)).first;
    }
    table.push_back(ThresholdValue{t.node, t.arg, it->second});
  }
  std::sort(table.begin(), table.end(),
            [](const ThresholdValue& a, const ThresholdValue& b) { return std::tie(a.node, a.arg) < std::tie(b.node, b.arg); });
  return table;
}

std::string comparison_text(const PreparedRun& run, NodeIndex node) {
  BatchState state(run.graph, false);
  ExpressionText text(run, state, 0);
  return text.source(node);
}

}  // namespace

AdoptedScale adopt_scale_for(const PreparedRun& run, const SectionScores& written, const PointsTable& points,
                             const std::vector<std::size_t>& rows, const std::vector<std::uint8_t>& label) {
  const Graph& g = run.graph;
  AdoptedScale a;
  a.report.policy =
      "limits and thresholds re-expressed at the same share of the calibration leads: a threshold selects as many "
      "of them as the written one selected with the written points; a limit holds as many, or fewer when that "
      "costs more than auc_tolerance of AUC against no limit";
  a.report.leads = rows.size();
  a.report.auc_tolerance = kLimitAucTolerance;
  a.limits = written_limits(g);
  const ThresholdTable as_written;
  bool any_limit = false;
  for (const auto& s : g.sections) any_limit = any_limit || s.max || s.min;
  SectionScores current;
  if (any_limit) {
    const LimitsTable none(g.sections.size());
    SectionScores unlimited = score_sections(run, {&points, &none, &as_written});
    choose_limits(run, written, unlimited, rows, label, a);
    current = score_sections(run, {&points, &a.limits, &as_written});
  } else {
    current = score_sections(run, {&points, &a.limits, &as_written});
  }
  const auto found = score_thresholds(g);
  a.thresholds = thresholds_for(g, found, written, current, rows);
  if (!a.thresholds.empty()) {
    SectionScores adopted = score_sections(run, {&points, &a.limits, &a.thresholds});
    // Sections whose rules read a score move with the adopted thresholds: adopt once more on them.
    for (int pass = 0; pass < 2 && sections_read_scores(g); ++pass) {
      ThresholdTable again = thresholds_for(g, found, written, adopted, rows);
      if (again == a.thresholds) break;
      a.thresholds = std::move(again);
      adopted = score_sections(run, {&points, &a.limits, &a.thresholds});
    }
    current = std::move(adopted);
  }
  a.scores = std::move(current);

  // The report: each threshold once, where it is used, and the shares it selects.
  const auto uses = uses_of(g);
  std::map<std::string, std::size_t> reported;
  for (const auto& t : found) {
    const std::string key = threshold_key(g, t);
    if (t.op == Op::Eq || t.op == Op::Ne) {
      a.report.kept.push_back(fmt::format("`{}` (line {}) compares a score for equality: it keeps its written number",
                                          key, t.pos.line));
      continue;
    }
    std::string used;
    if (auto it = uses.find(t.node); it != uses.end())
      for (const auto& u : it->second) used += (used.empty() ? "" : "; ") + u;
    used = fmt::format("line {}: {}", t.pos.line, used.empty() ? "-" : used);
    auto at = reported.find(key);
    if (at != reported.end()) {
      auto& existing = a.report.thresholds[at->second].used_in;
      if (existing.find(used) == std::string::npos) existing += " | " + used;
      continue;
    }
    double adopted_value = t.written;
    for (const auto& v : a.thresholds)
      if (v.node == t.node && v.arg == t.arg) adopted_value = v.value;
    const Side side = side_of(t.op);
    std::size_t before = 0, after = 0;
    for (auto r : rows) {
      before += selected(side, values_of(written, t.section)[r], t.written);
      after += selected(side, values_of(a.scores, t.section)[r], adopted_value);
    }
    AdoptedThreshold x;
    x.key = key;
    x.score = t.section < 0 ? "score" : g.sections[static_cast<std::size_t>(t.section)].name;
    x.op = ir::op_name(t.op);
    x.written = t.written;
    x.adopted = adopted_value;
    x.written_share = share(before, rows.size());
    x.adopted_share = share(after, rows.size());
    x.used_in = used;
    reported.emplace(key, a.report.thresholds.size());
    a.report.thresholds.push_back(std::move(x));
  }
  for (NodeIndex n : score_expression_comparisons(g))
    a.report.kept.push_back(fmt::format("`{}` (line {}) compares an expression of scores, not one score with a "
                                        "number: it keeps its written numbers",
                                        comparison_text(run, n), g.lead_nodes[static_cast<std::size_t>(n)].pos.line));
  if (g.has_mql) {
    std::size_t before = 0, after = 0;
    for (auto r : rows) before += written.mql[r], after += a.scores.mql[r];
    a.report.outputs.push_back(OutputShare{"mql", share(before, rows.size()), share(after, rows.size())});
  }
  for (std::size_t c = 0; c < g.classifies.size(); ++c)
    for (std::size_t b = 0; b < g.classifies[c].branches.size(); ++b) {
      std::size_t before = 0, after = 0;
      for (auto r : rows) {
        before += written.branch[c][r] == static_cast<std::int32_t>(b);
        after += a.scores.branch[c][r] == static_cast<std::int32_t>(b);
      }
      a.report.outputs.push_back(OutputShare{fmt::format("{} \"{}\"", g.classifies[c].name, g.classifies[c].branches[b].value),
                                             share(before, rows.size()), share(after, rows.size())});
    }
  return a;
}

std::vector<WeightsWarning> adoption_warnings(const Adoption& a) {
  std::vector<WeightsWarning> out;
  auto pct = [](double v) { return fmt::format("{:.1f}%", 100 * v); };
  for (const auto& l : a.limits)
    if (l.widened)
      out.push_back({"limits", fmt::format("section `{}`'s {} {}: at the same share of leads held ({}) it would be {} "
                                           "and cost {:.3f} AUC against no limit; adopted {} instead ({} held, costs "
                                           "{:.3f})",
                                           l.section, l.kind, io::format_number(l.written), pct(l.written_share),
                                           io::format_number(l.same_share), l.same_share_cost,
                                           io::format_number(l.adopted), pct(l.adopted_share), l.auc_cost)});
  for (const auto& o : a.outputs) {
    if (o.name == "mql") {
      const double allowed = std::max(kMqlShareAbsolute, kMqlShareRelative * o.written);
      if (std::fabs(o.adopted - o.written) > allowed + 1e-12)
        out.push_back({"thresholds", fmt::format("the MQL share of the calibration leads moves from {} (written) to {} "
                                                 "(adopted), more than the {:.1f} points the policy allows: the `mql` "
                                                 "condition combines thresholds whose shares moved together",
                                                 pct(o.written), pct(o.adopted), 100 * allowed)});
    } else if (o.written > 0 && o.adopted == 0) {
      out.push_back({"thresholds", fmt::format("classify {} takes {} of the calibration leads with the written points "
                                               "and none with the adopted thresholds",
                                               o.name, pct(o.written))});
    }
  }
  for (const auto& k : a.kept) out.push_back({"thresholds", k});
  return out;
}

}  // namespace leadscore::jobs

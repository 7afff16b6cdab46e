#include "jobs/diff.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "common/hash.hpp"
#include "common/suggest.hpp"
#include "common/temp_dir.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"
#include "jobs/batches.hpp"
#include "jobs/diff_report.hpp"
#include "jobs/reasons.hpp"
#include "jobs/run_inputs.hpp"
#include "parser/parser.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;

const std::vector<std::string>& fail_if_metrics() {
  static const std::vector<std::string> metrics = {"mql_flips", "mql_in", "mql_out", "moved", "quadrant_moves",
                                                   "score_mean_change"};
  return metrics;
}

bool parse_fail_if(std::string_view text, FailIf& out, std::string& error) {
  const auto& metrics = fail_if_metrics();
  out = FailIf{};
  out.text = std::string(text);
  std::string s;
  for (char c : text)
    if (c != ' ' && c != '\t') s += c;
  std::size_t name_end = 0;
  while (name_end < s.size() && (std::isalnum(static_cast<unsigned char>(s[name_end])) || s[name_end] == '_')) ++name_end;
  out.metric = s.substr(0, name_end);
  if (std::find(metrics.begin(), metrics.end(), out.metric) == metrics.end()) {
    std::string names;
    for (const auto& m : metrics) names += (names.empty() ? "" : ", ") + m;
    auto near = closest_match(out.metric, metrics);
    error = fmt::format("--fail-if \"{}\": unknown metric \"{}\"{}; metrics: {}", text, out.metric,
                        near ? fmt::format(" (did you mean \"{}\"?)", *near) : "", names);
    return false;
  }
  std::string rest = s.substr(name_end);
  for (const char* op : {">=", "<=", ">", "<"})
    if (rest.rfind(op, 0) == 0) {
      out.op = op;
      rest = rest.substr(out.op.size());
      break;
    }
  if (out.op.empty()) {
    error = fmt::format("--fail-if \"{}\": expected METRIC > VALUE (operators > >= < <=)", text);
    return false;
  }
  if (!rest.empty() && rest.back() == '%') {
    out.percent = true;
    rest.pop_back();
  }
  auto number = io::parse_number(rest);
  if (!number.has_value()) {
    error = fmt::format("--fail-if \"{}\": \"{}\" is not a number", text, rest);
    return false;
  }
  out.value = number.value;
  if (out.percent && out.metric == "score_mean_change") {
    error = fmt::format("--fail-if \"{}\": score_mean_change is in points, not a percentage", text);
    return false;
  }
  return true;
}

double quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return std::nan("");
  double h = (static_cast<double>(sorted.size()) - 1) * std::clamp(p, 0.0, 1.0);
  auto lo = static_cast<std::size_t>(std::floor(h));
  std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// One side's rules, scores and firing counts.
struct Side {
  std::string label;  // OLD / NEW
  std::string shown;  // as given on the command line
  CheckedOutRules files;
  bool compiled = false, scored = false;
  std::string error;
  PreparedRun run;
  ast::RulesFile syntax;
  std::string weights_hash;
  std::vector<double> score;
  std::vector<std::int8_t> mql;
  std::vector<std::vector<std::int32_t>> branch;  // [classify][lead]
  std::map<std::pair<std::string, std::string>, std::uint64_t> firing;  // (kind, label) -> leads
};

std::string weights_hash_of(const ir::Program& program) {
  if (!program.calibration_path) return {};
  std::ifstream in(*program.calibration_path, std::ios::binary);
  if (!in) return {};
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return fnv1a_hex(bytes.str());
}

// The thresholds and limits the side's calibrated points use instead of the written ones.
std::vector<AdoptedNumber> adopted_numbers(const PreparedRun& run) {
  std::vector<AdoptedNumber> out;
  if (!run.weights) return out;
  const Graph& graph = run.graph;
  for (const auto& t : engine::score_thresholds(graph)) {
    auto v = std::find_if(run.thresholds.begin(), run.thresholds.end(),
                          [&](const engine::ThresholdValue& x) { return x.node == t.node && x.arg == t.arg; });
    if (v == run.thresholds.end()) continue;
    const std::string score = t.section < 0 ? std::string("score") : graph.sections[static_cast<std::size_t>(t.section)].name;
    out.push_back({"", t.pos.offset, fmt::format("{} {} {} for {}", score, ir::op_name(t.op), io::format_number(v->value),
                                                 io::format_number(t.written))});
  }
  const engine::LimitsTable written = engine::written_limits(graph);
  for (std::size_t s = 0; s < graph.sections.size() && s < run.limits.size(); ++s) {
    const auto& used = run.limits[s];
    const auto limit = [&](const char* kind, const std::optional<double>& adopted, const std::optional<double>& as_written) {
      if (!adopted || adopted == as_written) return;
      std::string text = fmt::format("{} {}", kind, io::format_number(*adopted));
      if (as_written) text += " for " + io::format_number(*as_written);
      out.push_back({graph.sections[s].name, 0, std::move(text)});
    };
    limit("max", used.max, written[s].max);
    limit("min", used.min, written[s].min);
  }
  return out;
}

// Every (kind, label) the firing counts are kept for, each with how to read it from a record.
template <typename Visit>
void for_each_item(const Graph& graph, Visit visit) {
  for (const auto& s : graph.sections) {
    for (const auto& r : s.rules) visit("rule", r.label, [o = r.ordinal](const LeadRecord& rec) { return rec.rules[o].fired; });
    for (const auto& m : s.multipliers)
      visit("multiplier", m.label, [o = m.ordinal](const LeadRecord& rec) { return rec.multipliers[o].applied; });
  }
  for (const auto& g : graph.gates)
    for (const auto& c : g.criteria)
      visit("criterion", g.name + ": " + c.label, [o = c.ordinal](const LeadRecord& rec) { return rec.criteria[o] == kTrue; });
}

void score_side(Side& side, const DiffRequest& request, std::string& err) {
  RunInputs inputs;
  inputs.rules = side.files.rules_path;
  inputs.leads = request.leads;
  inputs.activities = request.activities;
  inputs.accounts = request.accounts;
  inputs.as_of = request.as_of;
  inputs.read = request.read;
  inputs.allow_other_ruleset = request.allow_other_ruleset;
  Diagnostics diags;
  bool ok = prepare_run(inputs, diags, side.run, side.error);
  for (const auto& d : diags.sorted()) err += render_text(d);
  side.compiled = !diags.has_errors() && side.run.program.source;
  if (side.compiled) {
    Diagnostics ignored;
    side.syntax = parse_rules(side.run.program.source, ignored);
    side.weights_hash = weights_hash_of(side.run.program);
  }
  if (!ok) {
    if (!side.compiled) side.error = fmt::format("{} does not compile", side.shown);
    return;
  }
  const auto& run = side.run;
  std::size_t n = run.leads.rows;
  side.score.resize(n);
  side.mql.assign(n, 0);
  side.branch.assign(run.graph.classifies.size(), std::vector<std::int32_t>(n, -1));
  using Reader = std::function<bool(const LeadRecord&)>;
  std::vector<std::pair<std::uint64_t*, Reader>> counters;
  for_each_item(run.graph, [&](const char* kind, const std::string& label, Reader read) {
    counters.emplace_back(&side.firing[{kind, label}], std::move(read));
  });
  LeadRecord record;
  for_each_batch(run, [&](const BatchInput& batch, const BatchState& state) {
    const auto& sv = state.view(run.graph.score);
    for (std::size_t r = 0; r < batch.rows; ++r) {
      const std::size_t lead = batch.first_lead + r;
      side.score[lead] = sv.valid[r] ? sv.num[r] : kNaN;  // missing: a section beyond the range of numbers
      if (run.graph.has_mql) side.mql[lead] = state.view(run.graph.mql).truth[r] == kTrue;
      for (std::size_t c = 0; c < run.graph.classifies.size(); ++c) side.branch[c][lead] = state.classify_branch(c)[r];
      record_lead(run.graph, run.points, batch, state, r, record);
      for (auto& [count, read] : counters) *count += read(record) ? 1 : 0;
    }
  });
  side.scored = true;
}

LeadRecord record_of(const Side& side, std::size_t ordinal) {
  BatchState state(side.run.graph, false);
  BatchInput batch = evaluate_leads(side.run, ordinal, 1, state);
  LeadRecord record;
  record_lead(side.run.graph, side.run.points, batch, state, 0, record);
  return record;
}

// The reasons that stopped and started applying, and the gate criteria whose truth changed.
void explain_change(const Side& a, std::size_t i, const Side& b, std::size_t j, LeadChange& change) {
  LeadRecord ra = record_of(a, i), rb = record_of(b, j);
  auto ro = reasons_of(a.run.graph, ra), rn = reasons_of(b.run.graph, rb);
  for (const auto& r : ro)
    if (std::find(rn.begin(), rn.end(), r) == rn.end()) change.removed.push_back(reason_text(r));
  for (const auto& r : rn)
    if (std::find(ro.begin(), ro.end(), r) == ro.end()) change.added.push_back(reason_text(r));
  std::map<std::string, bool> held;
  for_each_item(a.run.graph, [&](const char* kind, const std::string& label, const auto& read) {
    if (std::string_view(kind) == "criterion") held[label] = read(ra);
  });
  for_each_item(b.run.graph, [&](const char* kind, const std::string& label, const auto& read) {
    if (std::string_view(kind) != "criterion") return;
    auto it = held.find(label);
    bool now = read(rb);
    if (it == held.end()) change.criteria.push_back(fmt::format("{} (new) {}", label, now ? "holds" : "fails"));
    else if (it->second != now) change.criteria.push_back(fmt::format("{} {}", label, now ? "fails -> holds" : "holds -> fails"));
  });
}

bool compare_sides(Side (&sides)[2], DiffReport& report) {
  Side &a = sides[0], &b = sides[1];
  for (const auto& side : sides)
    if (!side.scored) report.notes.push_back(fmt::format("{} ({}) could not score the data: {}", side.label, side.shown, side.error));
  report.both = a.scored && b.scored;
  return report.both;
}

std::vector<std::pair<std::size_t, std::size_t>> pair_leads(const Side& a, const Side& b, DiffReport& report) {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  for (std::size_t i = 0; i < a.run.leads.rows; ++i) {
    std::int32_t j = b.run.leads.index.find(a.run.leads.ids[i]);
    if (j >= 0) pairs.emplace_back(i, static_cast<std::size_t>(j));
  }
  if (pairs.size() != a.run.leads.rows || pairs.size() != b.run.leads.rows)
    report.notes.push_back(fmt::format("{} leads scored by OLD, {} by NEW, {} with the same id in both (only those are compared)",
                                       a.run.leads.rows, b.run.leads.rows, pairs.size()));
  report.leads = pairs.size();
  return pairs;
}

void compare_mql(const Side& a, const Side& b, const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                 std::size_t top, DiffReport& report) {
  if (a.run.graph.has_mql != b.run.graph.has_mql)
    report.notes.push_back(fmt::format("`mql` is declared only in {}: no MQL flips to compare", a.run.graph.has_mql ? "OLD" : "NEW"));
  report.mql_both = a.run.graph.has_mql && b.run.graph.has_mql;
  if (!report.mql_both) return;
  const bool mql_changed = std::any_of(report.changes.begin(), report.changes.end(),
                                       [](const RulesetChange& c) { return c.kind == "mql"; });
  for (auto [i, j] : pairs) {
    report.mql_old += a.mql[i];
    report.mql_new += b.mql[j];
    if (a.mql[i] == b.mql[j]) continue;
    (b.mql[j] ? report.mql_in : report.mql_out) += 1;
    if (report.flips.size() >= top) continue;
    LeadChange flip{std::string(a.run.leads.ids[i]), a.score[i], b.score[j], b.mql[j] != 0, {}, {}, {}, {}};
    explain_change(a, i, b, j, flip);
    if (mql_changed) flip.definitions.push_back("mql");
    report.flips.push_back(std::move(flip));
  }
}

void compare_firing(const Side& a, const Side& b, DiffReport& report) {
  std::map<std::pair<std::string, std::string>, FiringCount> counts;
  for (const auto& [key, n] : a.firing) counts[key] = FiringCount{key.first, key.second, static_cast<std::int64_t>(n), -1};
  for (const auto& [key, n] : b.firing) {
    auto& c = counts[key];
    c.kind = key.first, c.name = key.second;
    c.new_count = static_cast<std::int64_t>(n);
    if (!a.firing.count(key)) c.old_count = -1;
  }
  // In NEW's declaration order, then the items only OLD has.
  std::vector<std::pair<std::string, std::string>> order;
  for_each_item(b.run.graph, [&](const char* kind, const std::string& label, const auto&) { order.emplace_back(kind, label); });
  for_each_item(a.run.graph, [&](const char* kind, const std::string& label, const auto&) {
    if (!b.firing.count({kind, label})) order.emplace_back(kind, label);
  });
  for (const auto& key : order) {
    const auto& c = counts[key];
    if (c.old_count == c.new_count) ++report.firing_unchanged;
    else report.firing.push_back(c);
  }
}

void compare_classifies(const Side (&sides)[2], const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                        DiffReport& report) {
  const Side &a = sides[0], &b = sides[1];
  auto values_of = [](const ClassifyPlan& c) {
    std::vector<std::string> v;
    for (const auto& br : c.branches) v.push_back(br.value);
    v.emplace_back("(none)");
    return v;
  };
  std::vector<bool> moved(pairs.size(), false);
  for (std::size_t ca = 0; ca < a.run.graph.classifies.size(); ++ca) {
    const auto& c = a.run.graph.classifies[ca];
    std::size_t cb = 0;
    while (cb < b.run.graph.classifies.size() && b.run.graph.classifies[cb].name != c.name) ++cb;
    if (cb == b.run.graph.classifies.size()) continue;
    Transition t{c.name, values_of(c), values_of(b.run.graph.classifies[cb]), {}};
    t.counts.assign(t.old_values.size(), std::vector<std::uint64_t>(t.new_values.size(), 0));
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      auto [i, j] = pairs[p];
      auto x = a.branch[ca][i], y = b.branch[cb][j];
      std::size_t row = x < 0 ? t.old_values.size() - 1 : static_cast<std::size_t>(x);
      std::size_t col = y < 0 ? t.new_values.size() - 1 : static_cast<std::size_t>(y);
      ++t.counts[row][col];
      if (t.old_values[row] != t.new_values[col]) moved[p] = true;
    }
    report.transitions.push_back(std::move(t));
  }
  report.classify_moves = static_cast<std::uint64_t>(std::count(moved.begin(), moved.end(), true));
  for (int s = 0; s < 2; ++s) {
    const Side& side = sides[s];
    const Side& other = sides[1 - s];
    for (std::size_t c = 0; c < side.run.graph.classifies.size(); ++c) {
      const auto& cl = side.run.graph.classifies[c];
      bool shared = std::any_of(other.run.graph.classifies.begin(), other.run.graph.classifies.end(),
                                [&](const ClassifyPlan& o) { return o.name == cl.name; });
      if (shared) continue;
      report.notes.push_back(fmt::format("classify `{}` is only in {}: its distribution is shown, no transitions", cl.name, side.label));
      auto values = values_of(cl);
      std::vector<std::pair<std::string, std::uint64_t>> dist;
      for (const auto& v : values) dist.emplace_back(v, 0);
      for (auto br : side.branch[c]) ++dist[br < 0 ? values.size() - 1 : static_cast<std::size_t>(br)].second;
      report.one_sided.emplace_back(fmt::format("{} ({})", cl.name, side.label), std::move(dist));
    }
  }
}

// Over the scores that are not missing.
ScoreStats stats_of(std::vector<double> values) {
  std::erase_if(values, [](double v) { return std::isnan(v); });
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  return ScoreStats{values.front(), quantile(values, 0.1), quantile(values, 0.25), quantile(values, 0.5),
                    quantile(values, 0.75), quantile(values, 0.9), values.back(), sum / static_cast<double>(values.size())};
}

double rounded(double v) {
  auto parsed = io::parse_number(io::format_number(v));
  return parsed.has_value() ? parsed.value : v;
}

void compare_scores(const Side& a, const Side& b, const std::vector<std::pair<std::size_t, std::size_t>>& pairs,
                    std::size_t top, DiffReport& report) {
  std::vector<double> old_scores, new_scores;
  struct Moved {
    std::size_t i, j;
    double change;  // |new - old| rounded as the report shows it: 133.51 - 123.51 ties with 10
  };
  std::vector<Moved> moved;
  std::uint64_t missing[2] = {0, 0};
  for (auto [i, j] : pairs) {
    const double from = a.score[i], to = b.score[j];
    old_scores.push_back(from);
    new_scores.push_back(to);
    missing[0] += std::isnan(from);
    missing[1] += std::isnan(to);
    if (std::isnan(from) != std::isnan(to))  // a score that became missing, or came back, moved the most
      moved.push_back(Moved{i, j, std::numeric_limits<double>::infinity()});
    else if (!std::isnan(from) && rounded(from) != rounded(to))
      moved.push_back(Moved{i, j, rounded(std::fabs(to - from))});
  }
  for (int s = 0; s < 2; ++s)
    if (missing[s])
      report.notes.push_back(fmt::format("{} lead{} ha{} no score in {} (a section beyond the range of numbers): the "
                                         "distribution leaves {} out",
                                         missing[s], missing[s] == 1 ? "" : "s", missing[s] == 1 ? "s" : "ve",
                                         s ? "NEW" : "OLD", missing[s] == 1 ? "it" : "them"));
  report.moved = moved.size();
  report.old_stats = stats_of(old_scores);
  report.new_stats = stats_of(new_scores);
  report.mean_change = report.new_stats.mean - report.old_stats.mean;
  // Largest change first; equal changes in lead id order, so the report is the same on every run.
  std::stable_sort(moved.begin(), moved.end(), [&](const Moved& x, const Moved& y) {
    if (x.change != y.change) return x.change > y.change;
    return a.run.leads.ids[x.i] < a.run.leads.ids[y.i];
  });
  if (moved.size() > top) moved.resize(top);
  for (const auto& m : moved) {
    LeadChange c{std::string(a.run.leads.ids[m.i]), a.score[m.i], b.score[m.j], false, {}, {}, {}, {}};
    explain_change(a, m.i, b, m.j, c);
    report.movers.push_back(std::move(c));
  }
}

void check_thresholds(const std::vector<FailIf>& fail_if, DiffReport& report) {
  const double n = static_cast<double>(report.leads);
  for (const auto& f : fail_if) {
    double count = 0;
    bool available = report.both;
    if (f.metric == "mql_flips") count = static_cast<double>(report.mql_in + report.mql_out), available = report.mql_both;
    else if (f.metric == "mql_in") count = static_cast<double>(report.mql_in), available = report.mql_both;
    else if (f.metric == "mql_out") count = static_cast<double>(report.mql_out), available = report.mql_both;
    else if (f.metric == "moved") count = static_cast<double>(report.moved);
    else if (f.metric == "quadrant_moves") count = static_cast<double>(report.classify_moves), available = report.both && !report.transitions.empty();
    double value = f.metric == "score_mean_change" ? std::fabs(report.mean_change)
                   : f.percent ? (n > 0 ? 100.0 * count / n : 0.0)
                               : count;
    if (!available) {
      report.notes.push_back(fmt::format("--fail-if '{}' cannot be evaluated: {} is not available", f.text, f.metric));
      continue;
    }
    bool hit = f.op == ">" ? value > f.value : f.op == ">=" ? value >= f.value : f.op == "<" ? value < f.value : value <= f.value;
    if (hit)
      report.violated.push_back(fmt::format("{} = {}{} {} {}{}", f.metric, io::format_number(value), f.percent ? "%" : "",
                                            f.op, io::format_number(f.value), f.percent ? "%" : ""));
  }
}

DiffSideSummary summary_of(const Side& side) {
  return {side.shown, side.run.program.name, side.run.program.version, side.run.program.content_hash};
}

void compare_rules(const Side& a, const Side& b, DiffReport& report) {
  report.changes = ruleset_changes(RulesetVersion{&a.syntax, &a.run.program, a.weights_hash, adopted_numbers(a.run)},
                                   RulesetVersion{&b.syntax, &b.run.program, b.weights_hash, adopted_numbers(b.run)});
  if (b.syntax.ruleset) report.version_line = b.syntax.ruleset->pos.line;
  if (!report.changes.empty() && a.run.program.version == b.run.program.version)
    report.warnings.push_back(fmt::format("the rules changed ({} change{}) but `version` is still {}: raise it so scores "
                                          "can be traced to the rules that made them",
                                          report.changes.size(), report.changes.size() == 1 ? "" : "s", b.run.program.version));
}

}  // namespace

int run_diff(const DiffRequest& request, std::string& out, std::string& err) {
  TempDir dir("leadscore-diff");
  Side sides[2];
  const std::string specs[2] = {request.old_rules, request.new_rules};
  for (int i = 0; i < 2; ++i) {
    sides[i].label = i == 0 ? "OLD" : "NEW";
    sides[i].shown = specs[i];
    RulesSpec spec;
    std::string error;
    if (!parse_rules_spec(specs[i], spec, error) || !check_out_rules(spec, dir, i == 0 ? "old" : "new", sides[i].files, error)) {
      err += fmt::format("leadscore diff: {}\n", error);
      return 1;
    }
  }
  for (auto& side : sides) score_side(side, request, err);
  for (const auto& side : sides)
    if (!side.compiled) {
      err += fmt::format("leadscore diff: {} ({}) does not compile; nothing was compared\n", side.label, side.shown);
      return 1;
    }
  const Side &a = sides[0], &b = sides[1];
  DiffReport report;
  report.old_side = summary_of(a);
  report.new_side = summary_of(b);
  report.shown_path = b.files.repo_path;
  report.annotate_path = b.files.annotate_path;
  compare_rules(a, b, report);
  if (!request.activities && (a.run.graph.needs_activity || b.run.graph.needs_activity)) {
    const std::string note =
        "the rules read activity events but no --activities file was given: activity rules are compared as if no "
        "lead had any event (give --activities FILE)";
    report.notes.push_back(note);
    err += fmt::format("leadscore diff: warning: {}\n", note);
  }
  if (compare_sides(sides, report)) {
    auto pairs = pair_leads(a, b, report);
    compare_mql(a, b, pairs, request.top, report);
    compare_firing(a, b, report);
    compare_classifies(sides, pairs, report);
    compare_scores(a, b, pairs, request.top, report);
  }
  check_thresholds(request.fail_if, report);

  switch (request.format) {
    case DiffFormat::Json: out += render_diff_json(report); break;
    case DiffFormat::Markdown: out += render_diff_text(report, true); break;
    case DiffFormat::Github: out += render_diff_github(report); break;
    case DiffFormat::Text: out += render_diff_text(report, false); break;
  }
  for (const auto& w : report.warnings) err += fmt::format("leadscore diff: warning: {}\n", w);
  for (const auto& v : report.violated) err += fmt::format("leadscore diff: threshold exceeded: {}\n", v);
  if (!report.both) return 1;
  return report.violated.empty() ? 0 : 3;
}

}  // namespace leadscore::jobs

#include "jobs/account_calibration.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "calibrate/metrics.hpp"
#include "calibrate/pick.hpp"
#include "calibrate/time_split.hpp"
#include "engine/load/lead_table.hpp"
#include "io/csv_reader.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"
#include "jobs/calibrate_scale.hpp"
#include "jobs/unreadable_values.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;
using namespace leadscore::calibrate;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// The won and lost rows of the account outcomes file, each tied to its account.
struct AccountRows {
  std::vector<std::size_t> account;
  std::vector<std::uint8_t> won;
  std::vector<std::int64_t> closed_at;  // kNoInstant: not given
  std::vector<double> amount;           // NaN: none
  std::uint64_t rows = 0, open = 0, unknown = 0, before_as_of = 0;
  bool has_closed_at = false;
};

bool read_account_rows(const OutcomeOptions& o, const PreparedRun& run, AccountRows& out, std::string& error) {
  std::unordered_map<std::string_view, std::size_t> account_of;
  for (std::size_t a = 0; a < run.accounts.keys.size(); ++a) account_of.emplace(run.accounts.keys[a], a);
  io::CsvReader reader(o.delimiter);
  std::vector<std::int32_t> pos;
  if (!open_outcomes_csv(o, "account_id", reader, pos, error)) return false;
  io::CsvRecord record;
  out.has_closed_at = pos[2] >= 0;
  Unreadable unreadable;
  while (reader.next(record)) {
    ++out.rows;
    auto cell = [&](std::size_t c) -> std::string_view {
      if (pos[c] < 0 || static_cast<std::size_t>(pos[c]) >= record.fields.size()) return {};
      return io::trim_blanks(record.fields[static_cast<std::size_t>(pos[c])]);
    };
    const Status status = classify_outcome(cell(1), o);
    if (!closed(status)) {
      ++out.open;
      continue;
    }
    auto it = account_of.find(cell(0));
    if (it == account_of.end()) {
      ++out.unknown;
      continue;
    }
    std::int64_t closed_at = kNoInstant;
    if (pos[2] >= 0) {
      auto t = io::parse_timestamp(cell(2), o.closed_at_zone);
      if (t.has_value()) closed_at = t.value;
      else if (t.unparseable()) unreadable.note(record.line, cell(2));
    }
    if (closed_at != kNoInstant && closed_at < run.as_of) {
      ++out.before_as_of;
      continue;
    }
    double amount = kNaN;
    if (pos[3] >= 0)
      if (auto a = io::parse_number(cell(3)); a.has_value()) amount = a.value;
    out.account.push_back(it->second);
    out.won.push_back(status == Status::Won);
    out.closed_at.push_back(closed_at);
    out.amount.push_back(amount);
  }
  if (!reader.error().empty()) {
    error = reader.error();
    return false;
  }
  if (unreadable.count) {
    error = fmt::format("{} line {}: closed_at \"{}\" (column \"{}\") cannot be read{}; closed_at must be a date or a "
                        "timestamp with a zone (or none, with --closed-at-zone)",
                        *o.file, unreadable.line, unreadable.value, o.closed_at_column,
                        unreadable.count > 1 ? fmt::format(" (and {} more)", unreadable.count - 1) : "");
    return false;
  }
  return true;
}

// The account score of each lead: the sum of its account sections (after their limits).
std::vector<double> account_score(const Graph& g, const SectionScores& s) {
  std::vector<double> total(s.score.size(), 0.0);
  for (std::size_t sec = 0; sec < g.sections.size(); ++sec)
    if (g.sections[sec].account)
      for (std::size_t l = 0; l < total.size(); ++l) total[l] += s.value[sec][l];
  return total;
}

PointsTable with_fit(PointsTable table, const std::vector<OrdinalColumn>& accounts, const RuleFit& fit) {
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    auto& entry = table[accounts[i].ordinal];
    entry.points = fit.points[i];
    entry.cap = fit.caps[i];
  }
  return table;
}

}  // namespace

std::vector<OrdinalColumn> columns_with_ordinals(const PreparedRun& run) {
  std::vector<calibrate::RuleColumn> columns = rule_columns(run);
  std::vector<OrdinalColumn> out;
  std::size_t i = 0;
  for (const auto& s : run.graph.sections)
    for (const auto& r : s.rules)
      out.push_back(OrdinalColumn{static_cast<std::size_t>(r.ordinal), s.account, std::move(columns[i++])});
  return out;
}

bool fit_account_rules(const CalibrateRequest& req, const PreparedRun& run, const std::vector<OrdinalColumn>& columns,
                       AccountFit& fit, std::string& error) {
  const OutcomeOptions& o = *req.account_outcomes;
  const Graph& g = run.graph;
  const AccountState& state = run.accounts;
  AccountRows rows;
  if (!read_account_rows(o, run, rows, error)) return false;

  // Every lead of an account holds the account's values: its first lead stands for it.
  std::vector<std::int64_t> first_lead(state.accounts, -1);
  for (std::size_t l = 0; l < state.group.size(); ++l) {
    const auto a = static_cast<std::size_t>(state.group[l]);
    if (a < state.accounts && first_lead[a] < 0) first_lead[a] = static_cast<std::int64_t>(l);
  }
  const std::size_t n = rows.account.size();
  std::vector<std::size_t> lead_of(n);
  for (std::size_t i = 0; i < n; ++i) lead_of[i] = static_cast<std::size_t>(first_lead[rows.account[i]]);

  AccountCalibration& s = fit.summary;
  s.outcomes = fmt::format("{} joined on {} (won: {}; lost: {}; anything else open)", *o.file, o.id_column,
                           join(o.won), join(o.lost));
  s.accounts = state.accounts;
  s.rows = rows.rows;
  s.closed = n;
  for (auto y : rows.won) s.won += y;
  s.lost = n - s.won;
  s.open = rows.open;
  s.excluded = rows.unknown + rows.before_as_of;
  if (rows.open) s.exclusions.push_back(fmt::format("{} open rows (outcome neither won nor lost)", rows.open));
  if (rows.unknown)
    s.exclusions.push_back(fmt::format("{} closed rows for ids that are no account of the leads (ignored)", rows.unknown));
  if (rows.before_as_of)
    s.exclusions.push_back(fmt::format("{} rows closed before --as-of {} (the account's rules would see the outcome)",
                                       rows.before_as_of, io::format_timestamp(run.as_of)));
  if (s.won == 0 || s.lost == 0) {
    error = fmt::format("cannot calibrate the account rules: {} won and {} lost rows in {}; both are needed{}", s.won,
                        s.lost, *o.file, s.exclusions.empty() ? " (check --won/--lost)" : " (" + join(s.exclusions) + ")");
    return false;
  }

  // The account rules' columns, one row per outcome row.
  std::vector<OrdinalColumn> account_columns;
  for (const auto& c : columns) {
    if (!c.account) continue;
    OrdinalColumn a{c.ordinal, true, {}};
    a.column.label = c.column.label;
    a.column.section = c.column.section;
    a.column.each = c.column.each;
    a.column.written_points = c.column.written_points;
    a.column.written_cap = c.column.written_cap;
    a.column.feature = pick(c.column.feature, lead_of);
    a.column.matched = pick(c.column.matched, lead_of);
    account_columns.push_back(std::move(a));
  }
  std::vector<RuleColumn> fit_columns;
  for (const auto& a : account_columns) fit_columns.push_back(a.column);
  RuleFitOptions options;
  options.method = req.method;
  options.l2 = req.l2;
  options.pdo = req.pdo;
  options.min_support = req.min_support;

  // Adoption and the account score are measured on each account with an outcome once, by its first
  // lead: won when any of its rows is won.
  std::vector<std::uint8_t> lead_won(run.leads.rows, 0);
  auto leads_of = [&](const std::vector<std::size_t>& part) {
    std::vector<std::size_t> leads;
    for (auto i : part) {
      leads.push_back(lead_of[i]);
      if (rows.won[i]) lead_won[lead_of[i]] = 1;
    }
    std::sort(leads.begin(), leads.end());
    leads.erase(std::unique(leads.begin(), leads.end()), leads.end());
    return leads;
  };
  const SectionScores written = score_sections(run, {});
  const std::vector<double> written_account = account_score(g, written);

  // ---- backtest: the rows that closed last are the test part -------------------------------
  std::vector<std::int64_t> times(n);
  const bool by_date = rows.has_closed_at &&
                       std::none_of(rows.closed_at.begin(), rows.closed_at.end(), [](auto t) { return t == kNoInstant; });
  for (std::size_t i = 0; i < n; ++i) times[i] = by_date ? rows.closed_at[i] : static_cast<std::int64_t>(i);
  s.time_order = by_date ? "closed_at of the outcome rows" : "row order of the outcomes file (not every row has a closed_at)";
  TimeSplit split = time_split(times, req.test_fraction);
  auto describe_part = [&](const std::vector<std::size_t>& part, SplitPart& out) {
    out.leads = part.size();
    for (auto i : part) out.won += rows.won[i];
    if (part.empty()) return;
    auto [lo, hi] = std::minmax_element(part.begin(), part.end(), [&](auto a, auto b) { return times[a] < times[b]; });
    auto text = [&](std::size_t i) { return by_date ? io::format_timestamp(times[i]) : fmt::format("row {}", i + 1); };
    out.first = text(*lo);
    out.last = text(*hi);
  };
  describe_part(split.train, s.train);
  describe_part(split.test, s.test);
  std::vector<std::uint8_t> label = rows.won;
  s.has_backtest = s.train.won > 0 && s.train.won < s.train.leads && s.test.won > 0 && s.test.won < s.test.leads;
  s.written_auc = s.calibrated_auc = kNaN;
  if (s.has_backtest) {
    RuleFit train_fit = fit_rules(fit_columns, split.train, label, options);
    const std::vector<std::size_t> train_leads = leads_of(split.train);
    AdoptedScale adopted = adopt_scale_for(run, written, with_fit(run.points, account_columns, train_fit), train_leads, lead_won);
    const std::vector<double> calibrated_account = account_score(g, adopted.scores);
    std::vector<double> w, c;
    for (auto i : split.test) w.push_back(written_account[lead_of[i]]), c.push_back(calibrated_account[lead_of[i]]);
    const auto y = pick(label, split.test);
    s.written_auc = calibrate::auc(w, y);
    s.calibrated_auc = calibrate::auc(c, y);
    if (!(s.calibrated_auc > s.written_auc))
      fit.warnings.push_back({"backtest", fmt::format("calibrated account points rank the test accounts no better than "
                                                      "the written ones (AUC {:.3f} vs {:.3f})",
                                                      s.calibrated_auc, s.written_auc)});
  } else {
    fit.warnings.push_back({"backtest", fmt::format("no account backtest: the train part ({} rows, {} won) and the test "
                                                    "part ({} rows, {} won) each need won and lost rows",
                                                    s.train.leads, s.train.won, s.test.leads, s.test.won)});
  }

  // ---- final weights: every won or lost row --------------------------------------------------
  std::fill(lead_won.begin(), lead_won.end(), 0);
  std::vector<std::size_t> every(n);
  for (std::size_t i = 0; i < n; ++i) every[i] = i;
  s.base_rate = static_cast<double>(s.won) / static_cast<double>(n);
  RuleFit final_fit = fit_rules(fit_columns, every, label, options);
  s.intercept = final_fit.intercept;
  EvidenceOptions evidence_options;
  evidence_options.min_support = req.min_support;
  for (std::size_t j = 0; j < account_columns.size(); ++j) {
    const RuleColumn& c = account_columns[j].column;
    RuleWeight r;
    r.label = c.label;
    r.section = c.section;
    r.each = c.each;
    r.written_points = c.written_points;
    r.written_cap = c.written_cap;
    r.points = final_fit.points[j];
    r.cap = final_fit.caps[j];
    r.status = final_fit.low_support[j] ? "low_support" : "calibrated";
    r.log_odds = final_fit.log_odds[j];
    r.evidence = rule_evidence(r.label, c.matched, label, evidence_options);
    if (r.evidence.low_support)
      fit.warnings.push_back({"evidence", fmt::format("account rule \"{}\" matched {} closed accounts' rows (fewer than "
                                                      "--min-support {}): it keeps its written {} points",
                                                      r.label, r.evidence.matched, req.min_support,
                                                      io::format_number(r.written_points))});
    else if (!r.evidence.significant)
      fit.warnings.push_back({"evidence", fmt::format("account rule \"{}\": close rate {:.1f}% (95% interval {:.1f}% to "
                                                      "{:.1f}%) is not distinguishable from the accounts' base rate {:.1f}%",
                                                      r.label, 100 * r.evidence.close_rate, 100 * r.evidence.wilson.low,
                                                      100 * r.evidence.wilson.high, 100 * r.evidence.base_rate)});
    fit.rules.emplace_back(account_columns[j].ordinal, std::move(r));
  }
  fit.points = with_fit(run.points, account_columns, final_fit);
  AdoptedScale final_scale = adopt_scale_for(run, written, fit.points, leads_of(every), lead_won);
  fit.adoption = std::move(final_scale.report);

  // ---- each lead's account outcome, for leads without outcomes of their own --------------------
  fit.lead_status.assign(run.leads.rows, Status::NoOutcome);
  fit.lead_closed_at.assign(run.leads.rows, kNoInstant);
  fit.lead_amount.assign(run.leads.rows, kNaN);
  std::vector<std::int64_t> row_of_account(state.accounts, -1);  // its won row if any, else its first row
  for (std::size_t i = 0; i < n; ++i) {
    auto& r = row_of_account[rows.account[i]];
    if (r < 0 || (rows.won[i] && !rows.won[static_cast<std::size_t>(r)])) r = static_cast<std::int64_t>(i);
  }
  for (std::size_t l = 0; l < run.leads.rows; ++l) {
    const auto a = static_cast<std::size_t>(state.group[l]);
    if (a >= state.accounts || row_of_account[a] < 0) continue;
    const auto i = static_cast<std::size_t>(row_of_account[a]);
    fit.lead_status[l] = rows.won[i] ? Status::Won : Status::Lost;
    fit.lead_closed_at[l] = rows.closed_at[i];
    fit.lead_amount[l] = rows.amount[i];
  }
  return true;
}

void merge_account_adoption(const Graph& graph, const Adoption& account, Adoption& lead) {
  auto is_account_section = [&](const std::string& name) {
    return std::any_of(graph.sections.begin(), graph.sections.end(),
                       [&](const SectionPlan& s) { return s.account && s.name == name; });
  };
  auto is_account_output = [&](const std::string& name) {
    return std::any_of(graph.classifies.begin(), graph.classifies.end(), [&](const ClassifyPlan& c) {
      return c.account && name.rfind(c.name + " \"", 0) == 0;
    });
  };
  std::erase_if(lead.limits, [&](const AdoptedLimit& l) { return is_account_section(l.section); });
  std::erase_if(lead.thresholds, [&](const AdoptedThreshold& t) { return is_account_section(t.score); });
  std::erase_if(lead.outputs, [&](const OutputShare& o) { return is_account_output(o.name); });
  for (const auto& l : account.limits)
    if (is_account_section(l.section)) lead.limits.push_back(l);
  for (const auto& t : account.thresholds)
    if (is_account_section(t.score)) lead.thresholds.push_back(t);
  for (const auto& o : account.outputs)
    if (is_account_output(o.name)) lead.outputs.push_back(o);
}

}  // namespace leadscore::jobs

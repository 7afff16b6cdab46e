#include "jobs/calibrate_job.hpp"
#include "jobs/batches.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>

#include "jobs/outcome_join.hpp"
#include "jobs/weights_check.hpp"
#include "calibrate/logistic.hpp"
#include "calibrate/model_backtest.hpp"
#include "calibrate/platt.hpp"
#include "calibrate/rule_fit.hpp"
#include "calibrate/scorecard.hpp"
#include "calibrate/stats_intervals.hpp"
#include "calibrate/time_split.hpp"
#include "calibrate/walk_forward.hpp"
#include "common/hash.hpp"
#include "jobs/result_writer.hpp"
#include "io/csv_reader.hpp"
#include "io/input_file.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;
using namespace leadscore::calibrate;

bool parse_delay(const std::string& text, std::int64_t& micros) {
  if (text == "0") {
    micros = 0;
    return true;
  }
  if (text.size() < 2) return false;
  std::int64_t unit = 0;
  switch (text.back()) {
    case 'h': unit = 3600 * io::kMicrosPerSecond; break;
    case 'd': unit = io::kMicrosPerDay; break;
    case 'w': unit = 7 * io::kMicrosPerDay; break;
    default: return false;
  }
  auto n = io::parse_int(text.substr(0, text.size() - 1));
  if (!n.has_value() || n.value < 0 || n.value > 100000) return false;
  micros = n.value * unit;
  return true;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

bool hash_file(const std::string& path, std::string& hex, std::string& error) {
  io::InputSource piped;  // stdin or a FIFO was read into memory when the run read it
  if (io::open_input(path, piped, error) && piped.in_memory()) {
    hex = fnv1a_hex(piped.memory);
    return true;
  }
  if (piped.fd >= 0) ::close(piped.fd);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fmt::format("cannot read {}", path);
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  hex = fnv1a_hex(buffer.str());
  return true;
}

using Evaluation = ScoredLeads;

// Scores every lead with `points` in place of the written points (and `caps` for each-rules);
// multipliers and section limits as written. The run's graph and points are left as they are.
Evaluation evaluate_with(const PreparedRun& run, const std::vector<double>& points,
                         const std::vector<std::optional<double>>& caps) {
  engine::PointsTable table = engine::written_points(run.graph);
  for (std::size_t i = 0; i < table.size(); ++i) {
    table[i].points = points[i];
    table[i].cap = caps[i];  // only each-rules read a cap
  }
  Evaluation e;
  e.score.resize(run.leads.rows);
  e.mql.assign(run.leads.rows, 0);
  for_each_batch(
      run,
      [&](const engine::BatchInput& batch, const engine::BatchState& state) {
        const double* score = state.view(run.graph.score).num;
        for (std::size_t r = 0; r < batch.rows; ++r) {
          e.score[batch.first_lead + r] = score[r];
          if (run.graph.has_mql) e.mql[batch.first_lead + r] = state.view(run.graph.mql).truth[r] == engine::kTrue;
        }
      },
      &table);
  return e;
}

}  // namespace

// One column per rule (declaration order): the indicator the fit uses for each lead, read from the
// outcome record with the written points. When-rules: 1 when fired. Each-rules: the events counted
// as the written rule counts them (after its `max M`, decayed when it decays).
std::vector<RuleColumn> rule_columns(const PreparedRun& run) {
  std::vector<RuleColumn> cols;
  const engine::PointsTable written = engine::written_points(run.graph);
  std::vector<const engine::RulePlan*> plans;
  for (const auto& s : run.graph.sections)
    for (const auto& r : s.rules) {
      RuleColumn c;
      c.label = r.label;
      c.section = s.name;
      c.each = r.each;
      c.written_points = r.points;
      c.written_cap = r.cap;
      c.feature.resize(run.leads.rows);
      c.matched.resize(run.leads.rows);
      cols.push_back(std::move(c));
      plans.push_back(&r);
    }
  engine::LeadRecord record;
  for_each_batch(
      run,
      [&](const engine::BatchInput& batch, const engine::BatchState& state) {
        for (std::size_t row = 0; row < batch.rows; ++row) {
          const std::size_t lead = batch.first_lead + row;
          engine::record_lead(run.graph, written, batch, state, row, record);
          for (std::size_t i = 0; i < plans.size(); ++i) {
            const engine::RulePlan& r = *plans[i];
            const engine::RuleOutcome& o = record.rules[static_cast<std::size_t>(r.ordinal)];
            const double points = written[static_cast<std::size_t>(r.ordinal)].points;
            double v = !r.each ? (o.fired ? 1.0 : 0.0) : points != 0 ? o.contribution / points : o.amount;
            cols[i].feature[lead] = v;
            cols[i].matched[lead] = v > 0;
          }
        }
      },
      &written);
  return cols;
}

namespace {

template <class T>
std::vector<T> pick(const std::vector<T>& v, const std::vector<std::size_t>& rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (auto r : rows) out.push_back(v[r]);
  return out;
}

std::string row_text(const engine::LeadTable& leads, std::size_t lead) {
  return fmt::format("row {}", leads.lines[lead] - 1);
}

// The plain logistic baseline: every column of the leads file but the excluded ones; a column whose
// every non-empty cell is a number is numeric (standardised on train, missing = train mean), any
// other is one-hot over its train values.
bool baseline_onehot(const CalibrateRequest& req, const engine::LeadTable& leads, const std::vector<std::uint8_t>& label,
                     const std::vector<std::size_t>& train, const std::vector<std::size_t>& test, std::uint64_t volume, ModelBacktest& result,
                     std::string& description, std::string& error) {
  // Every column of the leads file (the run kept them all as extra text) but the excluded ones.
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> cells;
  for (std::size_t c = 0; c < leads.extra_names.size(); ++c) {
    const std::string& name = leads.extra_names[c];
    bool excluded = std::find(req.baseline_exclude.begin(), req.baseline_exclude.end(), name) != req.baseline_exclude.end();
    if (req.outcomes.leads_column && name == *req.outcomes.leads_column) excluded = true;
    if (req.outcomes.leads_amount_column && name == *req.outcomes.leads_amount_column) excluded = true;
    if (excluded || std::find(columns.begin(), columns.end(), name) != columns.end()) continue;
    columns.push_back(name);
    const engine::Column& column = leads.extra[c];
    auto& text = cells.emplace_back(leads.rows);
    for (std::size_t l = 0; l < leads.rows; ++l)
      if (column.valid[l]) text[l] = std::string(column.str[l]);
  }
  (void)error;

  struct Encoded {
    bool numeric = true;
    double mean = 0, sd = 1;
    std::vector<std::string> levels;
  };
  std::vector<Encoded> enc(columns.size());
  std::size_t features = 0;
  std::vector<std::string> numeric_names, text_names;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    auto& e = enc[c];
    for (const auto& v : cells[c])
      if (!v.empty() && !io::parse_number(v).has_value()) {
        e.numeric = false;
        break;
      }
    if (e.numeric) {
      double sum = 0, sq = 0, n = 0;
      for (auto r : train)
        if (auto v = io::parse_number(cells[c][r]); v.has_value()) {
          sum += v.value;
          sq += v.value * v.value;
          n += 1;
        }
      e.mean = n ? sum / n : 0;
      e.sd = n ? std::sqrt(std::max(0.0, sq / n - e.mean * e.mean)) : 1;
      if (!(e.sd > 0)) e.sd = 1;
      features += 1;
      numeric_names.push_back(columns[c]);
    } else {
      std::map<std::string, bool> levels;
      for (auto r : train) levels[cells[c][r]] = true;
      for (const auto& [level, _] : levels) e.levels.push_back(level);
      features += e.levels.size();
      text_names.push_back(fmt::format("{} ({} values)", columns[c], e.levels.size()));
    }
  }
  auto encode = [&](const std::vector<std::size_t>& rows, std::vector<double>& x) {
    x.assign(rows.size() * features, 0.0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      std::size_t f = 0;
      double* row = x.data() + i * features;
      for (std::size_t c = 0; c < columns.size(); ++c) {
        const auto& e = enc[c];
        const std::string& v = cells[c][rows[i]];
        if (e.numeric) {
          auto parsed = io::parse_number(v);
          row[f++] = parsed.has_value() ? (parsed.value - e.mean) / e.sd : 0.0;
        } else {
          auto it = std::lower_bound(e.levels.begin(), e.levels.end(), v);
          if (it != e.levels.end() && *it == v) row[f + static_cast<std::size_t>(it - e.levels.begin())] = 1.0;
          f += e.levels.size();
        }
      }
    }
  };
  std::vector<double> x_train, x_test;
  encode(train, x_train);
  encode(test, x_test);
  LogisticOptions options;
  options.l2 = req.l2;
  LogisticFit fit = fit_logistic(x_train, features, pick(label, train), options);
  std::vector<double> p(test.size());
  for (std::size_t i = 0; i < test.size(); ++i)
    p[i] = logistic_probability(fit, std::span<const double>(x_test.data() + i * features, features));
  result = backtest_model(p, p, pick(label, test), nullptr, volume);
  description = fmt::format("L2 logistic regression (lambda {}), {} features: numeric {}; one-hot {}",
                            io::format_number(req.l2), features, join(numeric_names, ", "), join(text_names, ", "));
  return true;
}

std::string pct(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.1f}%", 100 * v); }

}  // namespace

bool run_calibrate(const CalibrateRequest& req, Diagnostics& diags, Weights& w, std::string& error) {
  if (req.method != "logistic" && req.method != "loglift") {
    error = fmt::format("--method takes logistic or loglift, not \"{}\"", req.method);
    return false;
  }
  RunInputs inputs = req.inputs;
  inputs.use_calibration = false;
  LeadFacts facts;
  std::uint64_t no_cutoff = 0;
  inputs.before_events = [&](const ir::Program& program, engine::LeadTable& leads, std::string& err) {
    return read_lead_facts(req, program, leads, facts, no_cutoff, err);
  };
  PreparedRun run;
  if (!prepare_rules(inputs, diags, run, error)) return false;
  for (const auto* name : {&req.outcomes.leads_column, &req.outcomes.leads_amount_column, &req.source_field,
                           &req.cutoff_field, &req.time_field})
    if (*name) inputs.read.extra_columns.push_back(column_for(run.program, **name));
  inputs.read.all_columns_extra = req.baseline_onehot;
  if (!load_run_data(inputs, run, error)) return false;
  const auto& leads = run.leads;
  const std::size_t n = leads.rows;

  // ---- data description -------------------------------------------------------------------
  w = Weights{};
  w.ruleset = run.program.name;
  w.ruleset_version = run.program.version;
  w.rules_hash = run.program.rules_hash;
  w.created_by = req.created_by;
  w.method = req.method;
  w.each_feature = req.method == "logistic"
                       ? "events counted as the written rule counts them (capped, decayed); points per event"
                       : "indicator: at least one event; points per event = weight / mean events of matched leads";
  w.pdo = req.pdo;
  w.l2 = req.l2;
  w.min_support = req.min_support;
  w.test_fraction = req.test_fraction;
  std::string hex;
  if (!hash_file(req.inputs.leads, hex, error)) return false;
  w.inputs.push_back(InputFile{"leads", req.inputs.leads, hex, leads.rows_read});
  if (req.inputs.activities && run.had_activities) {
    if (!hash_file(*req.inputs.activities, hex, error)) return false;
    w.inputs.push_back(InputFile{"activities", *req.inputs.activities, hex, run.events.read});
  }
  if (req.outcomes.file) {
    if (!hash_file(*req.outcomes.file, hex, error)) return false;
    w.inputs.push_back(InputFile{"outcomes", *req.outcomes.file, hex, facts.outcome_rows});
    w.outcome_source = fmt::format("{} joined on {} (won: {}; lost: {}; anything else open)", *req.outcomes.file,
                                   req.outcomes.id_column, join(req.outcomes.won, ", "), join(req.outcomes.lost, ", "));
  } else {
    w.outcome_source = fmt::format("column \"{}\" of the leads file (won: {}; lost: {}; anything else open)",
                                   req.outcomes.leads_column.value_or(""), join(req.outcomes.won, ", "),
                                   join(req.outcomes.lost, ", "));
  }
  w.point_in_time = req.cutoff_field ? fmt::format("each lead as of {} + {} days", *req.cutoff_field,
                                                   io::format_number(static_cast<double>(req.cutoff_delay) /
                                                                     static_cast<double>(io::kMicrosPerDay)))
                                     : fmt::format("every lead as of {}", io::format_timestamp(req.inputs.as_of));
  w.time_order = req.time_field ? fmt::format("lead field {}", *req.time_field)
                 : req.cutoff_field ? fmt::format("cutoff ({} + delay)", *req.cutoff_field)
                                    : "row order of the leads file";
  const bool time_is_rows = !req.time_field && !req.cutoff_field;

  std::vector<std::size_t> closed;
  std::vector<std::uint8_t> label(n, 0);
  std::map<Status, std::uint64_t> counts;
  for (std::size_t l = 0; l < n; ++l) {
    ++counts[facts.status[l]];
    if (facts.status[l] == Status::Won || facts.status[l] == Status::Lost) {
      closed.push_back(l);
      label[l] = facts.status[l] == Status::Won;
    }
  }
  w.leads = n;
  w.closed = closed.size();
  w.won = counts[Status::Won];
  w.lost = counts[Status::Lost];
  w.open = counts[Status::Open];
  w.excluded = counts[Status::NoOutcome] + counts[Status::NoCutoff] + counts[Status::ClosedBeforeCutoff] +
               counts[Status::NoTime];
  if (counts[Status::Open]) w.exclusions.push_back(fmt::format("{} open (outcome neither won nor lost)", counts[Status::Open]));
  if (counts[Status::NoOutcome])
    w.exclusions.push_back(fmt::format("{} without a row in the outcomes file", counts[Status::NoOutcome]));
  if (no_cutoff) w.exclusions.push_back(fmt::format("{} without a readable {}", no_cutoff, *req.cutoff_field));
  if (counts[Status::ClosedBeforeCutoff])
    w.exclusions.push_back(fmt::format("{} closed before their cutoff (their features would see the outcome)",
                                       counts[Status::ClosedBeforeCutoff]));
  if (counts[Status::NoTime])
    w.exclusions.push_back(fmt::format("{} without a readable {}", counts[Status::NoTime], req.time_field.value_or("")));
  if (facts.outcome_unknown_ids)
    w.exclusions.push_back(fmt::format("{} outcome rows for ids that are not leads (ignored)", facts.outcome_unknown_ids));
  if (facts.outcome_duplicates)
    w.exclusions.push_back(fmt::format("{} repeated outcome rows (the first one counts)", facts.outcome_duplicates));

  if (w.won == 0 || w.lost == 0) {
    error = fmt::format("cannot calibrate: {} won and {} lost leads; both are needed ({})", w.won, w.lost,
                        w.exclusions.empty() ? "check --won/--lost" : join(w.exclusions, "; "));
    return false;
  }
  w.base_rate = static_cast<double>(w.won) / static_cast<double>(w.closed);
  w.factor = req.pdo / std::numbers::ln2;
  RuleFitOptions fit_options;
  fit_options.method = req.method;
  fit_options.l2 = req.l2;
  fit_options.pdo = req.pdo;
  fit_options.min_support = req.min_support;
  WalkForwardOptions walk_options;
  walk_options.refit_every = req.refit_every;
  walk_options.window = req.refit_window;
  walk_options.curve_window = req.curve_window;

  // ---- features, split -------------------------------------------------------------------
  std::vector<RuleColumn> cols = rule_columns(run);
  std::vector<double> written_points;
  std::vector<std::optional<double>> written_caps;
  for (const auto& c : cols) {
    written_points.push_back(c.written_points);
    written_caps.push_back(c.written_cap);
  }
  std::vector<std::int64_t> times = pick(facts.time, closed);
  TimeSplit split = time_split(times, req.test_fraction);
  std::vector<std::size_t> train, test;  // lead ordinals
  for (auto i : split.train) train.push_back(closed[i]);
  for (auto i : split.test) test.push_back(closed[i]);
  auto describe_part = [&](const std::vector<std::size_t>& part, SplitPart& out) {
    out.leads = part.size();
    for (auto l : part) out.won += label[l];
    if (part.empty()) return;
    auto [lo, hi] = std::minmax_element(part.begin(), part.end(),
                                        [&](std::size_t a, std::size_t b) { return facts.time[a] < facts.time[b]; });
    out.first = time_is_rows ? row_text(leads, *lo) : io::format_timestamp(facts.time[*lo]);
    out.last = time_is_rows ? row_text(leads, *hi) : io::format_timestamp(facts.time[*hi]);
  };
  describe_part(train, w.train);
  describe_part(test, w.test);

  Evaluation written = evaluate_with(run, written_points, written_caps);

  // ---- backtest: fit on train, judge on test ------------------------------------------------
  const bool can_backtest = w.train.won > 0 && w.train.won < w.train.leads && w.test.won > 0 && w.test.won < w.test.leads;
  if (can_backtest) {
    RuleFit fit = fit_rules(cols, train, label, fit_options);
    Evaluation calibrated = evaluate_with(run, fit.points, fit.caps);
    auto y_train = pick(label, train), y_test = pick(label, test);
    PlattModel platt_written = platt_fit(pick(written.score, train), y_train);
    PlattModel platt_calibrated = platt_fit(pick(calibrated.score, train), y_train);
    auto probabilities = [&](const PlattModel& m, const std::vector<double>& scores) {
      std::vector<double> p;
      for (auto l : test) p.push_back(m.predict(scores[l]));
      return p;
    };
    auto mql_written = pick(written.mql, test), mql_calibrated = pick(calibrated.mql, test);
    std::uint64_t volume = std::accumulate(mql_written.begin(), mql_written.end(), std::uint64_t{0});
    if (!run.graph.has_mql) volume = test.size() / 10;
    w.has_backtest = true;
    w.written = backtest_model(pick(written.score, test), probabilities(platt_written, written.score), y_test,
                         run.graph.has_mql ? &mql_written : nullptr, volume);
    w.calibrated = backtest_model(pick(calibrated.score, test), probabilities(platt_calibrated, calibrated.score), y_test,
                            run.graph.has_mql ? &mql_calibrated : nullptr, volume);
    if (req.baseline_onehot) {
      ModelBacktest b;
      if (!baseline_onehot(req, leads, label, train, test, volume, b, w.baseline_description, error)) return false;
      w.baseline = std::move(b);
    }
    const double train_rate = static_cast<double>(w.train.won) / static_cast<double>(w.train.leads);
    const double test_rate = static_cast<double>(w.test.won) / static_cast<double>(w.test.leads);
    if (differs_from(wilson_interval(w.train.won, w.train.leads), test_rate) &&
        (test_rate > 1.25 * train_rate || test_rate < 0.8 * train_rate))
      w.warnings.push_back(fmt::format(
          "the close rate moved from {} (train, older leads) to {} (test, newer leads): p_close is calibrated to "
          "the past rate, so treat it as a ranking until it is recalibrated on recent outcomes{}",
          pct(train_rate), pct(test_rate),
          req.refit_every ? "" : " (--refit-every N backtests refitting as outcomes arrive)"));
    if (w.calibrated.auc <= w.written.auc)
      w.warnings.push_back(fmt::format("calibrated points rank the test leads no better than the written ones (AUC {:.3f} "
                                       "vs {:.3f})", w.calibrated.auc, w.written.auc));
    if (req.refit_every > 0) {
      auto plan = plan_walk_forward(facts.time, closed, test, walk_options);
      auto score_with = [&](const RuleFit& f) { return evaluate_with(run, f.points, f.caps); };
      auto predictions = walk_forward_predict(plan, cols, label, written, fit_options, score_with);
      auto describe = [&](std::size_t l) { return time_is_rows ? row_text(leads, l) : io::format_timestamp(facts.time[l]); };
      w.walk_forward = summarize_walk_forward(walk_options, plan, predictions, label, run.graph.has_mql, volume, describe);
      const auto& wf = *w.walk_forward;
      if (!(wf.calibrated_chunk_auc > wf.written_chunk_auc))
        w.warnings.push_back(fmt::format("walk-forward: calibrated points rank leads within a chunk no better than the "
                                         "written ones (mean AUC {:.3f} vs {:.3f})",
                                         wf.calibrated_chunk_auc, wf.written_chunk_auc));
    }
  } else {
    w.warnings.push_back(fmt::format("no backtest: the train part ({} leads, {} won) and the test part ({} leads, {} won) "
                                     "each need won and lost leads",
                                     w.train.leads, w.train.won, w.test.leads, w.test.won));
  }

  // ---- final weights: every closed lead -----------------------------------------------------
  // With walk-forward windows, the final weights come from the same procedure the walk-forward
  // backtest judged: the most recent closed leads.
  std::vector<std::size_t> fit_rows = closed, curve_rows = closed;
  if (req.refit_every > 0) {
    fit_rows = most_recent_leads(facts.time, closed, walk_options.window);
    curve_rows = most_recent_leads(facts.time, closed, req.curve_window ? req.curve_window : walk_options.window);
    SplitPart fit_part, curve_part;
    describe_part(fit_rows, fit_part);
    describe_part(curve_rows, curve_part);
    w.final_fit = fit_part;
    w.final_curve = curve_part;
    if (fit_part.won == 0 || fit_part.won == fit_part.leads || curve_part.won == 0 || curve_part.won == curve_part.leads) {
      error = fmt::format("cannot fit the final weights: the most recent {} closed leads ({} won) or {} ({} won) lack won "
                          "or lost leads; widen --refit-window / --curve-window",
                          fit_part.leads, fit_part.won, curve_part.leads, curve_part.won);
      return false;
    }
  }
  RuleFit final_fit = fit_rules(cols, fit_rows, label, fit_options);
  w.intercept = final_fit.intercept;
  auto y_closed = pick(label, fit_rows);
  EvidenceOptions evidence_options;
  evidence_options.min_support = req.min_support;
  for (std::size_t j = 0; j < cols.size(); ++j) {
    RuleWeight r;
    r.label = cols[j].label;
    r.section = cols[j].section;
    r.each = cols[j].each;
    r.written_points = cols[j].written_points;
    r.written_cap = cols[j].written_cap;
    r.points = final_fit.points[j];
    r.cap = final_fit.caps[j];
    r.status = final_fit.low_support[j] ? "low_support" : "calibrated";
    r.log_odds = final_fit.log_odds[j];
    r.evidence = rule_evidence(r.label, pick(cols[j].matched, fit_rows), y_closed, evidence_options);
    if (r.evidence.low_support)
      w.warnings.push_back(fmt::format("rule \"{}\" matched {} closed leads (fewer than --min-support {}): it keeps its "
                                       "written {} points",
                                       r.label, r.evidence.matched, req.min_support, io::format_number(r.written_points)));
    else if (!r.evidence.significant)
      w.warnings.push_back(fmt::format("rule \"{}\": close rate {} (95% interval {} to {}) is not distinguishable from "
                                       "the base rate {}",
                                       r.label, pct(r.evidence.close_rate), pct(r.evidence.wilson.low),
                                       pct(r.evidence.wilson.high), pct(r.evidence.base_rate)));
    w.rules.push_back(std::move(r));
  }
  Evaluation final_scores = evaluate_with(run, final_fit.points, final_fit.caps);
  auto final_curve_scores = pick(final_scores.score, curve_rows);
  auto y_curve = pick(label, curve_rows);
  PlattModel platt = platt_fit(final_curve_scores, y_curve);
  w.probability_method = "platt";
  w.platt_a = platt.a;
  w.platt_b = platt.b;
  w.isotonic = isotonic_fit(final_curve_scores, y_curve);

  // ---- revenue per won lead -------------------------------------------------------------------
  if (req.source_field) w.source_field = *req.source_field;
  std::map<std::string, std::pair<std::uint64_t, double>> by_source;
  double total = 0;
  for (auto l : closed) {
    if (!label[l]) continue;
    double amount = std::isnan(facts.amount[l]) ? req.won_value.value_or(kNaN) : facts.amount[l];
    if (std::isnan(amount)) continue;
    ++w.revenue_won;
    total += amount;
    if (req.source_field) {
      auto& s = by_source[facts.source[l]];
      ++s.first;
      s.second += amount;
    }
  }
  if (w.revenue_won) w.revenue_average = total / static_cast<double>(w.revenue_won);
  for (const auto& [source, s] : by_source)
    w.revenue_by_source.push_back(SourceRevenue{source, s.first, s.second / static_cast<double>(s.first)});

  if (w.won < 100)
    w.warnings.insert(w.warnings.begin(), fmt::format("only {} won leads: too few to trust calibrated points (100 or "
                                                      "more recommended)", w.won));
  if (!w.revenue_average)
    w.warnings.push_back("no amounts for won leads (--amount-column, the outcomes file's amount, or --won-value): "
                         "`score` leaves expected_value empty");
  return true;
}

std::string format_calibration_summary(const Weights& w) {
  std::string s;
  s += fmt::format("ruleset \"{}\" version {}: {} leads, {} closed ({} won, {} lost, base rate {}), {} open, {} excluded\n",
                   w.ruleset, w.ruleset_version, w.leads, w.closed, w.won, w.lost, pct(w.base_rate), w.open, w.excluded);
  s += fmt::format("method {}: train {} leads ({} to {}), test {} leads ({} to {})\n", w.method, w.train.leads,
                   w.train.first, w.train.last, w.test.leads, w.test.first, w.test.last);
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
  if (w.has_backtest) {
    auto line = [&](const char* name, const ModelBacktest& b) {
      return fmt::format("  {:<11} AUC {:.3f}  Brier {:.4f}  log loss {:.4f}  top-decile lift {:.2f}\n", name, b.auc,
                         b.brier, b.log_loss, b.deciles.empty() ? kNaN : b.deciles.front().lift);
    };
    s += "backtest on the test part:\n";
    s += line("written", w.written);
    s += line("calibrated", w.calibrated);
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
  for (const auto& warning : w.warnings) s += fmt::format("warning: {}\n", warning);
  return s;
}

}  // namespace leadscore::jobs

#include "jobs/calibrate_job.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <sstream>
#include <unistd.h>

#include <fmt/format.h>

#include "calibrate/model_backtest.hpp"
#include "calibrate/pick.hpp"
#include "calibrate/platt.hpp"
#include "calibrate/rule_fit.hpp"
#include "calibrate/stats_intervals.hpp"
#include "calibrate/time_split.hpp"
#include "calibrate/walk_forward.hpp"
#include "common/hash.hpp"
#include "engine/exec/outcome.hpp"
#include "io/csv_reader.hpp"
#include "io/input_file.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"
#include "jobs/account_calibration.hpp"
#include "jobs/baseline_onehot.hpp"
#include "jobs/batches.hpp"
#include "jobs/calibrate_scale.hpp"
#include "jobs/outcome_join.hpp"
#include "jobs/unreadable_values.hpp"
#include "jobs/weights_check.hpp"

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

std::string pct(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.1f}%", 100 * v); }

// `base` with the fitted lead rules' points: fit.points[i] is the rule of ordinal ordinals[i].
PointsTable points_of(PointsTable base, const std::vector<std::size_t>& ordinals, const RuleFit& fit) {
  for (std::size_t i = 0; i < ordinals.size(); ++i) {
    base[ordinals[i]].points = fit.points[i];
    base[ordinals[i]].cap = fit.caps[i];  // only each-rules read a cap
  }
  return base;
}

}  // namespace

// One column per rule (declaration order = ordinal order): the indicator the fit uses for each lead,
// read from the outcome record with the written points. When-rules: 1 when fired. Each-rules: the
// events counted as the written rule counts them (after its `max M`, decayed when it decays).
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
  for_each_batch(run, [&](const engine::BatchInput& batch, const engine::BatchState& state) {
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
  });
  return cols;
}

namespace {

// "lead_id runs backwards": consecutive values that go down outnumber those that go up.
struct Direction {
  std::uint64_t up = 0, down = 0;
  void step(double from, double to) { up += to > from, down += to < from; }
  bool backwards() const { return down > up; }
};

// Warnings when the rows, taken as the time order, look newest-first: numeric lead ids, or a date or
// timestamp field of the schema (read as extra columns), runs backwards down the file.
std::vector<std::string> rows_running_backwards(const ir::Program& program, const engine::LeadTable& leads) {
  std::vector<std::string> out;
  auto check = [&](const std::string& what, auto value_of) {
    Direction d;
    std::optional<double> previous;
    for (std::size_t l = 0; l < leads.rows; ++l) {
      std::optional<double> v = value_of(l);
      if (!v) continue;
      if (previous) d.step(*previous, *v);
      previous = v;
    }
    if (d.backwards())
      out.push_back(fmt::format("{} decreases down the leads file ({} of {} steps between rows go down): the rows "
                                "look newest-first, so the split would train on the newest leads and test on the "
                                "oldest; give --time-field (or --cutoff-field) to order them by time",
                                what, d.down, d.up + d.down));
  };
  if (program.lead_id_field >= 0 && !program.lead_fields[static_cast<std::size_t>(program.lead_id_field)].from_row_number)
    check(fmt::format("the lead id ({})", program.lead_fields[static_cast<std::size_t>(program.lead_id_field)].name),
          [&](std::size_t l) -> std::optional<double> {
            auto n = io::parse_number(leads.ids[l]);
            return n.has_value() ? std::optional<double>(n.value) : std::nullopt;
          });
  for (const auto& field : program.lead_fields) {
    if (field.type != ast::FieldType::Date && field.type != ast::FieldType::Timestamp) continue;
    const engine::Column* column = engine::extra_column(leads, field.column);
    if (!column) continue;
    check(fmt::format("{} `{}`", ast::field_type_name(field.type), field.name), [&](std::size_t l) -> std::optional<double> {
      if (!column->valid[l]) return std::nullopt;
      auto t = io::parse_timestamp(column->str[l], field.zone);
      return t.has_value() ? std::optional<double>(static_cast<double>(t.value)) : std::nullopt;
    });
  }
  return out;
}

// A ruleset with account sections needs --account-outcomes (and --as-of: accounts are judged at one
// instant); without them it must not be given one. Lead outcomes may then be left out.
bool account_outcomes_fit(const CalibrateRequest& req, const PreparedRun& run, const std::string& rules,
                          bool leads_have_outcomes, std::string& error) {
  const ir::Section* account_section = nullptr;
  for (const auto& s : run.program.sections)
    if (s.account && !account_section) account_section = &s;
  if (account_section && !req.account_outcomes) {
    error = fmt::format("{} has the account section `{}`: give its outcomes with --account-outcomes FILE (account_id, "
                        "outcome, closed_at; one row per account or per opportunity), see docs/accounts.md",
                        rules, account_section->name);
    return false;
  }
  if (!req.account_outcomes) {
    if (!leads_have_outcomes) error = "give --outcomes FILE or --outcome-column C";
    return leads_have_outcomes;
  }
  if (!account_section) {
    error = fmt::format("--account-outcomes {}: {} has no account section for them to fit", *req.account_outcomes->file,
                        rules);
    return false;
  }
  if (req.cutoff_field) {
    error = "--account-outcomes judges every account at one instant: give --as-of instead of --cutoff-field";
    return false;
  }
  return true;
}

void warn(Weights& w, const char* kind, std::string message) { w.warnings.push_back(WeightsWarning{kind, std::move(message)}); }

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
  const bool leads_have_outcomes = req.outcomes.file || req.outcomes.leads_column;
  if (!account_outcomes_fit(req, run, inputs.rules, leads_have_outcomes, error)) return false;
  for (const auto* name : {&req.outcomes.leads_column, &req.outcomes.leads_amount_column, &req.source_field,
                           &req.cutoff_field, &req.time_field})
    if (*name) inputs.read.extra_columns.push_back(column_for(run.program, **name));
  // Without a time, the row order is the time order: the schema's dates tell whether it runs backwards.
  if (!req.time_field && !req.cutoff_field)
    for (const auto& field : run.program.lead_fields)
      if (field.type == ast::FieldType::Date || field.type == ast::FieldType::Timestamp)
        inputs.read.extra_columns.push_back(field.column);
  inputs.read.all_columns_extra = req.baseline_onehot;
  if (!load_run_data(inputs, run, error)) return false;
  const auto& leads = run.leads;
  const std::size_t n = leads.rows;

  // ---- account rules: fitted to the account outcomes first; the lead rules are fitted on top -------
  std::vector<OrdinalColumn> columns = columns_with_ordinals(run);
  AccountFit account_fit;
  PointsTable base_points = written_points(run.graph);
  if (req.account_outcomes) {
    if (!fit_account_rules(req, run, columns, account_fit, error)) return false;
    base_points = account_fit.points;
    if (!leads_have_outcomes) {
      facts.status = account_fit.lead_status;
      facts.closed_at = account_fit.lead_closed_at;
      facts.amount = account_fit.lead_amount;
    }
  }

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
  if (req.inputs.accounts) {
    if (!hash_file(*req.inputs.accounts, hex, error)) return false;
    w.inputs.push_back(InputFile{"accounts", *req.inputs.accounts, hex, run.account_rows_read});
  }
  if (req.account_outcomes) {
    if (!hash_file(*req.account_outcomes->file, hex, error)) return false;
    w.inputs.push_back(InputFile{"account outcomes", *req.account_outcomes->file, hex, account_fit.summary.rows});
  }
  if (req.outcomes.file) {
    if (!hash_file(*req.outcomes.file, hex, error)) return false;
    w.inputs.push_back(InputFile{"outcomes", *req.outcomes.file, hex, facts.outcome_rows});
    w.outcome_source = fmt::format("{} joined on {} (won: {}; lost: {}; anything else open)", *req.outcomes.file,
                                   req.outcomes.id_column, join(req.outcomes.won, ", "), join(req.outcomes.lost, ", "));
  } else if (!leads_have_outcomes) {
    w.outcome_source = fmt::format("each lead takes its account's outcome from {} (won when any row of the account is "
                                   "won); leads of no account with an outcome are left out",
                                   *req.account_outcomes->file);
  } else {
    w.outcome_source = fmt::format("column \"{}\" of the leads file (won: {}; lost: {}; anything else open)",
                                   req.outcomes.leads_column.value_or(""), join(req.outcomes.won, ", "),
                                   join(req.outcomes.lost, ", "));
  }
  w.point_in_time = req.cutoff_field ? fmt::format("each lead as of {} + {} days", *req.cutoff_field,
                                                   io::format_number(static_cast<double>(req.cutoff_delay) /
                                                                     static_cast<double>(io::kMicrosPerDay)))
                                     : fmt::format("every lead as of {}", io::format_timestamp(req.inputs.as_of));
  const TimeKind time_kind = facts.time_kind;
  w.time_order = req.time_field ? fmt::format("lead field {} ({})", *req.time_field,
                                              time_kind == TimeKind::Number ? "a number" : "a date or timestamp")
                 : req.cutoff_field ? fmt::format("cutoff ({} + delay)", *req.cutoff_field)
                                    : "row order of the leads file (no --time-field or --cutoff-field given)";
  auto describe_time = [&](std::size_t l) -> std::string {
    switch (time_kind) {
      case TimeKind::Rows: return fmt::format("row {}", leads.lines[l] - 1);
      case TimeKind::Number: return fmt::format("{} {}", req.time_field.value_or(""), io::format_number(facts.time_number[l]));
      case TimeKind::Instant: break;
    }
    return io::format_timestamp(facts.time[l]);
  };

  std::vector<std::size_t> closed_leads;
  std::vector<std::uint8_t> label(n, 0);
  std::map<Status, std::uint64_t> counts;
  for (std::size_t l = 0; l < n; ++l) {
    ++counts[facts.status[l]];
    if (closed(facts.status[l])) {
      closed_leads.push_back(l);
      label[l] = facts.status[l] == Status::Won;
    }
  }
  w.leads = n;
  w.closed = closed_leads.size();
  w.won = counts[Status::Won];
  w.lost = counts[Status::Lost];
  w.open = counts[Status::Open];
  w.excluded = counts[Status::NoOutcome] + counts[Status::NoCutoff] + counts[Status::ClosedBeforeCutoff] +
               counts[Status::NoTime];
  auto example = [&](const Unreadable& u, io::DefaultZone zone) {
    return u.count ? unreadable_example(ast::FieldType::Timestamp, u.line, u.value, zone,
                                        "`zone \"UTC\"` on the field in the rules' schema")
                   : std::string();
  };
  if (counts[Status::Open]) w.exclusions.push_back(fmt::format("{} open (outcome neither won nor lost)", counts[Status::Open]));
  if (counts[Status::NoOutcome])
    w.exclusions.push_back(leads_have_outcomes
                               ? fmt::format("{} without a row in the outcomes file", counts[Status::NoOutcome])
                               : fmt::format("{} whose account has no won or lost row in the account outcomes",
                                             counts[Status::NoOutcome]));
  if (no_cutoff)
    w.exclusions.push_back(fmt::format("{} without a readable {}{}", no_cutoff, *req.cutoff_field,
                                       example(facts.cutoff_unreadable, facts.cutoff_zone)));
  if (counts[Status::ClosedBeforeCutoff])
    w.exclusions.push_back(fmt::format("{} closed before their cutoff (their features would see the outcome)",
                                       counts[Status::ClosedBeforeCutoff]));
  if (counts[Status::NoTime])
    w.exclusions.push_back(fmt::format("{} without a readable {}{}", counts[Status::NoTime], req.time_field.value_or(""),
                                       example(facts.time_unreadable, facts.time_zone)));
  if (facts.outcome_unknown_ids)
    w.exclusions.push_back(fmt::format("{} outcome rows for ids that are not leads (ignored)", facts.outcome_unknown_ids));
  if (facts.outcome_duplicates)
    w.exclusions.push_back(fmt::format("{} repeated outcome rows (the first one counts)", facts.outcome_duplicates));

  if (w.won == 0 || w.lost == 0) {
    error = fmt::format("cannot calibrate: {} won and {} lost leads; both are needed ({})", w.won, w.lost,
                        w.exclusions.empty() ? "check --won/--lost" : join(w.exclusions, "; "));
    return false;
  }
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

  // ---- point in time of the outcomes ---------------------------------------------------------
  // When each closed lead's outcome became known, in the units of the time order: its closed_at when
  // the order is a time, so no training set holds an outcome from after the part it predicts.
  std::vector<std::int64_t> known_at;
  if (facts.has_closed_at_column && time_kind == TimeKind::Instant) {
    known_at.assign(n, kNoInstant);
    for (auto l : closed_leads) known_at[l] = facts.closed_at[l];
    if (facts.closed_without_date)
      w.exclusions.push_back(fmt::format("{} closed leads without a closed_at: their outcome counts as known from "
                                         "their own time", facts.closed_without_date));
  } else if (facts.has_closed_at_column) {
    warn(w, "time order",
         fmt::format("the outcomes have a closed_at, but the time order ({}) is not a time: the backtests cannot leave "
                     "out outcomes that were known only after the part they predict; give --cutoff-field or a date "
                     "--time-field",
                     w.time_order));
  }
  if (time_kind == TimeKind::Rows)
    for (auto& message : rows_running_backwards(run.program, leads)) warn(w, "time order", std::move(message));

  // ---- features, split -------------------------------------------------------------------
  std::vector<RuleColumn> cols;  // the lead rules
  std::vector<std::size_t> lead_ordinals;
  for (auto& c : columns)
    if (!c.account) {
      lead_ordinals.push_back(c.ordinal);
      cols.push_back(std::move(c.column));
    }
  auto points_for = [&](const RuleFit& f) { return points_of(base_points, lead_ordinals, f); };
  std::vector<std::int64_t> times = pick(facts.time, closed_leads);
  TimeSplit split = time_split(times, req.test_fraction);
  std::vector<std::size_t> train, test;  // lead ordinals
  for (auto i : split.train) {
    const std::size_t l = closed_leads[i];
    if (!known_at.empty() && !split.test.empty() && known_at[l] >= split.test_start) ++w.train_late_outcomes;
    else train.push_back(l);
  }
  for (auto i : split.test) test.push_back(closed_leads[i]);
  auto describe_part = [&](const std::vector<std::size_t>& part, SplitPart& out) {
    out.leads = part.size();
    for (auto l : part) out.won += label[l];
    if (part.empty()) return;
    auto [lo, hi] = std::minmax_element(part.begin(), part.end(),
                                        [&](std::size_t a, std::size_t b) { return facts.time[a] < facts.time[b]; });
    out.first = describe_time(*lo);
    out.last = describe_time(*hi);
  };
  describe_part(train, w.train);
  describe_part(test, w.test);
  if (w.train_late_outcomes)
    w.exclusions.push_back(fmt::format("{} older leads left out of the backtest's fit: their outcome was known only "
                                       "after the test part started", w.train_late_outcomes));

  const SectionScores written = score_sections(run, {});

  // ---- backtest: fit on train, judge on test ------------------------------------------------
  const bool can_backtest = w.train.won > 0 && w.train.won < w.train.leads && w.test.won > 0 && w.test.won < w.test.leads;
  if (can_backtest) {
    RuleFit fit = fit_rules(cols, train, label, fit_options);
    const PointsTable fit_points = points_for(fit);
    AdoptedScale adopted = adopt_scale_for(run, written, fit_points, train, label);
    const SectionScores& calibrated = adopted.scores;
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
    w.calibrated_unlimited_auc = kNaN;
    if (!adopted.report.limits.empty()) {
      const LimitsTable none(run.graph.sections.size());
      const SectionScores unlimited = score_sections(run, {&fit_points, &none, &adopted.thresholds});
      w.calibrated_unlimited_auc = calibrate::auc(pick(unlimited.score, test), y_test);
    }
    if (req.baseline_onehot) {
      BaselineRequest b;
      b.exclude = req.baseline_exclude;
      if (req.outcomes.leads_column) b.exclude.push_back(*req.outcomes.leads_column);
      if (req.outcomes.leads_amount_column) b.exclude.push_back(*req.outcomes.leads_amount_column);
      if (run.program.lead_id_field >= 0) {
        const auto& id = run.program.lead_fields[static_cast<std::size_t>(run.program.lead_id_field)];
        if (!id.from_row_number) b.id_column = id.column;
      }
      b.l2 = req.l2;
      w.baseline = baseline_onehot(b, leads, label, train, test, volume, w.baseline_description);
    }
    // Drift: did the close rate of the test part move away from the train part's?
    const double train_rate = static_cast<double>(w.train.won) / static_cast<double>(w.train.leads);
    const double test_rate = static_cast<double>(w.test.won) / static_cast<double>(w.test.leads);
    const double z = two_proportion_z(w.train.won, w.train.leads, w.test.won, w.test.leads);
    if (std::fabs(z) > z_99 && std::fabs(test_rate - train_rate) >= 0.01)
      warn(w, "drift",
           fmt::format("the close rate moved from {} (train, older leads: {} to {}) to {} (test, newer leads: {} to {}); "
                       "a change this large happens by chance less than once in 100 (two-proportion test, z = {:.1f}). "
                       "p_close is fitted on the older leads, so it runs {} for new leads; treat it as a ranking "
                       "until it is refitted on recent outcomes. Remedy: {}",
                       pct(train_rate), w.train.first, w.train.last, pct(test_rate), w.test.first, w.test.last, z,
                       test_rate > train_rate ? "too low" : "too high",
                       req.refit_every ? "recalibrate at least as often as --refit-every, with the windows the "
                                         "walk-forward backtest below supports"
                                       : "backtest refitting with --refit-every 500 --refit-window 5000 --curve-window "
                                         "1000 (docs/calibration.md) and recalibrate on that schedule"));
    if (w.calibrated.auc <= w.written.auc)
      warn(w, "backtest",
           fmt::format("calibrated points rank the test leads no better than the written ones (AUC {:.3f} vs {:.3f})",
                       w.calibrated.auc, w.written.auc));
    if (req.refit_every > 0) {
      auto plan = plan_walk_forward(facts.time, closed_leads, test, walk_options, known_at);
      auto score_with = [&](const RuleFit& f, const WalkForwardChunk& chunk) {
        AdoptedScale a = adopt_scale_for(run, written, points_for(f), chunk.fit_leads, label);
        return ScoredLeads{std::move(a.scores.score), std::move(a.scores.mql)};
      };
      ScoredLeads written_leads{written.score, written.mql};
      auto predictions = walk_forward_predict(plan, cols, label, written_leads, fit_options, score_with);
      w.walk_forward = summarize_walk_forward(walk_options, plan, predictions, label, run.graph.has_mql, volume, describe_time);
      const auto& wf = *w.walk_forward;
      if (!(wf.calibrated_chunk_auc > wf.written_chunk_auc))
        warn(w, "backtest",
             fmt::format("walk-forward: calibrated points rank leads within a chunk no better than the written ones "
                         "(mean AUC {:.3f} vs {:.3f})",
                         wf.calibrated_chunk_auc, wf.written_chunk_auc));
    }
  } else {
    warn(w, "backtest",
         fmt::format("no backtest: the train part ({} leads, {} won) and the test part ({} leads, {} won) each need won "
                     "and lost leads",
                     w.train.leads, w.train.won, w.test.leads, w.test.won));
  }

  // ---- final weights: every closed lead -----------------------------------------------------
  // With walk-forward windows, the final weights come from the same procedure the walk-forward
  // backtest judged: the most recent closed leads.
  std::vector<std::size_t> fit_rows = closed_leads, curve_rows = closed_leads;
  SplitPart fit_part;
  describe_part(fit_rows, fit_part);
  w.base_rate_window = fmt::format("all {} closed leads", fit_part.leads);
  if (req.refit_every > 0) {
    fit_rows = most_recent_leads(facts.time, closed_leads, walk_options.window);
    curve_rows = most_recent_leads(facts.time, closed_leads, req.curve_window ? req.curve_window : walk_options.window);
    SplitPart curve_part;
    fit_part = SplitPart{};
    describe_part(fit_rows, fit_part);
    describe_part(curve_rows, curve_part);
    w.final_fit = fit_part;
    w.final_curve = curve_part;
    if (walk_options.window && fit_rows.size() < closed_leads.size())
      w.base_rate_window = fmt::format("the {} most recent closed leads, {} to {}", fit_part.leads, fit_part.first, fit_part.last);
    if (fit_part.won == 0 || fit_part.won == fit_part.leads || curve_part.won == 0 || curve_part.won == curve_part.leads) {
      error = fmt::format("cannot fit the final weights: the most recent {} closed leads ({} won) or {} ({} won) lack won "
                          "or lost leads; widen --refit-window / --curve-window",
                          fit_part.leads, fit_part.won, curve_part.leads, curve_part.won);
      return false;
    }
  }
  w.base_rate = static_cast<double>(fit_part.won) / static_cast<double>(fit_part.leads);
  RuleFit final_fit = fit_rules(cols, fit_rows, label, fit_options);
  w.intercept = final_fit.intercept;
  auto y_closed = pick(label, fit_rows);
  EvidenceOptions evidence_options;
  evidence_options.min_support = req.min_support;
  std::vector<std::pair<std::size_t, RuleWeight>> by_ordinal = std::move(account_fit.rules);
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
      warn(w, "evidence",
           fmt::format("rule \"{}\" matched {} closed leads (fewer than --min-support {}): it keeps its written {} points",
                       r.label, r.evidence.matched, req.min_support, io::format_number(r.written_points)));
    else if (!r.evidence.significant)
      warn(w, "evidence",
           fmt::format("rule \"{}\": close rate {} (95% interval {} to {}) is not distinguishable from the base rate {}",
                       r.label, pct(r.evidence.close_rate), pct(r.evidence.wilson.low), pct(r.evidence.wilson.high),
                       pct(r.evidence.base_rate)));
    by_ordinal.emplace_back(lead_ordinals[j], std::move(r));
  }
  std::sort(by_ordinal.begin(), by_ordinal.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [ordinal, r] : by_ordinal) w.rules.push_back(std::move(r));
  AdoptedScale final_scale = adopt_scale_for(run, written, points_for(final_fit), fit_rows, label);
  if (req.account_outcomes) {
    merge_account_adoption(run.graph, account_fit.adoption, final_scale.report);
    for (auto& warning : account_fit.warnings) w.warnings.push_back(std::move(warning));
    w.accounts = std::move(account_fit.summary);
    w.accounts->lead_outcomes = leads_have_outcomes ? "the leads' own outcomes (" + w.outcome_source + ")"
                                                    : "each lead takes its account's outcome";
  }
  for (auto& warning : adoption_warnings(final_scale.report)) w.warnings.push_back(std::move(warning));
  w.adopted = std::move(final_scale.report);
  auto final_curve_scores = pick(final_scale.scores.score, curve_rows);
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
  for (auto l : closed_leads) {
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
    w.warnings.insert(w.warnings.begin(),
                      WeightsWarning{"data", fmt::format("only {} won leads: too few to trust calibrated points (100 or "
                                                         "more recommended)", w.won)});
  if (!w.revenue_average)
    warn(w, "data",
         "no amounts for won leads (--amount-column, the outcomes file's amount, or --won-value): `score` leaves "
         "expected_value empty");
  return true;
}

}  // namespace leadscore::jobs

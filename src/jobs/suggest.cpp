#include "jobs/suggest.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "calibrate/metrics.hpp"
#include "calibrate/rule_fit.hpp"
#include "calibrate/time_split.hpp"
#include "common/text.hpp"
#include "engine/check/checker.hpp"
#include "engine/lint/lint.hpp"
#include "format/expr_printer.hpp"
#include "format/formatter.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"
#include "jobs/outcome_join.hpp"
#include "jobs/weights_check.hpp"
#include "parser/parser.hpp"

namespace leadscore::jobs {

using calibrate::RuleColumn;

namespace {

constexpr std::int64_t kMicrosPerDay = 86'400'000'000LL;

struct Candidate {
  std::string field, condition;
  std::vector<std::uint8_t> matched;  // per lead
  calibrate::RuleEvidence evidence;
};

template <class T>
std::vector<T> pick(const std::vector<T>& v, const std::vector<std::size_t>& rows) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (auto r : rows) out.push_back(v[r]);
  return out;
}

std::string pct(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.1f}%", 100 * v); }

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// A lead field's values as numbers (NaN: missing), parsed as `score` parses the field's type.
std::vector<double> numeric_values(const ir::Field& field, const engine::Column& text, const engine::LeadTable& leads) {
  std::vector<double> out(leads.rows, std::nan(""));
  for (std::size_t l = 0; l < leads.rows; ++l) {
    if (!text.valid[l]) continue;
    std::string_view cell = text.str[l];
    switch (field.type) {
      case ast::FieldType::Int:
        if (auto v = io::parse_int(cell); v.has_value()) out[l] = static_cast<double>(v.value);
        break;
      case ast::FieldType::Number:
        if (auto v = io::parse_number(cell); v.has_value()) out[l] = v.value;
        break;
      case ast::FieldType::Date:
        if (auto v = io::parse_date(cell); v.has_value())
          out[l] = static_cast<double>(floor_div(leads.as_of[l] - v.value, kMicrosPerDay));
        break;
      case ast::FieldType::Timestamp:
        if (auto v = io::parse_timestamp(cell); v.has_value())
          out[l] = static_cast<double>(floor_div(leads.as_of[l] - v.value, kMicrosPerDay));
        break;
      default: break;
    }
  }
  return out;
}

class CandidateMaker {
 public:
  CandidateMaker(const std::vector<std::size_t>& train, const std::vector<std::uint8_t>& label,
                 const SuggestRequest& req, std::vector<Candidate>& out)
      : train_(train), label_(label), req_(req), out_(out) {}

  // Keeps a candidate whose training evidence has support and a close rate that differs from the base.
  void offer(const std::string& field, std::string condition, std::vector<std::uint8_t> matched) {
    calibrate::EvidenceOptions o;
    o.min_support = req_.calibrate.min_support;
    auto evidence = calibrate::rule_evidence(condition, pick(matched, train_), pick(label_, train_), o);
    if (evidence.low_support || !evidence.significant || evidence.matched == train_.size()) return;
    out_.push_back(Candidate{field, std::move(condition), std::move(matched), std::move(evidence)});
  }

  void numeric(const std::string& field, const std::string& term, bool integral, const std::vector<double>& values) {
    std::vector<double> v;
    std::vector<std::uint8_t> y;
    for (auto l : train_)
      if (!std::isnan(values[l])) {
        v.push_back(values[l]);
        y.push_back(label_[l]);
      }
    auto bins = calibrate::numeric_bins(v, y, req_.binning);
    if (bins.size() < 2) return;
    auto num = [](double x) { return io::format_number(x); };
    auto matching = [&](double low, double high) {
      std::vector<std::uint8_t> m(values.size(), 0);
      for (std::size_t l = 0; l < values.size(); ++l) m[l] = values[l] >= low && values[l] < high;
      return m;
    };
    const double inf = std::numeric_limits<double>::infinity();
    auto rate = [](const calibrate::NumericBin& b) { return static_cast<double>(b.won) / static_cast<double>(b.count); };
    for (std::size_t b = 0; b < bins.size(); ++b) {
      const auto& bin = bins[b];
      // Two bins are one rule and its complement: only the one that closes better is offered.
      if (bins.size() == 2 && rate(bin) < rate(bins[1 - b])) continue;
      std::string condition;
      if (b == 0) condition = fmt::format("{} < {}", term, num(bin.high));
      else if (b + 1 == bins.size()) condition = fmt::format("{} >= {}", term, num(bin.low));
      else if (integral) condition = fmt::format("{} between {} and {}", term, num(bin.low), num(bin.high - 1));
      else condition = fmt::format("{} >= {} and {} < {}", term, num(bin.low), term, num(bin.high));
      offer(field, condition, matching(bin.low, bin.high));
      // The monotone reading of each cut: everything above it.
      if (b > 0 && b + 1 < bins.size()) offer(field, fmt::format("{} >= {}", term, num(bin.low)), matching(bin.low, inf));
    }
  }

  void text(const std::string& field, const engine::Column& column, std::size_t rows) {
    std::map<std::string, std::string> spelling;  // normalised -> first spelling seen
    std::vector<std::string> keys(rows);
    for (std::size_t l = 0; l < rows; ++l) {
      if (!column.valid[l]) continue;
      std::string_view trimmed = text::trim(column.str[l]);
      std::string key(trimmed);
      for (auto& c : key) c = text::ascii_lower(c);
      spelling.emplace(key, std::string(trimmed));
      keys[l] = std::move(key);
    }
    std::vector<std::string> k;
    std::vector<std::uint8_t> y;
    for (auto l : train_)
      if (!keys[l].empty()) {
        k.push_back(keys[l]);
        y.push_back(label_[l]);
      }
    auto groups = calibrate::category_groups(k, y, req_.binning);
    std::size_t common = 0;
    for (const auto& g : groups) common += g.rare ? 0 : 1;
    if (groups.size() < 2 || common == 0) return;
    auto rate = [](const calibrate::CategoryGroup& g) { return static_cast<double>(g.won) / static_cast<double>(g.count); };
    for (const auto& g : groups) {
      if (g.rare) continue;
      // Two groups of every value are one rule and its complement: only the better one is offered.
      if (groups.size() == 2 && !groups[1].rare && rate(g) < rate(&g == &groups[0] ? groups[1] : groups[0])) continue;
      std::set<std::string> in(g.values.begin(), g.values.end());
      std::string list;
      for (const auto& v : g.values) list += (list.empty() ? "" : ", ") + format::quote_string(spelling[v]);
      std::vector<std::uint8_t> m(rows, 0);
      for (std::size_t l = 0; l < rows; ++l) m[l] = !keys[l].empty() && in.count(keys[l]);
      offer(field, fmt::format("{} in [{}]", field, list), std::move(m));
    }
  }

  void boolean(const std::string& field, const engine::Column& column, std::size_t rows) {
    std::vector<std::uint8_t> yes(rows, 0), no(rows, 0);
    for (std::size_t l = 0; l < rows; ++l) {
      if (!column.valid[l]) continue;
      if (auto b = io::parse_bool(column.str[l]); b.has_value()) (b.value ? yes : no)[l] = 1;
    }
    // One rule and its complement: only the one that closes better is offered.
    std::uint64_t yes_won = 0, yes_count = 0, no_won = 0, no_count = 0;
    for (auto l : train_) {
      yes_count += yes[l];
      yes_won += yes[l] & label_[l];
      no_count += no[l];
      no_won += no[l] & label_[l];
    }
    if (static_cast<double>(yes_won) * static_cast<double>(no_count) >= static_cast<double>(no_won) * static_cast<double>(yes_count))
      offer(field, field, std::move(yes));
    else
      offer(field, "not " + field, std::move(no));
  }

 private:
  const std::vector<std::size_t>& train_;
  const std::vector<std::uint8_t>& label_;
  const SuggestRequest& req_;
  std::vector<Candidate>& out_;
};

RuleColumn column_of(const Candidate& c) {
  RuleColumn col;
  col.label = c.condition;
  col.matched = c.matched;
  col.feature.assign(c.matched.begin(), c.matched.end());
  return col;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Linear predictor of a fit (log-odds; rules without a fitted weight count 0).
std::vector<double> linear_predictor(const calibrate::RuleFit& fit, const std::vector<RuleColumn>& cols,
                                     const std::vector<std::size_t>& rows) {
  std::vector<double> eta(rows.size(), fit.intercept);
  for (std::size_t j = 0; j < cols.size(); ++j) {
    const double w = fit.log_odds[j];
    if (!std::isfinite(w) || w == 0) continue;
    for (std::size_t i = 0; i < rows.size(); ++i) eta[i] += w * cols[j].feature[rows[i]];
  }
  return eta;
}

std::string unique_name(std::string name, const std::set<std::string>& taken) {
  if (!taken.count(name)) return name;
  for (int i = 2;; ++i)
    if (!taken.count(fmt::format("{}_{}", name, i))) return fmt::format("{}_{}", name, i);
}

std::string unique_label(std::string label, const std::set<std::string>& taken) {
  if (!taken.count(label)) return label;
  for (int i = 2;; ++i)
    if (!taken.count(fmt::format("{} ({})", label, i))) return fmt::format("{} ({})", label, i);
}

}  // namespace

bool marked_as_leaking(std::string_view line) {
  auto hash = line.find('#');
  if (hash == std::string_view::npos) return false;
  std::string comment(line.substr(hash + 1));
  for (auto& c : comment) c = text::ascii_lower(c);
  auto at = comment.find("leaks");
  if (at == std::string::npos) return false;
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  return (at == 0 || !word_char(comment[at - 1])) && (at + 5 == comment.size() || !word_char(comment[at + 5]));
}

bool run_suggest(const SuggestRequest& req, Diagnostics& diags, SuggestResult& result, std::string& error) {
  const CalibrateRequest& cal = req.calibrate;
  RunInputs inputs = cal.inputs;
  inputs.use_calibration = false;
  LeadFacts facts;
  std::uint64_t no_cutoff = 0;
  inputs.before_events = [&](const ir::Program& program, engine::LeadTable& leads, std::string& err) {
    return read_lead_facts(cal, program, leads, facts, no_cutoff, err);
  };
  PreparedRun run;
  if (!prepare_rules(inputs, diags, run, error)) return false;
  for (const auto* name : {&cal.outcomes.leads_column, &cal.outcomes.leads_amount_column, &cal.source_field,
                           &cal.cutoff_field, &cal.time_field})
    if (*name) inputs.read.extra_columns.push_back(column_for(run.program, **name));
  inputs.read.all_columns_extra = true;
  if (!load_run_data(inputs, run, error)) return false;
  const auto& leads = run.leads;
  const auto& program = run.program;
  const std::size_t n = leads.rows;

  // ---- closed leads and the time split, as calibrate makes them --------------------------------
  std::vector<std::size_t> closed;
  std::vector<std::uint8_t> label(n, 0);
  for (std::size_t l = 0; l < n; ++l)
    if (facts.status[l] == Status::Won || facts.status[l] == Status::Lost) {
      closed.push_back(l);
      label[l] = facts.status[l] == Status::Won;
    }
  calibrate::TimeSplit split = calibrate::time_split(pick(facts.time, closed), cal.test_fraction);
  std::vector<std::size_t> train, test;
  for (auto i : split.train) train.push_back(closed[i]);
  for (auto i : split.test) test.push_back(closed[i]);
  auto both_classes = [&](const std::vector<std::size_t>& part) {
    std::size_t won = 0;
    for (auto l : part) won += label[l];
    return won > 0 && won < part.size();
  };
  if (!both_classes(train) || !both_classes(test)) {
    error = fmt::format("cannot suggest: the train part ({} leads) and the test part ({} leads) each need won and lost "
                        "leads (check the outcomes, --won/--lost and --test-fraction)",
                        train.size(), test.size());
    return false;
  }
  result.train = train.size();
  result.test = test.size();
  {
    std::size_t won = 0;
    for (auto l : train) won += label[l];
    result.base_rate = static_cast<double>(won) / static_cast<double>(train.size());
  }

  // ---- candidates from every usable lead field --------------------------------------------------
  std::set<std::string> not_features;  // columns that are outcomes, times or sources, not lead traits
  for (const auto* name : {&cal.outcomes.leads_column, &cal.outcomes.leads_amount_column, &cal.time_field,
                           &cal.cutoff_field})
    if (*name) not_features.insert(column_for(program, **name));
  std::vector<Candidate> candidates;
  CandidateMaker maker(train, label, req, candidates);
  for (std::size_t f = 0; f < program.lead_fields.size(); ++f) {
    const ir::Field& field = program.lead_fields[f];
    if (static_cast<std::int32_t>(f) == program.lead_id_field || field.from_row_number) continue;
    const bool excluded = std::find(req.exclude.begin(), req.exclude.end(), field.name) != req.exclude.end();
    if (excluded || marked_as_leaking(program.source->line(field.pos.line))) {
      result.fields_skipped.push_back(field.name);
      continue;
    }
    if (not_features.count(field.column)) continue;
    const engine::Column* column = engine::extra_column(leads, field.column);
    if (!column) continue;
    result.fields_used.push_back(field.name);
    switch (field.type) {
      case ast::FieldType::Int:
      case ast::FieldType::Number:
        maker.numeric(field.name, field.name, field.type == ast::FieldType::Int, numeric_values(field, *column, leads));
        break;
      case ast::FieldType::Date:
      case ast::FieldType::Timestamp:
        maker.numeric(field.name, fmt::format("days_since({})", field.name), true, numeric_values(field, *column, leads));
        break;
      case ast::FieldType::String: maker.text(field.name, *column, n); break;
      case ast::FieldType::Bool: maker.boolean(field.name, *column, n); break;
      case ast::FieldType::Id: break;
    }
  }
  result.candidates = candidates.size();

  // ---- greedy forward selection on the held-out AUC ---------------------------------------------
  calibrate::RuleFitOptions fit_options;
  fit_options.l2 = cal.l2;
  fit_options.pdo = cal.pdo;
  fit_options.min_support = cal.min_support;
  std::vector<RuleColumn> cols = rule_columns(run);
  const std::size_t written = cols.size();
  const auto y_test = pick(label, test);
  auto held_out_auc = [&](const std::vector<RuleColumn>& c, calibrate::RuleFit& fit) {
    fit = calibrate::fit_rules(c, train, label, fit_options);
    return calibrate::auc(linear_predictor(fit, c, test), y_test);
  };
  calibrate::RuleFit current;
  double best_auc = held_out_auc(cols, current);
  if (std::isnan(best_auc)) best_auc = 0.5;
  result.auc_before = best_auc;
  std::vector<std::size_t> chosen;
  std::vector<bool> used(candidates.size(), false);
  constexpr std::size_t kTried = 5;  // candidates fitted per step, the most promising by score test
  while (chosen.size() < req.max_rules) {
    // Score test of each candidate against the current fit, on the training part.
    const auto eta = linear_predictor(current, cols, train);
    std::vector<std::pair<double, std::size_t>> ranked;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      if (used[c]) continue;
      double u = 0, info = 0;
      for (std::size_t i = 0; i < train.size(); ++i) {
        if (!candidates[c].matched[train[i]]) continue;
        const double p = sigmoid(eta[i]);
        u += label[train[i]] - p;
        info += p * (1 - p);
      }
      if (info > 0) ranked.emplace_back(u * u / info, c);
    }
    std::sort(ranked.begin(), ranked.end(), std::greater<>());
    std::size_t best = candidates.size();
    double step_auc = best_auc;
    calibrate::RuleFit step_fit;
    for (std::size_t r = 0; r < ranked.size() && r < kTried; ++r) {
      auto trial = cols;
      trial.push_back(column_of(candidates[ranked[r].second]));
      calibrate::RuleFit fit;
      const double a = held_out_auc(trial, fit);
      if (a > step_auc) {
        step_auc = a;
        best = ranked[r].second;
        step_fit = std::move(fit);
      }
    }
    if (best == candidates.size() || step_auc - best_auc < req.min_gain) break;
    used[best] = true;
    cols.push_back(column_of(candidates[best]));
    chosen.push_back(best);
    Suggestion s;
    s.condition = candidates[best].condition;
    s.field = candidates[best].field;
    s.evidence = candidates[best].evidence;
    s.auc_gain = step_auc - best_auc;
    result.suggestions.push_back(std::move(s));
    best_auc = step_auc;
    current = std::move(step_fit);
  }
  result.auc_after = best_auc;

  // ---- points and the rules text -----------------------------------------------------------------
  const double factor = cal.pdo / std::numbers::ln2;
  std::set<std::string> labels, names;
  for (const auto& s : program.sections) {
    names.insert(s.name);
    for (const auto& r : s.rules) labels.insert(r.label);
    for (const auto& m : s.multipliers) labels.insert(m.label);
  }
  for (const auto& g : program.gates) {
    names.insert(g.name);
    for (const auto& c : g.criteria) labels.insert(c.label);
  }
  for (const auto& c : program.classifies) names.insert(c.name);
  for (const auto& l : program.lists) names.insert(l.name);
  for (const auto& f : program.lead_fields) names.insert(f.name);
  for (std::size_t i = 0; i < result.suggestions.size(); ++i) {
    auto& s = result.suggestions[i];
    const double w = current.log_odds[written + i];
    double points = std::isfinite(w) ? std::round(factor * w) : 0;
    if (points == 0) points = w < 0 ? -1 : 1;
    s.points = points;
    std::string label = s.condition;  // the condition, without the quotes a label would have to escape
    label.erase(std::remove(label.begin(), label.end(), '"'), label.end());
    s.label = unique_label(label, labels);
    labels.insert(s.label);
  }
  std::string text = program.source->text();
  if (!text.empty() && text.back() != '\n') text += '\n';
  if (!result.suggestions.empty()) {
    text += fmt::format(
        "\n# Suggested by `leadscore suggest`: review each rule before adopting it, then run `leadscore calibrate`.\n"
        "# Evidence on the training part ({} closed leads, base close rate {}); held-out AUC on the {} newer\n"
        "# leads: {:.4f} with the rules above, {:.4f} with these added.\n",
        result.train, pct(result.base_rate), result.test, result.auc_before, result.auc_after);
    text += fmt::format("score {} {{\n", unique_name(req.section, names));
    for (const auto& s : result.suggestions) {
      const auto& e = s.evidence;
      text += fmt::format("  # {} leads, close rate {} (95% interval {} to {}), lift {:.2f}; held-out AUC +{:.4f}\n",
                          e.matched, pct(e.close_rate), pct(e.wilson.low), pct(e.wilson.high), e.lift, s.auc_gain);
      text += fmt::format("  rule {} when {} points {}\n", format::quote_string(s.label), s.condition,
                          io::format_number(s.points));
    }
    text += "}\n";
  }
  auto source = std::make_shared<SourceFile>(program.source->path(), text);
  Diagnostics format_diags;
  auto formatted = format::format_source(source, format_diags);
  if (!formatted) {
    error = "internal error: the suggested rules do not parse";
    for (const auto& d : format_diags.items()) error += "; " + d.message;
    return false;
  }
  result.text = *formatted;
  return true;
}

std::string format_suggest_summary(const SuggestResult& r) {
  std::string s = fmt::format(
      "train {} closed leads (base close rate {}), test {} newer leads; {} candidate rules from {} fields{}\n", r.train,
      pct(r.base_rate), r.test, r.candidates, r.fields_used.size(),
      r.fields_skipped.empty() ? "" : fmt::format(" (not used: {})", fmt::join(r.fields_skipped, ", ")));
  s += fmt::format("held-out AUC: {:.4f} with the current rules, {:.4f} with {} suggested rules\n", r.auc_before,
                   r.auc_after, r.suggestions.size());
  for (const auto& g : r.suggestions)
    s += fmt::format("  +{:.4f}  {:>5} points  {}  ({} leads, close rate {}, lift {:.2f})\n", g.auc_gain,
                     io::format_number(g.points), g.condition, g.evidence.matched, pct(g.evidence.close_rate),
                     g.evidence.lift);
  return s;
}

}  // namespace leadscore::jobs

// libFuzzer target: the calibrated-weights YAML reader. Oracle: no crash, no exception, no UB; a file
// that is refused gets a message naming the file; a file that loads writes back, and what was
// written reloads (through read_weights, as `score` reads it) to the same weights (text that is not
// UTF-8 excepted, see Same) and to the same text again.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "calibrate/weights.hpp"
#include "tests/fuzz/support.hpp"

namespace {

using namespace leadscore::calibrate;

// Field-by-field equality that names the first difference. Numbers are equal when both are NaN;
// -0 and 0 are one number (the file writes both as 0).
class Same {
 public:
  void operator()(const char* what, double a, double b) {
    if (!(a == b || (std::isnan(a) && std::isnan(b)))) fail(what, fmt::format("{} vs {}", a, b));
  }
  // Text round-trips when it is UTF-8: YAML is Unicode, and the writer replaces other bytes by U+FFFD.
  void operator()(const char* what, const std::string& a, const std::string& b) {
    if (a != b && leadscore::fuzz::valid_utf8(a)) fail(what, fmt::format("\"{}\" vs \"{}\"", a, b));
  }
  void operator()(const char* what, const std::vector<std::string>& a, const std::vector<std::string>& b) {
    each(what, a, b, [&](const std::string& x, const std::string& y) { (*this)(what, x, y); });
  }
  void operator()(const char* what, const std::optional<std::string>& a, const std::optional<std::string>& b) {
    if (a.has_value() != b.has_value()) return fail(what, "present in one only");
    if (a) (*this)(what, *a, *b);
  }
  template <typename T>
  void operator()(const char* what, const T& a, const T& b) {
    if (!(a == b)) fail(what, "differs");
  }
  void operator()(const char* what, const std::optional<double>& a, const std::optional<double>& b) {
    if (a.has_value() != b.has_value()) return fail(what, "present in one only");
    if (a) (*this)(what, *a, *b);
  }
  void operator()(const char* what, const SelectionQuality& a, const SelectionQuality& b) {
    (*this)(what, a.selected, b.selected);
    (*this)(what, a.true_positives, b.true_positives);
    (*this)(what, a.precision, b.precision);
    (*this)(what, a.recall, b.recall);
    (*this)(what, a.volume_share, b.volume_share);
  }
  void operator()(const char* what, const SplitPart& a, const SplitPart& b) {
    (*this)(what, a.leads, b.leads);
    (*this)(what, a.won, b.won);
    (*this)(what, a.first, b.first);
    (*this)(what, a.last, b.last);
  }
  void operator()(const char* what, const ModelBacktest& a, const ModelBacktest& b) {
    (*this)(what, a.auc, b.auc);
    (*this)(what, a.brier, b.brier);
    (*this)(what, a.log_loss, b.log_loss);
    (*this)(what, a.has_mql, b.has_mql);
    if (a.has_mql && b.has_mql) (*this)(what, a.mql, b.mql);
    (*this)(what, a.top_volume, b.top_volume);
    each(what, a.deciles, b.deciles, [&](const DecileRow& x, const DecileRow& y) {
      (*this)(what, x.decile, y.decile);
      (*this)(what, x.count, y.count);
      (*this)(what, x.positives, y.positives);
      for (auto [p, q] : {std::pair{x.rate, y.rate}, {x.lift, y.lift}, {x.cumulative_capture, y.cumulative_capture},
                          {x.min_score, y.min_score}, {x.max_score, y.max_score}})
        (*this)(what, p, q);
    });
    each(what, a.reliability, b.reliability, [&](const ReliabilityBin& x, const ReliabilityBin& y) {
      (*this)(what, x.count, y.count);
      for (auto [p, q] : {std::pair{x.mean_predicted, y.mean_predicted}, {x.observed_rate, y.observed_rate},
                          {x.min_predicted, y.min_predicted}, {x.max_predicted, y.max_predicted}})
        (*this)(what, p, q);
    });
    each(what, a.histogram, b.histogram, [&](const HistogramBin& x, const HistogramBin& y) {
      (*this)(what, x.low, y.low);
      (*this)(what, x.high, y.high);
      (*this)(what, x.won, y.won);
      (*this)(what, x.lost, y.lost);
    });
  }
  template <typename T, typename Compare>
  void each(const char* what, const std::vector<T>& a, const std::vector<T>& b, Compare compare) {
    if (a.size() != b.size()) return fail(what, fmt::format("{} vs {} entries", a.size(), b.size()));
    for (std::size_t i = 0; i < a.size(); ++i) compare(a[i], b[i]);
  }

  void fail(const char* what, const std::string& how) { FUZZ_CHECK(false, "reloaded weights: {} {}", what, how); }
};

void check_same(const Weights& a, const Weights& b) {
  Same same;
  for (auto [what, x, y] : std::vector<std::tuple<const char*, const std::string*, const std::string*>>{
           {"format", &a.format, &b.format},
           {"ruleset", &a.ruleset, &b.ruleset},
           {"ruleset_version", &a.ruleset_version, &b.ruleset_version},
           {"rules_hash", &a.rules_hash, &b.rules_hash},
           {"created_by", &a.created_by, &b.created_by},
           {"method", &a.method, &b.method},
           {"each_feature", &a.each_feature, &b.each_feature},
           {"outcome_source", &a.outcome_source, &b.outcome_source},
           {"point_in_time", &a.point_in_time, &b.point_in_time},
           {"time_order", &a.time_order, &b.time_order},
           {"probability_method", &a.probability_method, &b.probability_method},
           {"baseline_description", &a.baseline_description, &b.baseline_description}})
    same(what, *x, *y);
  for (auto [what, x, y] : {std::tuple{"pdo", a.pdo, b.pdo}, {"l2", a.l2, b.l2}, {"test_fraction", a.test_fraction, b.test_fraction},
                            {"base_rate", a.base_rate, b.base_rate}, {"factor", a.factor, b.factor},
                            {"intercept", a.intercept, b.intercept}, {"platt_a", a.platt_a, b.platt_a},
                            {"platt_b", a.platt_b, b.platt_b}})
    same(what, x, y);
  for (auto [what, x, y] : {std::tuple{"min_support", a.min_support, b.min_support}, {"leads", a.leads, b.leads},
                            {"closed", a.closed, b.closed}, {"won", a.won, b.won}, {"lost", a.lost, b.lost},
                            {"open", a.open, b.open}, {"excluded", a.excluded, b.excluded},
                            {"revenue_won", a.revenue_won, b.revenue_won}})
    same(what, x, y);
  same.each("warnings", a.warnings, b.warnings, [&](const WeightsWarning& x, const WeightsWarning& y) {
    same("warning kind", x.kind, y.kind);
    same("warning message", x.message, y.message);
  });
  same("base_rate_window", a.base_rate_window, b.base_rate_window);
  same("train_late_outcomes", a.train_late_outcomes, b.train_late_outcomes);
  same("adopted", a.adopted.has_value(), b.adopted.has_value());
  if (a.adopted && b.adopted) {
    const Adoption &x = *a.adopted, &y = *b.adopted;
    same("adopted policy", x.policy, y.policy);
    same("adopted leads", x.leads, y.leads);
    same("adopted auc_tolerance", x.auc_tolerance, y.auc_tolerance);
    same.each("adopted limits", x.limits, y.limits, [&](const AdoptedLimit& l, const AdoptedLimit& m) {
      same("limit section", l.section, m.section);
      same("limit kind", l.kind, m.kind);
      for (auto [p, q] : {std::pair{l.written, m.written}, {l.adopted, m.adopted}, {l.written_share, m.written_share},
                          {l.adopted_share, m.adopted_share}, {l.same_share, m.same_share},
                          {l.same_share_cost, m.same_share_cost}, {l.auc_cost, m.auc_cost}})
        same("limit", p, q);
      same("limit widened", l.widened, m.widened);
    });
    same.each("adopted thresholds", x.thresholds, y.thresholds, [&](const AdoptedThreshold& t, const AdoptedThreshold& u) {
      same("threshold key", t.key, u.key);
      same("threshold score", t.score, u.score);
      same("threshold op", t.op, u.op);
      same("threshold used_in", t.used_in, u.used_in);
      for (auto [p, q] : {std::pair{t.written, u.written}, {t.adopted, u.adopted}, {t.written_share, u.written_share},
                          {t.adopted_share, u.adopted_share}})
        same("threshold", p, q);
    });
    same("adopted kept", x.kept, y.kept);
    same.each("adopted outputs", x.outputs, y.outputs, [&](const OutputShare& o, const OutputShare& q) {
      same("output name", o.name, q.name);
      same("output written", o.written, q.written);
      same("output adopted", o.adopted, q.adopted);
    });
  }
  same("exclusions", a.exclusions, b.exclusions);
  same.each("inputs", a.inputs, b.inputs, [&](const InputFile& x, const InputFile& y) {
    same("inputs", x.role, y.role);
    same("inputs", x.path, y.path);
    same("inputs", x.fnv1a, y.fnv1a);
    same("inputs", x.rows, y.rows);
  });
  same("train", a.train, b.train);
  same("test", a.test, b.test);
  same("final_fit", a.final_fit.has_value(), b.final_fit.has_value());
  if (a.final_fit && b.final_fit) same("final_fit", *a.final_fit, *b.final_fit);
  same("final_curve", a.final_curve.has_value(), b.final_curve.has_value());
  if (a.final_curve && b.final_curve) same("final_curve", *a.final_curve, *b.final_curve);
  same.each("isotonic", a.isotonic.values, b.isotonic.values, [&](double x, double y) { same("isotonic", x, y); });
  same.each("isotonic", a.isotonic.thresholds, b.isotonic.thresholds, [&](double x, double y) { same("isotonic", x, y); });
  same("isotonic counts", a.isotonic.counts, b.isotonic.counts);
  same("source_field", a.source_field, b.source_field);
  same("revenue_average", a.revenue_average, b.revenue_average);
  same.each("by_source", a.revenue_by_source, b.revenue_by_source, [&](const SourceRevenue& x, const SourceRevenue& y) {
    same("by_source", x.source, y.source);
    same("by_source", x.won, y.won);
    same("by_source", x.average, y.average);
  });
  same.each("rules", a.rules, b.rules, [&](const RuleWeight& x, const RuleWeight& y) {
    same("rule label", x.label, y.label);
    same("rule section", x.section, y.section);
    same("rule kind", x.each, y.each);
    same("rule status", x.status, y.status);
    same("rule points", x.points, y.points);
    same("rule written_points", x.written_points, y.written_points);
    same("rule max", x.cap, y.cap);
    same("rule written_max", x.written_cap, y.written_cap);
    same("rule log_odds", x.log_odds, y.log_odds);
    const auto &e = x.evidence, &f = y.evidence;
    same("evidence label", e.label, f.label);
    same("evidence matched", e.matched, f.matched);
    same("evidence won", e.won, f.won);
    for (auto [p, q] : {std::pair{e.close_rate, f.close_rate}, {e.base_rate, f.base_rate}, {e.lift, f.lift},
                        {e.wilson.low, f.wilson.low}, {e.wilson.high, f.wilson.high}})
      same("evidence", p, q);
    same("evidence significant", e.significant, f.significant);
    same("evidence low_support", e.low_support, f.low_support);
  });
  same("backtest", a.has_backtest, b.has_backtest);
  if (a.has_backtest && b.has_backtest) {
    same("backtest written", a.written, b.written);
    same("backtest calibrated", a.calibrated, b.calibrated);
    same("calibrated_unlimited_auc", a.calibrated_unlimited_auc, b.calibrated_unlimited_auc);
    same("baseline", a.baseline.has_value(), b.baseline.has_value());
    if (a.baseline && b.baseline) same("baseline", *a.baseline, *b.baseline);
  }
  same("walk_forward", a.walk_forward.has_value(), b.walk_forward.has_value());
  if (a.walk_forward && b.walk_forward) {
    const auto &x = *a.walk_forward, &y = *b.walk_forward;
    for (auto [what, p, q] : {std::tuple{"refit_every", x.refit_every, y.refit_every}, {"window", x.window, y.window},
                              {"curve_window", x.curve_window, y.curve_window}, {"leads", x.leads, y.leads},
                              {"won", x.won, y.won}})
      same(what, p, q);
    same("written_chunk_auc", x.written_chunk_auc, y.written_chunk_auc);
    same("calibrated_chunk_auc", x.calibrated_chunk_auc, y.calibrated_chunk_auc);
    same("walk_forward written", x.written, y.written);
    same("walk_forward calibrated", x.calibrated, y.calibrated);
    same.each("chunks", x.chunks, y.chunks, [&](const WalkForwardChunkRow& c, const WalkForwardChunkRow& d) {
      same("chunk first", c.first, d.first);
      same("chunk last", c.last, d.last);
      for (auto [p, q] : {std::pair{c.leads, d.leads}, {c.won, d.won}, {c.fit_leads, d.fit_leads},
                          {c.curve_leads, d.curve_leads}, {c.late_outcomes, d.late_outcomes}})
        same("chunk counts", p, q);
      same("chunk scored", c.scored, d.scored);
      for (auto [p, q] : {std::pair{c.written_predicted, d.written_predicted},
                          {c.calibrated_predicted, d.calibrated_predicted}, {c.written_auc, d.written_auc},
                          {c.calibrated_auc, d.calibrated_auc}})
        same("chunk", p, q);
    });
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static leadscore::fuzz::MemoryFile file;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Weights weights;
  std::string error;
  if (!weights_from_yaml(text, "fuzz.weights.yaml", weights, error)) {
    FUZZ_CHECK(error.rfind("fuzz.weights.yaml: ", 0) == 0 && error.size() > 19, "refused with the message \"{}\"",
               error);
    return 0;
  }
  FUZZ_CHECK(error.empty(), "loaded, yet with the error \"{}\"", error);
  const std::string written = weights_to_yaml(weights);
  file.assign(written);
  Weights reloaded;
  FUZZ_CHECK(read_weights(file.path(), reloaded, error), "what was written does not reload: {}\n{}", error, written);
  check_same(weights, reloaded);
  FUZZ_CHECK(weights_to_yaml(reloaded) == written, "written twice, the text differs");
  return 0;
}

// The weights file's YAML: what is written reads back field for field, version 1 files still read,
// and a value that does not read is named by its place in the file.
#include <cmath>
#include <limits>
#include <string>

#include <doctest/doctest.h>

#include "calibrate/weights.hpp"

using namespace leadscore::calibrate;

namespace {

Weights sample_weights() {
  Weights w;
  w.ruleset = "demo";
  w.ruleset_version = "3";
  w.rules_hash = "00ff";
  w.created_by = "leadscore test";
  w.method = "logistic";
  w.each_feature = "log1p(count)";
  w.warnings.push_back({"drift", "the close rate moved: 5.6% to 24.5%"});
  w.inputs.push_back({"leads", "leads.csv", "0123456789abcdef", 120});
  w.leads = 120;
  w.closed = 100;
  w.won = 20;
  w.lost = 80;
  w.train = {70, 14, "2026-01-01T00:00:00Z", "2026-03-01T00:00:00Z"};
  w.test = {30, 6, "2026-03-02T00:00:00Z", "2026-04-01T00:00:00Z"};
  w.final_fit = SplitPart{40, 8, "row 60", "row 100"};
  w.base_rate = 0.2;
  w.factor = 20 / std::log(2.0);
  w.intercept = -1.5;
  w.platt_a = 0.05;
  w.platt_b = -2.25;
  w.isotonic.thresholds = {0, 40};
  w.isotonic.values = {0.1, 0.3};
  w.isotonic.counts = {60, 40};
  w.source_field = "source";
  w.revenue_won = 20;
  w.revenue_average = 1500.5;
  w.revenue_by_source.push_back({"web", 12, 1250});

  RuleWeight each;
  each.label = "Webinar, each";
  each.section = "interest";
  each.each = true;
  each.points = 7.25;
  each.cap = 21.75;
  each.written_points = 5;
  each.written_cap = 15;
  each.status = "calibrated";
  each.log_odds = 0.25;
  each.evidence.matched = 33;
  each.evidence.won = 9;
  each.evidence.close_rate = 9.0 / 33;
  each.evidence.lift = std::numeric_limits<double>::quiet_NaN();
  w.rules.push_back(each);
  RuleWeight plain;
  plain.label = "Big";
  plain.section = "fit";
  plain.points = -12;
  plain.status = "low_support";
  w.rules.push_back(plain);

  Adoption a;
  a.policy = "same share";
  a.leads = 100;
  a.auc_tolerance = 0.005;
  a.limits.push_back({"fit", "max", 50, 80, 0.01, 0.012, 78, 0.001, 0.0005, true});
  a.thresholds.push_back({"fit >= 30", "fit", ">=", 30, 41.5, 0.25, 0.24, "mql (line 12)"});
  a.kept.push_back("score >= 10: no lead is near it");
  a.outputs.push_back({"mql", 0.063, 0.06});
  w.adopted = a;

  w.has_backtest = true;
  w.written.auc = 0.7;
  w.written.has_mql = true;
  w.written.mql = {.rows = 30, .selected = 5, .true_positives = 3, .precision = 0.6, .recall = 0.5, .volume_share = 1.0 / 6};
  w.written.deciles.push_back({1, 3, 2, 2.0 / 3, 3.3, 0.33, 60, 80});
  w.calibrated.auc = 0.72;
  w.calibrated_unlimited_auc = 0.725;
  WalkForwardBacktest wf;
  wf.refit_every = 10;
  wf.window = 0;  // every older closed lead
  wf.curve_window = 50;
  wf.leads = 30;
  wf.chunks.push_back({"row 70", "row 80", 10, 2, 70, 50, 4, true, 0.2, 0.21, 0.6, 0.65});
  w.walk_forward = wf;
  return w;
}

Weights reread(const std::string& text) {
  Weights back;
  std::string error;
  REQUIRE_MESSAGE(weights_from_yaml(text, "w.yaml", back, error), error);
  return back;
}

std::string refusal(const std::string& text) {
  Weights back;
  std::string error;
  CHECK_FALSE(weights_from_yaml(text, "w.yaml", back, error));
  return error;
}

}  // namespace

TEST_CASE("weights yaml: every field reads back as written") {
  const Weights w = sample_weights();
  const std::string text = weights_to_yaml(w);
  const Weights back = reread(text);
  CHECK(weights_to_yaml(back) == text);
  CHECK(back.warnings == w.warnings);
  REQUIRE(back.rules.size() == 2);
  CHECK(back.rules[0].label == "Webinar, each");
  CHECK(back.rules[0].each);
  CHECK(back.rules[0].points == 7.25);
  CHECK(*back.rules[0].cap == 21.75);
  CHECK(*back.rules[0].written_cap == 15);
  CHECK(back.rules[0].evidence.label == "Webinar, each");
  CHECK(back.rules[0].evidence.matched == 33);
  CHECK(std::isnan(back.rules[0].evidence.lift));
  CHECK_FALSE(back.rules[1].each);
  CHECK_FALSE(back.rules[1].cap.has_value());
  CHECK(back.rules[1].points == -12);
  CHECK(back.final_fit->first == "row 60");
  CHECK_FALSE(back.final_curve.has_value());
  CHECK(back.isotonic.thresholds == w.isotonic.thresholds);
  CHECK(back.isotonic.counts == w.isotonic.counts);
  CHECK(*back.revenue_average == 1500.5);
  CHECK(back.revenue_by_source[0].source == "web");
  REQUIRE(back.adopted.has_value());
  CHECK(back.adopted->limits[0].widened);
  CHECK(back.adopted->limits[0].adopted == 80);
  CHECK(back.find_threshold("fit >= 30")->adopted == 41.5);
  CHECK(back.adopted->kept == w.adopted->kept);
  CHECK(back.written.has_mql);
  CHECK(back.written.mql.selected == 5);
  CHECK(back.written.deciles[0].decile == 1);
  CHECK_FALSE(back.calibrated.has_mql);
  CHECK(back.calibrated_unlimited_auc == 0.725);
  CHECK_FALSE(back.baseline.has_value());
  REQUIRE(back.walk_forward.has_value());
  CHECK(back.walk_forward->refit_every == 10);
  CHECK(back.walk_forward->window == 0);
  CHECK(back.walk_forward->curve_window == 50);
  CHECK(back.walk_forward->chunks[0].late_outcomes == 4);
}

TEST_CASE("weights yaml: the file's look: quoted text, plain numbers, one flow map per row") {
  const std::string text = weights_to_yaml(sample_weights());
  CHECK(text.find("format: \"leadscore-weights/2\"\n") != std::string::npos);
  CHECK(text.find("  refit_window: \"all\"\n  curve_window: 50\n") != std::string::npos);
  CHECK(text.find("  - {kind: \"drift\", message: \"the close rate moved: 5.6% to 24.5%\"}\n") != std::string::npos);
  CHECK(text.find("    kind: \"each\"\n    points: 7.25\n    max: 21.75\n") != std::string::npos);
  CHECK(text.find("lift: .nan") != std::string::npos);
  CHECK(text.find("  platt: {a: 0.05, b: -2.25}\n") != std::string::npos);
}

TEST_CASE("weights yaml: a version 1 file reads, with the defaults of keys it did not have") {
  Weights w = sample_weights();
  w.format = kWeightsFormatV1;
  w.adopted.reset();
  std::string text = weights_to_yaml(w);
  // Version 1 wrote warnings as plain text and had no late-outcome counts or base-rate window.
  const auto warning = text.find("  - {kind: \"drift\", message: ");
  REQUIRE(warning != std::string::npos);
  text.replace(warning, text.find('\n', warning) - warning, "  - \"the close rate moved\"");
  for (const std::string key : {"  train_late_outcomes: 0\n", "  base_rate_window: \"\"\n", "  calibrated_unlimited_auc: 0.725\n"}) {
    const auto at = text.find(key);
    REQUIRE_MESSAGE(at != std::string::npos, key);
    text.erase(at, key.size());
  }
  const Weights back = reread(text);
  REQUIRE(back.warnings.size() == 1);
  CHECK(back.warnings[0].kind == "other");
  CHECK(back.warnings[0].message == "the close rate moved");
  CHECK(back.train_late_outcomes == 0);
  CHECK(std::isnan(back.calibrated_unlimited_auc));
  CHECK_FALSE(back.adopted.has_value());
}

TEST_CASE("weights yaml: a value that does not read is named by its place in the file") {
  const std::string text = weights_to_yaml(sample_weights());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string changed = text;
    const auto at = changed.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, from);
    return changed.replace(at, from.size(), to);
  };
  CHECK(refusal(with("points: 7.25", "points: lots")) ==
        "w.yaml: not a valid weights file: \"lots\" is not a number (at `rules[0].points`)");
  CHECK(refusal(with("kind: \"each\"", "kind: \"often\"")) ==
        "w.yaml: not a valid weights file: \"often\" is not when or each (at `rules[0].kind`)");
  CHECK(refusal(with("matched: 33", "matched: -1")) ==
        "w.yaml: not a valid weights file: \"-1\" is not a whole number of 0 or more (at `rules[0].evidence.matched`)");
  CHECK(refusal(with("  points_per_log_odds:", "  per_log_odds:")) ==
        "w.yaml: not a valid weights file: missing key `points_per_log_odds` (at `scorecard.points_per_log_odds`)");
  CHECK(refusal(with("warnings:\n", "warnings: 3\nignored:\n")) ==
        "w.yaml: not a valid weights file: expected a list (at `warnings`)");
  CHECK(refusal(with("scored: true", "scored: maybe")) ==
        "w.yaml: not a valid weights file: \"maybe\" is not true or false (at `backtest.walk_forward.chunks[0].scored`)");
  // A file of another format says so, before any key it lacks.
  CHECK(refusal("format: \"leadscore-weights/9\"\n") ==
        "w.yaml: format \"leadscore-weights/9\" is not leadscore-weights/2 (or leadscore-weights/1)");
  CHECK(refusal(with("{a: 0.05, b: -2.25}", "{a: .nan, b: -2.25}")) ==
        "w.yaml: probability.platt a and b must be finite numbers (a: .nan, b: -2.25); re-run `leadscore calibrate`");
  CHECK(refusal(with("points: 7.25", "points: 2e9")) ==
        "w.yaml: rule \"Webinar, each\": points must be a finite number of at most 1B in magnitude");
  CHECK(refusal("- 1\n- 2\n") == "w.yaml: not a leadscore weights file (expected a YAML map)");
}

TEST_CASE("weights yaml: the account block reads back, and a file without one has none") {
  Weights w = sample_weights();
  CHECK_FALSE(reread(weights_to_yaml(w)).accounts.has_value());
  AccountCalibration a;
  a.outcomes = "opportunities.csv joined on account_id (won: won; lost: lost; anything else open)";
  a.lead_outcomes = "each lead takes its account's outcome";
  a.accounts = 2025;
  a.rows = 810;
  a.closed = 803;
  a.won = 227;
  a.lost = 576;
  a.open = 5;
  a.excluded = 2;
  a.exclusions = {"5 open rows (outcome neither won nor lost)"};
  a.time_order = "closed_at of the outcome rows";
  a.train = SplitPart{563, 160, "2026-11-02T00:00:00Z", "2027-01-25T00:00:00Z"};
  a.test = SplitPart{240, 67, "2027-01-26T00:00:00Z", "2027-03-01T00:00:00Z"};
  a.base_rate = 0.28;
  a.intercept = -1.25;
  a.has_backtest = true;
  a.written_auc = 0.663;
  a.calibrated_auc = 0.66;
  w.accounts = a;
  const std::string text = weights_to_yaml(w);
  const Weights back = reread(text);
  CHECK(weights_to_yaml(back) == text);
  REQUIRE(back.accounts.has_value());
  CHECK(back.accounts->won == 227);
  CHECK(back.accounts->test.leads == 240);
  CHECK(back.accounts->test.last == "2027-03-01T00:00:00Z");
  CHECK(back.accounts->exclusions == a.exclusions);
  CHECK(back.accounts->calibrated_auc == 0.66);
  CHECK(back.accounts->lead_outcomes == a.lead_outcomes);
}

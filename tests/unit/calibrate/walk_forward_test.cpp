// Walk-forward backtest: the chunk plan, the no-leakage guarantee, and the summary metrics.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "calibrate/walk_forward.hpp"

using namespace leadscore::calibrate;

using Leads = std::vector<std::size_t>;

TEST_CASE("walk-forward plan: chunks in time order, fitted only on strictly older closed leads") {
  // 10 closed leads at times 0..9 (ordinal = time); the newest 4 are the test part, 2 per chunk.
  std::vector<std::int64_t> time{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const Leads closed{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  const Leads test{9, 6, 8, 7};  // any order: the plan sorts by time
  SUBCASE("every older lead, the earlier test chunks included") {
    auto plan = plan_walk_forward(time, closed, test, {2, 0, 0});
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].leads == Leads{6, 7});
    CHECK(plan[0].fit_leads == Leads{0, 1, 2, 3, 4, 5});
    CHECK(plan[0].curve_leads == Leads{0, 1, 2, 3, 4, 5});
    CHECK(plan[1].leads == Leads{8, 9});
    CHECK(plan[1].fit_leads == Leads{0, 1, 2, 3, 4, 5, 6, 7});
  }
  SUBCASE("windows keep the most recent leads; the curve window defaults to the fit window") {
    auto plan = plan_walk_forward(time, closed, test, {2, 3, 0});
    CHECK(plan[0].fit_leads == Leads{3, 4, 5});
    CHECK(plan[0].curve_leads == Leads{3, 4, 5});
    CHECK(plan[1].fit_leads == Leads{5, 6, 7});
    plan = plan_walk_forward(time, closed, test, {2, 3, 1});
    CHECK(plan[1].fit_leads == Leads{5, 6, 7});
    CHECK(plan[1].curve_leads == Leads{7});
  }
  SUBCASE("a chunk takes every test lead tied with its last one, so nothing it is fitted on is as new as it") {
    time = {0, 1, 2, 3, 4, 5, 7, 7, 7, 9};
    auto plan = plan_walk_forward(time, closed, test, {2, 0, 0});
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].leads == Leads{6, 7, 8});
    CHECK(plan[1].leads == Leads{9});
    CHECK(plan[1].fit_leads == Leads{0, 1, 2, 3, 4, 5, 6, 7, 8});
  }
  SUBCASE("a chunk starting inside a tie run is fitted only on leads before the run") {
    // Lead 5 (not a test lead) shares time 6 with test lead 6: it is not strictly older.
    time = {0, 1, 2, 3, 4, 6, 6, 7, 8, 9};
    auto plan = plan_walk_forward(time, closed, test, {4, 0, 0});
    REQUIRE(plan.size() == 1);
    CHECK(plan[0].fit_leads == Leads{0, 1, 2, 3, 4});
  }
  SUBCASE("an outcome known only after a chunk starts is not in that chunk's history, and is in the next one's") {
    // Lead 3 was created at time 3 but closed at time 7, after chunk 0 (leads 6, 7) started at 6.
    std::vector<std::int64_t> known_at{0, 1, 2, 7, 4, 5, 6, 7, 8, 9};
    auto plan = plan_walk_forward(time, closed, test, {2, 0, 0}, known_at);
    REQUIRE(plan.size() == 2);
    CHECK(plan[0].fit_leads == Leads{0, 1, 2, 4, 5});
    CHECK(plan[0].curve_leads == Leads{0, 1, 2, 4, 5});
    CHECK(plan[0].late_outcomes == 1);
    // Chunk 1 starts at 8: lead 3 (known at 7) is back; lead 7 (created 7, known 7) too; lead 6 too.
    CHECK(plan[1].fit_leads == Leads{0, 1, 2, 3, 4, 5, 6, 7});
    CHECK(plan[1].late_outcomes == 0);
    // With a window the late lead does not take a place among the most recent.
    plan = plan_walk_forward(time, closed, test, {2, 3, 0}, known_at);
    CHECK(plan[0].fit_leads == Leads{2, 4, 5});
  }
  CHECK_THROWS_AS(plan_walk_forward(time, closed, test, {0, 0, 0}), std::invalid_argument);
  CHECK(most_recent_leads(time, Leads{9, 2, 5, 0}, 2) == Leads{5, 9});
  CHECK(most_recent_leads(time, Leads{9, 2, 5, 0}, 0) == Leads{0, 2, 5, 9});
}

namespace {

// 600 leads in time order with three rules; the close rate rises over time and depends on the
// rules, with deterministic pseudo-random noise.
struct Synthetic {
  std::vector<std::int64_t> time;
  std::vector<RuleColumn> columns;
  std::vector<std::uint8_t> label;
  Leads closed, test;
  ScoredLeads written;
};

Synthetic synthetic() {
  Synthetic s;
  const std::size_t n = 600;
  std::uint64_t state = 12345;
  auto uniform = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  const double written_points[3] = {20, 10, -5};
  for (int j = 0; j < 3; ++j) {
    RuleColumn c;
    c.label = "rule " + std::to_string(j);
    c.written_points = written_points[j];
    c.feature.resize(n);
    c.matched.resize(n);
    s.columns.push_back(c);
  }
  s.written.score.assign(n, 0);
  s.written.mql.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    s.time.push_back(static_cast<std::int64_t>(i));
    double log_odds = -2.5 + 2.0 * static_cast<double>(i) / static_cast<double>(n);
    const double effect[3] = {1.2, 0.3, -0.6};
    for (int j = 0; j < 3; ++j) {
      const std::uint8_t m = uniform() < 0.35 ? 1 : 0;
      s.columns[static_cast<std::size_t>(j)].feature[i] = m;
      s.columns[static_cast<std::size_t>(j)].matched[i] = m;
      log_odds += m * effect[j];
      s.written.score[i] += m * written_points[j];
    }
    s.written.mql[i] = s.written.score[i] >= 20;
    s.label.push_back(uniform() < 1 / (1 + std::exp(-log_odds)) ? 1 : 0);
    s.closed.push_back(i);
    if (i >= 300) s.test.push_back(i);
  }
  return s;
}

WalkForwardPredictions run(const Synthetic& s, const std::vector<WalkForwardChunk>& plan) {
  RuleFitOptions options;
  options.min_support = 5;
  auto score_with = [&](const RuleFit& fit, const WalkForwardChunk&) {
    ScoredLeads out;
    for (std::size_t i = 0; i < s.time.size(); ++i) {
      double score = 0;
      for (std::size_t j = 0; j < s.columns.size(); ++j) score += fit.points[j] * s.columns[j].feature[i];
      out.score.push_back(score);
      out.mql.push_back(score >= 20);
    }
    return out;
  };
  return walk_forward_predict(plan, s.columns, s.label, s.written, options, score_with);
}

// The predictions (both probabilities and the calibrated score) of one chunk.
std::vector<double> chunk_predictions(const WalkForwardPredictions& p, std::size_t chunk) {
  std::vector<double> out;
  for (std::size_t i = 0; i < p.leads.size(); ++i)
    if (p.chunk[i] == chunk) {
      out.push_back(p.written_p[i]);
      out.push_back(p.calibrated_p[i]);
      out.push_back(p.calibrated_score[i]);
    }
  return out;
}

}  // namespace

TEST_CASE("walk-forward never uses the outcome of a chunk or a later lead to predict the chunk") {
  Synthetic s = synthetic();
  const auto plan = plan_walk_forward(s.time, s.closed, s.test, {100, 200, 100});
  REQUIRE(plan.size() == 3);
  const WalkForwardPredictions before = run(s, plan);
  REQUIRE(before.leads.size() == 300);

  // Flip every outcome from the second chunk (leads 400..599) on.
  Synthetic flipped = s;
  for (std::size_t i = 400; i < 600; ++i) flipped.label[i] = 1 - flipped.label[i];
  const WalkForwardPredictions after = run(flipped, plan);
  CHECK(chunk_predictions(after, 0) == chunk_predictions(before, 0));
  CHECK(chunk_predictions(after, 1) == chunk_predictions(before, 1));
  // The test can see a leak: the third chunk is fitted on the flipped second one and does change.
  CHECK(chunk_predictions(after, 2) != chunk_predictions(before, 2));

  // Outcomes older than a chunk's window do not reach it either: chunk 2 (leads 500..599) is fitted
  // on leads 300..499 and its curves on 400..499.
  Synthetic old_flipped = s;
  for (std::size_t i = 0; i < 300; ++i) old_flipped.label[i] = 1 - old_flipped.label[i];
  const WalkForwardPredictions old_after = run(old_flipped, plan);
  CHECK(chunk_predictions(old_after, 2) == chunk_predictions(before, 2));
  CHECK(chunk_predictions(old_after, 0) != chunk_predictions(before, 0));
}

TEST_CASE("walk-forward probabilities follow a drifting close rate that a single past fit misses") {
  Synthetic s = synthetic();
  const auto plan = plan_walk_forward(s.time, s.closed, s.test, {100, 200, 100});
  const WalkForwardPredictions p = run(s, plan);
  // The mean predicted p_close per chunk rises with the close rate (the true log-odds rise by 0.33
  // from one chunk to the next): 26.1%, 29.8%, 33.2%, each refit knowing only older outcomes.
  std::vector<double> mean(3, 0.0);
  for (std::size_t i = 0; i < p.leads.size(); ++i) mean[p.chunk[i]] += p.calibrated_p[i] / 100.0;
  CHECK(mean[0] == doctest::Approx(0.2608).epsilon(0.001));
  CHECK(mean[1] == doctest::Approx(0.2982).epsilon(0.001));
  CHECK(mean[2] == doctest::Approx(0.3317).epsilon(0.001));
}

TEST_CASE("walk-forward summary: within-chunk AUC averaged by chunk size, chunks without both classes left out") {
  // Three chunks: 4 leads (written ranks perfectly, calibrated backwards), 2 leads (tied scores),
  // 2 leads all lost (no AUC; not averaged).
  std::vector<WalkForwardChunk> plan(3);
  plan[0].leads = {0, 1, 2, 3};
  plan[1].leads = {4, 5};
  plan[2].leads = {6, 7};
  for (auto& c : plan) c.fit_leads = c.curve_leads = {0};
  const std::vector<std::uint8_t> label{0, 0, 1, 1, 0, 1, 0, 0};
  WalkForwardPredictions p;
  p.leads = {0, 1, 2, 3, 4, 5, 6, 7};
  p.chunk = {0, 0, 0, 0, 1, 1, 2, 2};
  p.written_score = {1, 2, 3, 4, 5, 5, 1, 2};
  p.calibrated_score = {4, 3, 2, 1, 1, 2, 1, 2};
  p.written_p = {0.1, 0.2, 0.6, 0.7, 0.5, 0.5, 0.1, 0.1};
  p.calibrated_p = {0.4, 0.3, 0.2, 0.1, 0.3, 0.6, 0.2, 0.2};
  p.written_mql = p.calibrated_mql = std::vector<std::uint8_t>(8, 0);
  p.chunk_scored = {true, true, true};
  auto describe = [](std::size_t l) { return "row " + std::to_string(l + 1); };
  const WalkForwardBacktest b = summarize_walk_forward({2, 5, 0}, plan, p, label, false, 2, describe);
  CHECK(b.refit_every == 2);
  CHECK(b.window == 5);
  CHECK(b.curve_window == 5);
  CHECK(b.leads == 8);
  CHECK(b.won == 3);
  // (4 x 1 + 2 x 0.5) / 6 and (4 x 0 + 2 x 1) / 6
  CHECK(b.written_chunk_auc == doctest::Approx(5.0 / 6.0));
  CHECK(b.calibrated_chunk_auc == doctest::Approx(2.0 / 6.0));
  REQUIRE(b.chunks.size() == 3);
  CHECK(b.chunks[0].first == "row 1");
  CHECK(b.chunks[0].last == "row 4");
  CHECK(b.chunks[0].won == 2);
  CHECK(b.chunks[0].written_predicted == doctest::Approx(0.4));
  CHECK(b.chunks[1].calibrated_predicted == doctest::Approx(0.45));
  CHECK(std::isnan(b.chunks[2].written_auc));
  // Pooled metrics are on the predicted probabilities: Brier of the written p by hand.
  const double brier = (0.01 + 0.04 + 0.16 + 0.09 + 0.25 + 0.25 + 0.01 + 0.01) / 8;
  CHECK(b.written.brier == doctest::Approx(brier));
  // Won 0.6, 0.7 and 0.5 against lost 0.1, 0.2, 0.5, 0.1, 0.1: 5 + 5 + 4.5 (a tie) of 15 pairs.
  CHECK(b.written.auc == doctest::Approx(14.5 / 15.0));
}

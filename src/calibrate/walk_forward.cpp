#include "calibrate/walk_forward.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "calibrate/metrics.hpp"
#include "calibrate/model_backtest.hpp"
#include "calibrate/platt.hpp"

namespace leadscore::calibrate {

namespace {

// The most recent `window` leads of `older` (all of them when window is 0).
std::vector<std::size_t> most_recent(const std::vector<std::size_t>& older, std::size_t window) {
  if (window == 0 || older.size() <= window) return older;
  return {older.end() - static_cast<std::ptrdiff_t>(window), older.end()};
}

bool has_both_classes(const std::vector<std::size_t>& leads, const std::vector<std::uint8_t>& label) {
  std::size_t won = 0;
  for (auto l : leads) won += label[l];
  return won > 0 && won < leads.size();
}

}  // namespace

std::vector<std::size_t> most_recent_leads(std::span<const std::int64_t> time, std::span<const std::size_t> closed,
                                           std::size_t window) {
  std::vector<std::size_t> leads(closed.begin(), closed.end());
  std::sort(leads.begin(), leads.end(),
            [&](std::size_t a, std::size_t b) { return time[a] != time[b] ? time[a] < time[b] : a < b; });
  return most_recent(leads, window);
}

std::vector<WalkForwardChunk> plan_walk_forward(std::span<const std::int64_t> time, std::span<const std::size_t> closed,
                                                std::span<const std::size_t> test, const WalkForwardOptions& options,
                                                std::span<const std::int64_t> known_at) {
  if (options.refit_every == 0) throw std::invalid_argument("plan_walk_forward: refit_every must be > 0");
  auto older_first = [&](std::size_t a, std::size_t b) { return time[a] != time[b] ? time[a] < time[b] : a < b; };
  std::vector<std::size_t> history(closed.begin(), closed.end()), scored(test.begin(), test.end());
  std::sort(history.begin(), history.end(), older_first);
  std::sort(scored.begin(), scored.end(), older_first);
  const std::size_t curve_window = options.curve_window ? options.curve_window : options.window;

  std::vector<WalkForwardChunk> plan;
  std::size_t begin = 0, older_end = 0;  // older_end: closed leads in history strictly before the chunk
  while (begin < scored.size()) {
    std::size_t end = std::min(begin + options.refit_every, scored.size());
    while (end < scored.size() && time[scored[end]] == time[scored[end - 1]]) ++end;
    const std::int64_t start = time[scored[begin]];
    while (older_end < history.size() && time[history[older_end]] < start) ++older_end;
    std::vector<std::size_t> older;
    WalkForwardChunk chunk;
    older.reserve(older_end);
    for (std::size_t i = 0; i < older_end; ++i) {
      const std::size_t lead = history[i];
      if (!known_at.empty() && known_at[lead] >= start) ++chunk.late_outcomes;
      else older.push_back(lead);
    }
    chunk.leads.assign(scored.begin() + static_cast<std::ptrdiff_t>(begin), scored.begin() + static_cast<std::ptrdiff_t>(end));
    chunk.fit_leads = most_recent(older, options.window);
    chunk.curve_leads = most_recent(older, curve_window);
    plan.push_back(std::move(chunk));
    begin = end;
  }
  return plan;
}

WalkForwardPredictions walk_forward_predict(const std::vector<WalkForwardChunk>& plan,
                                            const std::vector<RuleColumn>& columns,
                                            const std::vector<std::uint8_t>& label, const ScoredLeads& written,
                                            const RuleFitOptions& fit_options, const ScoreWithPoints& score_with) {
  WalkForwardPredictions out;
  auto labels_of = [&](const std::vector<std::size_t>& leads) {
    std::vector<std::uint8_t> y;
    y.reserve(leads.size());
    for (auto l : leads) y.push_back(label[l]);
    return y;
  };
  auto scores_of = [](const std::vector<double>& score, const std::vector<std::size_t>& leads) {
    std::vector<double> s;
    s.reserve(leads.size());
    for (auto l : leads) s.push_back(score[l]);
    return s;
  };
  for (std::size_t c = 0; c < plan.size(); ++c) {
    const auto& chunk = plan[c];
    const bool can_fit = has_both_classes(chunk.fit_leads, label) && has_both_classes(chunk.curve_leads, label);
    out.chunk_scored.push_back(can_fit);
    if (!can_fit) continue;
    const RuleFit fit = fit_rules(columns, chunk.fit_leads, label, fit_options);
    const ScoredLeads calibrated = score_with(fit, chunk);
    const auto curve_labels = labels_of(chunk.curve_leads);
    const PlattModel written_curve = platt_fit(scores_of(written.score, chunk.curve_leads), curve_labels);
    const PlattModel calibrated_curve = platt_fit(scores_of(calibrated.score, chunk.curve_leads), curve_labels);
    for (auto l : chunk.leads) {
      out.leads.push_back(l);
      out.chunk.push_back(c);
      out.written_score.push_back(written.score[l]);
      out.calibrated_score.push_back(calibrated.score[l]);
      out.written_p.push_back(written_curve.predict(written.score[l]));
      out.calibrated_p.push_back(calibrated_curve.predict(calibrated.score[l]));
      out.written_mql.push_back(written.mql.empty() ? 0 : written.mql[l]);
      out.calibrated_mql.push_back(calibrated.mql.empty() ? 0 : calibrated.mql[l]);
    }
  }
  return out;
}

WalkForwardBacktest summarize_walk_forward(const WalkForwardOptions& options, const std::vector<WalkForwardChunk>& plan,
                                           const WalkForwardPredictions& p, const std::vector<std::uint8_t>& label,
                                           bool has_mql, std::uint64_t volume,
                                           const std::function<std::string(std::size_t)>& describe) {
  WalkForwardBacktest b;
  b.refit_every = options.refit_every;
  b.window = options.window;
  b.curve_window = options.curve_window ? options.curve_window : options.window;
  std::vector<std::uint8_t> y;
  for (auto l : p.leads) y.push_back(label[l]);
  b.leads = y.size();
  for (auto v : y) b.won += v;

  // Per chunk: its rows in the predictions (chunks are contiguous there), within-chunk AUC.
  double weighted_written = 0, weighted_calibrated = 0, weight = 0;
  std::size_t row = 0;
  for (std::size_t c = 0; c < plan.size(); ++c) {
    const auto& chunk = plan[c];
    WalkForwardChunkRow r;
    r.first = describe(chunk.leads.front());
    r.last = describe(chunk.leads.back());
    r.leads = chunk.leads.size();
    for (auto l : chunk.leads) r.won += label[l];
    r.fit_leads = chunk.fit_leads.size();
    r.curve_leads = chunk.curve_leads.size();
    r.late_outcomes = chunk.late_outcomes;
    r.scored = p.chunk_scored[c];
    if (!r.scored) {
      r.written_predicted = r.calibrated_predicted = r.written_auc = r.calibrated_auc =
          std::numeric_limits<double>::quiet_NaN();
      b.chunks.push_back(r);
      continue;
    }
    const std::size_t first = row, last = row + chunk.leads.size();
    row = last;
    auto slice = [&](const auto& v) { return std::vector(v.begin() + static_cast<std::ptrdiff_t>(first), v.begin() + static_cast<std::ptrdiff_t>(last)); };
    const auto chunk_y = slice(y);
    const auto written_p = slice(p.written_p), calibrated_p = slice(p.calibrated_p);
    for (std::size_t i = 0; i < written_p.size(); ++i) {
      r.written_predicted += written_p[i];
      r.calibrated_predicted += calibrated_p[i];
    }
    r.written_predicted /= static_cast<double>(r.leads);
    r.calibrated_predicted /= static_cast<double>(r.leads);
    r.written_auc = auc(slice(p.written_score), chunk_y);
    r.calibrated_auc = auc(slice(p.calibrated_score), chunk_y);
    if (r.won > 0 && r.won < r.leads) {
      weighted_written += r.written_auc * static_cast<double>(r.leads);
      weighted_calibrated += r.calibrated_auc * static_cast<double>(r.leads);
      weight += static_cast<double>(r.leads);
    }
    b.chunks.push_back(r);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  b.written_chunk_auc = weight > 0 ? weighted_written / weight : nan;
  b.calibrated_chunk_auc = weight > 0 ? weighted_calibrated / weight : nan;
  if (!y.empty()) {
    b.written = backtest_model(p.written_p, p.written_p, y, has_mql ? &p.written_mql : nullptr, volume);
    b.calibrated = backtest_model(p.calibrated_p, p.calibrated_p, y, has_mql ? &p.calibrated_mql : nullptr, volume);
  }
  return b;
}

}  // namespace leadscore::calibrate

// A calibrated ruleset as one consistent model (adopted limits and thresholds), and the data checks
// of calibrate: closed_at that cannot be read, outcomes known after a backtest chunk started, the
// time order, the baseline's columns and the drift test.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>

#include "calibrate/stats_intervals.hpp"
#include "engine/check/checker.hpp"
#include "io/number_format.hpp"
#include "jobs/calibrate_job.hpp"
#include "jobs/explain.hpp"
#include "jobs/score_job.hpp"
#include "jobs/weights_check.hpp"
#include "tests/unit/support/scratch_dir.hpp"

using namespace leadscore;
using leadscore::testing::ScratchDir;
namespace fs = std::filesystem;

namespace {

struct Random {
  std::uint64_t state;
  double uniform() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  }
};

constexpr std::int64_t k2027 = 1'800'000'000'000'000LL;

// Leads with four yes/no traits; the outcome's log-odds are `intercept` plus `effects` of the traits.
std::string trait_leads(std::size_t n, const double (&effects)[4], double intercept, std::uint64_t seed) {
  Random r{seed};
  std::string s = "lead_id,a,b,c,d,y\n";
  for (std::size_t i = 0; i < n; ++i) {
    double log_odds = intercept;
    s += "L" + std::to_string(i);
    for (double e : effects) {
      const bool on = r.uniform() < 0.4;
      log_odds += on ? e : 0;
      s += on ? ",yes" : ",no";
    }
    s += r.uniform() < 1 / (1 + std::exp(-log_odds)) ? ",won\n" : ",lost\n";
  }
  return s;
}

const char* kTraitSchema =
    "schema lead {\n  lead_id: id\n  a: bool\n  b: bool\n  c: bool\n  d: bool\n}\n";

jobs::CalibrateRequest trait_request(const ScratchDir& dir, const std::string& rules, const std::string& leads) {
  jobs::CalibrateRequest req;
  req.inputs.rules = dir.write("t.rules", rules);
  req.inputs.leads = dir.write("leads.csv", leads);
  req.inputs.as_of = k2027;
  req.outcomes.leads_column = "y";
  req.created_by = "test";
  return req;
}

calibrate::Weights calibrated(const jobs::CalibrateRequest& req) {
  Diagnostics diags;
  std::string error;
  calibrate::Weights w;
  REQUIRE_MESSAGE(jobs::run_calibrate(req, diags, w, error), error);
  return w;
}

std::string message_of(const calibrate::Weights& w, const std::string& kind) {
  std::string all;
  for (const auto& x : w.warnings)
    if (x.kind == kind) all += x.message + "\n";
  return all;
}

}  // namespace

TEST_CASE("adopted limits: where the written max binds, the adopted one costs at most 0.005 AUC against no limit") {
  ScratchDir dir;
  const double effects[4] = {1.6, 1.1, 0.9, 0.4};
  const std::string rules = std::string("ruleset \"limits\" version 1\n") + kTraitSchema +
                            "score fit max 20 {\n  rule \"A\" when a points 15\n  rule \"B\" when b points 10\n"
                            "  rule \"C\" when c points 10\n  rule \"D\" when d points 5\n}\nmql when fit >= 20\n";
  auto w = calibrated(trait_request(dir, rules, trait_leads(6000, effects, -2.5, 7)));
  REQUIRE(w.adopted.has_value());
  REQUIRE(w.adopted->limits.size() == 1);
  const auto& max = w.adopted->limits[0];
  CHECK(max.section == "fit");
  CHECK(max.kind == "max");
  // The written max holds a large share of the leads (any two of A, B, C pass 20) ...
  CHECK(max.written_share > 0.2);
  // ... and holding as many with the calibrated points costs AUC, so the adopted max sits further out.
  CHECK(max.same_share_cost > 0.005);
  CHECK(max.widened);
  CHECK(max.auc_cost <= 0.005);
  CHECK(max.adopted > max.same_share);
  CHECK(message_of(w, "limits").find("section `fit`'s max 20") != std::string::npos);
  // On the held-out leads, the adopted model ranks within 0.005 AUC of the same points without limits.
  REQUIRE(w.has_backtest);
  REQUIRE(std::isfinite(w.calibrated_unlimited_auc));
  CHECK(w.calibrated.auc >= w.calibrated_unlimited_auc - 0.005);
}

TEST_CASE("adopted thresholds: same share of leads, used by score and explain, checked by check") {
  ScratchDir dir;
  const double effects[4] = {2.0, 1.2, 0.8, -0.6};
  // Written points on a small scale; the calibrated ones are about 3x larger.
  const std::string rules = std::string("ruleset \"thresholds\" version 1\n") + kTraitSchema +
                            "score fit {\n  rule \"A\" when a points 10\n  rule \"B\" when b points 6\n"
                            "  rule \"C\" when c points 4\n  rule \"D\" when d points -3\n}\n"
                            "let warm = fit >= 10\n"
                            "mql when fit >= 16\n"
                            "classify tier {\n  \"hot\" when fit >= 16\n  \"warm\" when warm\n  \"cold\" otherwise\n}\n";
  const std::string leads = trait_leads(3000, effects, -2.0, 11);
  auto w = calibrated(trait_request(dir, rules, leads));
  REQUIRE(w.adopted.has_value());
  REQUIRE(w.adopted->thresholds.size() == 2);
  for (const auto& t : w.adopted->thresholds) {
    CAPTURE(t.key);
    CHECK(t.adopted != t.written);
    CHECK(std::fabs(t.adopted_share - t.written_share) <= 0.03);
  }
  const auto* hot = w.find_threshold("fit >= 16");
  REQUIRE(hot != nullptr);
  CHECK(hot->used_in.find("mql") != std::string::npos);
  CHECK(hot->used_in.find("classify tier \"hot\"") != std::string::npos);
  CHECK(w.find_threshold("fit >= 10")->used_in.find("classify tier \"warm\"") != std::string::npos);
  for (const auto& o : w.adopted->outputs)
    if (o.written > 0) CHECK_MESSAGE(o.adopted > 0, o.name);

  // Score with the weights: the same leads, the same outputs, at the adopted thresholds.
  std::string error;
  REQUIRE(calibrate::write_weights(w, (dir.path / "w.yaml").string(), error));
  std::string adopted_rules = rules;
  adopted_rules.insert(adopted_rules.find("schema lead"), "calibration \"w.yaml\"\n");
  const std::string path = dir.write("adopted.rules", adopted_rules);
  Diagnostics diags;
  auto program = load_rules(path, diags);
  REQUIRE(program);
  jobs::check_weights(*program, diags);
  CHECK(diags.warning_count() == 0);
  auto share_of_mql = [&](const std::string& rules_path) {
    jobs::ScoreRequest score;
    score.rules = rules_path;
    score.leads = (dir.path / "leads.csv").string();
    score.as_of = k2027;
    score.out = (dir.path / "scored.csv").string();
    jobs::ScoreReport report;
    Diagnostics d;
    std::string e;
    REQUIRE_MESSAGE(jobs::run_score(score, d, report, e), e);
    for (const auto& [value, count] : report.classify_counts[0].second)
      if (value != "(none)") CHECK_MESSAGE(count > 0, value);
    return static_cast<double>(report.tally.mql) / static_cast<double>(report.scored);
  };
  const double written_share = share_of_mql((dir.path / "t.rules").string());
  const double adopted_share = share_of_mql(path);
  CHECK(std::fabs(adopted_share - written_share) <= std::max(0.02, 0.2 * written_share));
  const auto* mql = &w.adopted->outputs[0];
  CHECK(mql->name == "mql");
  CHECK(mql->adopted == doctest::Approx(adopted_share));

  // explain shows the adopted number beside the written one.
  jobs::ExplainRequest explain;
  explain.inputs.rules = path;
  explain.inputs.leads = (dir.path / "leads.csv").string();
  explain.inputs.as_of = k2027;
  explain.lead_id = "L0";
  std::string out;
  REQUIRE_MESSAGE(jobs::run_explain(explain, diags, out, error), error);
  CHECK(out.find(fmt::format("fit >= 16 -> {}", io::format_number(hot->adopted))) != std::string::npos);
  CHECK(out.find(fmt::format(">= {} (adopted; written 16)", io::format_number(hot->adopted))) != std::string::npos);

  // A threshold changed since calibration has no adopted value: check says so at its position.
  std::string changed = adopted_rules;
  changed.replace(changed.find("mql when fit >= 16"), 18, "mql when fit >= 17");
  Diagnostics changed_diags;
  auto changed_program = load_rules(dir.write("changed.rules", changed), changed_diags);
  REQUIRE(changed_program);
  jobs::check_weights(*changed_program, changed_diags);
  // The mql condition is in the rules hash, so the file is also another ruleset's (score refuses it
  // unless --allow-other-ruleset, and then applies the written 17).
  REQUIRE(changed_diags.warning_count() == 2);
  CHECK(changed_diags.items()[0].message.find("was calibrated for ruleset \"thresholds\"") != std::string::npos);
  CHECK(changed_diags.items()[1].message.find("`fit >= 17` has no adopted threshold in") != std::string::npos);
  CHECK(changed_diags.items()[1].code == Code::CalibrationOutOfDate);
}

TEST_CASE("adopted thresholds: a version 1 weights file adopts nothing, and check says so once") {
  ScratchDir dir;
  const double effects[4] = {2.0, 1.2, 0.8, -0.6};
  const std::string rules = std::string("ruleset \"v1\" version 1\n") + kTraitSchema +
                            "score fit {\n  rule \"A\" when a points 10\n  rule \"B\" when b points 6\n}\nmql when fit >= 10\n";
  auto w = calibrated(trait_request(dir, rules, trait_leads(1000, effects, -1.0, 5)));
  w.format = calibrate::kWeightsFormatV1;
  w.adopted.reset();
  std::string error;
  REQUIRE(calibrate::write_weights(w, (dir.path / "w.yaml").string(), error));
  std::string with = rules;
  with.insert(with.find("schema lead"), "calibration \"w.yaml\"\n");
  Diagnostics diags;
  auto program = load_rules(dir.write("v1.rules", with), diags);
  REQUIRE(program);
  jobs::check_weights(*program, diags);
  REQUIRE(diags.warning_count() == 1);
  CHECK(diags.items()[0].message.find("adopts no limits or thresholds") != std::string::npos);
}

namespace {

// 100 leads created one a day from 2026-01-01 (L0..L99), every third with 100+ employees, even ones won.
const char* kPitRules =
    "ruleset \"pit\" version 1\n"
    "schema lead {\n  lead_id: id\n  employees: int\n  created_at: date\n}\n"
    "score interest {\n  rule \"Big\" when employees >= 100 points 10\n}\n";

std::string day(int i) {
  int month = i < 31 ? 1 : i < 59 ? 2 : i < 90 ? 3 : 4;
  int d = i < 31 ? i + 1 : i < 59 ? i - 30 : i < 90 ? i - 58 : i - 89;
  return fmt::format("2026-{:02d}-{:02d}", month, d);
}

std::string pit_leads() {
  std::string s = "lead_id,employees,created_at\n";
  for (int i = 0; i < 100; ++i) s += "L" + std::to_string(i) + "," + (i % 3 == 0 ? "500" : "20") + "," + day(i) + "\n";
  return s;
}

jobs::CalibrateRequest pit_request(const ScratchDir& dir, const std::string& outcomes) {
  jobs::CalibrateRequest req;
  req.inputs.rules = dir.write("pit.rules", kPitRules);
  req.inputs.leads = dir.write("leads.csv", pit_leads());
  req.outcomes.file = dir.write("outcomes.csv", outcomes);
  req.outcomes.won = {"won"};
  req.outcomes.lost = {"lost"};
  req.min_support = 5;
  req.created_by = "test";
  return req;
}

}  // namespace

TEST_CASE("calibrate: a closed_at that cannot be read is an error naming the file, line and value") {
  ScratchDir dir;
  // closed_at two days after creation; one written the way a CRM exports it, without a zone.
  std::string outcomes = "lead_id,outcome,closed_at\n";
  for (int i = 0; i < 100; ++i) {
    std::string closed = i < 98 ? day(i + 2) + "T09:00:00Z" : std::string("2026-04-20T09:00:00Z");
    if (i == 1) closed = "2026-01-02 19:58:54";  // before its cutoff (created 01-02 + 1 day)
    outcomes += "L" + std::to_string(i) + "," + (i % 2 ? "lost" : "won") + "," + closed + "\n";
  }
  auto req = pit_request(dir, outcomes);
  req.cutoff_field = "created_at";
  req.cutoff_delay = 86'400'000'000LL;
  Diagnostics diags;
  std::string error;
  calibrate::Weights w;
  CHECK_FALSE(jobs::run_calibrate(req, diags, w, error));
  CHECK(error.find("outcomes.csv line 3: closed_at \"2026-01-02 19:58:54\" (column \"closed_at\") cannot be read") !=
        std::string::npos);
  CHECK(error.find("--closed-at-zone UTC") != std::string::npos);

  // Read in UTC, it closed before its cutoff: excluded, as the point-in-time rule says.
  req.outcomes.closed_at_zone = 0;
  REQUIRE_MESSAGE(jobs::run_calibrate(req, diags, w, error), error);
  CHECK(w.excluded == 1);
  CHECK(w.closed == 99);
  CHECK(w.exclusions[0] == "1 closed before their cutoff (their features would see the outcome)");

  // Not a timestamp at all: the same error, with the expected forms.
  std::string garbage = outcomes;
  garbage.replace(garbage.find("2026-01-02 19:58:54"), 19, "26/02/2018 19:58");
  req.outcomes.file = dir.write("outcomes.csv", garbage);
  CHECK_FALSE(jobs::run_calibrate(req, diags, w, error));
  CHECK(error.find("line 3: closed_at \"26/02/2018 19:58\"") != std::string::npos);
  CHECK(error.find("YYYY-MM-DD[T| ]HH:MM:SS") != std::string::npos);
}

TEST_CASE("calibrate --refit-every: an outcome known after a chunk started is not in that chunk's training set") {
  ScratchDir dir;
  // Every lead closes the day after it is created, except L65 (created 2026-03-07) and L72
  // (2026-03-14), which close on 2026-04-05 and 2026-03-25. Chunks of 10 start at L70 (03-12),
  // L80 (03-22) and L90 (04-01).
  std::string outcomes = "lead_id,outcome,closed_at\n";
  for (int i = 0; i < 100; ++i) {
    bool won = i % 2 == 0 || (i >= 59 && i % 3 == 0);
    std::string closed = i == 65 ? "2026-04-05" : i == 72 ? "2026-03-25" : day(i) + "T12:00:00Z";
    outcomes += "L" + std::to_string(i) + "," + (won ? "won" : "lost") + "," + closed + "\n";
  }
  auto req = pit_request(dir, outcomes);
  req.inputs.as_of = k2027;
  req.time_field = "created_at";
  req.refit_every = 10;
  auto w = calibrated(req);
  REQUIRE(w.walk_forward.has_value());
  const auto& chunks = w.walk_forward->chunks;
  REQUIRE(chunks.size() == 3);
  // Chunk 1 (from L70): 70 older leads, L65 not known yet.
  CHECK(chunks[0].first == "2026-03-12T00:00:00Z");
  CHECK(chunks[0].late_outcomes == 1);
  CHECK(chunks[0].fit_leads == 69);
  // Chunk 2 (from L80): L65 and L72 not known yet.
  CHECK(chunks[1].late_outcomes == 2);
  CHECK(chunks[1].fit_leads == 78);
  // Chunk 3 (from L90, 04-01): L72 is known (03-25), L65 is not (04-05).
  CHECK(chunks[2].late_outcomes == 1);
  CHECK(chunks[2].fit_leads == 89);
  // The static split (test part from L70) leaves L65 out of its fit as well.
  CHECK(w.train_late_outcomes == 1);
  CHECK(w.train.leads == 69);
}

TEST_CASE("calibrate: --time-field takes a number column, the row order is said, and checked") {
  ScratchDir dir;
  std::string outcomes = "lead_id,outcome\n";
  for (int i = 0; i < 100; ++i) outcomes += "L" + std::to_string(i) + "," + (i % 2 ? "lost" : "won") + "\n";
  // The leads file newest first, with a number that orders them.
  std::string leads = "lead_id,employees,created_at,lead_number\n";
  for (int i = 99; i >= 0; --i)
    leads += "L" + std::to_string(i) + "," + (i % 3 == 0 ? "500" : "20") + "," + day(i) + "," + std::to_string(1000 + i) + "\n";
  auto req = pit_request(dir, outcomes);
  req.inputs.leads = dir.write("leads.csv", leads);
  req.inputs.as_of = k2027;
  req.time_field = "lead_number";
  auto w = calibrated(req);
  CHECK(w.time_order == "lead field lead_number (a number)");
  CHECK(w.train.first == "lead_number 1000");
  CHECK(w.test.last == "lead_number 1099");
  CHECK(message_of(w, "time order").empty());

  // Without it the rows are the time order: calibrate says so, and that the dates run backwards.
  req.time_field.reset();
  w = calibrated(req);
  CHECK(w.time_order == "row order of the leads file (no --time-field or --cutoff-field given)");
  CHECK(message_of(w, "time order").find("date `created_at` decreases down the leads file (99 of 99 steps") !=
        std::string::npos);
}

TEST_CASE("calibrate --baseline-onehot: the id column and near-unique columns are left out") {
  ScratchDir dir;
  std::string outcomes = "lead_id,outcome\n";
  std::string leads = "lead_id,employees,created_at,email,segment\n";
  for (int i = 0; i < 200; ++i) {
    outcomes += "L" + std::to_string(i) + "," + (i % 2 ? "lost" : "won") + "\n";
    leads += "L" + std::to_string(i) + "," + (i % 3 == 0 ? "500" : "20") + "," + day(i % 100) + ",p" + std::to_string(i) +
             "@x.com," + (i % 4 == 0 ? "smb" : "ent") + "\n";
  }
  auto req = pit_request(dir, outcomes);
  req.inputs.leads = dir.write("leads.csv", leads);
  req.inputs.as_of = k2027;
  req.baseline_onehot = true;
  auto w = calibrated(req);
  REQUIRE(w.baseline.has_value());
  const auto& d = w.baseline_description;
  CHECK(d.find("left out lead_id (the lead id)") != std::string::npos);
  CHECK(d.find("email (140 different values in 140 leads: an identifier)") != std::string::npos);
  CHECK(d.find("segment (2 values)") != std::string::npos);
  CHECK(d.find("numeric employees") != std::string::npos);
}

TEST_CASE("drift: a two-proportion test with a plain-words warning and the remedy") {
  // 21.4% -> 25.2% on a few thousand leads: a 25% relative threshold let it pass; the test does not.
  const double z = calibrate::two_proportion_z(642, 3000, 756, 3000);
  CHECK(z > calibrate::z_99);
  CHECK(std::fabs(calibrate::two_proportion_z(30, 100, 31, 100)) < 1);
  CHECK(std::isnan(calibrate::two_proportion_z(0, 0, 1, 10)));

  ScratchDir dir;
  const double effects[4] = {1.0, 0.5, 0.3, 0.0};
  // The older 70% close at about 21%, the newer 30% at about 25%.
  std::string leads = trait_leads(7000, effects, -1.9, 3);
  const std::string newer = trait_leads(3000, effects, -1.6, 4);
  leads += newer.substr(newer.find('\n') + 1);
  std::size_t row = 0;
  std::string renumbered;
  for (std::size_t at = 0; at < leads.size();) {
    std::size_t end = leads.find('\n', at);
    std::string line = leads.substr(at, end - at);
    if (row++ > 0) line = "L" + std::to_string(row - 2) + line.substr(line.find(','));
    renumbered += line + "\n";
    at = end + 1;
  }
  const std::string rules = std::string("ruleset \"drift\" version 1\n") + kTraitSchema +
                            "score fit {\n  rule \"A\" when a points 10\n  rule \"B\" when b points 5\n}\n";
  auto w = calibrated(trait_request(dir, rules, renumbered));
  const std::string drift = message_of(w, "drift");
  CHECK(drift.find("the close rate moved from") != std::string::npos);
  CHECK(drift.find("two-proportion test") != std::string::npos);
  CHECK(drift.find("runs too low for new leads") != std::string::npos);
  CHECK(drift.find("Remedy:") != std::string::npos);
}

// The calibrate job end to end on small hand-made files: point-in-time features, scorecard points,
// the weights file's round trip, and the label-mismatch warnings of `check`.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "jobs/calibrate_job.hpp"
#include "jobs/weights_check.hpp"
#include "engine/check/checker.hpp"
#include "jobs/score_job.hpp"
#include "io/number_format.hpp"
#include "tests/unit/support/scratch_dir.hpp"

using namespace leadscore;
using leadscore::testing::ScratchDir;
namespace fs = std::filesystem;

namespace {

const char* kRules =
    "ruleset \"pit\" version 1\n"
    "schema lead {\n  lead_id: id\n  employees: int\n  created_at: date\n}\n"
    "schema activity {\n  lead_id: id\n  type: string\n  at: timestamp\n}\n"
    "score interest {\n"
    "  rule \"Demo\" when exists(activity where type == \"demo\") points 40\n"
    "  rule \"Big\" when employees >= 100 points 10\n"
    "}\n";

// 100 leads created one a day from 2026-01-01; every third has 100+ employees; even ones won.
std::string leads_csv() {
  std::string s = "lead_id,employees,created_at\n";
  for (int i = 0; i < 100; ++i)
    s += "L" + std::to_string(i) + "," + (i % 3 == 0 ? "500" : "20") + ",2026-" + (i < 31 ? "01-" : i < 59 ? "02-" : i < 90 ? "03-" : "04-") +
         [&] {
           int day = i < 31 ? i + 1 : i < 59 ? i - 30 : i < 90 ? i - 58 : i - 89;
           return (day < 10 ? "0" : "") + std::to_string(day);
         }() + "\n";
  return s;
}

std::string outcomes_csv() {
  std::string s = "Lead,Stage,Amount\n";
  for (int i = 0; i < 100; ++i) s += "L" + std::to_string(i) + "," + (i % 2 == 0 ? "Closed Won" : "Closed Lost") + ",1000\n";
  return s;
}

jobs::CalibrateRequest request_for(const ScratchDir& dir, const std::string& activities) {
  jobs::CalibrateRequest req;
  req.inputs.rules = dir.write("pit.rules", kRules);
  req.inputs.leads = dir.write("leads.csv", leads_csv());
  req.inputs.activities = dir.write("events.csv", activities);
  req.outcomes.file = dir.write("outcomes.csv", outcomes_csv());
  req.outcomes.id_column = "Lead";
  req.outcomes.outcome_column = "Stage";
  req.outcomes.amount_column = "Amount";
  req.outcomes.won = {"closed won"};
  req.outcomes.lost = {"closed lost"};
  req.cutoff_field = "created_at";
  req.cutoff_delay = 86'400'000'000LL;  // 1 day
  req.min_support = 5;
  req.created_by = "test";
  return req;
}

const calibrate::RuleWeight& rule(const calibrate::Weights& w, const char* label) {
  const auto* r = w.find(label);
  REQUIRE(r != nullptr);
  return *r;
}

}  // namespace

TEST_CASE("calibrate: an event after a lead's cutoff never changes its features") {
  ScratchDir dir;
  auto created = [](int i) {
    int month = i < 31 ? 1 : i < 59 ? 2 : i < 90 ? 3 : 4;
    int day = i < 31 ? i + 1 : i < 59 ? i - 30 : i < 90 ? i - 58 : i - 89;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "2026-%02d-%02d", month, day);
    return std::string(buffer);
  };
  // Won leads (even) get a demo 12 hours after creation: before their cutoff (created + 1 day).
  std::string early = "lead_id,type,at\n";
  for (int i = 0; i < 100; i += 2) early += "L" + std::to_string(i) + ",demo," + created(i) + "T12:00:00Z\n";
  // The same, plus a demo on the 28th of the lead's month for every lead created before the 27th:
  // always after that lead's cutoff.
  std::string late = early;
  std::uint64_t odd_with_late_demo = 0;
  for (int i = 0; i < 100; ++i) {
    std::string d = created(i);
    if (std::stoi(d.substr(8, 2)) >= 27) continue;
    late += "L" + std::to_string(i) + ",demo," + d.substr(0, 8) + "28T00:00:00Z\n";
    odd_with_late_demo += i % 2;
  }
  REQUIRE(odd_with_late_demo > 20);

  Diagnostics diags;
  std::string error;
  calibrate::Weights w_early, w_late, w_fixed;
  REQUIRE_MESSAGE(jobs::run_calibrate(request_for(dir, early), diags, w_early, error), error);
  REQUIRE_MESSAGE(jobs::run_calibrate(request_for(dir, late), diags, w_late, error), error);

  // Only the won leads' pre-cutoff demos count, with or without the later events.
  CHECK(rule(w_early, "Demo").evidence.matched == 50);
  CHECK(rule(w_early, "Demo").evidence.won == 50);
  CHECK(rule(w_late, "Demo").evidence.matched == 50);
  CHECK(rule(w_late, "Demo").log_odds == rule(w_early, "Demo").log_odds);
  CHECK(rule(w_late, "Demo").points == rule(w_early, "Demo").points);
  CHECK(w_late.platt_a == w_early.platt_a);
  CHECK(w_late.point_in_time == "each lead as of created_at + 1 days");

  // Control: one fixed as-of after every event sees the late demos, so the cutoff is what hid them.
  auto fixed = request_for(dir, late);
  fixed.cutoff_field.reset();
  fixed.cutoff_delay = 0;
  fixed.inputs.as_of = 1'800'000'000'000'000LL;  // 2027
  REQUIRE_MESSAGE(jobs::run_calibrate(fixed, diags, w_fixed, error), error);
  CHECK(rule(w_fixed, "Demo").evidence.matched == 50 + odd_with_late_demo);
}

TEST_CASE("calibrate: points follow the scorecard convention (pdo points double the odds)") {
  ScratchDir dir;
  // Matched leads: 30, 10 won (odds 1:2). Unmatched: 70, 14 won (odds 1:4). The saturated
  // logistic model without penalty gives the rule exactly ln 2 of log-odds: pdo points.
  std::string leads = "lead_id,employees,created_at\n", outcomes = "Lead,Stage,Amount\n";
  for (int i = 0; i < 100; ++i) {
    bool matched = i < 30;
    bool won = matched ? i < 10 : i < 44;
    leads += "L" + std::to_string(i) + "," + (matched ? "500" : "20") + ",2026-01-01\n";
    outcomes += "L" + std::to_string(i) + "," + (won ? "Closed Won" : "Closed Lost") + "," +
                (i % 2 ? "3000" : "1000") + "\n";
  }
  auto req = request_for(dir, "lead_id,type,at\n");
  req.inputs.leads = dir.write("leads.csv", leads);
  req.outcomes.file = dir.write("outcomes.csv", outcomes);
  req.l2 = 0;
  req.min_support = 30;
  Diagnostics diags;
  std::string error;
  calibrate::Weights w;
  for (double pdo : {20.0, 40.0}) {
    req.pdo = pdo;
    REQUIRE_MESSAGE(jobs::run_calibrate(req, diags, w, error), error);
    CHECK(rule(w, "Big").log_odds == doctest::Approx(std::log(2.0)).epsilon(1e-6));
    CHECK(rule(w, "Big").points == doctest::Approx(pdo));
    CHECK(rule(w, "Big").status == "calibrated");
    CHECK(rule(w, "Big").evidence.matched == 30);
    CHECK(rule(w, "Big").evidence.won == 10);
    // No lead matched "Demo": below --min-support, it keeps its written points and is flagged.
    CHECK(rule(w, "Demo").status == "low_support");
    CHECK(rule(w, "Demo").points == 40);
  }
  CHECK(w.intercept == doctest::Approx(std::log(14.0 / 56.0)).epsilon(1e-6));
  CHECK(w.base_rate == doctest::Approx(0.24));
  CHECK(*w.revenue_average == doctest::Approx(2000.0));  // 12 won at 3000, 12 at 1000
  // Only 24 won leads: the too-small-to-trust warning comes first.
  REQUIRE(!w.warnings.empty());
  CHECK(w.warnings.front().message.find("only 24 won leads") != std::string::npos);
}

TEST_CASE("calibrate: the weights file reads back as written") {
  ScratchDir dir;
  std::string events = "lead_id,type,at\n";
  for (int i = 0; i < 100; i += 2) events += "L" + std::to_string(i) + ",demo,2026-01-01T00:00:00Z\n";
  auto req = request_for(dir, events);
  req.cutoff_field.reset();
  req.inputs.as_of = 1'800'000'000'000'000LL;
  req.source_field = "employees";
  Diagnostics diags;
  std::string error;
  calibrate::Weights w;
  REQUIRE_MESSAGE(jobs::run_calibrate(req, diags, w, error), error);
  REQUIRE(w.has_backtest);
  const std::string path = (dir.path / "w.yaml").string();
  REQUIRE(calibrate::write_weights(w, path, error));
  calibrate::Weights back;
  REQUIRE_MESSAGE(calibrate::read_weights(path, back, error), error);
  CHECK(calibrate::weights_to_yaml(back) == calibrate::weights_to_yaml(w));
  CHECK(back.rules.size() == 2);
  CHECK(back.rules[0].label == "Demo");
  CHECK(back.rules[0].points == w.rules[0].points);
  CHECK(back.platt_a == w.platt_a);
  CHECK(back.platt_b == w.platt_b);
  CHECK(back.calibrated.deciles.size() == w.calibrated.deciles.size());
  CHECK(back.revenue_by_source.size() == 2);  // employees 500 and 20
  CHECK(back.inputs.size() == 3);
  CHECK(back.inputs[0].fnv1a.size() == 16);

  // Not a weights file: a one-line error naming the file.
  std::string bad = dir.write("bad.yaml", "format: leadscore-weights/1\nruleset: x\n");
  CHECK_FALSE(calibrate::read_weights(bad, back, error));
  CHECK(error.find("bad.yaml") != std::string::npos);
}

TEST_CASE("calibrate: check warns when the weights and the rules disagree on labels, score uses the weights") {
  ScratchDir dir;
  auto req = request_for(dir, "lead_id,type,at\n");
  req.cutoff_field.reset();
  req.inputs.as_of = 1'800'000'000'000'000LL;
  Diagnostics diags;
  std::string error;
  calibrate::Weights w;
  REQUIRE_MESSAGE(jobs::run_calibrate(req, diags, w, error), error);
  REQUIRE(calibrate::write_weights(w, (dir.path / "w.yaml").string(), error));

  std::string rules = kRules;
  rules.insert(rules.find("schema lead"), "calibration \"w.yaml\"\n");
  rules.replace(rules.find("\"Big\""), 5, "\"Large\"");
  Diagnostics check_diags;
  auto program = load_rules(dir.write("renamed.rules", rules), check_diags);
  REQUIRE(program);
  jobs::check_weights(*program, check_diags);
  // A renamed rule makes another ruleset (its rules hash differs): check warns, score refuses.
  REQUIRE(check_diags.warning_count() == 3);
  CHECK(check_diags.items()[0].message.find("w.yaml was calibrated for ruleset \"pit\" version 1 (rules hash " +
                                            w.rules_hash + "), not for these rules: \"pit\" version 1 (rules hash " +
                                            program->rules_hash + ")") != std::string::npos);
  CHECK(check_diags.items()[1].message.find("rule \"Large\" has no calibrated weight") != std::string::npos);
  CHECK(check_diags.items()[2].message.find("weight for \"Big\", which is not a rule") != std::string::npos);
  CHECK(check_diags.items()[1].pos.line == 2);
  {
    jobs::ScoreRequest other;
    other.rules = (dir.path / "renamed.rules").string();
    other.leads = req.inputs.leads;
    other.as_of = req.inputs.as_of;
    other.out = (dir.path / "other.csv").string();
    other.guards.no_activities = true;  // scored without the events, as before the guard
    jobs::ScoreReport report;
    Diagnostics other_diags;
    CHECK_FALSE(jobs::run_score(other, other_diags, report, error));
    CHECK(error.find("re-run `leadscore calibrate` on these rules, or pass --allow-other-ruleset") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(other.out));
    other.allow_other_ruleset = true;
    CHECK(jobs::run_score(other, other_diags, report, error));
    CHECK(other_diags.warning_count() >= 1);
  }

  // The matching file: no warning, and `score` writes the calibrated points with p_close.
  std::string same = kRules;
  same.insert(same.find("schema lead"), "calibration \"w.yaml\"\n");
  Diagnostics same_diags;
  auto same_program = load_rules(dir.write("same.rules", same), same_diags);
  REQUIRE(same_program);
  jobs::check_weights(*same_program, same_diags);
  CHECK(same_diags.warning_count() == 0);

  jobs::ScoreRequest score;
  score.rules = (dir.path / "same.rules").string();
  score.leads = req.inputs.leads;
  score.as_of = req.inputs.as_of;
  score.out = (dir.path / "scored.csv").string();
  score.guards.no_activities = true;
  jobs::ScoreReport report;
  REQUIRE_MESSAGE(jobs::run_score(score, same_diags, report, error), error);
  std::ifstream in(score.out);
  std::string header, first;
  std::getline(in, header);
  std::getline(in, first);
  CHECK(header == "lead_id,interest,score,p_close,expected_value");
  // L0 has 500 employees: "Big" with its calibrated points, p_close from the weights' Platt curve.
  const double big = rule(w, "Big").points;
  CHECK(first.rfind("L0,", 0) == 0);
  CHECK(first.find("," + io::format_number(big) + ",") != std::string::npos);
  CHECK(first.find(",0.") != std::string::npos);
}

TEST_CASE("calibrate --refit-every: a walk-forward chunk's predictions never see its own or later outcomes") {
  ScratchDir dir;
  // Demos for every third lead, before its cutoff; won: even leads, and every lead with a demo
  // from March on (the close rate rises).
  std::string events = "lead_id,type,at\n";
  for (int i = 0; i < 100; i += 3) events += "L" + std::to_string(i) + ",demo,2026-01-01T00:00:00Z\n";
  auto outcomes = [](int flip_from) {
    std::string s = "Lead,Stage,Amount\n";
    for (int i = 0; i < 100; ++i) {
      bool won = i % 2 == 0 || (i >= 59 && i % 3 == 0);
      if (i >= flip_from) won = !won;
      s += "L" + std::to_string(i) + "," + (won ? "Closed Won" : "Closed Lost") + ",1000\n";
    }
    return s;
  };
  auto req = request_for(dir, events);
  req.cutoff_field.reset();
  req.inputs.as_of = 1'800'000'000'000'000LL;
  req.time_field = "created_at";
  req.outcomes.file = dir.write("outcomes.csv", outcomes(100));
  req.refit_every = 10;  // the test part, L70..L99, in three chunks
  req.refit_window = 40;
  req.curve_window = 20;
  Diagnostics diags;
  std::string error;
  calibrate::Weights w, flipped;
  REQUIRE_MESSAGE(jobs::run_calibrate(req, diags, w, error), error);
  REQUIRE(w.walk_forward.has_value());
  const auto& wf = *w.walk_forward;
  REQUIRE(wf.chunks.size() == 3);
  CHECK(wf.leads == 30);
  CHECK(wf.chunks[0].first == "2026-03-12T00:00:00Z");  // L70
  CHECK(wf.chunks[2].last == "2026-04-10T00:00:00Z");   // L99
  CHECK(wf.chunks[0].fit_leads == 40);
  CHECK(wf.chunks[0].curve_leads == 20);
  // The final weights come from the same windows: the newest 40 and 20 closed leads.
  REQUIRE(w.final_fit.has_value());
  CHECK(w.final_fit->leads == 40);
  CHECK(w.final_fit->first == "2026-03-02T00:00:00Z");  // L60 (time order: created_at)
  CHECK(w.final_curve->leads == 20);
  CHECK(rule(w, "Big").evidence.matched == 14);  // leads 60, 63, ..., 99: 100+ employees

  // Flip the outcomes of the second chunk (L80..) and every later lead.
  req.outcomes.file = dir.write("outcomes.csv", outcomes(80));
  REQUIRE_MESSAGE(jobs::run_calibrate(req, diags, flipped, error), error);
  const auto& wf2 = *flipped.walk_forward;
  for (std::size_t c : {0, 1}) {
    CHECK(wf2.chunks[c].written_predicted == wf.chunks[c].written_predicted);
    CHECK(wf2.chunks[c].calibrated_predicted == wf.chunks[c].calibrated_predicted);
  }
  CHECK(wf2.chunks[1].won != wf.chunks[1].won);  // the flip did reach the chunk's outcomes
  CHECK(wf2.chunks[2].calibrated_predicted != wf.chunks[2].calibrated_predicted);  // and the next refit

  // The walk-forward block and the windows read back as written.
  const std::string path = (dir.path / "w.yaml").string();
  REQUIRE(calibrate::write_weights(w, path, error));
  calibrate::Weights back;
  REQUIRE_MESSAGE(calibrate::read_weights(path, back, error), error);
  CHECK(calibrate::weights_to_yaml(back) == calibrate::weights_to_yaml(w));
  REQUIRE(back.walk_forward.has_value());
  CHECK(back.walk_forward->window == 40);
  CHECK(back.walk_forward->curve_window == 20);
  CHECK(back.walk_forward->calibrated_chunk_auc == wf.calibrated_chunk_auc);
}

// Hand-off metrics (issue 13 item 3): disposition words, reason normalisation, working-hours response
// times, and every rate of a small data set worked out by hand.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "engine/check/working_hours_text.hpp"
#include "io/value_parse.hpp"
#include "jobs/handoff_metrics.hpp"
#include "jobs/sla_clock.hpp"

using namespace leadscore;
using jobs::Disposition;

namespace {

std::int64_t at(const char* text) {
  auto parsed = io::parse_timestamp(text);
  REQUIRE(parsed.has_value());
  return parsed.value;
}

ir::WorkingHours hours(const char* text) {
  ir::WorkingHours h;
  std::string error;
  REQUIRE_MESSAGE(check::parse_working_hours(text, h, error), error);
  return h;
}

double working_hours_between(const char* from, const char* to, std::optional<ir::WorkingHours> h) {
  return static_cast<double>(jobs::working_time_between(at(from), at(to), h)) / 3600e6;
}

ir::Target target(ir::TargetMetric metric, const char* name, bool at_least, double share, const char* text) {
  ir::Target t;
  t.metric = metric;
  t.name = name;
  t.at_least = at_least;
  t.value = share;
  t.text = text;
  return t;
}

// Hot (source web): 10 MQLs, 7 accepted, 2 rejected for "no budget", 1 pending; all entered their
// route on Monday 08:00 with the SLA due at 12:00. Warm (source event): 2 MQLs without a route.
std::vector<jobs::HandoffLead> example_leads() {
  std::vector<jobs::HandoffLead> leads;
  const std::int64_t entered = at("2026-11-02T08:00:00Z"), due = at("2026-11-02T12:00:00Z");
  const double nan = std::nan("");
  for (int i = 1; i <= 10; ++i) {
    jobs::HandoffLead l;
    l.id = "h" + std::to_string(i);
    l.source = "web";
    l.group = "hot";
    l.entered = entered;
    l.due = due;
    l.breached = 0;
    l.disposition = i <= 7 ? Disposition::Accepted : i <= 9 ? Disposition::Rejected : Disposition::Pending;
    leads.push_back(l);
  }
  leads[0].responded = at("2026-11-02T09:00:00Z");  // 1h, met
  leads[1].responded = at("2026-11-02T10:00:00Z");  // 2h, met
  leads[2].responded = at("2026-11-02T11:00:00Z");  // 3h, met
  leads[3].responded = at("2026-11-02T13:00:00Z");  // 5h, missed
  leads[3].breached = 1;
  leads[4].breached = 1;                              // due, never answered: missed
  leads[7].reason = "No budget";
  leads[7].disposed_at = at("2026-11-02T08:30:00Z");  // the rejection is the first response: 0.5h, met
  leads[8].reason = "no-budget ";
  leads[0].outcome = jobs::Status::Won, leads[0].amount = 10000;
  leads[1].outcome = jobs::Status::Won, leads[1].amount = 20000;
  leads[2].outcome = jobs::Status::Won, leads[2].amount = nan;  // won without an amount
  leads[3].outcome = jobs::Status::Lost;
  leads[4].outcome = jobs::Status::Open;
  for (int i = 1; i <= 2; ++i) {
    jobs::HandoffLead l;
    l.id = "w" + std::to_string(i);
    l.source = "event";
    l.group = "warm";
    l.disposition = i == 1 ? Disposition::Accepted : Disposition::Rejected;
    l.reason = i == 2 ? "Wrong persona!" : "";
    l.outcome = i == 1 ? jobs::Status::Lost : jobs::Status::NoOutcome;
    leads.push_back(l);
  }
  return leads;
}

jobs::HandoffSettings example_settings() {
  jobs::HandoffSettings s;
  s.targets = {target(ir::TargetMetric::Acceptance, "acceptance", true, 0.7, ">= 70%"),
               target(ir::TargetMetric::Rejection, "rejection", false, 0.15, "<= 15%"),
               target(ir::TargetMetric::SlaMet, "sla_met", true, 0.8, ">= 80%"),
               target(ir::TargetMetric::MqlToWon, "mql_to_won", true, 0.2, ">= 20%")};
  s.has_outcomes = true;
  s.small_sample = 5;
  return s;
}

const jobs::TargetCheck& check_of(const jobs::GroupMetrics& g, const char* name) {
  for (const auto& t : g.targets)
    if (t.name == name) return t;
  FAIL("no target " << name);
  return g.targets.front();
}

}  // namespace

TEST_CASE("handoff: reasons are grouped by their words, whatever the case, spaces and punctuation") {
  CHECK(jobs::normalise_words("No budget") == "no budget");
  CHECK(jobs::normalise_words("  no-budget ") == "no budget");
  CHECK(jobs::normalise_words("NO BUDGET") == "no budget");
  CHECK(jobs::normalise_words("No_Budget!!") == "no budget");
  CHECK(jobs::normalise_words("Timing (Q3)") == "timing q3");
  CHECK(jobs::normalise_words("Café déjà") == "café déjà");
  CHECK(jobs::normalise_words(" -- ").empty());
}

TEST_CASE("handoff: CRM disposition words map to accepted, rejected and pending, others are unknown") {
  CHECK(jobs::disposition_of("Sales Accepted") == Disposition::Accepted);
  CHECK(jobs::disposition_of("SAL") == Disposition::Accepted);
  CHECK(jobs::disposition_of(" accepted ") == Disposition::Accepted);
  CHECK(jobs::disposition_of("Working - Contacted") == Disposition::Accepted);
  CHECK(jobs::disposition_of("Rejected") == Disposition::Rejected);
  CHECK(jobs::disposition_of("DISQUALIFIED") == Disposition::Rejected);
  CHECK(jobs::disposition_of("Sales-Rejected") == Disposition::Rejected);
  CHECK(jobs::disposition_of("") == Disposition::Pending);
  CHECK(jobs::disposition_of("Open - Not Contacted") == Disposition::Pending);
  CHECK(jobs::disposition_of("Maybe later") == Disposition::Unknown);
  jobs::DispositionWords extra;
  extra.accepted = {"Yes please"};
  extra.rejected = {"SAL"};  // the user's words win over the built-in ones
  CHECK(jobs::disposition_of("YES, please!", extra) == Disposition::Accepted);
  CHECK(jobs::disposition_of("sal", extra) == Disposition::Rejected);
}

TEST_CASE("handoff: response times count working hours only when the rules declare them") {
  const auto week = hours("Mon-Fri 09:00-17:00 UTC+00:00");
  CHECK(working_hours_between("2026-11-02T08:00:00Z", "2026-11-02T10:00:00Z", std::nullopt) == 2.0);
  CHECK(working_hours_between("2026-11-02T08:00:00Z", "2026-11-02T10:00:00Z", week) == 1.0);
  // Friday 16:00 to Monday 10:00: one hour on Friday, one on Monday.
  CHECK(working_hours_between("2026-11-06T16:00:00Z", "2026-11-09T10:00:00Z", week) == 2.0);
  CHECK(working_hours_between("2026-11-02T08:00:00Z", "2026-11-09T08:00:00Z", week) == 40.0);
  // Mon 10:00 to Wed of the third week 12:00: 7 + 4 x 8 + 40 + 8 + 8 + 3.
  CHECK(working_hours_between("2026-11-02T10:00:00Z", "2026-11-18T12:00:00Z", week) == 98.0);
  CHECK(working_hours_between("2026-11-07T10:00:00Z", "2026-11-08T12:00:00Z", week) == 0.0);  // a weekend
  CHECK(working_hours_between("2026-11-02T10:00:00Z", "2026-11-02T09:00:00Z", week) == 0.0);
  // With an offset: 09:00-17:00 at UTC+01:00 is 08:00-16:00 UTC.
  CHECK(working_hours_between("2026-11-02T07:00:00Z", "2026-11-02T09:30:00Z", hours("Mon-Fri 09:00-17:00 UTC+01:00")) == 1.5);
  // The inverse of the SLA clock: adding the working time between two open instants gives the later one.
  const std::int64_t from = at("2026-11-05T15:00:00Z"), to = at("2026-11-10T11:15:00Z");
  CHECK(jobs::add_working_time(from, jobs::working_time_between(from, to, week), week) == to);
}

TEST_CASE("handoff: percentiles interpolate between ranks") {
  CHECK(jobs::percentile({4, 1, 3, 2}, 0.5) == doctest::Approx(2.5));
  CHECK(jobs::percentile({4, 1, 3, 2}, 0.9) == doctest::Approx(3.7));
  CHECK(jobs::percentile({7}, 0.9) == 7);
  CHECK(std::isnan(jobs::percentile({}, 0.5)));
}

TEST_CASE("handoff: rates, response times, SLA, MQL-to-won and the value of an MQL, by hand") {
  const auto m = jobs::compute_handoff_metrics(example_leads(), example_settings());
  const auto& all = m.all;
  CHECK(all.mqls == 12);
  CHECK(all.accepted == 8);
  CHECK(all.rejected == 3);
  CHECK(all.pending == 1);
  CHECK(all.acceptance() == doctest::Approx(8.0 / 12));
  CHECK(all.rejection() == doctest::Approx(0.25));
  CHECK_FALSE(all.small_sample);
  REQUIRE(all.reasons.size() == 2);
  CHECK(all.reasons[0].reason == "no budget");
  CHECK(all.reasons[0].example == "No budget");
  CHECK(all.reasons[0].count == 2);
  CHECK(all.reasons[1].reason == "wrong persona");
  CHECK(all.reasons[1].count == 1);
  // Responses: 0.5h (the rejection), 1h, 2h, 3h, 5h.
  CHECK(all.routed == 10);
  CHECK(all.responded == 5);
  CHECK(all.median_response_hours == doctest::Approx(2.0));
  CHECK(all.p90_response_hours == doctest::Approx(4.2));
  CHECK(all.sla_leads == 10);
  CHECK(all.sla_met == 4);
  CHECK(all.sla_missed == 2);
  CHECK(all.sla_open == 4);
  CHECK(all.sla_met_share() == doctest::Approx(4.0 / 6));
  // Outcomes: 3 won of 12 MQLs; two won amounts, 10000 and 20000.
  CHECK(all.won == 3);
  CHECK(all.lost == 2);
  CHECK(all.open == 7);
  CHECK(all.mql_to_won() == doctest::Approx(0.25));
  CHECK(all.average_won_amount() == doctest::Approx(15000));
  CHECK(all.mql_value() == doctest::Approx(3750));

  CHECK_FALSE(check_of(all, "acceptance").met);
  CHECK_FALSE(check_of(all, "rejection").met);
  CHECK_FALSE(check_of(all, "sla_met").met);
  CHECK(check_of(all, "mql_to_won").met);
  CHECK(check_of(all, "mql_to_won").value == doctest::Approx(0.25));

  REQUIRE(m.by_group.size() == 2);
  const auto& hot = m.by_group[0];
  CHECK(hot.name == "hot");
  CHECK(hot.mqls == 10);
  CHECK(hot.acceptance() == 0.7);
  CHECK(check_of(hot, "acceptance").met);  // 7 of 10 is exactly the 70% target
  CHECK(hot.rejection() == doctest::Approx(0.2));
  CHECK_FALSE(check_of(hot, "rejection").met);
  CHECK(hot.mql_to_won() == doctest::Approx(0.3));
  CHECK(hot.mql_value() == doctest::Approx(4500));
  const auto& warm = m.by_group[1];
  CHECK(warm.name == "warm");
  CHECK(warm.small_sample);
  CHECK(warm.routed == 0);
  CHECK(std::isnan(warm.median_response_hours));
  CHECK(std::isnan(warm.sla_met_share()));
  CHECK(std::isnan(check_of(warm, "sla_met").value));
  CHECK(warm.mql_to_won() == 0);
  CHECK(warm.mql_value() == 0);
  REQUIRE(m.by_source.size() == 2);
  CHECK(m.by_source[0].name == "web");
  CHECK(m.by_source[1].name == "event");

  // All MQLs miss 3 targets, hot (and web, the same leads) 2 each; warm is a small sample.
  CHECK(jobs::missed_targets(m) == 7);
}

TEST_CASE("handoff: without outcomes there is no MQL-to-won target, and reasons past the top are pooled") {
  auto settings = example_settings();
  settings.has_outcomes = false;
  settings.top_reasons = 1;
  const auto m = jobs::compute_handoff_metrics(example_leads(), settings);
  CHECK(m.all.targets.size() == 3);
  CHECK(std::isnan(m.all.mql_to_won()));
  REQUIRE(m.all.reasons.size() == 2);
  CHECK(m.all.reasons[1].reason == "(other reasons)");
  CHECK(m.all.reasons[1].count == 1);
}

TEST_CASE("handoff: with an as-of, a lead due by then and not answered missed its SLA") {
  auto settings = example_settings();
  settings.as_of = at("2026-11-02T12:00:00Z");  // the due time itself: due
  const auto m = jobs::compute_handoff_metrics(example_leads(), settings);
  CHECK(m.all.sla_met == 4);
  CHECK(m.all.sla_missed == 6);
  CHECK(m.all.sla_open == 0);
  settings.as_of = at("2026-11-02T11:59:59Z");
  CHECK(jobs::compute_handoff_metrics(example_leads(), settings).all.sla_open == 4);
}

TEST_CASE("handoff: no MQLs gives counts of zero and no rates, never a division by zero") {
  const auto m = jobs::compute_handoff_metrics({}, example_settings());
  CHECK(m.all.mqls == 0);
  CHECK(std::isnan(m.all.acceptance()));
  CHECK(m.all.small_sample);
  CHECK(m.by_group.empty());
  CHECK(jobs::missed_targets(m) == 0);
}

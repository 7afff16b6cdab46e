// The evaluator through the real pipeline (rules text + CSV files -> output rows): every node kind,
// the three-valued logic tables, windows, decay, caps, clamps, gates and classify.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "jobs/score_job.hpp"

using namespace leadscore;

namespace {

struct Scored {
  std::vector<std::string> lines;  // output lines, header first
  std::vector<std::string> rejects;  // rejects file lines, header first
  std::string error;
  jobs::ScoreReport report;
};

// Scores `leads` (and `activities`) with a ruleset made of the schemas below plus `body`.
Scored score(const std::string& body, const std::string& leads, const std::string& activities = "",
             int threads = 1) {
  namespace fs = std::filesystem;
  static int counter = 0;
  fs::path dir = fs::temp_directory_path() / ("leadscore-eval-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
  fs::create_directories(dir);
  std::ofstream(dir / "r.rules") << "ruleset \"t\" version 1\n"
                                    "schema lead { id: id  a: bool  b: bool  n: number  m: number  s: string  "
                                    "t: string  d: date }\n"
                                    "schema activity { lead: id  kind: string  at: timestamp  amount: number }\n"
                                 << body;
  std::ofstream(dir / "leads.csv") << "id,a,b,n,m,s,t,d\n" << leads;
  std::ofstream(dir / "acts.csv") << "lead,kind,at,amount\n" << activities;
  jobs::ScoreRequest request;
  request.rules = (dir / "r.rules").string();
  request.leads = (dir / "leads.csv").string();
  request.activities = (dir / "acts.csv").string();
  request.as_of = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z
  request.out = (dir / "out.csv").string();
  request.rejects = (dir / "rejects.csv").string();
  request.threads = threads;
  request.guards.max_staleness.reset();  // the fixtures' events are weeks before as-of
  Scored result;
  Diagnostics diags;
  if (!jobs::run_score(request, diags, result.report, result.error)) {
    for (const auto& d : diags.items()) result.error += render_text(d);
    fs::remove_all(dir);
    return result;
  }
  std::ifstream in(dir / "out.csv");
  std::string line;
  while (std::getline(in, line)) result.lines.push_back(line);
  std::ifstream rejected(dir / "rejects.csv");
  while (std::getline(rejected, line)) result.rejects.push_back(line);
  fs::remove_all(dir);
  return result;
}

// The classify column of each lead for one condition: T (true), F (not true... false), U (unknown).
std::vector<std::string> truth_of(const std::string& condition, const std::string& leads) {
  auto r = score("classify c { \"T\" when " + condition + "  \"F\" when not (" + condition + ")  \"U\" otherwise }\n",
                 leads);
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  std::vector<std::string> out;
  for (std::size_t i = 1; i < r.lines.size(); ++i) out.push_back(r.lines[i].substr(r.lines[i].rfind(',') + 1));
  return out;
}

const char* kAB =  // every combination of a, b in {true, false, missing}
    "1,true,true,,,,,\n2,true,false,,,,,\n3,true,,,,,,\n4,false,true,,,,,\n5,false,false,,,,,\n6,false,,,,,,\n"
    "7,,true,,,,,\n8,,false,,,,,\n9,,,,,,,\n";

}  // namespace

TEST_CASE("three-valued logic: and, or, not over every combination") {
  using V = std::vector<std::string>;
  CHECK(truth_of("a and b", kAB) == V{"T", "F", "U", "F", "F", "F", "U", "F", "U"});
  CHECK(truth_of("a or b", kAB) == V{"T", "T", "T", "T", "F", "U", "T", "U", "U"});
  CHECK(truth_of("not a", kAB) == V{"F", "F", "F", "T", "T", "T", "U", "U", "U"});
  CHECK(truth_of("a == b", kAB) == V{"T", "F", "U", "F", "T", "U", "U", "U", "U"});
  CHECK(truth_of("a is missing", kAB) == V{"F", "F", "F", "F", "F", "F", "T", "T", "T"});
  CHECK(truth_of("b is present", kAB) == V{"T", "T", "F", "T", "T", "F", "T", "T", "F"});
  CHECK(truth_of("a and true", kAB) == V{"T", "T", "T", "F", "F", "F", "U", "U", "U"});
}

TEST_CASE("comparisons and arithmetic propagate missing values") {
  using V = std::vector<std::string>;
  const char* leads = "1,,,10,4,,,\n2,,,10,,,,\n3,,,,4,,,\n4,,,5,0,,,\n";
  CHECK(truth_of("n > m", leads) == V{"T", "U", "U", "T"});
  CHECK(truth_of("n != 10", leads) == V{"F", "F", "U", "T"});
  CHECK(truth_of("n - m - 1 == 5", leads) == V{"T", "U", "U", "F"});  // (10 - 4) - 1, left to right
  CHECK(truth_of("n / m > 2", leads) == V{"T", "U", "U", "U"});       // division by zero is missing
  CHECK(truth_of("n * 2 + m >= 24", leads) == V{"T", "U", "U", "F"});
  CHECK(truth_of("-n < -7", leads) == V{"T", "T", "U", "F"});
  CHECK(truth_of("n between m and 10", leads) == V{"T", "U", "U", "T"});
  CHECK(truth_of("n between 10 and 5", leads) == V{"F", "F", "U", "F"});  // A > B matches nothing
}

TEST_CASE("text operators ignore case and surrounding blanks") {
  using V = std::vector<std::string>;
  const char* leads = "1,,,,,\" VP Sales \",ann@Acme.COM,\n2,,,,,intern,bob,\n3,,,,,,x@,\n";
  CHECK(truth_of("s == \"vp sales\"", leads) == V{"T", "F", "U"});
  CHECK(truth_of("s in [\"VP SALES\", \"cfo\"]", leads) == V{"T", "F", "U"});
  CHECK(truth_of("s not in [\"intern\"]", leads) == V{"T", "F", "U"});
  CHECK(truth_of("s contains any [\"vp\", \"chief\"]", leads) == V{"T", "F", "U"});
  CHECK(truth_of("s contains \"SAL\"", leads) == V{"T", "F", "U"});
  CHECK(truth_of("s starts with \"vp \"", leads) == V{"T", "F", "U"});
  CHECK(truth_of("s ends with \"sales\"", leads) == V{"T", "F", "U"});
  CHECK(truth_of("domain(t) == \"acme.com\"", leads) == V{"T", "U", "U"});  // no @, or nothing after it
  CHECK(truth_of("lower(t) == \"ann@acme.com\"", leads) == V{"T", "F", "F"});
  CHECK(truth_of("upper(s) contains \"VP\"", leads) == V{"T", "F", "U"});
  CHECK(truth_of("length(s) == 8", leads) == V{"T", "F", "U"});  // trimmed "VP Sales"
}

TEST_CASE("days_since counts whole days back from the as-of instant") {
  using V = std::vector<std::string>;
  const char* leads = "1,,,,,,,2026-10-02\n2,,,,,,,2026-10-03\n3,,,,,,,2026-11-05\n4,,,,,,,2026-02-30\n";
  CHECK(truth_of("days_since(d) >= 30", leads) == V{"T", "F", "F", "U"});
  CHECK(truth_of("days_since(d) == -4", leads) == V{"F", "F", "T", "U"});
}

TEST_CASE("day_of_week, month and hour read the date in UTC") {
  using V = std::vector<std::string>;
  // 2026-11-02 is a Monday, 2026-11-08 a Sunday, 2024-02-29 a Thursday; 1969-12-31 a Wednesday.
  const char* leads = "1,,,,,,,2026-11-02\n2,,,,,,,2026-11-08\n3,,,,,,,2024-02-29\n4,,,,,,,1969-12-31\n5,,,,,,,\n";
  CHECK(truth_of("day_of_week(d) == 1", leads) == V{"T", "F", "F", "F", "U"});
  CHECK(truth_of("day_of_week(d) == 7", leads) == V{"F", "T", "F", "F", "U"});
  CHECK(truth_of("day_of_week(d) == 4", leads) == V{"F", "F", "T", "F", "U"});
  CHECK(truth_of("day_of_week(d) == 3", leads) == V{"F", "F", "F", "T", "U"});
  CHECK(truth_of("month(d) == 11", leads) == V{"T", "T", "F", "F", "U"});
  CHECK(truth_of("month(d) == 2", leads) == V{"F", "F", "T", "F", "U"});
  CHECK(truth_of("month(d) == 12", leads) == V{"F", "F", "F", "T", "U"});
  CHECK(truth_of("hour(d) == 0", leads) == V{"T", "T", "T", "T", "U"});
}

TEST_CASE("hour of a timestamp with an offset is the UTC hour, also inside activity filters") {
  const char* leads = "L1,,,,,,,\n";
  const char* acts =
      "L1,call,2026-10-30T09:30:00+02:00,\n"  // 07:30 UTC, a Friday in October
      "L1,call,2026-10-30T23:59:59Z,\n"
      "L1,call,2026-10-31T00:00:00-01:00,\n";  // 01:00 UTC, Saturday
  auto r = score(
      "score c {\n"
      "  rule \"morning\" when count(activity where hour(at) == 7) == 1 points 1\n"
      "  rule \"late\" when count(activity where hour(at) == 23) == 1 points 2\n"
      "  rule \"weekend\" when count(activity where day_of_week(at) >= 6) == 1 points 4\n"
      "  rule \"october\" when count(activity where month(at) == 10) == 3 points 8\n"
      "}\n",
      leads, acts);
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[1] == "L1,15,15");
}

TEST_CASE("activity aggregates: windows, filters, sum, days_since_last") {
  const char* leads = "L1,,,,,,,\nL2,,,,,,,\n";
  const char* acts =
      "L1,demo,2026-10-02T00:00:00Z,10\n"   // exactly as_of - 30d: inside
      "L1,demo,2026-10-01T23:59:59Z,20\n"   // one second outside
      "L1,demo,2026-11-01T00:00:00Z,40\n"   // at as-of: never seen
      "L1,view,2026-10-30T12:00:00Z,\n"     // amount missing: adds nothing
      "L2,DEMO ,2026-10-31T00:00:00Z,1.5\n"
      "X9,demo,2026-10-31T00:00:00Z,99\n";  // unknown lead
  auto r = score(
      "score c {\n"
      "  rule \"demos 30d\" when count(activity where kind == \"demo\" within 30d) == 1 points 1\n"
      "  rule \"demos ever\" when count(activity where kind == \"demo\") == 2 points 2\n"
      "  rule \"sum\" when sum(activity.amount where kind == \"demo\") == 30 points 4\n"
      "  rule \"last\" when days_since_last(activity) == 1 points 8\n"
      "  rule \"none\" when not exists(activity where kind == \"call\") points 16\n"
      "  rule \"quiet\" when days_since_last(activity where kind == \"call\") is missing points 32\n"
      "}\n",
      leads, acts);
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[1] == "L1,63,63");  // 1 + 2 + 4 + 8 (newest event 36h ago -> 1 day) + 16 + 32
  CHECK(r.lines[2] == "L2,57,57");  // 1 (case/blank-insensitive) + 8 + 16 + 32
  CHECK(r.report.events.unknown_lead == 1);
  CHECK(r.report.events.not_before_as_of == 1);
  CHECK(r.report.events.used == 4);
}

TEST_CASE("numbered lead ids: events no window reaches are counted, not folded, and unknown ids stay unknown") {
  // L1 and L3 are numbered ids with a gap: the lead of an event that can count nowhere (another
  // type, or older than every window) is only checked to exist; L2 (inside the numbers), L9 (past
  // them) and X1 (another shape) are unknown whether or not a window would reach them.
  const char* leads = "L1,,,,,,,\nL3,,,,,,,\n";
  const char* acts =
      "L1,demo,2026-10-30T00:00:00Z,\n"  // counted
      "L1,demo,2026-09-01T00:00:00Z,\n"  // older than the 7-day window: used, not counted
      "L1,view,2026-10-31T00:00:00Z,\n"  // no rule reads views: used, not counted
      "L3,view,2026-10-31T00:00:00Z,\n"
      "L2,demo,2026-10-30T00:00:00Z,\n"
      "L2,view,2026-10-30T00:00:00Z,\n"
      "L9,demo,2026-10-30T00:00:00Z,\n"
      "X1,view,2026-10-30T00:00:00Z,\n"
      "L3,demo,2026-11-01T00:00:00Z,\n"  // at as-of
      "L3,demo,yesterday,\n";             // no readable time
  auto r = score("score c { rule \"demo\" when count(activity where kind == \"demo\" within 7d) == 1 points 5 }\n",
                 leads, acts);
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[1] == "L1,5,5");
  CHECK(r.lines[2] == "L3,0,0");
  CHECK(r.report.events.read == 10);
  CHECK(r.report.events.unknown_lead == 4);
  CHECK(r.report.events.used == 4);
  CHECK(r.report.events.not_before_as_of == 1);
  CHECK(r.report.events.bad_time == 1);
  REQUIRE(r.report.events.unparseable.size() == 4);
  CHECK(r.report.events.unparseable[2] == 1);  // `at`: "yesterday" (an unknown lead's time is not read)
  CHECK(r.report.events.unparseable_example[2] == "yesterday");
  CHECK(r.report.events.newest == 1'793'404'800'000'000);  // 2026-10-31T00:00:00Z, an event no window reaches
}

TEST_CASE("aggregates folded by activity type and per event agree in one ruleset") {
  // Filters on `kind` alone are folded through a per-type slot list; filters over another field or
  // over several fields are folded slot by slot. Both kinds, and unfiltered slots, in one batch.
  const char* leads = "L1,,,,,,,\nL2,,,,,,,\n";
  const char* acts =
      "L1,demo,2026-10-30T00:00:00Z,2\n"
      "L2,view,2026-10-30T00:00:00Z,9\n"
      "L1,view,2026-10-29T00:00:00Z,7\n"
      "L1,demo,2026-10-28T00:00:00Z,6\n"
      "L2,,2026-10-27T00:00:00Z,1\n";  // no kind: only unfiltered slots and `amount` filters see it
  auto r = score(
      "score c {\n"
      "  rule \"demos\" when count(activity where kind == \"demo\") == 2 points 1\n"
      "  rule \"views\" when count(activity where kind == \"view\") == 1 points 2\n"
      "  rule \"big\" when count(activity where amount > 5) == 2 points 4\n"
      "  rule \"big demo\" when sum(activity.amount where kind == \"demo\" and amount > 5) == 6 points 8\n"
      "  rule \"all\" when count(activity) == 3 points 16\n"
      "  rule \"no kind\" when exists(activity where kind is missing) points 32\n"
      "}\n",
      leads, acts);
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[1] == "L1,31,31");  // 1 + 2 + 4 (7, 6) + 8 + 16
  CHECK(r.lines[2] == "L2,34,34");  // 2 + 32; one big event (9) only, two events in all
}

TEST_CASE("each rules: points per event, cap in the direction of the points, decay") {
  const char* leads = "L1,,,,,,,\n";
  const char* acts =
      "L1,web,2026-10-31T00:00:00Z,\nL1,web,2026-10-30T00:00:00Z,\nL1,web,2026-10-29T00:00:00Z,\n"
      "L1,paper,2026-10-02T00:00:00Z,\nL1,paper,2026-10-17T00:00:00Z,\n";
  auto r = score(
      "score c {\n"
      "  rule \"webinars\" each activity where kind == \"web\" points 5 max 12\n"
      "  rule \"spam\" each activity where kind == \"web\" points -4 max 10\n"
      "  rule \"papers\" each activity where kind == \"paper\" within 90d points 3 decay 30d\n"
      "}\n",
      leads, acts);
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  // 12 (15 capped) - 10 (-12 capped) + 3 * (0.5^(30/30) + 0.5^(15/30)) = 2 + 3.62132 = 5.62
  CHECK(r.lines[1] == "L1,5.62,5.62");
}

TEST_CASE("sections: multipliers, clamps, references between sections, gates, mql and classify") {
  const char* leads = "1,true,true,100,,,,\n2,true,false,10,,,,\n3,,,,,,,\n";
  auto r = score(
      "score fit max 50 min -5 {\n"
      "  rule \"big\" when n >= 100 points 40\n"
      "  rule \"a\" when a points 20\n"
      "  rule \"none\" when n is missing points -10\n"
      "  multiply \"b\" when b by 1.5\n"
      "  multiply \"a2\" when a by 0.5\n"
      "}\n"
      "score bonus { rule \"fit high\" when fit >= 40 points 1 }\n"
      "gate g { \"a\": a  \"fit\": fit > 0 }\n"
      "mql when g and score > 10\n"
      "classify tier { \"A\" when fit >= 40  \"B\" when fit > 0 }\n",
      leads);
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  CHECK(r.lines[0] == "id,fit,bonus,score,g,mql,tier");
  CHECK(r.lines[1] == "1,45,1,46,true,true,A");    // (40 + 20) * 1.5 * 0.5 = 45
  CHECK(r.lines[2] == "2,10,0,10,true,false,B");   // 20 * 0.5 = 10; score 10 is not > 10
  CHECK(r.lines[3] == "3,-5,0,-5,false,false,");   // -10 clamped to -5; no branch: empty cell
}

TEST_CASE("several threads give the same output as one") {
  std::string leads, acts;
  for (int i = 0; i < 5000; ++i) {
    leads += std::to_string(i) + (i % 3 ? ",true," : ",false,") + "," + std::to_string(i % 97) + ",,,,\n";
    for (int k = 0; k < i % 7; ++k)
      acts += std::to_string(i) + (k % 2 ? ",demo," : ",view,") + "2026-10-" + std::to_string(10 + k) + "T00:00:00Z,1\n";
  }
  const std::string body =
      "score sec { rule \"n\" when n > 50 points 3\n rule \"d\" each activity where kind == \"demo\" points 2\n"
      " rule \"no view\" when days_since_last(activity where kind == \"view\") is missing points 5\n"
      " rule \"recent\" when days_since_last(activity) <= 20 points 7 }\n"
      "classify c { \"x\" when a  \"y\" otherwise }\n";
  auto one = score(body, leads, acts, 1);
  auto four = score(body, leads, acts, 4);
  REQUIRE_MESSAGE(one.error.empty(), one.error);
  CHECK(one.lines.size() == 5001);
  CHECK(one.lines == four.lines);
  CHECK(one.report.events.used == four.report.events.used);
  // Lead 7 has 0 events: no view, no recent one; lead 8 one view 22 days before as-of; lead 13 six
  // events, three of them demos, the latest 17 days before it (2026-10-15).
  CHECK(one.lines[8] == "7,5,5,x");
  CHECK(one.lines[9] == "8,0,0,x");
  CHECK(one.lines[14] == "13,13,13,x");  // 7 + three demos x 2
}

namespace {

// Scores `body` again on each number of `threads`: every output line and the events used must be
// those of `one`, the 1-thread run.
void check_same_as_one_thread(const Scored& one, const std::string& body, const std::string& leads,
                              const std::string& acts, std::initializer_list<int> threads) {
  for (int t : threads) {
    CAPTURE(t);
    auto many = score(body, leads, acts, t);
    REQUIRE_MESSAGE(many.error.empty(), many.error);
    CHECK(many.lines == one.lines);
    CHECK(many.report.events.used == one.report.events.used);
  }
}

}  // namespace

TEST_CASE("sums add each lead's events in file order whatever the number of threads") {
  // Ten events of 0.1 per lead, spread over the whole file so every lead's events fall in several
  // parts: added in file order they make 0.9999999999999999, not 1. Parts that each added their own
  // events and then added the part sums made 1 (0.5 + 0.5) and changed the score with --threads.
  std::string leads, acts;
  constexpr int kLeads = 3000;
  for (int i = 0; i < kLeads; ++i) leads += std::to_string(i) + ",,,,,,,\n";
  for (int k = 0; k < 10; ++k)
    for (int i = 0; i < kLeads; ++i)
      acts += std::to_string(i) + ",demo,2026-10-" + std::to_string(10 + k) + "T0" + std::to_string(i % 10) + ":00:00Z,0.1\n";
  const std::string body =
      "score money { rule \"ten tenths\" when sum(activity.amount) >= 1 points 1\n"
      " rule \"tenths 30d\" when sum(activity.amount within 30d) >= 0.9 points 2\n"
      " rule \"fading\" each activity where kind == \"demo\" points 0.1 decay 3d }\n";
  auto one = score(body, leads, acts, 1);
  REQUIRE_MESSAGE(one.error.empty(), one.error);
  REQUIRE(one.lines.size() == kLeads + 1);
  CHECK(one.lines[1].rfind("0,2.", 0) == 0);  // "ten tenths" does not apply; "tenths 30d" does
  check_same_as_one_thread(one, body, leads, acts, {2, 4});
}

TEST_CASE("every kind of activity aggregate gives the same scores on 1, 2, 3 and 5 threads") {
  // Random events (kinds, times around the windows, amounts with fractions, signs and missing cells)
  // for leads in random order: counts, exists, windows, sums, decayed each-rules and days_since_last
  // must not depend on how the file is cut into parts.
  std::mt19937 random(20261201);
  std::string leads, acts;
  constexpr int kLeads = 300;
  for (int i = 0; i < kLeads; ++i) leads += "L" + std::to_string(i) + ",,,,,,,\n";
  const char* kinds[] = {"demo", "view", "call", ""};
  for (int e = 0; e < 12000; ++e) {
    const int lead = static_cast<int>(random() % kLeads);
    const int day = 1 + static_cast<int>(random() % 30), hour = static_cast<int>(random() % 24);
    const char* kind = kinds[random() % 4];
    std::string amount;
    switch (kind == std::string("demo") ? 4 : random() % 4) {
      case 4: amount = "0.1"; break;  // tenths: their totals depend on the order they are added in
      case 0: amount = ""; break;
      case 1: amount = "0." + std::to_string(random() % 10); break;
      case 2: amount = "-" + std::to_string(random() % 1000) + ".37"; break;
      default: amount = std::to_string(random() % 100000) + "e-3"; break;
    }
    acts += "L" + std::to_string(lead) + "," + kind + ",2026-10-" + (day < 10 ? "0" : "") +
            std::to_string(day) + "T" + (hour < 10 ? "0" : "") + std::to_string(hour) + ":17:00Z," + amount + "\n";
  }
  const std::string body =
      "score act {\n"
      " rule \"demos 7d\" when count(activity where kind == \"demo\" within 7d) >= 2 points 1\n"
      " rule \"views\" each activity where kind == \"view\" within 20d points 0.7 max 5\n"
      " rule \"fading\" each activity where kind != \"call\" points 1.3 decay 5d\n"
      " rule \"no call\" when not exists(activity where kind == \"call\" within 14d) points 2\n"
      " rule \"amount\" when sum(activity.amount where kind == \"demo\") >= 0.3 points 4\n"
      " rule \"big\" when sum(activity.amount within 10d) > 50.5 points 8\n"
      " rule \"recent\" when days_since_last(activity where kind is missing) <= 3 points 16\n"
      "}\n"
      "score money { rule \"exact\" when sum(activity.amount) == 0 points 1\n"
      " rule \"0.6\" when sum(activity.amount where kind == \"demo\") >= 0.6 points 2\n"
      " rule \"0.7\" when sum(activity.amount where kind == \"demo\") >= 0.7 points 4\n"
      " rule \"0.8\" when sum(activity.amount where kind == \"demo\") >= 0.8 points 8\n"
      " rule \"0.9\" when sum(activity.amount where kind == \"demo\") >= 0.9 points 16\n"
      " rule \"1\" when sum(activity.amount where kind == \"demo\") >= 1 points 32\n"
      " rule \"1.1\" when sum(activity.amount where kind == \"demo\") >= 1.1 points 64\n"
      " rule \"1.2\" when sum(activity.amount where kind == \"demo\") >= 1.2 points 128 }\n";
  auto one = score(body, leads, acts, 1);
  REQUIRE_MESSAGE(one.error.empty(), one.error);
  REQUIRE(one.lines.size() == kLeads + 1);
  std::set<std::string> distinct(one.lines.begin() + 1, one.lines.end());
  CHECK(distinct.size() > 100);  // the rules tell the leads apart: the comparison below means something
  check_same_as_one_thread(one, body, leads, acts, {2, 3, 5});
}

TEST_CASE("a repeated lead id is rejected with the line of its first row, across file parts") {
  // Numbered ids (flat-array index) and ids the hash index holds, read in one part and in four.
  for (const char* prefix : {"L", "lead-x"}) {
    std::string leads;
    for (int i = 1; i <= 3000; ++i) {
      int number = i == 2999 ? 5 : i == 1500 ? 1499 : i;  // line 3000 repeats line 6, line 1501 line 1500
      leads += prefix + std::to_string(prefix[1] == 0 ? std::int64_t{number} : std::int64_t{number} * 1000003) + ",true,,,,,,\n";
    }
    for (int threads : {1, 4}) {
      auto r = score("score sec { rule \"a\" when a points 1 }\n", leads, "", threads);
      REQUIRE_MESSAGE(r.error.empty(), r.error);
      CHECK(r.lines.size() == 2999);
      CHECK(r.report.rejected == 2);
      REQUIRE(r.rejects.size() == 3);
      CHECK(r.rejects[1].rfind("1501,\"duplicate lead id", 0) == 0);
      CHECK(r.rejects[1].find("(first on line 1500)") != std::string::npos);
      CHECK(r.rejects[2].rfind("3000,\"duplicate lead id", 0) == 0);
      CHECK(r.rejects[2].find("(first on line 6)") != std::string::npos);
    }
  }
}

TEST_CASE("arithmetic beyond the finite numbers is missing and counted, never nan or inf") {
  using V = std::vector<std::string>;
  // n = 1e308: n * 10 and n + n overflow; n / 1e-308 too; the comparison is then unknown.
  const char* leads = "1,,,1e308,10,,,\n2,,,1e308,1e-308,,,\n3,,,5,2,,,\n";
  CHECK(truth_of("n * m > 0", leads) == V{"U", "T", "T"});
  CHECK(truth_of("n + n is missing", leads) == V{"T", "T", "F"});
  CHECK(truth_of("n / m > 0", leads) == V{"T", "U", "T"});
  CHECK(truth_of("n * m - n * m == 0", leads) == V{"U", "T", "T"});  // inf - inf would be NaN
  auto r = score("score x { rule \"big\" when n * m > 0 points 1  rule \"any\" when n > 0 points 2 }\n", leads);
  REQUIRE_MESSAGE(r.error.empty(), r.error);
  CHECK(r.lines == V{"id,x,score", "1,2,2", "2,3,3", "3,3,3"});
  CHECK(r.report.non_finite == 1);
  // A sum of events is never missing (the contract): one that overflows is held at the largest
  // number of its sign, and counted; never infinity.
  auto sums = score("score x { rule \"sum\" when sum(activity.amount) > 1B points 1\n"
                    " rule \"negative\" when sum(activity.amount) < -1B points 2\n"
                    " rule \"present\" when sum(activity.amount) is present points 4 }\n",
                    "1,,,,,,,\n2,,,,,,,\n3,,,,,,,\n",
                    "1,x,2026-10-01T00:00:00Z,1e308\n1,x,2026-10-02T00:00:00Z,1e308\n1,x,2026-10-03T00:00:00Z,-1e308\n"
                    "2,x,2026-10-01T00:00:00Z,5\n3,x,2026-10-01T00:00:00Z,-1e308\n3,x,2026-10-01T00:00:00Z,-1e308\n");
  REQUIRE_MESSAGE(sums.error.empty(), sums.error);
  CHECK(sums.lines == V{"id,x,score", "1,5,5", "2,4,4", "3,6,6"});
  CHECK(sums.report.non_finite == 2);
}

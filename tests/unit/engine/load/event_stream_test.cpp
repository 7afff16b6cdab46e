// The events loader folds the same aggregates and counts whatever the number of threads reading the
// file's byte ranges at once.
#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/temp_dir.hpp"
#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"
#include "engine/load/event_stream.hpp"
#include "engine/load/lead_table.hpp"
#include "parser/parser.hpp"

using namespace leadscore;

namespace {

constexpr std::int64_t kAsOf = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z

// A slot of every aggregate kind: counts, windows, sums, decayed each-rules and last times.
ir::Program rules_over_every_aggregate() {
  auto source = std::make_shared<SourceFile>(
      "t.rules",
      "ruleset \"t\" version 1\nschema lead { id: id }\n"
      "schema activity { lead: id  kind: string  at: timestamp  amount: number }\n"
      "score act {\n"
      " rule \"demos 7d\" when count(activity where kind == \"demo\" within 7d) >= 2 points 1\n"
      " rule \"views\" each activity where kind == \"view\" within 20d points 0.7 max 5\n"
      " rule \"fading\" each activity where kind != \"call\" points 1.3 decay 5d\n"
      " rule \"amount\" when sum(activity.amount where kind == \"demo\") >= 0.3 points 4\n"
      " rule \"all\" when sum(activity.amount) >= 1 points 8\n"
      " rule \"recent\" when days_since_last(activity where kind is missing) <= 3 points 16\n"
      "}\n");
  Diagnostics diags;
  auto file = parse_rules(source, diags);
  auto program = check_rules(file, diags);
  REQUIRE(program.has_value());
  return std::move(*program);
}

std::string counts_of(const engine::EventStats& stats) {
  std::string out = "read " + std::to_string(stats.read) + " used " + std::to_string(stats.used) + " unknown " +
                    std::to_string(stats.unknown_lead) + " malformed " + std::to_string(stats.malformed) + " bad time " +
                    std::to_string(stats.bad_time) + " after " + std::to_string(stats.not_before_as_of) + " newest " +
                    std::to_string(stats.newest);
  for (std::size_t f = 0; f < stats.unparseable.size(); ++f) out += " unparseable " + std::to_string(stats.unparseable[f]);
  for (const std::string& example : stats.unparseable_example) out += " example " + example;
  for (std::size_t f = 0; f < stats.invalid_text.size(); ++f) out += " invalid " + std::to_string(stats.invalid_text[f]);
  return out;
}

// Every slot of every lead, as exact bits (sums must match to the last bit), then the counts.
std::vector<std::string> fold(const ir::Program& program, const engine::Graph& graph, const std::string& leads_path,
                              const std::string& events_path, int threads) {
  engine::ReadOptions options;
  options.threads = threads;
  engine::LeadTable leads;
  std::string error;
  REQUIRE(engine::load_leads(program, graph, leads_path, options, kAsOf, leads,
                             [](const engine::RejectedRow&) { FAIL("reject"); }, error));
  engine::AggregateState aggregates;
  aggregates.init(graph, leads.rows);
  engine::EventStats stats;
  REQUIRE_MESSAGE(engine::aggregate_events(program, graph, events_path, options, leads, threads, aggregates, stats, error),
                  error);
  std::vector<std::string> out;
  for (std::size_t lead = 0; lead < leads.rows; ++lead) {
    std::string row;
    for (std::size_t s = 0; s < graph.slots.size(); ++s) {
      switch (graph.slots[s].kind) {
        case ir::AggregateKind::LastTime: row += std::to_string(aggregates.last_time(s, lead)); break;
        case ir::AggregateKind::FirstSince: row += std::to_string(aggregates.first_time(s, lead)); break;
        default: {
          const double value = aggregates.value(s, lead);
          std::uint64_t bits;
          std::memcpy(&bits, &value, sizeof bits);
          row += std::to_string(bits);
        }
      }
      row += ' ';
    }
    out.push_back(std::move(row));
  }
  out.push_back(counts_of(stats));
  return out;
}

}  // namespace

TEST_CASE("events fold the same aggregates and counts on any number of threads") {
  // Random events in random lead order, with the awkward ones among them: tenths (their sums depend
  // on the order they are added in), unknown leads, malformed rows, unreadable times and amounts,
  // events after as-of and invalid UTF-8. The summary's example of an unreadable amount is the
  // file's first, whichever range it falls in.
  const ir::Program program = rules_over_every_aggregate();
  const auto graph = engine::compile_program(program);
  TempDir dir("leadscore-event-stream");
  const std::string leads_path = dir.path() + "/leads.csv", events_path = dir.path() + "/events.csv";
  constexpr int kLeads = 200;
  {
    std::ofstream leads(leads_path);
    leads << "id\n";
    for (int i = 0; i < kLeads; ++i) leads << "L" << i << "\n";
  }
  {
    std::ofstream events(events_path);
    events << "lead,kind,at,amount\n";
    events << "L1,demo,2026-10-30T00:00:00Z,first-bad\n";
    std::mt19937 random(20261201);
    const char* kinds[] = {"demo", "view", "call", "", "vi\xff" "ew"};
    for (int e = 0; e < 20000; ++e) {
      const int lead = static_cast<int>(random() % (kLeads + 10));  // 10 of 210 ids are not leads
      const int day = 1 + static_cast<int>(random() % 31), hour = static_cast<int>(random() % 24);
      std::string amount = "0.1";
      switch (random() % 8) {
        case 0: amount = ""; break;
        case 1: amount = "-" + std::to_string(random() % 1000) + ".37"; break;
        case 2: amount = std::to_string(random() % 100000) + "e-3"; break;
        default: break;
      }
      const std::string at = "2026-10-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + "T" +
                             (hour < 10 ? "0" : "") + std::to_string(hour) + ":17:00Z";
      switch (random() % 200) {
        case 0: events << "L" << lead << ",demo\n"; continue;                                 // malformed
        case 1: events << "L" << lead << ",demo,yesterday," << amount << "\n"; continue;      // no readable time
        case 2: events << "L" << lead << ",demo,2026-11-02T00:00:00Z,0.1\n"; continue;        // after as-of
        case 3: events << "L" << lead << ",demo," << at << ",bad" << e << "\n"; continue;     // unreadable amount
        default: events << "L" << lead << "," << kinds[random() % 5] << "," << at << "," << amount << "\n";
      }
    }
  }
  const auto one = fold(program, graph, leads_path, events_path, 1);
  REQUIRE(one.size() == kLeads + 1);
  CHECK(one.back().find(" example first-bad ") != std::string::npos);  // the file's first unreadable amount
  for (int threads : {2, 3, 5, 8}) {
    CAPTURE(threads);
    CHECK(fold(program, graph, leads_path, events_path, threads) == one);
  }
}

// for_each_batch_parallel: every batch visited once, rounds handed over in lead order, and a slot
// never visited while round_done may be reading it (the threads run a round ahead).
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "jobs/batches.hpp"
#include "tests/unit/support/scratch_dir.hpp"

using namespace leadscore;
using leadscore::testing::ScratchDir;

namespace {

const char* kRules = R"(ruleset "batches" version 1
schema lead {
  lead_id: id
  seats: number
}
score fit { rule "Big" when seats >= 10 points 10 }
)";

jobs::PreparedRun prepare(const ScratchDir& dir, std::size_t leads) {
  std::string csv = "lead_id,seats\n";
  for (std::size_t i = 0; i < leads; ++i) csv += "L" + std::to_string(i) + "," + std::to_string(i % 20) + "\n";
  jobs::RunInputs inputs;
  inputs.rules = dir.write("r.rules", kRules);
  inputs.leads = dir.write("leads.csv", csv);
  inputs.as_of = 1793491200000000;  // 2026-11-01T00:00:00Z
  Diagnostics diags;
  std::string error;
  jobs::PreparedRun run;
  REQUIRE_MESSAGE(jobs::prepare_run(inputs, diags, run, error), error);
  return run;
}

struct Seen {
  std::size_t first_lead;
  std::size_t rows;
  double fit_of_first;
};

}  // namespace

TEST_CASE("for_each_batch_parallel hands every batch over once, in lead order, a round ahead") {
  ScratchDir dir;
  // 3 threads x 4 batches per turn: 7 rounds, the last one partial (2 threads, a short batch).
  const std::size_t leads = engine::kBatchSize * (3 * 4 * 6 + 5) + 123;
  const auto run = prepare(dir, leads);
  REQUIRE(run.leads.rows == leads);
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    const std::size_t slots = jobs::batch_slots(run, threads);
    CHECK(slots == (threads == 1 ? 1u : 2u * static_cast<std::size_t>(threads)));
    std::vector<std::vector<Seen>> by_slot(slots);
    std::vector<std::atomic<int>> reading(slots);
    std::atomic<int> overlapping{0};
    std::size_t next_lead = 0, rounds = 0, bad_order = 0;
    jobs::for_each_batch_parallel(
        run, threads,
        [&](std::size_t slot, const engine::BatchInput& batch, const engine::BatchState& state) {
          if (slot >= slots || reading[slot].load() != 0) ++overlapping;
          by_slot[slot].push_back(Seen{batch.first_lead, batch.rows, state.view(run.graph.score).num[0]});
        },
        [&](std::size_t first_slot, std::size_t used) {
          ++rounds;
          for (std::size_t s = first_slot; s < first_slot + used; ++s) reading[s] = 1;
          std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the threads go on meanwhile
          for (std::size_t s = first_slot; s < first_slot + used; ++s) {
            for (const Seen& seen : by_slot[s]) {
              bad_order += seen.first_lead != next_lead;
              bad_order += seen.fit_of_first != (seen.first_lead % 20 >= 10 ? 10.0 : 0.0);
              next_lead = seen.first_lead + seen.rows;
            }
            by_slot[s].clear();
            reading[s] = 0;
          }
        });
    CHECK(overlapping.load() == 0);
    CHECK(bad_order == 0);
    CHECK(next_lead == leads);
    CHECK(rounds == (threads == 1 ? 20u : threads == 2 ? 10u : 7u));
  }
}

TEST_CASE("for_each_batch_parallel stops its threads and rethrows when visit or round_done throws") {
  ScratchDir dir;
  const std::size_t leads = engine::kBatchSize * 40;
  const auto run = prepare(dir, leads);
  for (int threads : {1, 2, 3}) {
    CAPTURE(threads);
    std::atomic<int> visits{0};
    CHECK_THROWS_WITH_AS(jobs::for_each_batch_parallel(
                             run, threads,
                             [&](std::size_t, const engine::BatchInput& batch, const engine::BatchState&) {
                               ++visits;
                               if (batch.first_lead == engine::kBatchSize * 13) throw std::runtime_error("visit failed");
                             },
                             [](std::size_t, std::size_t) {}),
                         "visit failed", std::runtime_error);
    CHECK(visits.load() < 40);  // the threads stopped instead of running every batch
    std::size_t rounds = 0;
    CHECK_THROWS_WITH_AS(jobs::for_each_batch_parallel(
                             run, threads, [](std::size_t, const engine::BatchInput&, const engine::BatchState&) {},
                             [&](std::size_t, std::size_t) {
                               if (++rounds == 2) throw std::runtime_error("write failed");
                             }),
                         "write failed", std::runtime_error);
    CHECK(rounds == 2);
  }
}

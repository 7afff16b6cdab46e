#include "jobs/batches.hpp"

#include <algorithm>
#include <memory>
#include <thread>
#include <vector>

namespace leadscore::jobs {

using namespace leadscore::engine;

std::uint64_t for_each_batch(const PreparedRun& run, const BatchVisitor& visit, const ScoringOverride& with) {
  BatchState state(run.graph, false);
  for (std::size_t first = 0; first < run.leads.rows; first += kBatchSize) {
    std::size_t rows = std::min(kBatchSize, run.leads.rows - first);
    BatchInput batch = evaluate_leads(run, first, rows, state, with);
    visit(batch, state);
  }
  return state.non_finite();
}

std::uint64_t for_each_batch_parallel(const PreparedRun& run, int threads, const ThreadBatchVisitor& visit,
                             const std::function<void(std::size_t used)>& round_done) {
  // Each thread takes a run of consecutive batches: neighbouring leads share cache lines of the
  // aggregate rows, and its output stays one contiguous piece.
  constexpr std::size_t kBatchesPerTurn = 4;
  const std::size_t batches = (run.leads.rows + kBatchSize - 1) / kBatchSize;
  // No more threads than there are runs of batches to hand out: each holds a batch state.
  const std::size_t turns = (batches + kBatchesPerTurn - 1) / kBatchesPerTurn;
  const auto count = std::max<std::size_t>(1, std::min(static_cast<std::size_t>(std::max(1, threads)), turns));
  // Per-thread scratch on separate cache lines.
  struct alignas(64) Scratch {
    explicit Scratch(const Graph& g) : state(g, false) {}
    BatchState state;
  };
  std::vector<std::unique_ptr<Scratch>> scratch;
  for (std::size_t t = 0; t < count; ++t) scratch.push_back(std::make_unique<Scratch>(run.graph));
  auto run_batches = [&](std::size_t t, std::size_t from, std::size_t to) {
    for (std::size_t b = from; b < to; ++b) {
      std::size_t first = b * kBatchSize;
      std::size_t rows = std::min(kBatchSize, run.leads.rows - first);
      BatchInput batch = evaluate_leads(run, first, rows, scratch[t]->state);
      visit(t, batch, scratch[t]->state);
    }
  };
  const std::size_t per_round = count * kBatchesPerTurn;
  for (std::size_t round = 0; round < batches; round += per_round) {
    const std::size_t round_end = std::min(batches, round + per_round);
    std::size_t used = 0;
    if (count == 1) {
      run_batches(0, round, round_end);
      used = 1;
    } else {
      std::vector<std::thread> pool;
      for (std::size_t t = 0; t < count; ++t) {
        std::size_t from = std::min(round_end, round + t * kBatchesPerTurn);
        std::size_t to = std::min(round_end, from + kBatchesPerTurn);
        if (from == to) break;
        pool.emplace_back(run_batches, t, from, to);
        ++used;
      }
      for (auto& th : pool) th.join();
    }
    round_done(used);
  }
  std::uint64_t non_finite = 0;
  for (const auto& s : scratch) non_finite += s->state.non_finite();
  return non_finite;
}

}  // namespace leadscore::jobs

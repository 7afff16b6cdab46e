#include "jobs/batches.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace leadscore::jobs {

using namespace leadscore::engine;

namespace {
// Each thread takes a run of consecutive batches: neighbouring leads share cache lines of the
// aggregate rows, and its output stays one contiguous piece.
constexpr std::size_t kBatchesPerTurn = 4;
}  // namespace

std::uint64_t for_each_batch(const PreparedRun& run, const BatchVisitor& visit, const ScoringOverride& with) {
  BatchState state(run.graph, false);
  for (std::size_t first = 0; first < run.leads.rows; first += kBatchSize) {
    std::size_t rows = std::min(kBatchSize, run.leads.rows - first);
    BatchInput batch = evaluate_leads(run, first, rows, state, with);
    visit(batch, state);
  }
  return state.non_finite();
}

std::size_t batch_threads(const PreparedRun& run, int threads) {
  // No more threads than there are runs of batches to hand out: each holds a batch state.
  const std::size_t batches = (run.leads.rows + kBatchSize - 1) / kBatchSize;
  const std::size_t turns = (batches + kBatchesPerTurn - 1) / kBatchesPerTurn;
  return std::max<std::size_t>(1, std::min(static_cast<std::size_t>(std::max(1, threads)), turns));
}

std::size_t batch_slots(const PreparedRun& run, int threads) {
  const std::size_t count = batch_threads(run, threads);
  return count == 1 ? 1 : 2 * count;
}

std::uint64_t for_each_batch_parallel(const PreparedRun& run, int threads, const ThreadBatchVisitor& visit,
                                      const std::function<void(std::size_t first_slot, std::size_t used)>& round_done) {
  const std::size_t batches = (run.leads.rows + kBatchSize - 1) / kBatchSize;
  const std::size_t count = batch_threads(run, threads);
  // Per-thread scratch on separate cache lines.
  struct alignas(64) Scratch {
    explicit Scratch(const Graph& g) : state(g, false) {}
    BatchState state;
  };
  std::vector<std::unique_ptr<Scratch>> scratch;
  for (std::size_t t = 0; t < count; ++t) scratch.push_back(std::make_unique<Scratch>(run.graph));
  auto run_batches = [&](std::size_t t, std::size_t slot, std::size_t from, std::size_t to) {
    for (std::size_t b = from; b < to; ++b) {
      std::size_t first = b * kBatchSize;
      std::size_t rows = std::min(kBatchSize, run.leads.rows - first);
      BatchInput batch = evaluate_leads(run, first, rows, scratch[t]->state);
      visit(slot, batch, scratch[t]->state);
    }
  };
  const std::size_t per_round = count * kBatchesPerTurn;
  const std::size_t rounds = (batches + per_round - 1) / per_round;
  auto turn = [&](std::size_t round, std::size_t t, std::size_t& from, std::size_t& to) {
    from = std::min(batches, round * per_round + t * kBatchesPerTurn);
    to = std::min(batches, from + kBatchesPerTurn);
  };
  if (count == 1) {
    for (std::size_t round = 0; round < rounds; ++round) {
      std::size_t from = 0, to = 0;
      turn(round, 0, from, to);
      run_batches(0, 0, from, to);
      round_done(0, 1);
    }
  } else {
    // Thread t fills slot t of even rounds and slot count + t of odd ones, so the calling thread
    // hands one round to round_done while the threads evaluate the next. A thread starts round r
    // once round r - 2, which used the same slots, is done. An exception (in visit or round_done)
    // stops every thread and is rethrown on the calling thread.
    std::mutex mutex;
    std::condition_variable evaluated, handed_over;
    std::vector<std::size_t> finished(rounds, 0);  // by round: threads done with it
    std::size_t rounds_done = 0;                  // rounds handed to round_done
    bool stopping = false;
    std::exception_ptr failure;                   // the first exception of a thread
    auto work = [&](std::size_t t) {
      try {
        for (std::size_t round = 0; round < rounds; ++round) {
          {
            std::unique_lock<std::mutex> lock(mutex);
            handed_over.wait(lock, [&] { return stopping || rounds_done + 2 > round; });
            if (stopping) return;
          }
          std::size_t from = 0, to = 0;
          turn(round, t, from, to);
          run_batches(t, (round % 2) * count + t, from, to);
          {
            std::lock_guard<std::mutex> lock(mutex);
            ++finished[round];
          }
          evaluated.notify_one();
        }
      } catch (...) {
        {
          std::lock_guard<std::mutex> lock(mutex);
          if (!failure) failure = std::current_exception();
          stopping = true;
        }
        evaluated.notify_one();
        handed_over.notify_all();
      }
    };
    std::vector<std::thread> pool;
    auto stop_all = [&] {
      {
        std::lock_guard<std::mutex> lock(mutex);
        stopping = true;
      }
      handed_over.notify_all();
      for (auto& th : pool) th.join();
    };
    try {
      for (std::size_t t = 0; t < count; ++t) pool.emplace_back(work, t);
      for (std::size_t round = 0; round < rounds; ++round) {
        {
          std::unique_lock<std::mutex> lock(mutex);
          evaluated.wait(lock, [&] { return failure || finished[round] == count; });
          if (failure) break;
        }
        std::size_t used = 0;
        for (std::size_t t = 0; t < count; ++t) {
          std::size_t from = 0, to = 0;
          turn(round, t, from, to);
          used += from < to ? 1 : 0;
        }
        round_done((round % 2) * count, used);
        {
          std::lock_guard<std::mutex> lock(mutex);
          rounds_done = round + 1;
        }
        handed_over.notify_all();
      }
    } catch (...) {
      stop_all();
      throw;
    }
    stop_all();
    if (failure) std::rethrow_exception(failure);
  }
  std::uint64_t non_finite = 0;
  for (const auto& s : scratch) non_finite += s->state.non_finite();
  return non_finite;
}

}  // namespace leadscore::jobs

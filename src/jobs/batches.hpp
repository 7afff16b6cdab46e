#pragma once
// The one loop that scores every lead of a prepared run, batch by batch: score, diff and calibrate
// all go through it.
#include <functional>

#include "jobs/run_inputs.hpp"

namespace leadscore::jobs {

using BatchVisitor = std::function<void(const engine::BatchInput& batch, const engine::BatchState& state)>;

// Both return how many values left the finite numbers while scoring (BatchState::non_finite()).

// On the calling thread, in lead order, scored with the run's points, limits and thresholds, or those
// of `with`.
std::uint64_t for_each_batch(const PreparedRun& run, const BatchVisitor& visit, const ScoringOverride& with = {});

// On `threads` threads. The batches are dealt out in rounds: in each round, thread t evaluates a run
// of consecutive batches and calls visit(t, ...) for each; then `round_done(used)` runs on the
// calling thread, when threads 0 .. used-1 hold that round's batches in lead order (so results can be
// written in input order). With one thread everything runs on the calling thread.
using ThreadBatchVisitor =
    std::function<void(std::size_t thread, const engine::BatchInput& batch, const engine::BatchState& state)>;
std::uint64_t for_each_batch_parallel(const PreparedRun& run, int threads, const ThreadBatchVisitor& visit,
                             const std::function<void(std::size_t used)>& round_done);

}  // namespace leadscore::jobs

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

// On `threads` threads. The batches are dealt out in rounds: in each round, each thread evaluates a
// run of consecutive batches and calls visit(slot, ...) for each, with a slot of its own; then
// `round_done(first_slot, used)` runs on the calling thread, when slots first_slot .. first_slot +
// used - 1 hold that round's batches in lead order (so results can be written in input order).
// While it runs, the threads already fill the next round's slots: a slot is never visited while
// round_done may read it. Slots are numbered 0 .. batch_slots() - 1. With one thread everything
// runs on the calling thread, in slot 0.
using ThreadBatchVisitor =
    std::function<void(std::size_t slot, const engine::BatchInput& batch, const engine::BatchState& state)>;
std::uint64_t for_each_batch_parallel(const PreparedRun& run, int threads, const ThreadBatchVisitor& visit,
                                      const std::function<void(std::size_t first_slot, std::size_t used)>& round_done);
// How many slots for_each_batch_parallel uses with `threads` threads.
std::size_t batch_slots(const PreparedRun& run, int threads);

}  // namespace leadscore::jobs

#pragma once
// A fixed table of entries that threads add and remove and a signal handler reads: no allocation and
// no locks, so the handler may look at it at any moment. A slot is claimed with a compare-and-swap,
// filled, and only then published; the handler sees published slots only.
#include <array>
#include <atomic>
#include <cstddef>

namespace leadscore::io {

template <typename Entry, std::size_t N>
class SignalSafeSlots {
  static_assert(std::atomic<int>::is_always_lock_free, "the signal handler reads the slot states");

 public:
  // Claims a free slot, lets fill(entry) write it (false: give the slot back) and publishes it.
  // Returns the slot, or -1 when the table is full or fill refused.
  template <typename Fill>
  int add(Fill fill) {
    for (std::size_t i = 0; i < N; ++i) {
      int expected = kFree;
      if (!slots_[i].state.compare_exchange_strong(expected, kFilling, std::memory_order_acquire)) continue;
      if (!fill(slots_[i].entry)) {
        slots_[i].state.store(kFree, std::memory_order_release);
        return -1;
      }
      slots_[i].state.store(kReady, std::memory_order_release);
      return static_cast<int>(i);
    }
    return -1;
  }
  void remove(int slot) {
    if (slot < 0 || static_cast<std::size_t>(slot) >= N) return;
    slots_[static_cast<std::size_t>(slot)].state.store(kFree, std::memory_order_release);
  }
  // visit(entry) for every published entry; async-signal-safe when visit is.
  template <typename Visit>
  void for_each(Visit visit) const {
    for (const auto& slot : slots_)
      if (slot.state.load(std::memory_order_acquire) == kReady) visit(slot.entry);
  }
  int used() const {
    int count = 0;
    for (const auto& slot : slots_) count += slot.state.load(std::memory_order_acquire) != kFree;
    return count;
  }

 private:
  enum State : int { kFree = 0, kFilling = 1, kReady = 2 };
  struct Slot {
    std::atomic<int> state{kFree};
    Entry entry;
  };
  std::array<Slot, N> slots_;
};

}  // namespace leadscore::io

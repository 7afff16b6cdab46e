#pragma once
// Per-lead accumulators of the activity aggregates: one fixed-size row per lead with all of its
// slots side by side, so folding an event touches one row. Counts take 4 bytes, sums and times 8.
// A row of up to 64 bytes is padded to a power of two and rows are 64-byte aligned, so a row never
// straddles two cache lines: with millions of leads, that line is the one memory miss per event.
#include <cstdint>
#include <cstring>
#include <vector>

#include "common/huge_buffer.hpp"
#include "engine/plan/graph.hpp"

namespace leadscore::engine {

inline constexpr std::int64_t kNoTime = INT64_MIN;
inline constexpr std::int64_t kNoEarliest = INT64_MAX;  // a FirstSince slot before any event

// A Sum or DecaySum contribution of one event, kept to be added later (AggregateState::defer_sums).
struct DeferredSum {
  std::uint32_t lead;
  std::uint32_t slot;
  double amount;
};

class AggregateState {
 public:
  AggregateState() = default;
  void init(const Graph& graph, std::size_t leads);
  // Adds another part's accumulators (same graph, same leads) for leads [first, end): counts add,
  // times take the latest (or earliest). Sums are not merged: a later part defers them (defer_sums).
  void merge_from(const AggregateState& other, std::size_t first, std::size_t end);

  // From now on add_value appends to `into` instead of adding. Floating-point addition depends on
  // the order of the terms, so a part of the events file read in parallel keeps its sums, and they
  // are added after those of the parts before it (add_deferred): every lead's events are then added
  // in file order, and the scores do not change with the number of threads.
  void defer_sums(std::vector<DeferredSum>* into) { deferred_ = into; }
  // Adds the contributions of leads [first, end) from `sums`, in the order they were made.
  void add_deferred(const std::vector<DeferredSum>& sums, std::size_t first, std::size_t end);

  std::size_t slots() const { return kinds_.size(); }
  // Count (as a number), Sum and DecaySum slots.
  double value(std::size_t slot, std::size_t lead) const {
    const std::byte* at = row(lead) + offsets_[slot];
    if (kinds_[slot] == ir::AggregateKind::Count) return static_cast<double>(load<std::uint32_t>(at));
    return load<double>(at);
  }
  // LastTime slots: the latest event time, or kNoTime.
  std::int64_t last_time(std::size_t slot, std::size_t lead) const { return load<std::int64_t>(row(lead) + offsets_[slot]); }
  // FirstSince slots: the earliest event time, or kNoTime.
  std::int64_t first_time(std::size_t slot, std::size_t lead) const {
    const auto t = load<std::int64_t>(row(lead) + offsets_[slot]);
    return t == kNoEarliest ? kNoTime : t;
  }

  // Folding: one event of `lead` into `slot`.
  // Adds `events` (0 or 1) to a count; saturates at 4,294,967,295 events.
  void add_count(std::size_t slot, std::size_t lead, std::uint32_t events = 1) {
    std::byte* at = row(lead) + offsets_[slot];
    const auto count = load<std::uint32_t>(at);
    store<std::uint32_t>(at, count + (count != UINT32_MAX ? events : 0u));
  }
  void add_value(std::size_t slot, std::size_t lead, double amount) {
    if (deferred_ != nullptr) {
      deferred_->push_back(DeferredSum{static_cast<std::uint32_t>(lead), static_cast<std::uint32_t>(slot), amount});
      return;
    }
    std::byte* at = row(lead) + offsets_[slot];
    store<double>(at, load<double>(at) + amount);
  }
  void keep_latest(std::size_t slot, std::size_t lead, std::int64_t time) {
    std::byte* at = row(lead) + offsets_[slot];
    if (time > load<std::int64_t>(at)) store<std::int64_t>(at, time);
  }
  void keep_earliest(std::size_t slot, std::size_t lead, std::int64_t time) {
    std::byte* at = row(lead) + offsets_[slot];
    if (time < load<std::int64_t>(at)) store<std::int64_t>(at, time);
  }
  void prefetch(std::size_t lead) const {
    if (row_bytes_ == 0) return;
    __builtin_prefetch(row(lead), 1, 1);
    if (row_bytes_ > 64) __builtin_prefetch(row(lead) + row_bytes_ - 1, 1, 1);
  }

 private:
  template <typename T>
  static T load(const std::byte* at) {
    T v;
    std::memcpy(&v, at, sizeof v);
    return v;
  }
  template <typename T>
  static void store(std::byte* at, T v) {
    std::memcpy(at, &v, sizeof v);
  }
  const std::byte* row(std::size_t lead) const { return rows_.data() + lead * row_bytes_; }
  std::byte* row(std::size_t lead) { return rows_.data() + lead * row_bytes_; }

  std::vector<ir::AggregateKind> kinds_;  // by slot
  std::vector<std::uint32_t> offsets_;    // by slot: byte offset in a row
  std::size_t row_bytes_ = 0;
  std::size_t leads_ = 0;
  HugeBuffer rows_;
  std::vector<DeferredSum>* deferred_ = nullptr;
};

}  // namespace leadscore::engine

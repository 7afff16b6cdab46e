#include "engine/exec/aggregate_state.hpp"

#include <algorithm>

namespace leadscore::engine {

void AggregateState::init(const Graph& graph, std::size_t leads) {
  kinds_.clear();
  offsets_.clear();
  for (const auto& slot : graph.slots) kinds_.push_back(slot.kind);
  // 8-byte accumulators first, then the 4-byte counts, so every one is naturally aligned.
  std::size_t bytes = 0;
  offsets_.assign(kinds_.size(), 0);
  for (std::size_t s = 0; s < kinds_.size(); ++s) {
    if (kinds_[s] == ir::AggregateKind::Count) continue;
    offsets_[s] = static_cast<std::uint32_t>(bytes);
    bytes += 8;
  }
  for (std::size_t s = 0; s < kinds_.size(); ++s) {
    if (kinds_[s] != ir::AggregateKind::Count) continue;
    offsets_[s] = static_cast<std::uint32_t>(bytes);
    bytes += 4;
  }
  row_bytes_ = 0;
  if (bytes > 0) {
    row_bytes_ = 8;
    while (row_bytes_ < bytes && row_bytes_ < 64) row_bytes_ *= 2;
    if (bytes > 64) row_bytes_ = (bytes + 63) / 64 * 64;
  }
  leads_ = leads;
  rows_ = HugeBuffer(row_bytes_ * leads);  // zero-filled
  for (std::size_t s = 0; s < kinds_.size(); ++s) {
    if (kinds_[s] != ir::AggregateKind::LastTime && kinds_[s] != ir::AggregateKind::FirstSince) continue;
    const std::int64_t none = kinds_[s] == ir::AggregateKind::LastTime ? kNoTime : kNoEarliest;
    for (std::size_t lead = 0; lead < leads; ++lead) store<std::int64_t>(row(lead) + offsets_[s], none);
  }
}

void AggregateState::merge_from(const AggregateState& other, std::size_t first, std::size_t end) {
  for (std::size_t lead = first; lead < end; ++lead) {
    std::byte* to_row = row(lead);
    const std::byte* from_row = other.row(lead);
    for (std::size_t s = 0; s < kinds_.size(); ++s) {
      std::byte* to = to_row + offsets_[s];
      const std::byte* from = from_row + offsets_[s];
      switch (kinds_[s]) {
        case ir::AggregateKind::Count: {
          const std::uint64_t sum = std::uint64_t{load<std::uint32_t>(to)} + load<std::uint32_t>(from);
          store<std::uint32_t>(to, static_cast<std::uint32_t>(std::min<std::uint64_t>(sum, UINT32_MAX)));
          break;
        }
        case ir::AggregateKind::Sum:
        case ir::AggregateKind::DecaySum: break;  // deferred, added in file order by add_deferred
        case ir::AggregateKind::LastTime:
          store<std::int64_t>(to, std::max(load<std::int64_t>(to), load<std::int64_t>(from)));
          break;
        case ir::AggregateKind::FirstSince:
          store<std::int64_t>(to, std::min(load<std::int64_t>(to), load<std::int64_t>(from)));
          break;
      }
    }
  }
}

void AggregateState::add_deferred(const std::vector<DeferredSum>& sums, std::size_t first, std::size_t end) {
  for (const DeferredSum& sum : sums) {
    if (sum.lead < first || sum.lead >= end) continue;
    std::byte* at = row(sum.lead) + offsets_[sum.slot];
    store<double>(at, load<double>(at) + sum.amount);
  }
}

}  // namespace leadscore::engine

#pragma once
// Distinct values of one text column, numbered in order of first appearance. Activity columns such
// as `type` hold a handful of distinct values across millions of events, so a filter on them can be
// evaluated once per value instead of once per event.
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "common/hash.hpp"
#include "engine/exec/columns.hpp"

namespace leadscore::engine {

class StringDictionary {
 public:
  static constexpr std::size_t kResetSize = std::size_t{1} << 16;  // bounds memory on high-cardinality columns

  std::uint32_t code_of(std::string_view value) {
    if (slots_.empty()) rehash(64);
    const std::uint64_t hash = hash_of(value);
    const std::uint64_t h = probe(value, hash);
    if (slots_[h].code != kEmpty) return slots_[h].code;
    auto code = static_cast<std::uint32_t>(values_.size());
    values_.push_back(arena_.store(value));
    slots_[h] = Slot{code, static_cast<std::uint32_t>(hash >> 32)};
    if (values_.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
    return code;
  }
  // The code of `value` when it was seen, or kAbsent (nothing is added).
  static constexpr std::uint32_t kAbsent = 0xFFFFFFFFu;
  std::uint32_t find(std::string_view value) const {
    return slots_.empty() ? kAbsent : slots_[probe(value, hash_of(value))].code;  // kEmpty == kAbsent
  }
  std::string_view value(std::uint32_t code) const { return values_[code]; }
  const std::vector<std::string_view>& values() const { return values_; }
  std::size_t size() const { return values_.size(); }
  void clear() {
    values_.clear();
    slots_.clear();
    arena_.reset();
  }

 private:
  static constexpr std::uint32_t kEmpty = kAbsent;
  struct Slot {
    std::uint32_t code = kEmpty;
    std::uint32_t tag = 0;
  };
  // Values of 8 to 16 bytes (most activity types) are hashed from two overlapping 8-byte loads that
  // cover every byte: one event's lookup is then half the multiplies of hash_bytes, which takes the rest.
  static std::uint64_t hash_of(std::string_view value) {
    const std::size_t n = value.size();
    if (n < 8 || n > 16) return hash_bytes(value);
    std::uint64_t first, last;
    std::memcpy(&first, value.data(), 8);
    std::memcpy(&last, value.data() + n - 8, 8);
    std::uint64_t h = (first * 0x87c37b91114253d5ULL) ^ ((last ^ n) * 0x4cf5ad432745937fULL);
    h ^= h >> 32;
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 29);
  }
  // The slot that holds `value`, or the empty slot where it would go.
  std::uint64_t probe(std::string_view value, std::uint64_t hash) const {
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    std::uint64_t h = hash & mask_;
    for (;; h = (h + 1) & mask_) {
      const Slot& s = slots_[h];
      if (s.code == kEmpty || (s.tag == tag && leadscore::same_bytes(values_[s.code], value))) return h;
    }
  }
  void rehash(std::size_t capacity) {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (const Slot& s : old) {
      if (s.code == kEmpty) continue;
      std::uint64_t h = hash_of(values_[s.code]) & mask_;
      while (slots_[h].code != kEmpty) h = (h + 1) & mask_;
      slots_[h] = s;
    }
  }
  std::vector<std::string_view> values_;
  std::vector<Slot> slots_;
  std::uint64_t mask_ = 0;
  StringArena arena_;
};

}  // namespace leadscore::engine

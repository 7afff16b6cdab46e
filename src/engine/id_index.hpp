#pragma once
// Lead id -> ordinal, open addressing over views of ids kept elsewhere (the lead table's arena).
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/hash.hpp"

namespace leadscore::engine {

class IdIndex {
 public:
  static constexpr std::int32_t kAbsent = -1;

  void reserve(std::size_t ids) {
    std::size_t capacity = 16;
    while (capacity < ids * 2) capacity *= 2;
    rehash(capacity);
  }
  std::int32_t find(std::string_view id) const {
    if (slots_.empty()) return kAbsent;
    for (std::uint64_t h = hash_bytes(id) & mask_;; h = (h + 1) & mask_) {
      const Slot& s = slots_[h];
      if (s.ordinal == kAbsent) return kAbsent;
      if (keys_[static_cast<std::size_t>(s.ordinal)] == id) return s.ordinal;
    }
  }
  // Returns the existing ordinal when the id is already present, else adds it with `ordinal`.
  std::int32_t insert(std::string_view id, std::int32_t ordinal) {
    if ((count_ + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
    for (std::uint64_t h = hash_bytes(id) & mask_;; h = (h + 1) & mask_) {
      Slot& s = slots_[h];
      if (s.ordinal == kAbsent) {
        s.ordinal = ordinal;
        if (keys_.size() <= static_cast<std::size_t>(ordinal)) keys_.resize(static_cast<std::size_t>(ordinal) + 1);
        keys_[static_cast<std::size_t>(ordinal)] = id;
        ++count_;
        return ordinal;
      }
      if (keys_[static_cast<std::size_t>(s.ordinal)] == id) return s.ordinal;
    }
  }
  std::size_t size() const { return count_; }

 private:
  struct Slot {
    std::int32_t ordinal = kAbsent;
  };
  void rehash(std::size_t capacity) {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (const Slot& s : old) {
      if (s.ordinal == kAbsent) continue;
      std::uint64_t h = hash_bytes(keys_[static_cast<std::size_t>(s.ordinal)]) & mask_;
      while (slots_[h].ordinal != kAbsent) h = (h + 1) & mask_;
      slots_[h] = s;
    }
  }
  std::vector<Slot> slots_;
  std::vector<std::string_view> keys_;  // by ordinal
  std::uint64_t mask_ = 0;
  std::size_t count_ = 0;
};

}  // namespace leadscore::engine

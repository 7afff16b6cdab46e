#pragma once
// Lead id -> ordinal. Open addressing; ids of up to 15 bytes (nearly all CRM ids) are stored in the
// slot itself, so a lookup costs one cache miss instead of three (slot, key view, key bytes).
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include "common/hash.hpp"

namespace leadscore::engine {

class IdIndex {
 public:
  static constexpr std::int32_t kAbsent = -1;

  std::int32_t find(std::string_view id) const { return find(id, hash_bytes(id)); }

  void reserve(std::size_t ids) {
    const std::size_t capacity = capacity_for(ids);
    if (capacity > slots_.size()) rehash(capacity);
  }
  // The table's size in bytes once `ids` ids are in (at most half full).
  static std::size_t bytes_for(std::size_t ids) { return capacity_for(ids) * sizeof(Slot); }

  // For batched lookups: hash first, prefetch the slot, look up a few keys later.
  void prefetch(std::uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[hash & mask_]);
  }
  std::int32_t find(std::string_view id, std::uint64_t hash) const {
    if (slots_.empty()) return kAbsent;
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::uint64_t h = hash & mask_;; h = (h + 1) & mask_) {
      const Slot& s = slots_[h];
      if (s.ordinal == kAbsent) return kAbsent;
      if (s.tag == tag && matches(s, id)) return s.ordinal;
    }
  }

  // Returns the existing ordinal when the id is already present, else adds it with `ordinal`.
  // `id` must stay valid for the index's lifetime (it is kept for ids longer than the slot holds).
  std::int32_t insert(std::string_view id, std::int32_t ordinal) { return insert(id, ordinal, hash_bytes(id)); }
  std::int32_t insert(std::string_view id, std::int32_t ordinal, std::uint64_t hash) {
    if ((count_ + 1) * 2 > slots_.size()) rehash(slots_.empty() ? 16 : slots_.size() * 2);
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    for (std::uint64_t h = hash & mask_;; h = (h + 1) & mask_) {
      Slot& s = slots_[h];
      if (s.ordinal == kAbsent) {
        fill(s, id, ordinal, tag);
        ++count_;
        return ordinal;
      }
      if (s.tag == tag && matches(s, id)) return s.ordinal;
    }
  }
  std::size_t size() const { return count_; }

 private:
  static constexpr std::size_t kInline = 15;
  static std::size_t capacity_for(std::size_t ids) {
    std::size_t capacity = 16;
    while (capacity < (ids + 1) * 2) capacity *= 2;
    return capacity;
  }
  struct Slot {
    std::int32_t ordinal = kAbsent;
    std::uint32_t tag = 0;  // high half of the hash
    std::uint8_t length = 0;
    char bytes[kInline] = {};
  };

  bool matches(const Slot& s, std::string_view id) const {
    if (id.size() <= kInline) return s.length == id.size() && same_bytes(std::string_view(s.bytes, s.length), id);
    return s.length == 0xFF && same_bytes(long_keys_[static_cast<std::size_t>(s.ordinal)], id);
  }
  void fill(Slot& s, std::string_view id, std::int32_t ordinal, std::uint32_t tag) {
    s.ordinal = ordinal;
    s.tag = tag;
    if (id.size() <= kInline) {
      s.length = static_cast<std::uint8_t>(id.size());
      std::memcpy(s.bytes, id.data(), id.size());
    } else {
      s.length = 0xFF;
      if (long_keys_.size() <= static_cast<std::size_t>(ordinal)) long_keys_.resize(static_cast<std::size_t>(ordinal) + 1);
      long_keys_[static_cast<std::size_t>(ordinal)] = id;
    }
  }
  std::uint64_t slot_hash(const Slot& s) const {
    return hash_bytes(s.length == 0xFF ? long_keys_[static_cast<std::size_t>(s.ordinal)]
                                       : std::string_view(s.bytes, s.length));
  }
  void rehash(std::size_t capacity) {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (const Slot& s : old) {
      if (s.ordinal == kAbsent) continue;
      std::uint64_t h = slot_hash(s) & mask_;
      while (slots_[h].ordinal != kAbsent) h = (h + 1) & mask_;
      slots_[h] = s;
    }
  }

  std::vector<Slot> slots_;
  std::vector<std::string_view> long_keys_;  // by ordinal, for ids longer than kInline
  std::uint64_t mask_ = 0;
  std::size_t count_ = 0;
};

}  // namespace leadscore::engine

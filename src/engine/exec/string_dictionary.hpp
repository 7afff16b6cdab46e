#pragma once
// Distinct values of one text column, numbered in order of first appearance. Activity columns such
// as `type` hold a handful of distinct values across millions of events, so a filter on them can be
// evaluated once per value instead of once per event.
#include <algorithm>
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
    const Key key = key_of(value);
    const std::uint64_t h = probe(value, key);
    if (slots_[h].code != kEmpty) return slots_[h].code;
    auto code = static_cast<std::uint32_t>(values_.size());
    values_.push_back(arena_.store(value));
    slots_[h] = Slot{key.a, key.b, key.c, key.size, code};
    if (values_.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
    return code;
  }
  // The code of `value` when it was seen, or kAbsent (nothing is added).
  static constexpr std::uint32_t kAbsent = 0xFFFFFFFFu;
  std::uint32_t find(std::string_view value) const {
    return slots_.empty() ? kAbsent : slots_[probe(value, key_of(value))].code;  // kEmpty == kAbsent
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

  // What a slot compares. A value of 8 to 24 bytes (most activity types) is held as three 8-byte
  // words that together cover every byte, so it is found by comparing words: no loop whose length
  // depends on the value, which in a file of randomly ordered types mispredicts on most events.
  // Any other value keeps its hash in `a`, and its bytes are compared.
  struct Key {
    std::uint64_t a = 0, b = 0, c = 0;
    std::uint32_t size = 0;
    std::uint64_t hash = 0;
  };
  static bool held_in_words(std::size_t size) { return size >= 8 && size <= 24; }
  static Key key_of(std::string_view value) {
    Key key;
    key.size = static_cast<std::uint32_t>(value.size());  // a column value is far below 4 GB
    if (!held_in_words(value.size())) {
      key.a = key.hash = hash_bytes(value);
      return key;
    }
    const std::size_t n = value.size();
    std::memcpy(&key.a, value.data(), 8);
    std::memcpy(&key.b, value.data() + std::min<std::size_t>(8, n - 8), 8);
    std::memcpy(&key.c, value.data() + n - 8, 8);
    std::uint64_t h = (key.a * 0x87c37b91114253d5ULL) ^ (key.b * 0x9E3779B97F4A7C15ULL) ^
                      ((key.c ^ n) * 0x4cf5ad432745937fULL);
    h ^= h >> 32;
    h *= 0xff51afd7ed558ccdULL;
    key.hash = h ^ (h >> 29);
    return key;
  }
  struct Slot {  // 32 bytes: two to a cache line
    std::uint64_t a = 0, b = 0, c = 0;
    std::uint32_t size = 0;
    std::uint32_t code = kEmpty;
    bool holds(const Key& key) const { return a == key.a && b == key.b && c == key.c && size == key.size; }
  };
  // The slot that holds `value`, or the empty slot where it would go.
  std::uint64_t probe(std::string_view value, const Key& key) const {
    const bool words = held_in_words(value.size());
    for (std::uint64_t h = key.hash & mask_;; h = (h + 1) & mask_) {
      const Slot& s = slots_[h];
      if (s.code == kEmpty || (s.holds(key) && (words || leadscore::same_bytes(values_[s.code], value)))) return h;
    }
  }
  void rehash(std::size_t capacity) {
    std::vector<Slot> old;
    old.swap(slots_);
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (const Slot& s : old) {
      if (s.code == kEmpty) continue;
      std::uint64_t h = key_of(values_[s.code]).hash & mask_;
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

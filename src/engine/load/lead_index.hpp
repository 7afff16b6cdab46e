#pragma once
// Lead id -> ordinal, for the leads file and for the lead id of every activity event.
//
// Most CRM exports number their records: "L00000042", "10442", "CUST-0007". When every lead id is
// one common prefix followed by a decimal number and the numbers are dense (a few possible numbers
// per lead), the number indexes a flat array: no hashing, no key comparison, and 4 bytes per
// possible number instead of a 24-byte hash slot, so much more of it stays in cache. Any other ids
// use the hash index (IdIndex). Both layouts give the same answers.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "common/hash.hpp"
#include "common/huge_buffer.hpp"
#include "engine/load/id_index.hpp"

namespace leadscore::engine {

// What a set of ids looks like, gathered id by id (per part of a file, then merged).
class IdShape {
 public:
  void observe(std::string_view id);
  void merge(const IdShape& other);  // `other` describes ids that come after this one's

  std::uint64_t count() const { return count_; }
  bool numbered() const { return count_ > 0 && numbered_; }  // every id is prefix + 1-18 digits
  const std::string& prefix() const { return prefix_; }
  // The digits of every id have this many characters (so "007" and "7" are different ids), or 0.
  std::size_t fixed_width() const { return width_ > 0 ? static_cast<std::size_t>(width_) : 0; }
  bool any_leading_zero() const { return leading_zero_; }
  std::uint64_t min() const { return min_; }
  std::uint64_t max() const { return max_; }

 private:
  std::uint64_t count_ = 0;
  bool numbered_ = true;
  std::string prefix_;
  int width_ = 0;  // digits per id while all agree, -1 once they differ
  bool leading_zero_ = false;
  std::uint64_t min_ = UINT64_MAX, max_ = 0;
};

// The number written by `digits` (1-18 decimal digits), or false. Eight digits at a time.
inline bool parse_id_digits(std::string_view digits, std::uint64_t& number) {
  if (digits.empty() || digits.size() > 18) return false;
  std::uint64_t n = 0;
  const char* p = digits.data();
  std::size_t left = digits.size();
  for (; left >= 8; left -= 8, p += 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    // Every byte is '0'..'9': its high nibble is 3, and adding 6 leaves it at 3.
    const std::uint64_t high = chunk & 0xF0F0F0F0F0F0F0F0ULL;
    const std::uint64_t carried = (chunk + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL;
    if (high != 0x3030303030303030ULL || carried != 0x3030303030303030ULL) return false;
    chunk -= 0x3030303030303030ULL;  // eight digit values, first digit in the lowest byte
    chunk = (chunk * 10) + (chunk >> 8);  // pairs
    chunk = (((chunk & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32))) +
             (((chunk >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32)))) >> 32;
    n = n * 100000000ULL + chunk;
  }
  for (; left > 0; --left, ++p) {
    if (*p < '0' || *p > '9') return false;
    n = n * 10 + static_cast<std::uint64_t>(*p - '0');
  }
  number = n;
  return true;
}

class LeadIndex {
 public:
  static constexpr std::int32_t kAbsent = IdIndex::kAbsent;
  static constexpr std::uint64_t kNoKey = UINT64_MAX;  // key_of: the id cannot be one of the numbered ids

  // Chooses the layout from the shape of every id that will be inserted. Without a call, or when the
  // ids are not densely numbered, the hash layout is used.
  void prepare(const IdShape& shape);
  bool numbered() const { return numbered_; }

  // A lookup key (the id's number, or its hash): compute it first, prefetch, look up a little later.
  std::uint64_t key_of(std::string_view id) const {
    if (!numbered_) return hash_bytes(id);
    if (id.size() <= prefix_.size() || !same_bytes(id.substr(0, prefix_.size()), prefix_)) return kNoKey;
    const std::string_view digits = id.substr(prefix_.size());
    if (width_ > 0 ? digits.size() != width_ : (digits.size() > 1 && digits[0] == '0')) return kNoKey;
    std::uint64_t number = 0;
    if (!parse_id_digits(digits, number) || number < base_) return kNoKey;
    return number - base_;  // past the array when above the largest number: absent
  }
  void prefetch(std::uint64_t key) const {
    if (!numbered_) return hashed_.prefetch(key);
    if (key < span_) __builtin_prefetch(slots() + key);
  }
  std::int32_t find(std::string_view id, std::uint64_t key) const {
    if (!numbered_) return hashed_.find(id, key);
    return key < span_ ? slots()[key] : kAbsent;
  }
  std::int32_t find(std::string_view id) const { return find(id, key_of(id)); }
  // Numbered layout only: whether some lead has this key. One bit per number, so it stays in cache
  // where the array does not: for events whose lead row is not needed.
  bool has_key(std::uint64_t key) const { return key < span_ && ((present_[key >> 6] >> (key & 63)) & 1) != 0; }

  // Returns the existing ordinal when the id is already present, else adds it with `ordinal`.
  // `id` must stay valid for the index's lifetime. With the numbered layout, `id` must be one of
  // the ids prepare() saw.
  std::int32_t insert(std::string_view id, std::int32_t ordinal, std::uint64_t key);
  std::size_t size() const { return numbered_ ? numbered_count_ : hashed_.size(); }

 private:
  bool numbered_ = false;
  std::string prefix_;
  std::size_t width_ = 0;    // digits per id, or 0 for numbers written without leading zeros
  std::uint64_t base_ = 0;   // the smallest number
  std::uint64_t span_ = 0;   // numbers base_ .. base_ + span_ - 1 have a slot
  HugeBuffer slot_memory_;   // int32 ordinal (or kAbsent) by number - base_
  std::int32_t* slots() const { return reinterpret_cast<std::int32_t*>(slot_memory_.data()); }
  std::vector<std::uint64_t> present_;  // bit by number - base_: a lead has it
  std::size_t numbered_count_ = 0;
  IdIndex hashed_;
};

}  // namespace leadscore::engine

#include "engine/load/lead_index.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "common/hash.hpp"

namespace leadscore::engine {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

void IdShape::observe(std::string_view id) {
  if (count_++ == 0) {
    std::size_t digits = 0;
    while (digits < id.size() && !is_digit(id[digits])) ++digits;
    prefix_.assign(id.substr(0, digits));
  }
  if (!numbered_) return;
  std::uint64_t number = 0;
  if (id.substr(0, prefix_.size()) != prefix_ || !parse_id_digits(id.substr(prefix_.size()), number)) {
    numbered_ = false;
    return;
  }
  const std::string_view digits = id.substr(prefix_.size());
  const int width = static_cast<int>(digits.size());
  if (width_ == 0) width_ = width;
  else if (width_ != width) width_ = -1;
  leading_zero_ = leading_zero_ || (digits.size() > 1 && digits[0] == '0');
  min_ = std::min(min_, number);
  max_ = std::max(max_, number);
}

void IdShape::merge(const IdShape& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    *this = other;
    return;
  }
  count_ += other.count_;
  numbered_ = numbered_ && other.numbered_ && prefix_ == other.prefix_;
  if (!numbered_) return;
  if (width_ != other.width_) width_ = -1;
  leading_zero_ = leading_zero_ || other.leading_zero_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void LeadIndex::prepare(const IdShape& shape) {
  numbered_ = false;
  span_ = 0;
  slot_memory_ = HugeBuffer();
  present_.clear();
  numbered_count_ = 0;
  // Numbers must name ids one to one: either every id has the same number of digits, or none has a
  // leading zero ("7" and "07" would otherwise be one number). The array may take no more memory
  // than the hash index would: it holds up to 12-24 possible numbers per lead, so one part of ids
  // split by hash over N parts (N possible numbers per lead) still gets it for N up to 12.
  const bool one_to_one = shape.fixed_width() > 0 || !shape.any_leading_zero();
  const std::uint64_t span = shape.numbered() ? shape.max() - shape.min() + 1 : 0;
  const std::size_t hash_index_bytes = IdIndex::bytes_for(static_cast<std::size_t>(shape.count()));
  const bool dense = span * sizeof(std::int32_t) <= hash_index_bytes + 4096 && span <= static_cast<std::uint64_t>(INT32_MAX);
  if (!shape.numbered() || !one_to_one || !dense) {
    hashed_.reserve(shape.count());
    return;
  }
  numbered_ = true;
  prefix_ = shape.prefix();
  width_ = shape.fixed_width();
  base_ = shape.min();
  span_ = span;
  slot_memory_ = HugeBuffer(static_cast<std::size_t>(span) * sizeof(std::int32_t));
  std::memset(slot_memory_.data(), 0xFF, slot_memory_.size());  // every byte 0xFF: kAbsent (-1)
  present_.assign(static_cast<std::size_t>((span + 63) / 64), 0);
}

std::int32_t LeadIndex::insert(std::string_view id, std::int32_t ordinal, std::uint64_t key) {
  if (!numbered_) return hashed_.insert(id, ordinal, key);
  if (key >= span_) throw std::logic_error("lead id \"" + std::string(id) + "\" was not prepared for");
  std::int32_t& slot = slots()[key];
  if (slot != kAbsent) return slot;
  slot = ordinal;
  present_[key >> 6] |= std::uint64_t{1} << (key & 63);
  ++numbered_count_;
  return ordinal;
}

}  // namespace leadscore::engine

#include "engine/plan/string_set.hpp"

#include <algorithm>

#include "common/hash.hpp"
#include "common/text.hpp"

namespace leadscore::engine {

StringSet::StringSet(const std::vector<std::string>& entries) {
  for (const auto& e : entries) {
    std::string n = text::normalize(e);
    if (std::find(entries_.begin(), entries_.end(), n) == entries_.end()) entries_.push_back(std::move(n));
  }
  std::size_t capacity = 8;
  while (capacity < entries_.size() * 2) capacity *= 2;
  slots_.assign(capacity, -1);
  mask_ = capacity - 1;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    longest_ = std::max(longest_, entries_[i].size());
    has_empty_ = has_empty_ || entries_[i].empty();
    std::uint64_t h = hash_bytes(entries_[i]) & mask_;
    while (slots_[h] >= 0) h = (h + 1) & mask_;
    slots_[h] = static_cast<std::int32_t>(i);
  }
}

namespace {

// `value` in ASCII lower case, in `buffer` when it fits, else in `heap`.
std::string_view lower_case(std::string_view value, char (&buffer)[256], std::string& heap) {
  char* lowered = buffer;
  if (value.size() > sizeof buffer) {
    heap.resize(value.size());
    lowered = heap.data();
  }
  for (std::size_t i = 0; i < value.size(); ++i) lowered[i] = text::ascii_lower(value[i]);
  return {lowered, value.size()};
}

}  // namespace

bool StringSet::contains(std::string_view value) const {
  if (value.size() > longest_) return false;
  char buffer[256];
  std::string heap;
  std::string_view key = lower_case(value, buffer, heap);
  std::uint64_t h = hash_bytes(key) & mask_;
  while (slots_[h] >= 0) {
    if (entries_[static_cast<std::size_t>(slots_[h])] == key) return true;
    h = (h + 1) & mask_;
  }
  return false;
}

bool StringSet::any_within(std::string_view value) const { return has_empty_ || !first_within(value).empty(); }

std::string_view StringSet::first_within(std::string_view value) const {
  // Lower-cased once, then each entry is an exact substring search (memchr-driven).
  char buffer[256];
  std::string heap;
  const std::string_view lowered = lower_case(value, buffer, heap);
  for (const auto& e : entries_)
    if (!e.empty() && lowered.find(e) != std::string_view::npos) return e;
  return {};
}

}  // namespace leadscore::engine

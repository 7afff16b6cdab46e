#include "engine/plan/string_set.hpp"

#include <algorithm>

#include "common/hash.hpp"
#include "common/text.hpp"

namespace leadscore::engine {

StringSet::StringSet(const std::vector<std::string>& entries) {
  // Duplicates are found through the hash table being built: linear in the number of entries.
  std::size_t capacity = 8;
  while (capacity < entries.size() * 2) capacity *= 2;
  slots_.assign(capacity, -1);
  mask_ = capacity - 1;
  entries_.reserve(entries.size());
  for (const auto& e : entries) {
    std::string n = text::normalize(e);
    std::uint64_t h = hash_bytes(n) & mask_;
    bool seen = false;
    while (!seen && slots_[h] >= 0) {
      seen = entries_[static_cast<std::size_t>(slots_[h])] == n;
      h = (h + 1) & mask_;
    }
    if (seen) continue;
    slots_[h] = static_cast<std::int32_t>(entries_.size());
    longest_ = std::max(longest_, n.size());
    has_empty_ = has_empty_ || n.empty();
    entries_.push_back(std::move(n));
  }
  starts_.assign(65536 / 64, 0);
  auto set_pair = [this](unsigned first, unsigned second) {
    const unsigned pair = first << 8 | second;
    starts_[pair >> 6] |= std::uint64_t{1} << (pair & 63);
  };
  for (const auto& e : entries_) {
    if (e.empty()) continue;
    const auto first = static_cast<unsigned char>(e[0]);
    if (e.size() >= 2) {
      set_pair(first, static_cast<unsigned char>(e[1]));
    } else {
      for (unsigned second = 0; second < 256; ++second) set_pair(first, second);
    }
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
  const std::string_view key = lower_case(value, buffer, heap);
  std::uint64_t h = hash_bytes(key) & mask_;
  while (slots_[h] >= 0) {
    if (same_bytes(entries_[static_cast<std::size_t>(slots_[h])], key)) return true;
    h = (h + 1) & mask_;
  }
  return false;
}

bool StringSet::any_within(std::string_view value) const {
  if (has_empty_) return true;
  if (entries_.empty()) return false;
  char buffer[256];
  std::string heap;
  const std::string_view lowered = lower_case(value, buffer, heap);
  const std::size_t n = lowered.size();
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned second = i + 1 < n ? static_cast<unsigned char>(lowered[i + 1]) : 0u;
    const unsigned pair = static_cast<unsigned>(static_cast<unsigned char>(lowered[i])) << 8 | second;
    if (((starts_[pair >> 6] >> (pair & 63)) & 1) == 0) continue;
    const std::string_view rest = lowered.substr(i);
    for (const auto& e : entries_)
      if (!e.empty() && rest.starts_with(e)) return true;
  }
  return false;
}

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

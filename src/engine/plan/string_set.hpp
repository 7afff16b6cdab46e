#pragma once
// A list turned into a hashed set of normalised entries (trimmed, ASCII lower-case).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leadscore::engine {

class StringSet {
 public:
  StringSet() = default;
  explicit StringSet(const std::vector<std::string>& entries);
  // `value` is trimmed but may have any case.
  bool contains(std::string_view value) const;
  // True when some entry is a substring of `value` (trimmed, any case).
  bool any_within(std::string_view value) const;
  const std::vector<std::string>& entries() const { return entries_; }
  // The first entry found within `value`, for explanations; empty when none.
  std::string_view first_within(std::string_view value) const;

 private:
  std::vector<std::string> entries_;   // normalised, duplicates removed, in written order
  std::vector<std::int32_t> slots_;    // open addressing: index into entries_, -1 = empty
  std::uint64_t mask_ = 0;
  std::size_t longest_ = 0;
  bool has_empty_ = false;  // an empty entry is within every value
  // any_within's filter over the pairs of bytes where an entry can start: bit (a << 8 | b) is set when
  // an entry starts with byte a then byte b, or is the one byte a (then for every b, 0 included,
  // the pair at a value's last byte). A value is scanned once; only its positions whose pair is set
  // are compared with the entries.
  std::vector<std::uint64_t> starts_;
};

}  // namespace leadscore::engine

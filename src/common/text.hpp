#pragma once
// Text comparison the way the language defines it: ASCII case and surrounding white space ignored.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace leadscore::text {

inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
inline char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
inline char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

inline std::string normalize(std::string_view s) {
  s = trim(s);
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

// `a` is already trimmed; `lowered` is trimmed and lower-case.
inline bool equals_folded(std::string_view a, std::string_view lowered) {
  if (a.size() != lowered.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != lowered[i]) return false;
  return true;
}

inline bool starts_with_folded(std::string_view a, std::string_view lowered) {
  return a.size() >= lowered.size() && equals_folded(a.substr(0, lowered.size()), lowered);
}

inline bool ends_with_folded(std::string_view a, std::string_view lowered) {
  return a.size() >= lowered.size() && equals_folded(a.substr(a.size() - lowered.size()), lowered);
}

inline bool contains_folded(std::string_view a, std::string_view lowered) {
  if (lowered.empty()) return true;
  if (a.size() < lowered.size()) return false;
  const char first = lowered[0];
  const char first_upper = ascii_upper(first);
  for (std::size_t i = 0; i + lowered.size() <= a.size(); ++i) {
    if ((a[i] == first || a[i] == first_upper) && equals_folded(a.substr(i, lowered.size()), lowered)) return true;
  }
  return false;
}

// Number of UTF-8 code points.
inline std::size_t utf8_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace leadscore::text

#pragma once
// Small, fast, non-cryptographic hashes: content fingerprints and hash-table keys.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace leadscore {

inline std::uint64_t fnv1a(std::string_view data) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string fnv1a_hex(std::string_view data);

// Equality for short keys, 8 bytes at a time, inline (a memcmp call costs more than the compare).
inline bool same_bytes(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  std::size_t n = a.size();
  for (; n >= 8; n -= 8, p += 8, q += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, p, 8);
    std::memcpy(&y, q, 8);
    if (x != y) return false;
  }
  for (; n > 0; --n, ++p, ++q)
    if (*p != *q) return false;
  return true;
}

// A fast 64-bit hash for short keys (ids, list entries): 8 bytes at a time, then a final mix.
inline std::uint64_t hash_bytes(std::string_view s) {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ (s.size() * 0xff51afd7ed558ccdULL);
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ (w * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  // The last 1-7 bytes without a variable-length copy: an overlapping 8-byte load when the key is
  // that long, else two overlapping 4-byte loads, else the first, middle and last byte.
  std::uint64_t tail = 0;
  if (n > 0) {
    if (s.size() >= 8) {
      std::memcpy(&tail, s.data() + s.size() - 8, 8);
    } else if (n >= 4) {
      std::uint32_t low, high;
      std::memcpy(&low, p, 4);
      std::memcpy(&high, p + n - 4, 4);
      tail = (std::uint64_t{high} << 32) | low;
    } else {
      tail = std::uint64_t{static_cast<unsigned char>(p[0])} | std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
             std::uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
    }
  }
  h = (h ^ (tail * 0x87c37b91114253d5ULL)) * 0x4cf5ad432745937fULL;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

}  // namespace leadscore

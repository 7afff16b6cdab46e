#pragma once
// Text cells from CSV input are UTF-8 by contract. A cell that is not (a Latin-1 export, a cut
// multi-byte character) or that holds a NUL byte would carry those bytes into CSV, JSON lines and
// terminals, where they break parsers or cut strings short. The reading rule: each invalid sequence
// (per the Unicode "maximal subpart" practice) and each NUL byte is replaced by U+FFFD, the
// replacement character, when the cell is read; the run counts such cells per column.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace leadscore {

// Length of the valid UTF-8 sequence at text[i] (1 to 4), or 0 when the bytes there are not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i);

// True when `text` is valid UTF-8 without NUL bytes. It runs on every text cell: plain ASCII is
// recognised 8 bytes at a time (a byte >= 0x80 sets its high bit; a zero byte sets it in
// (w - 0x01..01) & ~w), anything else is then checked sequence by sequence.
inline bool clean_utf8(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  const char* p = text.data();
  std::size_t n = text.size();
  std::uint64_t suspect = 0;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    suspect |= (w | ((w - kOnes) & ~w)) & kHighs;
  }
  for (; n > 0; --n, ++p) suspect |= static_cast<unsigned char>(*p) - 1u >= 0x7Fu;  // outside 0x01..0x7F
  if (suspect == 0) return true;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = text[i] == '\0' ? 0 : utf8_sequence_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// `text` with every invalid sequence and NUL byte replaced by U+FFFD.
std::string repair_utf8(std::string_view text);

}  // namespace leadscore

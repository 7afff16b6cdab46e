#include <doctest/doctest.h>

#include <string>

#include "common/hash.hpp"

using leadscore::same_bytes;

TEST_CASE("same_bytes: equal to == for every length 0-40 and a difference at every position") {
  // The compare reads overlapping words: a difference in any byte, at any length, must be seen.
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string a(length, 'a');
    for (std::size_t i = 0; i < length; ++i) a[i] = static_cast<char>('a' + (i * 7) % 26);
    const std::string copy = a;  // another buffer with the same bytes
    CHECK(same_bytes(a, copy));
    for (std::size_t at = 0; at < length; ++at) {
      for (char c : {'\0', 'Z', '\xff'}) {
        std::string b = a;
        b[at] = c;
        CAPTURE(length);
        CAPTURE(at);
        CHECK(same_bytes(a, b) == (a == b));
      }
    }
    CHECK_FALSE(same_bytes(a, a + "x"));
    if (length > 0) CHECK_FALSE(same_bytes(a, a.substr(1)));
  }
}

#include <doctest/doctest.h>

#include <cstddef>
#include <cstring>
#include <initializer_list>

#include "common/huge_buffer.hpp"

using leadscore::HugeBuffer;

namespace {

bool all_zero(const std::byte* from, std::size_t bytes) {
  for (std::size_t i = 0; i < bytes; ++i)
    if (from[i] != std::byte{0}) return false;
  return true;
}

}  // namespace

TEST_CASE("HugeBuffer::populate keeps what is written and leaves the rest zero") {
  for (std::size_t size : {std::size_t{100}, std::size_t{5} << 20}) {  // small, and large enough for huge pages
    CAPTURE(size);
    HugeBuffer buffer(size);
    REQUIRE(buffer.size() == size);
    REQUIRE(all_zero(buffer.data(), size));
    // Written before populate, in the range and around it.
    buffer.data()[0] = std::byte{7};
    buffer.data()[size / 2] = std::byte{9};
    buffer.data()[size - 1] = std::byte{11};
    buffer.populate(1, size / 2 + 10);  // an unaligned range across written bytes
    buffer.populate(size - 3, 1000);    // past the end: clamped
    buffer.populate(size, 10);          // at the end: nothing to do
    buffer.populate(size + 4096, 10);   // beyond it: nothing to do
    CHECK(buffer.data()[0] == std::byte{7});
    CHECK(buffer.data()[size / 2] == std::byte{9});
    CHECK(buffer.data()[size - 1] == std::byte{11});
    CHECK(all_zero(buffer.data() + 1, size / 2 - 1));
    CHECK(all_zero(buffer.data() + size / 2 + 1, size - size / 2 - 2));
    // Populated memory is writable.
    std::memset(buffer.data() + 1, 0x5a, size / 2 - 1);
    CHECK(buffer.data()[size / 2 - 1] == std::byte{0x5a});
    CHECK(buffer.data()[size / 2] == std::byte{9});
  }
  HugeBuffer empty;
  empty.populate(0, 100);  // no memory at all: nothing to do
  CHECK(empty.data() == nullptr);
}

#include <doctest/doctest.h>

#include "common/part_hash.hpp"

using namespace leadscore;

// The published definition (docs/scale-out.md): warehouse exports reproduce these numbers.
TEST_CASE("part_of_id: FNV-1a 64 of the id's bytes, modulo the parts") {
  CHECK(fnv1a("") == 0xcbf29ce484222325ULL);
  CHECK(fnv1a("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(fnv1a("foobar") == 0x85944171f73967e8ULL);
  CHECK(part_of_id("foobar", 7) == 0x85944171f73967e8ULL % 7);
  CHECK(part_of_id("L1", 1) == 0);
  CHECK(part_of_id("Zoë", 1000) == fnv1a("Zo\xc3\xab") % 1000);
}

// How summaries name a value that did not parse: the zone hint is for timestamps that only lack a zone
// and whose field (or option) declares none.
#include <doctest/doctest.h>

#include "jobs/unreadable_values.hpp"

using namespace leadscore;
using namespace leadscore::jobs;

TEST_CASE("unreadable values: the zone hint only where no zone is declared") {
  const std::optional<std::int32_t> none, plus2 = 2 * 3600;
  CHECK(lacks_zone("2026-01-01 10:00:00", none));
  CHECK_FALSE(lacks_zone("2026-01-01T10:00:00Z", none));  // reads as it is
  CHECK_FALSE(lacks_zone("yesterday", none));             // no zone would help
  // With a zone declared, what does not read is out of the years 0000-9999 in that zone: declaring a
  // zone again would not help.
  CHECK_FALSE(lacks_zone("0000-01-01", plus2));
  CHECK_FALSE(lacks_zone("0000-01-01 00:00:00", plus2));

  CHECK(unreadable_example(ast::FieldType::Timestamp, 3, "2026-01-01 10:00:00", none) ==
        " (first on line 3: \"2026-01-01 10:00:00\": a timestamp without a zone; say which zone it is in with "
        "`zone \"UTC\"` on the field)");
  CHECK(unreadable_example(ast::FieldType::Timestamp, 3, "0000-01-01", plus2) == " (first on line 3: \"0000-01-01\")");
  CHECK(unreadable_example(ast::FieldType::Timestamp, 0, "0000-01-01 00:00:00", plus2, "--closed-at-zone UTC") ==
        " (e.g. \"0000-01-01 00:00:00\")");
}

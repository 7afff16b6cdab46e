#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "engine/plan/string_set.hpp"

using leadscore::engine::StringSet;

TEST_CASE("string set: duplicates removed after normalising, first occurrence kept in written order") {
  StringSet set({"Gmail.com", " yahoo.com", "gmail.com ", "GMAIL.COM", "outlook.com", "yahoo.com"});
  CHECK(set.entries() == std::vector<std::string>{"gmail.com", "yahoo.com", "outlook.com"});
  CHECK(set.contains("GMail.com"));
  CHECK(set.contains("outlook.com"));
  CHECK_FALSE(set.contains("aol.com"));
  CHECK(set.first_within("mail.yahoo.com.au") == "yahoo.com");
}

TEST_CASE("string set: a 200k-entry list with duplicates builds in linear time") {
  // Issue 11: de-duplication compared each entry with every kept one (100k lines: 8.85 s to score,
  // 1M never finished). The bound is loose: it guards against the quadratic, not a speed.
  std::vector<std::string> entries;
  for (int i = 0; i < 200000; ++i) entries.push_back("domain-" + std::to_string(i % 150000) + ".example");
  const auto started = std::chrono::steady_clock::now();
  StringSet set(entries);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  CHECK(set.entries().size() == 150000);
  CHECK(set.entries()[149999] == "domain-149999.example");
  CHECK(set.contains("DOMAIN-123456.example"));
  CHECK_MESSAGE(seconds < 20, "building took " << seconds << " s");
}

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
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

TEST_CASE("string set: first_within finds the first entry in written order, as a search per entry would") {
  // Values and entries over a 3-letter alphabet (in both cases), so entries overlap, repeat and
  // nest: one-byte entries, prefixes of one another, an entry as long as the value.
  std::uint64_t state = 7;
  auto next = [&] {  // splitmix64
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  auto word = [&](std::size_t max_length) {
    std::string w(next() % (max_length + 1), ' ');
    for (char& c : w) c = "abcABC"[next() % 6];
    return w;
  };
  int found = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> entries;
    const std::size_t count = 1 + next() % 8;
    for (std::size_t i = 0; i < count; ++i) entries.push_back(word(4));
    StringSet set(entries);
    for (int v = 0; v < 20; ++v) {
      const std::string value = word(12);
      std::string lowered = value;
      for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string_view expected;
      for (const auto& e : set.entries())
        if (!e.empty() && lowered.find(e) != std::string::npos) {
          expected = e;
          break;
        }
      CAPTURE(value);
      CHECK(set.first_within(value) == expected);
      CHECK(set.any_within(value) == (!expected.empty() || std::find(entries.begin(), entries.end(), "") != entries.end()));
      found += !expected.empty();
    }
  }
  CHECK(found > 1000);  // the alphabet is small enough that most values hold some entry
  StringSet words({"VP", "vice president", "director", "head of", "chief", "founder", "owner", "president", "x"});
  CHECK(words.first_within("Senior Vice President, Sales") == "vice president");  // no "vp" in it
  CHECK(words.first_within("Chief Executive and Owner") == "chief");
  CHECK(words.first_within("Co-founder & President") == "founder");
  CHECK(words.first_within("Tax advisor") == "x");
  CHECK(words.first_within("Analyst").empty());
  CHECK(StringSet({"", "b"}).first_within("abc") == "b");
  CHECK(words.any_within("Tax advisor"));
  CHECK(words.any_within("Relax"));  // a one-byte entry at the last byte
  CHECK(words.any_within("HEAD OF SALES"));
  CHECK_FALSE(words.any_within("Head  of Sales"));
  CHECK_FALSE(words.any_within(""));
  CHECK(StringSet({"", "b"}).any_within(""));
  CHECK_FALSE(StringSet(std::vector<std::string>{}).any_within("abc"));
  // Bytes outside ASCII are compared as they are, only ASCII letters are folded.
  StringSet accents({"gérant", "\xff"});
  CHECK(accents.any_within("Gérant associé"));
  CHECK_FALSE(accents.any_within("GÉRANT"));
  CHECK(accents.any_within("a\xff"));
}

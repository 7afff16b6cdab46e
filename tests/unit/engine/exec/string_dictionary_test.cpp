#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/exec/string_dictionary.hpp"

using leadscore::engine::StringDictionary;

TEST_CASE("string dictionary: codes in order of first appearance, find adds nothing") {
  StringDictionary d;
  CHECK(d.find("page_view") == StringDictionary::kAbsent);
  CHECK(d.code_of("page_view") == 0);
  CHECK(d.code_of("demo_request") == 1);
  CHECK(d.code_of("") == 2);
  CHECK(d.code_of("page_view") == 0);
  CHECK(d.find("demo_request") == 1);
  CHECK(d.find("demo_requesT") == StringDictionary::kAbsent);
  CHECK(d.find("page_vie") == StringDictionary::kAbsent);
  CHECK(d.size() == 3);
  CHECK(d.value(1) == "demo_request");
  d.clear();
  CHECK(d.size() == 0);
  CHECK(d.find("page_view") == StringDictionary::kAbsent);
  CHECK(d.code_of("x") == 0);
}

TEST_CASE("string dictionary: many values that differ in one byte, at every length from 0 to 40") {
  // Values of 8-16 bytes are hashed from their first and last 8 bytes: a value differing only in a
  // middle byte, or only in length, must still get its own code; the table grows many times over.
  std::mt19937_64 random(17);
  std::vector<std::string> values;
  for (std::size_t length = 0; length <= 40; ++length) {
    std::string base(length, 'a');
    for (std::size_t i = 0; i < length; ++i) base[i] = static_cast<char>('a' + random() % 3);
    values.push_back(base);
    for (std::size_t at = 0; at < length; ++at) {
      for (char c : {'x', 'y', '\0', '\xff'}) {
        std::string v = base;
        v[at] = c;
        values.push_back(v);
      }
    }
  }
  for (int i = 0; i < 20000; ++i) values.push_back("/resources/page-" + std::to_string(random() % 5000));
  StringDictionary d;
  std::unordered_map<std::string, std::uint32_t> expected;
  for (const std::string& v : values) {
    auto [it, added] = expected.try_emplace(v, static_cast<std::uint32_t>(expected.size()));
    CHECK(d.find(v) == (added ? StringDictionary::kAbsent : it->second));
    REQUIRE(d.code_of(v) == it->second);
  }
  CHECK(d.size() == expected.size());
  for (const auto& [v, code] : expected) {
    CHECK(d.find(v) == code);
    CHECK(d.value(code) == v);
  }
}

// Lead id lookups: the numbered layout (prefix + number -> flat array) must answer exactly like the
// hash layout, including for ids that only look like lead ids.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/load/lead_index.hpp"

using leadscore::engine::IdShape;
using leadscore::engine::LeadIndex;

namespace {

LeadIndex index_of(const std::vector<std::string>& ids) {
  IdShape shape;
  for (const auto& id : ids) shape.observe(id);
  LeadIndex index;
  index.prepare(shape);
  for (std::size_t i = 0; i < ids.size(); ++i)
    index.insert(ids[i], static_cast<std::int32_t>(i), index.key_of(ids[i]));
  return index;
}

}  // namespace

TEST_CASE("fixed-width numbered ids index a flat array, and other spellings of the number are other ids") {
  static const std::vector<std::string> ids{"L003", "L001", "L010"};
  LeadIndex index = index_of(ids);
  CHECK(index.numbered());
  CHECK(index.size() == 3);
  CHECK(index.find("L003") == 0);
  CHECK(index.find("L001") == 1);
  CHECK(index.find("L010") == 2);
  for (const char* other : {"L002", "L011", "L000", "L10", "L0010", "X010", "l010", "L01a", "L", "", "010"})
    CHECK_MESSAGE(index.find(other) == LeadIndex::kAbsent, other);
}

TEST_CASE("numbers of varying width are one to one only without leading zeros") {
  static const std::vector<std::string> plain{"7", "12", "100"};
  LeadIndex index = index_of(plain);
  CHECK(index.numbered());
  CHECK(index.find("12") == 1);
  CHECK(index.find("012") == LeadIndex::kAbsent);
  CHECK(index.find("8") == LeadIndex::kAbsent);

  static const std::vector<std::string> padded{"7", "012"};
  LeadIndex hashed = index_of(padded);
  CHECK_FALSE(hashed.numbered());
  CHECK(hashed.find("012") == 1);
  CHECK(hashed.find("12") == LeadIndex::kAbsent);
}

TEST_CASE("sparse numbers, mixed prefixes and non-numbers use the hash layout with the same answers") {
  const std::vector<std::vector<std::string>> cases{
      {"1", "1000000000"}, {"A1", "B2"}, {"L1", "L2x"}, {"abc", "abd"}, {"1234567890123456789", "1"}};
  for (const auto& ids : cases) {
    LeadIndex index = index_of(ids);
    CHECK_FALSE(index.numbered());
    for (std::size_t i = 0; i < ids.size(); ++i) CHECK(index.find(ids[i]) == static_cast<std::int32_t>(i));
    CHECK(index.find("2") == LeadIndex::kAbsent);
  }
}

TEST_CASE("a repeated id keeps its first ordinal in both layouts") {
  for (bool numbered : {true, false}) {
    static const std::vector<std::string> dense{"L1", "L2", "L1"}, sparse{"L1", "L2000000", "L1"};
    const auto& ids = numbered ? dense : sparse;
    IdShape shape;
    for (const auto& id : ids) shape.observe(id);
    LeadIndex index;
    index.prepare(shape);
    CHECK(index.numbered() == numbered);
    CHECK(index.insert(ids[0], 0, index.key_of(ids[0])) == 0);
    CHECK(index.insert(ids[1], 1, index.key_of(ids[1])) == 1);
    CHECK(index.insert(ids[2], 2, index.key_of(ids[2])) == 0);
    CHECK(index.size() == 2);
  }
}

TEST_CASE("shapes of file parts merge into the shape of the whole file") {
  IdShape first, second, whole;
  for (const char* id : {"CUST-0007", "CUST-0002"}) {
    first.observe(id);
    whole.observe(id);
  }
  for (const char* id : {"CUST-0100", "CUST-0001"}) {
    second.observe(id);
    whole.observe(id);
  }
  first.merge(second);
  CHECK(first.count() == whole.count());
  CHECK(first.numbered());
  CHECK(first.prefix() == "CUST-");
  CHECK(first.fixed_width() == 4);
  CHECK(first.min() == 1);
  CHECK(first.max() == 100);

  IdShape wider;
  wider.observe("CUST-12345");
  first.merge(wider);
  CHECK(first.numbered());
  CHECK(first.fixed_width() == 0);
  CHECK(first.any_leading_zero());

  IdShape other_prefix;
  other_prefix.observe("LEAD-1");
  first.merge(other_prefix);
  CHECK_FALSE(first.numbered());
}

TEST_CASE("id digits are read eight at a time exactly like one at a time") {
  using leadscore::engine::parse_id_digits;
  std::uint64_t n = 0;
  CHECK(parse_id_digits("00000042", n));
  CHECK(n == 42);
  CHECK(parse_id_digits("12345678", n));
  CHECK(n == 12345678);
  CHECK(parse_id_digits("1234567890123456", n));
  CHECK(n == 1234567890123456ULL);
  CHECK(parse_id_digits("999999999999999999", n));
  CHECK(n == 999999999999999999ULL);
  CHECK(parse_id_digits("0", n));
  CHECK(n == 0);
  for (const char* bad : {"", "1234567890123456789", "0000a042", "0000:042", "0000/042", "1234567 ", "12345678x",
                          "+1234567", "1234567\xff"})
    CHECK_FALSE_MESSAGE(parse_id_digits(bad, n), bad);

  static const std::vector<std::string> ids{"L00000001", "L00000002", "L99999999"};
  IdShape shape;
  for (const auto& id : ids) shape.observe(id);
  CHECK_FALSE(LeadIndex{}.numbered());
  LeadIndex sparse;
  sparse.prepare(shape);
  CHECK_FALSE(sparse.numbered());  // 99,999,999 possible numbers for 3 leads: hashed
  LeadIndex dense = index_of({"L00000001", "L00000002", "L00000009"});
  CHECK(dense.numbered());
  CHECK(dense.find("L00000009") == 2);
  CHECK(dense.find("L0000000:") == LeadIndex::kAbsent);
}

TEST_CASE("one part of ids split over several parts keeps the array while it is no bigger than the hash index") {
  auto every_nth = [](int n) {
    std::vector<std::string> ids;
    for (int number = 1; number <= 80000; number += n) {
      const std::string digits = std::to_string(number);
      ids.push_back("L" + std::string(8 - digits.size(), '0') + digits);
    }
    return ids;
  };
  const auto eighth = every_nth(8);  // one of 8 parts: 8 possible numbers per lead, 32 bytes against 48 or more
  LeadIndex part = index_of(eighth);
  CHECK(part.numbered());
  for (std::size_t i = 0; i < eighth.size(); i += 997) CHECK(part.find(eighth[i]) == static_cast<std::int32_t>(i));
  CHECK(part.find("L00000002") == LeadIndex::kAbsent);  // between two ids of the part
  const auto thirtieth = every_nth(30);  // 120 bytes per lead as an array: more than the hash index
  LeadIndex sparse = index_of(thirtieth);
  CHECK_FALSE(sparse.numbered());
  CHECK(sparse.find(thirtieth[5]) == 5);
}

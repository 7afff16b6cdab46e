// Bins of a numeric column and groups of text values for rule discovery.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "calibrate/binning.hpp"

using namespace leadscore::calibrate;

TEST_CASE("chi_square of a 2x2 table") {
  CHECK(chi_square(100, 10, 100, 10) == doctest::Approx(0.0));
  // won 30/100 vs 10/100: expected 20 won and 80 lost each side.
  CHECK(chi_square(100, 30, 100, 10) == doctest::Approx(12.5));
  CHECK(chi_square(0, 0, 100, 10) == 0.0);
  CHECK(chi_square(50, 0, 50, 0) == 0.0);
}

TEST_CASE("numeric_bins finds the one cut where the close rate jumps") {
  // Ages 20..79, ten leads each; 1 in 10 won below 50, 6 in 10 from 50 on.
  std::vector<double> ages;
  std::vector<std::uint8_t> won;
  for (int age = 20; age < 80; ++age)
    for (int k = 0; k < 10; ++k) {
      ages.push_back(age);
      won.push_back(age < 50 ? k < 1 : k < 6);
    }
  auto bins = numeric_bins(ages, won);
  REQUIRE(bins.size() == 2);
  CHECK(std::isinf(bins[0].low));
  CHECK(bins[0].high == 50);
  CHECK(bins[1].low == 50);
  CHECK(std::isinf(bins[1].high));
  CHECK(bins[0].count == 300);
  CHECK(bins[0].won == 30);
  CHECK(bins[1].count == 300);
  CHECK(bins[1].won == 180);
}

TEST_CASE("numeric_bins keeps three levels, merges bins below the minimum support, caps the count") {
  std::vector<double> v;
  std::vector<std::uint8_t> y;
  for (int i = 0; i < 1000; ++i) {
    v.push_back(i);
    const int level = i < 400 ? 1 : i < 700 ? 5 : 9;  // won per 10
    y.push_back(i % 10 < level);
  }
  auto bins = numeric_bins(v, y);
  REQUIRE(bins.size() == 3);
  CHECK(bins[0].high == 400);
  CHECK(bins[1].low == 400);
  CHECK(bins[1].high == 700);
  CHECK(bins[2].count == 300);
  CHECK(bins[2].won == 270);
  BinningOptions one;
  one.max_bins = 1;
  CHECK(numeric_bins(v, y, one).size() == 1);
  BinningOptions huge;
  huge.min_support = 2000;  // no bin can have it: everything merges
  CHECK(numeric_bins(v, y, huge).size() == 1);
}

TEST_CASE("numeric_bins: a flat close rate is one bin, bad input throws") {
  std::vector<double> v;
  std::vector<std::uint8_t> y;
  for (int i = 0; i < 1000; ++i) {
    v.push_back(i % 97);
    y.push_back(i % 5 == 0);
  }
  CHECK(numeric_bins(v, y).size() == 1);
  CHECK(numeric_bins({}, {}).size() == 1);
  std::vector<double> bad{1.0, NAN};
  std::vector<std::uint8_t> two{0, 1};
  CHECK_THROWS_AS(numeric_bins(bad, two), std::invalid_argument);
  CHECK_THROWS_AS(numeric_bins(std::vector<double>{1.0}, two), std::invalid_argument);
}

TEST_CASE("category_groups groups values by close rate and pools the rare ones") {
  std::vector<std::string> keys;
  std::vector<std::uint8_t> y;
  auto add = [&](const std::string& k, int count, int won) {
    for (int i = 0; i < count; ++i) {
      keys.push_back(k);
      y.push_back(i < won);
    }
  };
  add("free", 200, 10);
  add("basic", 100, 6);
  add("pro", 150, 60);
  add("enterprise", 100, 42);
  add("legacy", 5, 5);
  auto groups = category_groups(keys, y);
  REQUIRE(groups.size() == 3);
  CHECK(groups[0].values == std::vector<std::string>{"free", "basic"});
  CHECK(groups[0].count == 300);
  CHECK(groups[0].won == 16);
  CHECK(groups[1].values == std::vector<std::string>{"pro", "enterprise"});
  CHECK(groups[1].won == 102);
  CHECK_FALSE(groups[1].rare);
  CHECK(groups[2].rare);
  CHECK(groups[2].values == std::vector<std::string>{"legacy"});
  CHECK(groups[2].count == 5);
}

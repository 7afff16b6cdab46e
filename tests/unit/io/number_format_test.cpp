#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "io/number_format.hpp"

using leadscore::io::append_number;
using leadscore::io::format_number;

TEST_CASE("number format: the contract's table") {
  CHECK(format_number(0) == "0");
  CHECK(format_number(-0.0) == "0");
  CHECK(format_number(15) == "15");
  CHECK(format_number(-15) == "-15");
  CHECK(format_number(12.5) == "12.5");
  CHECK(format_number(-3.333) == "-3.33");
  CHECK(format_number(2.675) == "2.68");
  CHECK(format_number(-2.675) == "-2.68");
  CHECK(format_number(1.005) == "1.01");
  CHECK(format_number(73.62132) == "73.62");
  CHECK(format_number(157.62132) == "157.62");
  CHECK(format_number(0.005) == "0.01");
  CHECK(format_number(-0.005) == "-0.01");
  CHECK(format_number(0.004) == "0");
  CHECK(format_number(-0.004) == "0");
  CHECK(format_number(-0.001) == "0");
  CHECK(format_number(1e21) == "1000000000000000000000");
  CHECK(format_number(-1e21) == "-1000000000000000000000");
  CHECK(format_number(123456789.125) == "123456789.13");
  CHECK(format_number(0.1 + 0.2) == "0.3");
  CHECK(format_number(1507.5) == "1507.5");
  CHECK(format_number(0.5) == "0.5");
}

TEST_CASE("number format: carries, tiny and huge values") {
  CHECK(format_number(9.995) == "10");
  CHECK(format_number(99.995) == "100");
  CHECK(format_number(-99.995) == "-100");
  CHECK(format_number(0.995) == "1");
  CHECK(format_number(0.095) == "0.1");
  CHECK(format_number(0.125) == "0.13");
  CHECK(format_number(0.05) == "0.05");
  CHECK(format_number(1e-7) == "0");
  CHECK(format_number(5e-324) == "0");
  CHECK(format_number(1e15) == "1000000000000000");
  CHECK(format_number(9007199254740993.0) == "9007199254740992");
  CHECK(format_number(1.2345678901234568e23) == "123456789012345690000000");
  CHECK(format_number(1e100) == "1" + std::string(100, '0'));
  CHECK(format_number(std::numeric_limits<double>::max()) == "17976931348623157" + std::string(292, '0'));
  CHECK(format_number(1e16 + 2) == "10000000000000002");
}

TEST_CASE("number format: non-finite values write nothing, append keeps what is there") {
  CHECK(format_number(std::nan("")) == "");
  CHECK(format_number(HUGE_VAL) == "");
  CHECK(format_number(-HUGE_VAL) == "");
  std::string out = "L1,";
  append_number(out, 12.5);
  out += ',';
  append_number(out, -0.0);
  CHECK(out == "L1,12.5,0");
}

TEST_CASE("number format: in JSON a non-finite value is null, never nan or inf") {
  std::string out;
  for (double v : {12.5, std::nan(""), HUGE_VAL, -HUGE_VAL, -0.0}) {
    leadscore::io::append_json_number(out, v);
    out += ',';
  }
  CHECK(out == "12.5,null,null,null,0,");
}

TEST_CASE("number format: a signed number is + unless its text is negative, so 0 is always +0") {
  std::string out = "x";
  for (double v : {5.0, -5.0, 0.0, -0.0, -1e-108, 0.004, -0.004, -0.005, 0.005}) {
    out += ' ';
    leadscore::io::append_signed_number(out, v);
  }
  CHECK(out == "x +5 -5 +0 +0 +0 +0 +0 -0.01 +0.01");
}

#include "io/number_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace leadscore::io {
namespace {

constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53

void append_integer(std::string& out, std::int64_t value) {
  char text[24];
  const auto result = std::to_chars(text, text + sizeof text, value);
  out.append(text, result.ptr);
}

}  // namespace

bool written_as_integer(double value) { return std::fabs(value) < kExactIntegerLimit && value == std::trunc(value); }

void append_number(std::string& out, double value) {
  if (!std::isfinite(value)) return;
  if (written_as_integer(value)) {
    append_integer(out, static_cast<std::int64_t>(value));  // -0.0 becomes 0
    return;
  }

  char shortest[32];
  const auto written = std::to_chars(shortest, shortest + sizeof shortest, value);
  const char* p = shortest;
  const char* const end = written.ptr;
  const bool negative = *p == '-';
  if (negative) ++p;

  // Split "d.ddde+XX" / "ddd.ddd" into its significant digits and the position of the decimal point
  // (point = how many of the digits are before it; may be negative or beyond the digits).
  char digits[24];
  int digit_count = 0;
  int point = -1;
  for (; p < end && *p != 'e'; ++p) {
    if (*p == '.') {
      point = digit_count;
    } else {
      digits[digit_count++] = *p;
    }
  }
  if (point < 0) point = digit_count;
  if (p < end) {  // exponent
    int exponent = 0;
    std::from_chars(p + 1 + (p[1] == '+' ? 1 : 0), end, exponent);
    point += exponent;
  }

  // The digit at index j of digits[] weighs 10^(point-1-j); keep the integer part and 2 decimals.
  auto digit_at = [&](int j) { return j >= 0 && j < digit_count ? digits[j] : '0'; };
  // Room for the integer part (up to 309 digits for the largest doubles), a carry, and 2 decimals.
  char kept[330];
  int kept_count = 0;
  int integer_digits = 0;
  if (point > 0) {
    for (int j = 0; j < point; ++j) kept[kept_count++] = digit_at(j);
    integer_digits = point;
  } else {
    kept[kept_count++] = '0';
    integer_digits = 1;
  }
  kept[kept_count++] = digit_at(point);
  kept[kept_count++] = digit_at(point + 1);
  if (digit_at(point + 2) >= '5') {  // on the magnitude: half away from zero
    int i = kept_count - 1;
    while (i >= 0 && kept[i] == '9') kept[i--] = '0';
    if (i >= 0) {
      ++kept[i];
    } else {
      for (int j = kept_count; j > 0; --j) kept[j] = kept[j - 1];
      kept[0] = '1';
      ++kept_count;
      ++integer_digits;
    }
  }

  // kept[] = integer digits then exactly two decimals; drop trailing decimal zeros, then leading zeros.
  int last = kept_count;
  while (last > integer_digits && kept[last - 1] == '0') --last;
  int first = 0;
  while (first < integer_digits && kept[first] == '0') ++first;
  if (first == integer_digits && last == integer_digits) {
    out.push_back('0');
    return;
  }
  if (negative) out.push_back('-');
  if (first == integer_digits) {
    out.push_back('0');
  } else {
    out.append(kept + first, kept + integer_digits);
  }
  if (last > integer_digits) {
    out.push_back('.');
    out.append(kept + integer_digits, kept + last);
  }
}

void append_signed_number(std::string& out, double value) {
  const std::size_t start = out.size();
  append_number(out, value);
  if (out.size() == start || out[start] != '-') out.insert(start, 1, '+');
}

void append_json_number(std::string& out, double value) {
  if (std::isfinite(value)) append_number(out, value);
  else out += "null";
}

std::string format_number(double value) {
  std::string out;
  append_number(out, value);
  return out;
}

}  // namespace leadscore::io

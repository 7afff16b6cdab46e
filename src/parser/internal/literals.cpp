#include "parser/internal/literals.hpp"

#include <charconv>
#include <cmath>
#include <limits>

namespace leadscore::parser_internal {

std::optional<double> number_value(std::string_view text) {
  // A suffix is a power of ten in the exponent, never a multiplication: 8.3 * 1e6 is
  // 8300000.000000001, while "8.3e6" reads as the double nearest 8,300,000 (that number itself).
  std::string_view exponent;
  if (!text.empty()) {
    switch (text.back()) {
      case 'k': exponent = "e3"; break;
      case 'M': exponent = "e6"; break;
      case 'B': exponent = "e9"; break;
      default: break;
    }
    if (!exponent.empty()) text.remove_suffix(1);
  }
  std::string digits;
  digits.reserve(text.size() + exponent.size());
  for (char c : text)
    if (c != '_') digits.push_back(c);
  digits += exponent;
  double value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<std::int64_t> duration_seconds(std::string_view text) {
  std::int64_t unit = 0;
  switch (text.back()) {
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: return std::nullopt;
  }
  text.remove_suffix(1);
  std::int64_t count = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  if (count > kMaxDurationSeconds / unit) return std::nullopt;
  return count * unit;
}

std::string unescape_string(std::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\\' && i + 1 < body.size()) {
      char e = body[++i];
      out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace leadscore::parser_internal

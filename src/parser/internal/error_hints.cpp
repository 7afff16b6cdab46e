#include "parser/internal/error_hints.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "common/suggest.hpp"

namespace leadscore::parser_internal {

std::optional<RunawayString> runaway_string(std::string_view text, std::size_t error_offset) {
  if (error_offset == 0 || error_offset > text.size() || text[error_offset - 1] != '"') return std::nullopt;
  std::size_t line_start = text.rfind('\n', error_offset - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  std::size_t line_end = text.find('\n', error_offset);
  if (line_end == std::string_view::npos) line_end = text.size();
  std::optional<std::size_t> open;
  std::optional<RunawayString> closed_at_error;
  for (std::size_t i = line_start; i < line_end; ++i) {
    char c = text[i];
    if (open) {
      if (c == '\\') ++i;
      else if (c == '"') {
        if (i + 1 == error_offset) closed_at_error = RunawayString{*open, i};
        open.reset();
      }
    } else if (c == '#') {
      break;  // a comment: its quotes are text
    } else if (c == '"') {
      open = i;
    }
  }
  if (!open) return std::nullopt;  // every string of the line is closed: the quotes are not the slip
  return closed_at_error;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The run of characters a number could be made of, a sign included after an exponent's `e`.
std::string_view number_like_token(std::string_view text, std::size_t offset) {
  std::size_t end = offset;
  while (end < text.size()) {
    const char c = text[end];
    const bool sign_after_e = (c == '+' || c == '-') && end > offset && (text[end - 1] == 'e' || text[end - 1] == 'E');
    if (!is_digit(c) && !is_letter(c) && c != '_' && c != '.' && !sign_after_e) break;
    ++end;
  }
  return text.substr(offset, end - offset);
}

// digits with single `_` between digits: 1_000
std::size_t digit_groups(std::string_view s, std::size_t at) {
  std::size_t i = at;
  while (i < s.size() && (is_digit(s[i]) || (s[i] == '_' && i > at && i + 1 < s.size() && is_digit(s[i - 1]) &&
                                             is_digit(s[i + 1]))))
    ++i;
  return i;
}

// What the grammar reads as a number (42, 0.5, 1_000, 2.5k) or a duration (30d).
bool is_number_or_duration(std::string_view s) {
  std::size_t i = digit_groups(s, 0);
  if (i == 0) return false;
  if (i + 1 == s.size() && (s[i] == 'h' || s[i] == 'd' || s[i] == 'w') && s.find('_') == std::string_view::npos)
    return true;
  if (i < s.size() && s[i] == '.') {
    const std::size_t fraction = digit_groups(s, i + 1);
    if (fraction == i + 1) return false;
    i = fraction;
  }
  if (i < s.size() && (s[i] == 'k' || s[i] == 'M' || s[i] == 'B')) ++i;
  return i == s.size();
}

std::string without_underscores(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '_') out.push_back(c);
  return out;
}

std::string grouped(std::int64_t value) {
  std::string digits = std::to_string(value), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back('_');
    out.push_back(digits[i]);
  }
  return out;
}

std::string decimal(double value) {
  char buffer[64];
  auto written = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  return std::string(buffer, written.ptr);
}

// How to write the value of `1e5` without an exponent: "write 100k or 100_000".
std::string exponent_hint(std::string_view token) {
  const std::string plain = without_underscores(token);
  double value = 0;
  auto [end, error] = std::from_chars(plain.data(), plain.data() + plain.size(), value);
  const bool read = error == std::errc() && end == plain.data() + plain.size();
  if (!read || !(value >= 1e-6 && value < 1e15))
    return "write the number in digits, with k, M or B for thousands, millions or billions";
  if (value != std::floor(value)) return "write " + decimal(value);
  const auto whole = static_cast<std::int64_t>(value);
  // The largest suffix that leaves at most three decimals: 2.5e6 -> 2.5M.
  for (const auto& [scale, suffix] : {std::pair<std::int64_t, char>{1'000'000'000, 'B'}, {1'000'000, 'M'}, {1'000, 'k'}})
    if (whole >= scale && whole % (scale / 1000) == 0)
      return "write " + decimal(static_cast<double>(whole) / static_cast<double>(scale)) + suffix + " or " +
             grouped(whole);
  return "write " + grouped(whole);
}

// `10m`, `10K`, `10X`: the letters after the digits are not k, M or B.
std::string suffix_hint(std::string_view letters) {
  if (letters == "m") return "M (capital) means millions; k = thousands, B = billions";
  if (letters == "K") return "k (lower case) means thousands; M = millions, B = billions";
  if (letters == "b") return "B (capital) means billions; k = thousands, M = millions";
  return "a number may end in k (thousands), M (millions) or B (billions), nothing else";
}

bool has_exponent(std::string_view s) {
  const std::size_t e = s.find_first_of("eE");
  if (e == std::string_view::npos || e == 0 || !is_digit(s[e - 1])) return false;
  std::size_t i = e + 1;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  return i < s.size() && std::all_of(s.begin() + static_cast<std::ptrdiff_t>(i), s.end(), is_digit);
}

}  // namespace

std::optional<MalformedNumber> malformed_number(std::string_view text, std::size_t error_offset) {
  if (error_offset >= text.size()) return std::nullopt;
  const std::string_view token = number_like_token(text, error_offset);
  const bool starts_like_a_number =
      !token.empty() && (is_digit(token[0]) || (token[0] == '.' && token.size() > 1 && is_digit(token[1])));
  if (!starts_like_a_number || is_number_or_duration(token)) return std::nullopt;
  MalformedNumber found{std::string(token), {}, {}};
  if (token[0] == '.') {
    found.what = "a number starts with a digit";
    found.hint = "write 0" + found.token;
  } else if (has_exponent(token)) {
    found.what = "exponents (`e`) are not supported";
    found.hint = exponent_hint(token);
  } else if (token.find('_') != std::string_view::npos && is_number_or_duration(without_underscores(token))) {
    found.what = "`_` only goes between two digits";
    found.hint = "e.g. 1_000_000";
  } else {
    const std::size_t letters = token.find_first_not_of("0123456789_.");
    if (letters == std::string_view::npos) {
      found.what = "a number is digits with an optional decimal part";
      found.hint = "e.g. 42, 0.5, 1_000 or 2.5k";
    } else {
      found.what = "`" + std::string(token.substr(letters)) + "` is not a number suffix";
      found.hint = suffix_hint(token.substr(letters));
    }
  }
  return found;
}

std::optional<std::string> declaration_keyword_for(std::string_view word) {
  if (word.empty()) return std::nullopt;
  // What people call the declarations in other tools and in our own docs ("a score section").
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kSynonyms{
      {{"section", "score"}, {"sections", "score"}, {"const", "let"}, {"var", "let"}, {"segment", "classify"}}};
  for (const auto& [synonym, keyword] : kSynonyms)
    if (word == synonym) return std::string(keyword);
  static const std::vector<std::string> kKeywords{"ruleset", "schema", "list",     "let",        "score",
                                                  "gate",    "mql",    "classify", "calibration"};
  return closest_match(word, kKeywords);
}

}  // namespace leadscore::parser_internal

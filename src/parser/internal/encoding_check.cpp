#include "parser/internal/encoding_check.hpp"

#include <cstdio>
#include <string>

namespace leadscore::parser_internal {
namespace {

// Length of the valid UTF-8 sequence at text[i], or 0 when it is not one.
std::size_t utf8_sequence_length(const std::string& text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead == 0xE0) length = 3, low = 0xA0;
  else if (lead == 0xED) length = 3, high = 0x9F;  // no surrogates
  else if (lead >= 0xE1 && lead <= 0xEF) length = 3;
  else if (lead == 0xF0) length = 4, low = 0x90;
  else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
  else if (lead == 0xF4) length = 4, high = 0x8F;  // nothing above U+10FFFF
  else return 0;
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return length;
}

}  // namespace

std::vector<std::uint32_t> report_encoding_errors(const SourceFilePtr& source, Diagnostics& diags) {
  std::vector<std::uint32_t> bad_lines;
  const std::string& text = source->text();
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = text[i] == '\0' ? 0 : utf8_sequence_length(text, i);
    if (length > 0) {
      i += length;
      continue;
    }
    SourcePos pos = source->position_of(i);
    if (text[i] == '\0') {
      diags.error(source, pos, "NUL byte in the rules file; is this a binary file?", {}, Code::SyntaxError);
    } else {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[i]));
      diags.error(source, pos, std::string("invalid UTF-8 byte ") + hex, "save the file as UTF-8", Code::SyntaxError);
    }
    bad_lines.push_back(pos.line);
    std::size_t next_line = text.find('\n', i);
    i = next_line == std::string::npos ? text.size() : next_line + 1;
  }
  return bad_lines;
}

}  // namespace leadscore::parser_internal

#include "parser/internal/encoding_check.hpp"

#include <cstdio>
#include <string>

#include "common/utf8.hpp"

namespace leadscore::parser_internal {

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
      diags.error(source, pos, "NUL byte in the rules file; is this a binary file?",
                  "check that the path names the .rules file, saved as UTF-8 text", Code::SyntaxError);
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

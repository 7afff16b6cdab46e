#include "io/csv_writer.hpp"

#include "io/value_parse.hpp"

namespace leadscore::io {

bool csv_field_needs_quotes(std::string_view value, char delimiter) {
  for (const char c : value) {
    if (c == delimiter || c == '"' || c == '\n' || c == '\r') return true;
  }
  return false;
}

void append_csv_field(std::string& out, std::string_view value, char delimiter) {
  if (!csv_field_needs_quotes(value, delimiter)) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (const char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

bool csv_formula_like(std::string_view text) {
  if (text.empty()) return false;
  switch (text.front()) {
    case '=':
    case '@':
    case '\t':
    case '\r': return true;
    case '+':
    case '-': return text.size() == 1 || trim_blanks(text).size() != text.size() || !parse_number(text).has_value();
    default: return false;
  }
}

void append_csv_text(std::string& out, std::string_view text, CsvSafety safety, char delimiter) {
  if (safety == CsvSafety::Raw || !csv_formula_like(text)) {
    append_csv_field(out, text, delimiter);
    return;
  }
  std::string guarded;
  guarded.reserve(text.size() + 1);
  guarded += '\'';
  guarded += text;
  append_csv_field(out, guarded, delimiter);
}

}  // namespace leadscore::io

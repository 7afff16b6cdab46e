#include "io/csv_writer.hpp"

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

}  // namespace leadscore::io

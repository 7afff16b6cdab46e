#pragma once
// One CSV output field, RFC 4180: quoted (with `"` doubled) only when it holds the delimiter, `"`, CR or LF.
#include <string>
#include <string_view>

namespace leadscore::io {

bool csv_field_needs_quotes(std::string_view value, char delimiter = ',');
void append_csv_field(std::string& out, std::string_view value, char delimiter = ',');

}  // namespace leadscore::io

#pragma once
// One CSV output field, RFC 4180: quoted (with `"` doubled) only when it holds the delimiter, `"`, CR or LF.
//
// Spreadsheet safety (formula injection): a spreadsheet program runs a cell that begins with `=`,
// `+`, `-` or `@` as a formula, so a lead id such as `=HYPERLINK(...)` from a CRM export, or a
// reasons cell (`+40 Demo request`), would run when RevOps opens the file. Text that comes from data
// or rules is therefore written with append_csv_text(): with CsvSafety::SpreadsheetSafe a
// formula-like cell gets a leading `'`, which spreadsheets show as text and do not display. A cell
// is formula-like when it begins with `=`, `@`, TAB or CR, or with `+` or `-` and is not a plain
// number (`-5`, `+44`, `-3.5`, `1e5` stay as they are; `-2+3`, `+40 Demo request` do not).
// Numbers the engine computes are written with append_number() and never touched; CsvSafety::Raw
// writes every text as it is, for machine consumers.
#include <string>
#include <string_view>

namespace leadscore::io {

enum class CsvSafety { SpreadsheetSafe, Raw };

bool csv_field_needs_quotes(std::string_view value, char delimiter = ',');
void append_csv_field(std::string& out, std::string_view value, char delimiter = ',');

bool csv_formula_like(std::string_view text);
// A text cell from data or rules: append_csv_field() after the `'` prefix when safety asks for it.
void append_csv_text(std::string& out, std::string_view text, CsvSafety safety, char delimiter = ',');

}  // namespace leadscore::io

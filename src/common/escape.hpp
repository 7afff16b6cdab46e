#pragma once
// One escaper per destination for text that comes from rules or data (labels, ids, values, names).
#include <string>
#include <string_view>

namespace leadscore {

// GitHub Actions workflow commands (`::error file=P,line=L::MESSAGE`): the message (data) needs `%`,
// CR and LF escaped, so text can never end the command and start another on a new line; a
// property value (`file=`, `title=`) additionally `:` and `,`, which end a property. Other control
// characters (NUL included) are written as `\xNN`.
std::string github_data(std::string_view text);
std::string github_property(std::string_view text);

// One cell of a Markdown table: `|` and `\` escaped, line ends become spaces, backticks escaped,
// and a leading `#` or `<` escaped so the cell cannot start a heading or raw HTML.
std::string markdown_cell(std::string_view text);

// Text (or a double- or single-quoted attribute value) in HTML: `& < > " '` as entities, control
// characters other than tab and line ends dropped.
std::string html_text(std::string_view text);

// Text shown on one line of a terminal or a log: CR, LF, tab, NUL and other control characters
// written as `\r`, `\n`, `\t`, `\x00`, so a value can never start a line of its own.
std::string one_line(std::string_view text);

// The text with every NUL byte written as `\x00`: the last step before output that C string
// functions would otherwise cut short.
std::string without_nul(std::string_view text);

// True when `text` holds a C0 control character (including NUL, tab, CR and LF), DEL or a C1
// control (U+0080 to U+009F); `at` is then the byte offset of the first.
bool find_control_character(std::string_view text, std::size_t& at);

}  // namespace leadscore

#include "common/diagnostics.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "common/escape.hpp"

namespace leadscore {

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

void Diagnostics::add(Diagnostic d) {
  if (d.file && d.path.empty()) d.path = d.file->path();
  if (d.severity == Severity::Error) ++error_count_;
  items_.push_back(std::move(d));
}

void Diagnostics::error(const SourceFilePtr& file, SourcePos pos, std::string message, std::string hint) {
  add(Diagnostic{Severity::Error, file, {}, pos, std::move(message), std::move(hint)});
}

void Diagnostics::warning(const SourceFilePtr& file, SourcePos pos, std::string message, std::string hint) {
  add(Diagnostic{Severity::Warning, file, {}, pos, std::move(message), std::move(hint)});
}

std::vector<Diagnostic> Diagnostics::sorted() const {
  std::vector<Diagnostic> out = items_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.path != b.path) return a.path < b.path;
    if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
    return a.pos.column < b.pos.column;
  });
  return out;
}

namespace {

// Number of display cells of a UTF-8 prefix: continuation bytes take no cell; tabs are kept as tabs.
std::string caret_padding(std::string_view line, std::uint32_t column) {
  std::string pad;
  std::size_t limit = std::min<std::size_t>(column > 0 ? column - 1 : 0, line.size());
  for (std::size_t i = 0; i < limit; ++i) {
    auto c = static_cast<unsigned char>(line[i]);
    if (c == '\t') pad += '\t';
    else if ((c & 0xC0) != 0x80) pad += ' ';
  }
  return pad;
}

std::string printable(std::string_view line) {
  std::string out;
  out.reserve(std::min<std::size_t>(line.size(), 400));
  for (std::size_t i = 0; i < line.size() && i < 400; ++i) {
    char c = line[i];
    out += (c == '\0' || (static_cast<unsigned char>(c) < 0x20 && c != '\t')) ? '?' : c;
  }
  if (line.size() > 400) out += " ...";
  return out;
}

}  // namespace

std::string render_text(const Diagnostic& d) {
  std::string out;
  // Messages quote labels, values and paths: one_line() keeps each on its own single line.
  const std::string message = one_line(d.message), hint = one_line(d.hint), path = one_line(d.path);
  if (d.pos.line > 0)
    out = fmt::format("{}:{}:{}: {}: {}\n", path, d.pos.line, d.pos.column, severity_name(d.severity), message);
  else
    out = fmt::format("{}: {}: {}\n", path, severity_name(d.severity), message);
  if (d.file && d.pos.line > 0 && d.pos.line <= d.file->line_count()) {
    std::string_view line = d.file->line(d.pos.line);
    // Very long lines are shown from a little before the column, so the caret stays on screen.
    std::uint32_t column = d.pos.column;
    if (line.size() > 400 && column > 60) {
      std::size_t start = column - 40;
      while (start > 0 && (static_cast<unsigned char>(line[start]) & 0xC0) == 0x80) --start;
      line.remove_prefix(start);
      column -= static_cast<std::uint32_t>(start);
    }
    std::string number = std::to_string(d.pos.line);
    std::string gutter(number.size(), ' ');
    out += fmt::format(" {} | {}\n", number, printable(line));
    out += fmt::format(" {} | {}^\n", gutter, caret_padding(line, column));
    if (!hint.empty()) out += fmt::format(" {} = hint: {}\n", gutter, hint);
  } else if (!hint.empty()) {
    out += fmt::format("  = hint: {}\n", hint);
  }
  return out;
}

std::string json_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        else out += c;
    }
  }
  return out;
}

std::string render_json(const Diagnostic& d) {
  return fmt::format(R"({{"file":"{}","line":{},"column":{},"severity":"{}","message":"{}","hint":"{}"}})",
                     json_escape(d.path), d.pos.line, d.pos.column, severity_name(d.severity),
                     json_escape(d.message), json_escape(d.hint));
}

std::string render_github(const Diagnostic& d) {
  std::string message = d.message;
  if (!d.hint.empty()) message += " (hint: " + d.hint + ")";
  std::string kind = d.severity == Severity::Error ? "error" : d.severity == Severity::Warning ? "warning" : "notice";
  if (d.pos.line > 0)
    return fmt::format("::{} file={},line={},col={}::{}\n", kind, github_property(d.path), d.pos.line, d.pos.column,
                       github_data(message));
  return fmt::format("::{} file={}::{}\n", kind, github_property(d.path), github_data(message));
}

}  // namespace leadscore

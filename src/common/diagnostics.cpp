#include "common/diagnostics.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

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
  if (d.severity == Severity::Warning && d.code && !d.silenced) {
    if (auto file = allowed_.find(d.path); file != allowed_.end())
      for (std::uint32_t line : {d.pos.line, 0u})
        if (auto it = file->second.find({line, *d.code}); it != file->second.end()) {
          d.silenced = true;
          d.silence_reason = it->second;
          break;
        }
  }
  if (d.severity == Severity::Error) ++error_count_;
  else if (d.severity == Severity::Warning) ++(d.silenced ? silenced_count_ : warning_count_);
  items_.push_back(std::move(d));
}

void Diagnostics::allow(const std::string& path, std::uint32_t line, Code code, std::string reason) {
  allowed_[path].emplace(std::make_pair(line, code), std::move(reason));
}

void Diagnostics::error(const SourceFilePtr& file, SourcePos pos, std::string message, std::string hint,
                        std::optional<Code> code) {
  add(Diagnostic{Severity::Error, file, {}, pos, std::move(message), std::move(hint), code});
}

void Diagnostics::warning(const SourceFilePtr& file, SourcePos pos, Code code, std::string message,
                          std::string hint) {
  add(Diagnostic{Severity::Warning, file, {}, pos, std::move(message), std::move(hint), code});
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

bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The byte where character `column` (1-based, as SourcePos counts) of the line starts.
std::size_t byte_of_column(std::string_view line, std::uint32_t column) {
  std::size_t i = 0;
  for (std::uint32_t seen = 1; i < line.size() && seen < column; ++seen)
    do ++i;
    while (i < line.size() && continuation_byte(line[i]));
  return i;
}

// One cell per character before the column; tabs are kept as tabs, so the caret lines up.
std::string caret_padding(std::string_view line, std::uint32_t column) {
  std::string pad;
  const std::size_t end = byte_of_column(line, column);
  for (std::size_t i = 0; i < end; ++i)
    if (!continuation_byte(line[i])) pad += line[i] == '\t' ? '\t' : ' ';
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

namespace {

// ` 12 | the line` and `    |    ^` under the column; empty when the position has no line to show.
std::string excerpt(const SourceFilePtr& file, SourcePos pos, std::string& gutter) {
  gutter = " ";
  if (!file || pos.line == 0 || pos.line > file->line_count()) return {};
  std::string_view line = file->line(pos.line);
  // Very long lines are shown from a little before the column, so the caret stays on screen.
  std::uint32_t column = pos.column;
  if (const std::size_t at = byte_of_column(line, column); line.size() > 400 && at > 60) {
    std::size_t start = at - 40;
    while (start > 0 && continuation_byte(line[start])) --start;
    for (std::size_t i = 0; i < start; ++i) column -= !continuation_byte(line[i]);
    line.remove_prefix(start);
  }
  std::string number = std::to_string(pos.line);
  gutter = " " + std::string(number.size(), ' ');
  return fmt::format(" {} | {}\n{} | {}^\n", number, printable(line), gutter, caret_padding(line, column));
}

// The code the text, JSON and GitHub outputs show: a warning's, by which it can be silenced. Errors
// cannot be; their codes (syntax-error, ...) are for SARIF only (docs/warnings.md).
std::optional<std::string_view> shown_code(const Diagnostic& d) {
  if (d.severity != Severity::Warning || !d.code) return std::nullopt;
  return code_info(*d.code).slug;
}

std::string location(const std::string& path, SourcePos pos) {
  return pos.line > 0 ? fmt::format("{}:{}:{}", path, pos.line, pos.column) : path;
}

}  // namespace

std::string render_text(const Diagnostic& d) {
  // Messages quote labels, values and paths: one_line() keeps each on its own single line.
  const std::string path = one_line(d.path);
  std::string out = fmt::format("{}: {}: {}", location(path, d.pos), severity_name(d.severity), one_line(d.message));
  if (auto code = shown_code(d)) out += fmt::format(" [{}]", *code);
  out += '\n';
  std::string gutter;
  out += excerpt(d.file, d.pos, gutter);
  if (!d.hint.empty()) out += fmt::format("{} = hint: {}\n", gutter, one_line(d.hint));
  for (const auto& note : d.notes) {
    out += fmt::format("{}: note: {}\n", location(path, note.pos), one_line(note.message));
    out += excerpt(d.file, note.pos, gutter);
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
  nlohmann::ordered_json notes = nlohmann::ordered_json::array();
  for (const auto& note : d.notes)
    notes.push_back({{"line", note.pos.line}, {"column", note.pos.column}, {"message", note.message}});
  nlohmann::ordered_json j{{"file", d.path},
                           {"line", d.pos.line},
                           {"column", d.pos.column},
                           {"severity", severity_name(d.severity)},
                           {"message", d.message},
                           {"hint", d.hint},
                           {"code", shown_code(d) ? nlohmann::ordered_json(*shown_code(d)) : nullptr},
                           {"notes", std::move(notes)}};
  // Text from a rules file may hold invalid UTF-8 (reported as an error); it becomes U+FFFD here.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string render_json_array(const std::vector<Diagnostic>& diagnostics) {
  std::string out = "[";
  bool first = true;
  for (const auto& d : diagnostics) {
    if (d.silenced) continue;
    out += first ? "\n  " : ",\n  ";
    out += render_json(d);
    first = false;
  }
  out += first ? "]\n" : "\n]\n";
  return out;
}

std::string render_github(const Diagnostic& d) {
  std::string message = d.message;
  if (auto code = shown_code(d)) message += fmt::format(" [{}]", *code);
  if (!d.hint.empty()) message += " (hint: " + d.hint + ")";
  for (const auto& note : d.notes)
    message += fmt::format(" (note: {} at line {}, column {})", note.message, note.pos.line, note.pos.column);
  std::string kind = d.severity == Severity::Error ? "error" : d.severity == Severity::Warning ? "warning" : "notice";
  if (d.pos.line > 0)
    return fmt::format("::{} file={},line={},col={}::{}\n", kind, github_property(d.path), d.pos.line, d.pos.column,
                       github_data(message));
  return fmt::format("::{} file={}::{}\n", kind, github_property(d.path), github_data(message));
}

}  // namespace leadscore

#pragma once
// Diagnostics are values collected in a sink; one renderer turns them into GCC-style text or JSON.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostic_codes.hpp"
#include "common/source.hpp"

namespace leadscore {

enum class Severity { Error, Warning, Note };

// A second place a diagnostic points at, e.g. the `(` that an expected `)` would close.
struct DiagnosticNote {
  SourcePos pos;
  std::string message;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceFilePtr file;  // may be null for errors that belong to no file (e.g. a missing file)
  std::string path;    // shown path (file->path() when file is set)
  SourcePos pos;       // line 0 = no position
  std::string message;
  std::string hint;    // optional "= hint: ..." line
  std::optional<Code> code = std::nullopt;  // always set on warnings
  std::vector<DiagnosticNote> notes = {};
  bool silenced = false;                 // a `# leadscore: allow` comment covers it: counted, not shown
  std::string silence_reason = {};       // the text after ` -- ` in that comment
};

class Diagnostics {
 public:
  void error(const SourceFilePtr& file, SourcePos pos, std::string message, std::string hint = {},
             std::optional<Code> code = std::nullopt);
  void warning(const SourceFilePtr& file, SourcePos pos, Code code, std::string message, std::string hint = {});
  void add(Diagnostic d);
  bool has_errors() const { return error_count_ > 0; }
  std::size_t error_count() const { return error_count_; }
  std::size_t warning_count() const { return warning_count_; }  // not counting silenced ones
  std::size_t silenced_count() const { return silenced_count_; }
  // Sorted by file, then position (stable for equal positions).
  std::vector<Diagnostic> sorted() const;
  const std::vector<Diagnostic>& items() const { return items_; }

  // From now on, warnings with `code` in `path` (on `line`, or anywhere when line is 0) are silenced.
  void allow(const std::string& path, std::uint32_t line, Code code, std::string reason = {});

 private:
  std::vector<Diagnostic> items_;
  std::size_t error_count_ = 0, warning_count_ = 0, silenced_count_ = 0;
  // path -> (line, code) -> reason; line 0 = the whole file
  std::map<std::string, std::map<std::pair<std::uint32_t, Code>, std::string>> allowed_;
};

// `path:line:col: error: message`, the source line, a caret, and `= hint:` when present; a warning's
// code ends its first line (`... [unused-list]`); each note follows as `path:line:col: note: ...`.
std::string render_text(const Diagnostic& d);
// One JSON object: {"file":..,"line":..,"column":..,"severity":..,"message":..,"hint":..,"code":..,"notes":[..]}
std::string render_json(const Diagnostic& d);
// A JSON array of render_json objects, one a line; silenced diagnostics are left out.
std::string render_json_array(const std::vector<Diagnostic>& diagnostics);
// GitHub Actions workflow command: ::error file=..,line=..,col=..::message
std::string render_github(const Diagnostic& d);
std::string json_escape(std::string_view text);
const char* severity_name(Severity s);

}  // namespace leadscore

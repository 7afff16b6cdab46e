#pragma once
// Diagnostics are values collected in a sink; one renderer turns them into GCC-style text or JSON.
#include <string>
#include <vector>

#include "common/source.hpp"

namespace leadscore {

enum class Severity { Error, Warning, Note };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceFilePtr file;  // may be null for errors that belong to no file (e.g. a missing file)
  std::string path;    // shown path (file->path() when file is set)
  SourcePos pos;       // line 0 = no position
  std::string message;
  std::string hint;    // optional "= hint: ..." line
};

class Diagnostics {
 public:
  void error(const SourceFilePtr& file, SourcePos pos, std::string message, std::string hint = {});
  void warning(const SourceFilePtr& file, SourcePos pos, std::string message, std::string hint = {});
  void add(Diagnostic d);
  bool has_errors() const { return error_count_ > 0; }
  std::size_t error_count() const { return error_count_; }
  std::size_t warning_count() const { return items_.size() - error_count_; }
  // Sorted by file, then position (stable for equal positions).
  std::vector<Diagnostic> sorted() const;
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  std::vector<Diagnostic> items_;
  std::size_t error_count_ = 0;
};

// `path:line:col: error: message`, the source line, a caret, and `= hint:` when present.
std::string render_text(const Diagnostic& d);
// One JSON object: {"file":..,"line":..,"column":..,"severity":..,"message":..,"hint":..}
std::string render_json(const Diagnostic& d);
// GitHub Actions workflow command: ::error file=..,line=..,col=..::message
std::string render_github(const Diagnostic& d);
std::string json_escape(std::string_view text);
const char* severity_name(Severity s);

}  // namespace leadscore

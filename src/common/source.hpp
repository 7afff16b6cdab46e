#pragma once
// A rules (or list, or test) file held in memory, with a way back from positions to lines.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace leadscore {

// 1-based line and column; the column counts characters (UTF-8 code points), as editors do, so a
// name after "Größe" is reported where the caret is drawn. Line 0 = no position.
struct SourcePos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t offset = 0;  // byte offset in the file
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

class SourceFile {
 public:
  // A UTF-8 byte order mark at the start is dropped: it is not part of the text (a list entry, the
  // first line's columns).
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  // The text of a 1-based line without its line end; empty when out of range.
  std::string_view line(std::uint32_t number) const;
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }
  SourcePos position_of(std::size_t offset) const;
  // The text of the position's line before it, e.g. to see whether a comment starts its line.
  std::string_view line_before(SourcePos pos) const;

 private:
  std::string path_;
  std::string text_;
  std::vector<std::size_t> line_starts_;
  // The column of every kColumnStep-th byte, so position_of counts characters over a few bytes, not
  // over a whole line (a 10 MB one-line list has a million positions).
  static constexpr std::size_t kColumnStep = 64;
  std::vector<std::uint32_t> step_columns_;
};

using SourceFilePtr = std::shared_ptr<const SourceFile>;

// Reads a whole file; returns nullptr and sets `error` when it cannot be read.
SourceFilePtr read_source_file(const std::string& path, std::string& error);

}  // namespace leadscore

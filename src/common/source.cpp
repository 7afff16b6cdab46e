#include "common/source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace leadscore {

namespace {
bool starts_character(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }  // not a UTF-8 continuation
}  // namespace

SourceFile::SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
  if (text_.starts_with("\xEF\xBB\xBF")) text_.erase(0, 3);
  line_starts_.push_back(0);
  step_columns_.reserve(text_.size() / kColumnStep + 1);
  std::uint32_t column = 1;  // of byte i
  for (std::size_t i = 0; i <= text_.size(); ++i) {
    if (i % kColumnStep == 0) step_columns_.push_back(column);
    if (i == text_.size()) break;
    if (text_[i] == '\n') {
      line_starts_.push_back(i + 1);
      column = 1;
    } else {
      column += starts_character(text_[i]);
    }
  }
}

std::string_view SourceFile::line(std::uint32_t number) const {
  if (number == 0 || number > line_starts_.size()) return {};
  std::size_t begin = line_starts_[number - 1];
  std::size_t end = number < line_starts_.size() ? line_starts_[number] - 1 : text_.size();
  std::string_view view(text_.data() + begin, end - begin);
  if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
  return view;
}

SourcePos SourceFile::position_of(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  // Count characters from the nearest known column: the line's start or the step before the offset.
  const std::size_t step = offset / kColumnStep * kColumnStep;
  std::size_t from = std::max(line_starts_[line_index], step);
  std::uint32_t column = from == line_starts_[line_index] ? 1 : step_columns_[step / kColumnStep];
  for (; from < offset; ++from) column += starts_character(text_[from]);
  return SourcePos{static_cast<std::uint32_t>(line_index + 1), column, static_cast<std::uint32_t>(offset)};
}

std::string_view SourceFile::line_before(SourcePos pos) const {
  if (pos.line == 0 || pos.line > line_starts_.size()) return {};
  const std::size_t begin = line_starts_[pos.line - 1];
  const std::size_t end = std::clamp<std::size_t>(pos.offset, begin, text_.size());
  return std::string_view(text_).substr(begin, end - begin);
}

SourceFilePtr read_source_file(const std::string& path, std::string& error) {
  std::error_code not_found;
  if (std::filesystem::is_directory(path, not_found)) {  // which an ifstream opens, and reads as empty
    error = std::strerror(EISDIR);
    return nullptr;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return nullptr;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    error = "read error";
    return nullptr;
  }
  return std::make_shared<SourceFile>(path, std::move(buffer).str());
}

}  // namespace leadscore

#include "io/csv_reader.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "io/input_file.hpp"
#include "io/mapped_inputs.hpp"

namespace leadscore::io {
namespace {

// Bytes after the data that are always allocated: a '\n' sentinel right after the data, then room for
// 16-byte loads that start at or before the sentinel.
constexpr std::size_t kPadding = 64;
// Mappings and the ranges faulted in start at a page boundary.
const std::size_t kPageSize = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));

std::string system_error_text(const std::string& verb, const std::string& path) {
  return verb + " " + path + ": " + std::strerror(errno);
}

// Bit i is set when p[i] is the delimiter, '\n' or '"': the only bytes the scanner stops at.
inline std::uint64_t special_mask(const char* p, char delimiter) {
#ifdef __SSE2__
  const __m128i delimiters = _mm_set1_epi8(delimiter);
  const __m128i newlines = _mm_set1_epi8('\n');
  const __m128i quotes = _mm_set1_epi8('"');
  std::uint64_t mask = 0;
  for (int i = 0; i < 4; ++i) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    const __m128i hits = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, delimiters), _mm_cmpeq_epi8(chunk, newlines)),
                                      _mm_cmpeq_epi8(chunk, quotes));
    mask |= static_cast<std::uint64_t>(static_cast<unsigned>(_mm_movemask_epi8(hits))) << (16 * i);
  }
  return mask;
#else
  std::uint64_t mask = 0;
  for (int i = 0; i < 64; ++i) {
    if (p[i] == delimiter || p[i] == '\n' || p[i] == '"') mask |= std::uint64_t{1} << i;
  }
  return mask;
#endif
}

// Text that starts with an opening quote: `""` inside quotes is one `"`, a lone `"` toggles quoting,
// everything else is copied. Returns the end of what was written.
char* unescape_quoted(std::string_view raw, char* out) {
  bool quoted = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c != '"') {
      *out++ = c;
    } else if (quoted && i + 1 < raw.size() && raw[i + 1] == '"') {
      *out++ = '"';
      ++i;
    } else {
      quoted = !quoted;
    }
  }
  return out;
}

}  // namespace

CsvReader::CsvReader(char delimiter, std::size_t block_size, std::uint64_t map_at_least, std::size_t map_step)
    : delimiter_(delimiter), block_size_(std::max<std::size_t>(block_size, 1)),
      map_step_(std::max<std::size_t>(map_step, 1)), map_at_least_(map_at_least) {}

CsvReader::~CsvReader() {
  unmap();
  if (fd_ >= 0) ::close(fd_);
}

void CsvReader::reset_state() {
  unmap();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  memory_ = {};
  from_memory_ = false;
  if (capacity_ != block_size_ || !buffer_) {
    capacity_ = block_size_;
    buffer_ = std::make_unique_for_overwrite<char[]>(capacity_ + kPadding);  // no zero-fill: a big block per reader
  }
  data_ = buffer_.get();
  size_ = 0;
  cursor_ = 0;
  base_offset_ = 0;
  range_end_ = UINT64_MAX;
  at_eof_ = false;
  started_ = false;
  line_ = 1;
  records_read_ = 0;
  empty_lines_ = 0;
  error_.clear();
  buffer_[0] = '\n';
  mask_begin_ = kNoMask;
}

bool CsvReader::open(const std::string& path, std::string& error) {
  return open_range(path, 0, UINT64_MAX, 1, error);
}

bool CsvReader::open_range(const std::string& path, std::uint64_t begin, std::uint64_t end,
                           std::uint64_t first_line, std::string& error) {
  reset_state();
  path_ = path;
  InputSource source;
  if (!open_input(path, source, error)) return false;
  if (source.in_memory()) {
    from_memory_ = true;
    memory_ = source.memory.substr(static_cast<std::size_t>(std::min<std::uint64_t>(begin, source.memory.size())));
    base_offset_ = begin;
  } else {
    fd_ = source.fd;
    base_offset_ = begin;
    struct stat info {};
    if (::fstat(fd_, &info) == 0 && S_ISREG(info.st_mode) && static_cast<std::uint64_t>(info.st_size) > begin &&
        static_cast<std::uint64_t>(info.st_size) - begin >= map_at_least_)
      map_file(begin, static_cast<std::uint64_t>(info.st_size));
    if (mapping_ == nullptr) {
      if (begin != 0 && ::lseek(fd_, static_cast<off_t>(begin), SEEK_SET) < 0) {
        error = system_error_text("cannot seek in", path);
        return false;
      }
      ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
  }
  range_end_ = end;
  line_ = first_line;
  return true;
}

void CsvReader::open_memory(std::string_view text) {
  reset_state();
  path_ = "<memory>";
  memory_ = text;
  from_memory_ = true;
}

std::size_t CsvReader::read_source(char* into, std::size_t capacity) {
  if (from_memory_) {
    const std::size_t n = std::min(capacity, memory_.size());
    std::memcpy(into, memory_.data(), n);
    memory_.remove_prefix(n);
    return n;
  }
  for (;;) {
    const ssize_t n = ::read(fd_, into, capacity);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    error_ = system_error_text("cannot read", path_);
    return 0;
  }
}

// Keeps the unread rest (a partial record), makes room, and reads more. The buffer doubles only when a
// single record fills it, so memory stays at the block size for ordinary files.
bool CsvReader::refill() {
  if (mapping_ != nullptr) return extend_mapped();
  const std::size_t rest = size_ - cursor_;
  if (cursor_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + cursor_, rest);
    base_offset_ += cursor_;
    cursor_ = 0;
  }
  if (rest == capacity_) {
    auto bigger = std::make_unique_for_overwrite<char[]>(2 * capacity_ + kPadding);
    std::memcpy(bigger.get(), buffer_.get(), rest);
    buffer_ = std::move(bigger);
    data_ = buffer_.get();
    capacity_ *= 2;
  }
  const std::size_t got = read_source(buffer_.get() + rest, capacity_ - rest);
  size_ = rest + got;
  buffer_[size_] = '\n';
  mask_begin_ = kNoMask;
  if (!error_.empty()) return false;
  if (got == 0) at_eof_ = true;
  return true;
}

// Maps the file from the page boundary at or before `begin` to its end. When mapping fails the
// reader simply reads in blocks.
void CsvReader::map_file(std::uint64_t begin, std::uint64_t file_size) {
  const std::uint64_t from = begin / kPageSize * kPageSize;
  const std::uint64_t length = file_size - from;
  if (length > SIZE_MAX || length <= 2 * kPadding) return;
  void* mapped = ::mmap(nullptr, static_cast<std::size_t>(length), PROT_READ, MAP_PRIVATE, fd_, static_cast<off_t>(from));
  if (mapped == MAP_FAILED) return;
  mapping_slot_ = register_mapping(mapped, static_cast<std::size_t>(length), path_.c_str());  // path_ is kept while mapped
  if (mapping_slot_ < 0) {  // a truncated file could not be reported: read it in blocks
    ::munmap(mapped, static_cast<std::size_t>(length));
    return;
  }
  ::madvise(mapped, static_cast<std::size_t>(length), MADV_SEQUENTIAL);
  mapping_ = static_cast<char*>(mapped);
  mapping_size_ = static_cast<std::size_t>(length);
  data_ = mapping_;
  released_ = 0;
  base_offset_ = from;
  cursor_ = size_ = static_cast<std::size_t>(begin - from);
}

void CsvReader::unmap() {
  release_mapping(mapping_slot_);
  mapping_slot_ = -1;
  if (mapping_ != nullptr) ::munmap(mapping_, mapping_size_);
  mapping_ = nullptr;
  mapping_size_ = 0;
  data_ = buffer_.get();
}

// The mapped counterpart of refill: moves the end of the held data to a later line end, a map step
// (or, for a record longer than that, the record's length so far) further on, or further when no line
// end is that close. The pages are faulted in one call per step, and the pages before the record
// being read are let go, so the process's resident size stays at a few steps of the file, not all of it.
// The last bytes of the file, which have no readable sentinel after them, are read in blocks like any
// other input.
bool CsvReader::extend_mapped() {
  const std::size_t consumed = cursor_ / kPageSize * kPageSize;
  if (consumed > released_) {
    ::madvise(mapping_ + released_, consumed - released_, MADV_DONTNEED);  // the file's pages stay cached
    released_ = consumed;
  }
  const std::size_t limit = mapping_size_ - kPadding;  // a line end here still has kPadding readable bytes after it
  std::size_t reach = std::max(map_step_, size_ - cursor_);
  while (size_ + 1 < limit) {
    const std::size_t to = std::min(limit, size_ + reach);
#ifdef MADV_POPULATE_READ
    const std::size_t first_page = (size_ + 1) / kPageSize * kPageSize;
    ::madvise(mapping_ + first_page, to + kPadding - first_page, MADV_POPULATE_READ);
#endif
    const void* line_end = ::memrchr(data_ + size_ + 1, '\n', to - (size_ + 1));
    if (line_end != nullptr) {
      size_ = static_cast<std::size_t>(static_cast<const char*>(line_end) - data_);
      mask_begin_ = kNoMask;
      return true;
    }
    if (to == limit) break;
    reach *= 2;
  }
  const std::uint64_t at = base_offset_ + cursor_;
  unmap();
  if (::lseek(fd_, static_cast<off_t>(at), SEEK_SET) < 0) {
    error_ = system_error_text("cannot seek in", path_);
    return false;
  }
  base_offset_ = at;
  cursor_ = size_ = 0;
  buffer_[0] = '\n';
  mask_begin_ = kNoMask;
  return refill();
}

void CsvReader::skip_bom() {
  while (size_ - cursor_ < 3 && !at_eof_ && refill()) {
  }
  if (size_ - cursor_ >= 3 && std::memcmp(data_ + cursor_, "\xEF\xBB\xBF", 3) == 0) cursor_ += 3;
}

bool CsvReader::next(CsvRecord& record) {
  if (!started_) {
    started_ = true;
    if (base_offset_ + cursor_ == 0) skip_bom();
  }
  for (;;) {
    if (!error_.empty()) return false;
    if (base_offset_ + cursor_ >= range_end_) return false;
    const char* buf = data_;
    if (cursor_ == size_) {
      if (at_eof_ || !refill()) return false;
      continue;
    }
    // An empty line (LF, CRLF, or a CR at the end of the input) is skipped but counted.
    if (buf[cursor_] == '\n') {
      ++cursor_;
      ++line_;
      ++empty_lines_;
      continue;
    }
    if (buf[cursor_] == '\r' && buf[cursor_ + 1] == '\n') {
      if (cursor_ + 1 == size_ && !at_eof_) {
        if (!refill()) return false;
        continue;
      }
      cursor_ = std::min(cursor_ + 2, size_);
      ++line_;
      ++empty_lines_;
      continue;
    }
    std::size_t raw_end = 0;
    std::size_t record_end = 0;
    std::size_t newlines = 0;
    if (scan_record(record, raw_end, record_end, newlines) == Scan::need_more) {
      if (!refill()) return false;
      continue;
    }
    record.line = line_;
    record.offset = base_offset_ + cursor_;
    record.raw = std::string_view(buf + cursor_, raw_end - cursor_);
    if (!quoted_fields_.empty()) unescape_fields(record);
    cursor_ = record_end;
    line_ += 1 + newlines;
    ++records_read_;
    return true;
  }
}

// The first delimiter, '\n' or '"' at or after `p`. Masks of 64 bytes are computed once and kept across
// fields and records; the '\n' sentinel after the data guarantees a hit at or before data_end.
inline const char* CsvReader::next_special(const char* p) {
  const char* const buf = data_;
  for (;;) {
    const auto index = static_cast<std::size_t>(p - buf);
    if (index >= mask_begin_ && index - mask_begin_ < 64) {
      const std::uint64_t rest = mask_ >> (index - mask_begin_);
      if (rest != 0) return p + __builtin_ctzll(rest);
      p = buf + mask_begin_ + 64;
      continue;
    }
    mask_begin_ = index;
    mask_ = special_mask(p, delimiter_);
  }
}

// Reads one record starting at cursor_ (not an empty line). raw_end is where its text ends (before the
// line end), record_end where the next record starts, newlines how many line ends sit inside quotes.
// need_more when the record may continue past the data held; then nothing is consumed.
CsvReader::Scan CsvReader::scan_record(CsvRecord& record, std::size_t& raw_end, std::size_t& record_end,
                                       std::size_t& newlines) {
  const char* const buf = data_;
  const char* const data_end = buf + size_;
  const char delimiter = delimiter_;
  record.fields.clear();
  record.malformed = false;
  record.malformed_reason = {};
  quoted_fields_.clear();
  newlines = 0;

  // The end of an unquoted stretch: the next delimiter or '\n'; a '"' there is literal.
  auto unquoted_end = [&](const char* from) {
    const char* hit = next_special(from);
    while (*hit == '"') hit = next_special(hit + 1);
    return hit;
  };
  // Ends the record at `line_end` (its '\n', or data_end at the end of the input) with a last field that
  // starts at field_begin; a CR before the line end is dropped when it is not before text_min.
  auto finish = [&](const char* field_begin, const char* line_end, const char* text_min, bool needs_unescape) {
    const char* text_end = line_end;
    if (text_end > text_min && text_end[-1] == '\r') --text_end;
    if (needs_unescape) quoted_fields_.push_back(static_cast<std::uint32_t>(record.fields.size()));
    record.fields.emplace_back(field_begin, static_cast<std::size_t>(text_end - field_begin));
    raw_end = static_cast<std::size_t>(text_end - buf);
    record_end = line_end == data_end ? size_ : static_cast<std::size_t>(line_end + 1 - buf);
  };

  const char* p = buf + cursor_;
  for (;;) {
    if (*p != '"') {
      const char* end = unquoted_end(p);
      if (*end == delimiter && end != data_end) {
        record.fields.emplace_back(p, static_cast<std::size_t>(end - p));
        p = end + 1;
        continue;
      }
      if (end == data_end && !at_eof_) return Scan::need_more;
      finish(p, end, p, false);
      return Scan::complete;
    }

    // A quoted field: find its closing quote, skipping `""`, counting the line ends inside.
    const char* const content = p + 1;
    const char* s = content;
    bool escaped = false;
    const char* closing = nullptr;
    while (closing == nullptr) {
      const char* hit = next_special(s);
      if (hit == data_end) {
        if (!at_eof_) return Scan::need_more;
        record.malformed = true;
        record.malformed_reason = "unterminated quoted field";
        const char* text_end = data_end;
        if (text_end > content && text_end[-1] == '\n') --text_end;
        if (text_end > content && text_end[-1] == '\r') --text_end;
        quoted_fields_.push_back(static_cast<std::uint32_t>(record.fields.size()));
        record.fields.emplace_back(p, static_cast<std::size_t>(text_end - p));
        raw_end = static_cast<std::size_t>(text_end - buf);
        record_end = size_;
        return Scan::complete;
      }
      if (*hit != '"') {
        newlines += *hit == '\n' ? 1 : 0;
        s = hit + 1;
      } else if (hit + 1 == data_end && !at_eof_) {
        return Scan::need_more;
      } else if (hit + 1 < data_end && hit[1] == '"') {
        escaped = true;
        s = hit + 2;
      } else {
        closing = hit;
      }
    }

    // Without `""` the field is the text between the quotes; with them it is unescaped afterwards.
    auto add_quoted_field = [&](const char* field_end) {
      if (escaped) {
        quoted_fields_.push_back(static_cast<std::uint32_t>(record.fields.size()));
        record.fields.emplace_back(p, static_cast<std::size_t>(field_end - p));
      } else {
        record.fields.emplace_back(content, static_cast<std::size_t>(closing - content));
      }
    };
    const char* after = closing + 1;
    if (after == data_end) {  // only at the end of the input: need_more was returned otherwise
      add_quoted_field(after);
      raw_end = record_end = size_;
      return Scan::complete;
    }
    if (*after == delimiter) {
      add_quoted_field(after);
      p = after + 1;
      continue;
    }
    if (*after == '\r' && after + 1 == data_end && !at_eof_) return Scan::need_more;
    if (*after == '\n' || (*after == '\r' && after[1] == '\n')) {  // the sentinel is a '\n' too
      add_quoted_field(after);
      const char* line_end = *after == '\n' ? after : after + 1;
      raw_end = static_cast<std::size_t>(after - buf);
      record_end = line_end == data_end ? size_ : static_cast<std::size_t>(line_end + 1 - buf);
      return Scan::complete;
    }

    // Text after the closing quote: kept, like the text of an unquoted field, and flagged.
    record.malformed = true;
    record.malformed_reason = "text after closing quote";
    const char* end = unquoted_end(after);
    if (*end == delimiter && end != data_end) {
      quoted_fields_.push_back(static_cast<std::uint32_t>(record.fields.size()));
      record.fields.emplace_back(p, static_cast<std::size_t>(end - p));
      p = end + 1;
      continue;
    }
    if (end == data_end && !at_eof_) return Scan::need_more;
    finish(p, end, after, true);
    return Scan::complete;
  }
}

void CsvReader::unescape_fields(CsvRecord& record) {
  std::size_t total = 0;
  for (const std::uint32_t index : quoted_fields_) total += record.fields[index].size();
  if (unescaped_.size() < total) unescaped_.resize(std::max(total, 2 * unescaped_.size()));
  char* out = unescaped_.data();
  for (const std::uint32_t index : quoted_fields_) {
    char* const begin = out;
    out = unescape_quoted(record.fields[index], out);
    record.fields[index] = std::string_view(begin, static_cast<std::size_t>(out - begin));
  }
}

bool split_points(const std::string& path, std::size_t parts, std::vector<std::uint64_t>& offsets,
                  std::string& error) {
  offsets.clear();
  InputSource source;
  if (!open_input(path, source, error)) return false;
  std::uint64_t size = source.memory.size();
  struct stat info {};
  if (!source.in_memory()) {
    if (::fstat(source.fd, &info) != 0) {
      error = system_error_text("cannot read", path);
      ::close(source.fd);
      return false;
    }
    size = static_cast<std::uint64_t>(info.st_size);
  }
  // Bytes at `at` into `window`: from memory, or read from the file.
  auto read_at = [&](std::uint64_t at, char* window, std::size_t capacity) -> ssize_t {
    if (source.in_memory()) {
      const std::size_t n = std::min<std::uint64_t>(capacity, size - at);
      std::memcpy(window, source.memory.data() + at, n);
      return static_cast<ssize_t>(n);
    }
    return ::pread(source.fd, window, capacity, static_cast<off_t>(at));
  };
  offsets.push_back(0);
  char window[64 * 1024];
  for (std::size_t i = 1; i < parts; ++i) {
    std::uint64_t at = std::max(size / parts * i, offsets.back());
    std::uint64_t cut = size;
    while (at < size) {
      const ssize_t got = read_at(at, window, sizeof window);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      const void* newline = std::memchr(window, '\n', static_cast<std::size_t>(got));
      if (newline != nullptr) {
        cut = at + static_cast<std::uint64_t>(static_cast<const char*>(newline) - window) + 1;
        break;
      }
      at += static_cast<std::uint64_t>(got);
    }
    if (cut >= size) break;
    if (cut > offsets.back()) offsets.push_back(cut);
  }
  offsets.push_back(size);
  if (!source.in_memory()) ::close(source.fd);
  return true;
}

}  // namespace leadscore::io

#pragma once
// RFC 4180 reader that scans large blocks in place: fields are views into the block.
//
// Reading rules (see docs/language.md for the user-facing version):
// - A UTF-8 BOM at the very start of the input is skipped.
// - Lines end with LF or CRLF; a CR right before the LF never ends up in a field (nor a CR at end of input).
//   A lone CR elsewhere is data.
// - A field that starts with `"` is quoted: it may hold delimiters, `""` (read as `"`) and raw line ends.
//   A `"` inside an unquoted field is kept literally.
// - Text after a closing quote (`"ab"cd`) is appended to the field and marks the record malformed.
// - An unterminated quoted field runs to the end of input and marks the record malformed.
// - A completely empty line (nothing, or only CR, before the LF) is skipped, but still counts as a line.
//   A line holding only blanks is a record with one field.
// - The header is not special: it is the first record (line 1).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace leadscore::io {

struct CsvRecord {
  std::vector<std::string_view> fields;  // unquoted values; valid until the reader's next call
  std::uint64_t line = 0;                // physical line (1-based) on which the record starts
  std::uint64_t offset = 0;              // byte offset of the record's start in the input
  std::string_view raw;                  // the record's text without its line end
  bool malformed = false;                // the record breaks RFC 4180; fields hold a best-effort reading
  std::string_view malformed_reason;     // e.g. "unterminated quoted field"; empty when well-formed
};

class CsvReader {
 public:
  static constexpr std::size_t kDefaultBlockSize = std::size_t{256} << 10;  // with its kernel copy, stays in a 1 MB L2
  // A regular file with at least this much left to read is memory-mapped instead of copied in blocks.
  static constexpr std::uint64_t kDefaultMapAtLeast = std::uint64_t{4} << 20;

  // How far a mapped file is made readable (its pages faulted in) at once, and how often the pages
  // behind are let go: each is one madvise call, and with several readers in one process these calls
  // wait on one another (the process's memory map lock), so they are made in large steps.
  static constexpr std::size_t kDefaultMapStep = std::size_t{4} << 20;

  // `block_size` is how much is read at once, and `map_step` how far a mapped file is extended at
  // once; tiny values exist for tests of block boundaries.
  // `map_at_least`: see kDefaultMapAtLeast (0 maps every regular file, UINT64_MAX none).
  explicit CsvReader(char delimiter = ',', std::size_t block_size = kDefaultBlockSize,
                     std::uint64_t map_at_least = kDefaultMapAtLeast, std::size_t map_step = kDefaultMapStep);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // error = "cannot open leads.csv: No such file or directory"
  bool open(const std::string& path, std::string& error);
  // Reads `text` (which must outlive the reader) as if it were a file's content.
  void open_memory(std::string_view text);
  // Reads the records that start in [begin, end) of a file; a record starting before `end` is read to its
  // end even past `end`. Assumes `begin` is a record start (0, or just after a line end that ends a record):
  // quotes make that unprovable locally, see split_points() for how a caller verifies it.
  // Line numbers count from `first_line` at `begin`.
  bool open_range(const std::string& path, std::uint64_t begin, std::uint64_t end, std::uint64_t first_line,
                  std::string& error);

  // Reads the next record into `record`, reusing its storage; false at the end of the input (or range),
  // or on a read error (then error() is not empty).
  bool next(CsvRecord& record);

  std::uint64_t records_read() const { return records_read_; }
  // Empty lines skipped so far, for a summary that accounts for every line.
  std::uint64_t empty_lines() const { return empty_lines_; }
  // Byte offset just after the last record returned (after its line end): the next record's start.
  std::uint64_t end_offset() const { return base_offset_ + cursor_; }
  // The physical line on which the next record would start.
  std::uint64_t next_line() const { return line_; }
  const std::string& error() const { return error_; }
  // Whether the reader is scanning the file through a memory mapping (until its last bytes).
  bool memory_mapped() const { return mapping_ != nullptr; }

 private:
  enum class Scan { complete, need_more };
  Scan scan_record(CsvRecord& record, std::size_t& raw_end, std::size_t& record_end, std::size_t& newlines);
  const char* next_special(const char* p);
  bool refill();
  bool extend_mapped();
  void map_file(std::uint64_t begin, std::uint64_t file_size);
  void unmap();
  std::size_t read_source(char* into, std::size_t capacity);
  void reset_state();
  void skip_bom();
  void unescape_fields(CsvRecord& record);

  char delimiter_;
  std::size_t block_size_;
  std::size_t map_step_;
  std::uint64_t map_at_least_;
  std::unique_ptr<char[]> buffer_;
  // The bytes scanned: buffer_, or the mapped file. Either way data_[size_] is a '\n' and at least
  // kPadding bytes from data_ + size_ on can be read.
  const char* data_ = nullptr;
  char* mapping_ = nullptr;        // the file from a page boundary at or before the range to its end
  std::size_t mapping_size_ = 0;
  std::size_t released_ = 0;       // the mapping's pages before this offset were let go (MADV_DONTNEED)
  int mapping_slot_ = -1;          // io/mapped_inputs.hpp: a truncated file is reported, not a crash
  std::size_t capacity_ = 0;  // usable bytes of buffer_, which has kPadding more
  std::size_t size_ = 0;      // bytes of input held in data_
  std::size_t cursor_ = 0;    // start of the next record in data_
  std::uint64_t base_offset_ = 0;  // input offset of data_[0]
  std::uint64_t range_end_ = UINT64_MAX;
  bool at_eof_ = false;
  bool started_ = false;

  int fd_ = -1;
  std::string_view memory_;  // the unread rest of an in-memory input
  bool from_memory_ = false;

  std::uint64_t line_ = 1;
  std::uint64_t records_read_ = 0;
  std::uint64_t empty_lines_ = 0;
  std::string error_;
  std::string path_;

  static constexpr std::size_t kNoMask = SIZE_MAX;
  std::size_t mask_begin_ = kNoMask;  // data_ index of the 64 bytes that mask_ describes
  std::uint64_t mask_ = 0;            // bit i: data_[mask_begin_ + i] is the delimiter, '\n' or '"'

  std::vector<std::uint32_t> quoted_fields_;  // indexes of fields whose text needs `""` undone
  std::string unescaped_;
};

// Byte offsets that cut a file into about `parts` pieces at line ends: {0, c1, ..., size}.
// They are candidates only: a line end inside a quoted field looks the same. A caller reading piece i
// with open_range() proves cut i+1 by checking that reader i's end_offset() equals it; if it does not,
// piece i+1 must be re-read from reader i's end_offset(). Line numbers of piece i+1 are known only then:
// piece i's first line + (its reader's next_line() - its first_line).
bool split_points(const std::string& path, std::size_t parts, std::vector<std::uint64_t>& offsets,
                  std::string& error);

}  // namespace leadscore::io

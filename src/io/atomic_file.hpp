#pragma once
// Writes an output file so that it appears whole or not at all: the data goes to a temporary file in the
// same directory (`.NAME.tmp.PID.XXXXXX`, created with the umask's usual permissions) that commit() flushes,
// fsyncs and renames onto the final path. Without commit (an error, an exception) the destructor removes it;
// a crash can leave only that hidden temporary, never a half-written NAME.
// Exceptions: `-` writes straight to stdout, and an existing path that is not a regular file (/dev/stdout,
// /dev/null, a FIFO) is written in place; neither is atomic.
#include <cstdint>
#include <string>
#include <string_view>

namespace leadscore::io {

class AtomicFileWriter {
 public:
  static constexpr std::size_t kBufferSize = std::size_t{1} << 20;

  AtomicFileWriter() = default;
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  // error = "cannot create out/scores.csv: Permission denied"
  bool open(const std::string& final_path, std::string& error);
  // Buffered; false once any write has failed (full disk, closed pipe...). The first failure is kept for commit().
  bool write(std::string_view data);
  // Flushes, fsyncs, closes and renames onto the final path; false (and nothing at the final path) on any error.
  bool commit(std::string& error);
  // Drops everything written so far and removes the temporary file.
  void discard();

  const std::string& temporary_path() const { return temporary_path_; }

 private:
  enum class Mode { closed, temporary, direct, standard_output };
  bool flush_buffer();
  static constexpr std::uint64_t kWritebackChunk = std::uint64_t{8} << 20;
  std::uint64_t synced_ = 0;  // bytes handed to writeback so far
  bool write_all(const char* data, std::size_t size);
  void fail(const std::string& verb, const std::string& path);

  Mode mode_ = Mode::closed;
  int fd_ = -1;
  std::string final_path_;
  std::string temporary_path_;
  std::string buffer_;
  std::string error_;
};

}  // namespace leadscore::io

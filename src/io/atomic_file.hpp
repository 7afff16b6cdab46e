#pragma once
// Writes an output file so that it appears whole or not at all: the data goes to a temporary file in the
// same directory (`.NAME.tmp.PID.XXXXXX`) that commit() flushes, fsyncs and renames onto the final path.
// Without commit (an error, an exception) the destructor removes it, and so does SIGINT, SIGTERM or
// SIGHUP (io/temporary_files.hpp); a crash can leave only that hidden temporary, never a half-written NAME.
// A file that is replaced keeps its permission bits (and owner and group where the process may set them);
// a new file gets the umask's usual permissions. A symlink is written through: the temporary goes beside
// the symlink's target and is renamed onto the target, so the link stays a link.
// Exceptions: `-` writes straight to stdout, and an existing path that is not a regular file (/dev/stdout,
// /dev/null, a FIFO) is written in place; neither is atomic.
#include <cstdint>
#include <initializer_list>
#include <span>
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
  bool commit(std::string& error) { return finish(error) && publish(error); }
  // The two halves of commit, for several outputs published together (commit_all): finish() flushes,
  // fsyncs and closes, so every write error is known; publish() renames the finished file into place.
  bool finish(std::string& error);
  bool publish(std::string& error);
  // Drops everything written so far and removes the temporary file.
  void discard();

  const std::string& temporary_path() const { return temporary_path_; }

 private:
  enum class Mode { closed, temporary, direct, standard_output, finished };
  bool flush_buffer();
  static constexpr std::uint64_t kWritebackChunk = std::uint64_t{8} << 20;
  std::uint64_t synced_ = 0;  // bytes handed to writeback so far
  bool write_all(const char* data, std::size_t size);
  void fail(const std::string& verb, const std::string& path);
  void keep_permissions_of_target();

  Mode mode_ = Mode::closed;
  int fd_ = -1;
  std::string final_path_;   // as the user wrote it, for messages
  std::string target_path_;  // where the rename lands: final_path_ with symlinks resolved
  std::string temporary_path_;
  int registry_slot_ = -1;
  std::string buffer_;
  std::string error_;
};

// Publishes several outputs all or nothing: finishes every one first and, only when all of them are
// complete on disk, renames them into place; on any error nothing is renamed, every temporary is removed
// and the previous files stay as they were. The one gap left: a rename that fails after an earlier one
// succeeded (the directory itself failing between two renames in it).
bool commit_all(std::span<AtomicFileWriter* const> writers, std::string& error);
inline bool commit_all(std::initializer_list<AtomicFileWriter*> writers, std::string& error) {
  return commit_all(std::span<AtomicFileWriter* const>(writers.begin(), writers.size()), error);
}

}  // namespace leadscore::io

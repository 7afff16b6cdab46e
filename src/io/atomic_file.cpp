#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>

#include "io/path_identity.hpp"
#include "io/temporary_files.hpp"

namespace leadscore::io {
namespace {

std::string system_error_text(const std::string& verb, const std::string& path) {
  return verb + " " + path + ": " + std::strerror(errno);
}

// Six letters and digits that differ between calls and processes; O_EXCL catches the rare clash.
std::string random_suffix() {
  static std::atomic<std::uint64_t> counter{0};
  std::uint64_t seed = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                       (counter.fetch_add(1) * 0x9E3779B97F4A7C15ULL) ^ static_cast<std::uint64_t>(::getpid());
  seed ^= seed >> 33;
  seed *= 0xFF51AFD7ED558CCDULL;
  seed ^= seed >> 33;
  constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string suffix;
  for (int i = 0; i < 6; ++i) {
    suffix.push_back(kAlphabet[seed % 62]);
    seed /= 62;
  }
  return suffix;
}

void sync_directory(const std::string& directory) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);  // durability of the rename; the file itself is already complete either way
  ::close(fd);
}

}  // namespace

AtomicFileWriter::~AtomicFileWriter() { discard(); }

void AtomicFileWriter::fail(const std::string& verb, const std::string& path) {
  if (error_.empty()) error_ = system_error_text(verb, path);
}

bool AtomicFileWriter::open(const std::string& final_path, std::string& error) {
  discard();
  error_.clear();
  buffer_.clear();
  buffer_.reserve(kBufferSize);
  final_path_ = final_path;

  if (final_path == "-") {
    fd_ = STDOUT_FILENO;
    mode_ = Mode::standard_output;
    return true;
  }
  struct stat info {};
  if (::stat(final_path.c_str(), &info) == 0 && !S_ISREG(info.st_mode)) {
    if (S_ISDIR(info.st_mode)) {
      errno = EISDIR;
      error = system_error_text("cannot create", final_path);
      return false;
    }
    fd_ = ::open(final_path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd_ < 0) {
      error = system_error_text("cannot open", final_path);
      return false;
    }
    mode_ = Mode::direct;
    return true;
  }

  target_path_ = resolve_write_target(final_path);
  const std::size_t slash = target_path_.rfind('/');
  const std::string directory = slash == std::string::npos ? "" : target_path_.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? target_path_ : target_path_.substr(slash + 1);
  const std::string prefix = directory + "." + name + ".tmp." + std::to_string(::getpid()) + ".";
  for (int attempt = 0; attempt < 100; ++attempt) {
    temporary_path_ = prefix + random_suffix();
    // Registered before it exists, so no signal can come between its creation and its registration.
    registry_slot_ = register_temporary(temporary_path_);
    fd_ = ::open(temporary_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0) break;
    const int open_errno = errno;
    release_temporary(registry_slot_);
    registry_slot_ = -1;
    errno = open_errno;
    if (errno != EEXIST) break;
  }
  if (fd_ < 0) {
    error = system_error_text("cannot create", final_path);
    temporary_path_.clear();
    return false;
  }
  mode_ = Mode::temporary;
  keep_permissions_of_target();
  return true;
}

void AtomicFileWriter::keep_permissions_of_target() {
  struct stat previous {};
  if (::stat(target_path_.c_str(), &previous) != 0 || !S_ISREG(previous.st_mode)) return;
  struct stat created {};
  if (::fstat(fd_, &created) == 0 && (created.st_uid != previous.st_uid || created.st_gid != previous.st_gid)) {
    // Allowed for root, or for the owner to one of its groups; otherwise the file is the writer's own.
    if (::fchown(fd_, previous.st_uid, previous.st_gid) != 0 && ::fchown(fd_, static_cast<uid_t>(-1), previous.st_gid) != 0) {
    }
  }
  ::fchmod(fd_, previous.st_mode & 07777);
}

bool AtomicFileWriter::write_all(const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd_, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", final_path_);
      return false;
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

bool AtomicFileWriter::flush_buffer() {
  if (!error_.empty()) return false;
  const bool ok = write_all(buffer_.data(), buffer_.size());
  buffer_.clear();
  // Start writing back what is complete, so the fsync at commit finds little left to do.
  if (ok && mode_ == Mode::temporary) {
    const auto end = static_cast<std::uint64_t>(::lseek(fd_, 0, SEEK_CUR));
    if (end >= synced_ + kWritebackChunk) {
      ::sync_file_range(fd_, static_cast<off_t>(synced_), static_cast<off_t>(end - synced_), SYNC_FILE_RANGE_WRITE);
      synced_ = end;
    }
  }
  return ok;
}

bool AtomicFileWriter::write(std::string_view data) {
  if (mode_ == Mode::closed || mode_ == Mode::finished || !error_.empty()) return false;
  if (buffer_.size() + data.size() <= kBufferSize) {
    buffer_.append(data);
    return true;
  }
  if (!flush_buffer()) return false;
  if (data.size() >= kBufferSize) return write_all(data.data(), data.size());
  buffer_.append(data);
  return true;
}

bool AtomicFileWriter::finish(std::string& error) {
  if (mode_ == Mode::closed || mode_ == Mode::finished) {
    error = "cannot write " + final_path_ + ": not open";
    return false;
  }
  bool ok = flush_buffer();
  if (ok && mode_ == Mode::temporary && ::fsync(fd_) != 0) {
    fail("cannot write", final_path_);
    ok = false;
  }
  if (mode_ != Mode::standard_output) {
    if (::close(fd_) != 0 && ok) {
      fail("cannot write", final_path_);
      ok = false;
    }
    fd_ = -1;
  }
  if (!ok) {
    error = error_;
    discard();
    return false;
  }
  mode_ = temporary_path_.empty() ? Mode::closed : Mode::finished;
  return true;
}

bool AtomicFileWriter::publish(std::string& error) {
  if (mode_ == Mode::closed) return true;  // written in place by finish()
  if (mode_ != Mode::finished) {
    error = "cannot write " + final_path_ + ": not finished";
    return false;
  }
  if (::rename(temporary_path_.c_str(), target_path_.c_str()) != 0) {
    fail("cannot replace", final_path_);
    error = error_;
    discard();
    return false;
  }
  temporary_path_.clear();
  release_temporary(registry_slot_);
  registry_slot_ = -1;
  const std::size_t slash = target_path_.rfind('/');
  sync_directory(slash == std::string::npos ? "." : target_path_.substr(0, slash + 1));
  mode_ = Mode::closed;
  return true;
}

void AtomicFileWriter::discard() {
  if (fd_ >= 0 && mode_ != Mode::standard_output) ::close(fd_);
  fd_ = -1;
  if (!temporary_path_.empty()) ::unlink(temporary_path_.c_str());
  temporary_path_.clear();
  release_temporary(registry_slot_);
  registry_slot_ = -1;
  buffer_.clear();
  mode_ = Mode::closed;
}

bool commit_all(std::span<AtomicFileWriter* const> writers, std::string& error) {
  bool ok = true;
  for (AtomicFileWriter* writer : writers)
    if (ok && !writer->finish(error)) ok = false;
  if (!ok) {
    for (AtomicFileWriter* writer : writers) writer->discard();
    return false;
  }
  for (AtomicFileWriter* writer : writers)
    if (!writer->publish(error)) return false;
  return true;
}

}  // namespace leadscore::io

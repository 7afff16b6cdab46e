#include "io/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>

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

  const std::size_t slash = final_path.rfind('/');
  const std::string directory = slash == std::string::npos ? "" : final_path.substr(0, slash + 1);
  const std::string name = slash == std::string::npos ? final_path : final_path.substr(slash + 1);
  const std::string prefix = directory + "." + name + ".tmp." + std::to_string(::getpid()) + ".";
  for (int attempt = 0; attempt < 100; ++attempt) {
    temporary_path_ = prefix + random_suffix();
    fd_ = ::open(temporary_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ >= 0 || errno != EEXIST) break;
  }
  if (fd_ < 0) {
    error = system_error_text("cannot create", final_path);
    temporary_path_.clear();
    return false;
  }
  mode_ = Mode::temporary;
  return true;
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
  if (mode_ == Mode::closed || !error_.empty()) return false;
  if (buffer_.size() + data.size() <= kBufferSize) {
    buffer_.append(data);
    return true;
  }
  if (!flush_buffer()) return false;
  if (data.size() >= kBufferSize) return write_all(data.data(), data.size());
  buffer_.append(data);
  return true;
}

bool AtomicFileWriter::commit(std::string& error) {
  if (mode_ == Mode::closed) {
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
  if (ok && mode_ == Mode::temporary) {
    if (::rename(temporary_path_.c_str(), final_path_.c_str()) != 0) {
      fail("cannot replace", final_path_);
      ok = false;
    } else {
      temporary_path_.clear();
      const std::size_t slash = final_path_.rfind('/');
      sync_directory(slash == std::string::npos ? "." : final_path_.substr(0, slash + 1));
    }
  }
  if (!ok) {
    error = error_;
    discard();
    return false;
  }
  mode_ = Mode::closed;
  return true;
}

void AtomicFileWriter::discard() {
  if (fd_ >= 0 && mode_ != Mode::standard_output) ::close(fd_);
  fd_ = -1;
  if (!temporary_path_.empty()) ::unlink(temporary_path_.c_str());
  temporary_path_.clear();
  buffer_.clear();
  mode_ = Mode::closed;
}

}  // namespace leadscore::io

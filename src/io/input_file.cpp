#include "io/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace leadscore::io {
namespace {

std::string system_error_text(const std::string& verb, const std::string& path) {
  return verb + " " + path + ": " + std::strerror(errno);
}

// Content of the non-seekable inputs read so far, by device and inode.
struct Spool {
  std::mutex mutex;
  std::map<std::pair<dev_t, ino_t>, std::unique_ptr<std::string>> content;
};

Spool& spool() {
  static Spool instance;
  return instance;
}

bool read_all(int fd, const std::string& path, std::string& out, std::string& error) {
  char block[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, block, sizeof block);
    if (n > 0) {
      out.append(block, static_cast<std::size_t>(n));
    } else if (n == 0) {
      return true;
    } else if (errno != EINTR) {
      error = system_error_text("cannot read", path);
      return false;
    }
  }
}

}  // namespace

bool open_input(const std::string& path, InputSource& source, std::string& error) {
  source = InputSource{};
  const bool standard_input = path == "-";
  struct stat info {};
  // stat() never blocks, open() of a FIFO does: a FIFO read before is found without opening it again.
  if ((standard_input ? ::fstat(STDIN_FILENO, &info) : ::stat(path.c_str(), &info)) != 0) {
    error = system_error_text("cannot open", standard_input ? std::string("standard input") : path);
    return false;
  }
  if (S_ISDIR(info.st_mode)) {
    errno = EISDIR;
    error = system_error_text("cannot read", path);
    return false;
  }
  if (!standard_input && S_ISREG(info.st_mode)) {
    source.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (source.fd < 0) {
      error = system_error_text("cannot open", path);
      return false;
    }
    return true;
  }
  Spool& s = spool();
  std::lock_guard<std::mutex> lock(s.mutex);
  auto& slot = s.content[{info.st_dev, info.st_ino}];
  if (!slot) {
    const int fd = standard_input ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error = system_error_text("cannot open", path);
      s.content.erase({info.st_dev, info.st_ino});
      return false;
    }
    auto text = std::make_unique<std::string>();
    const bool ok = read_all(fd, standard_input ? std::string("standard input") : path, *text, error);
    if (!standard_input) ::close(fd);
    if (!ok) {
      s.content.erase({info.st_dev, info.st_ino});
      return false;
    }
    slot = std::move(text);
  }
  source.memory = *slot;
  return true;
}

std::string read_input_bytes(const std::string& path, std::uint64_t offset, std::uint32_t length) {
  InputSource source;
  std::string error;
  if (!open_input(path, source, error)) return {};
  if (source.in_memory()) {
    if (offset >= source.memory.size()) return {};
    return std::string(source.memory.substr(static_cast<std::size_t>(offset), length));
  }
  std::string raw(length, '\0');
  const ssize_t got = ::pread(source.fd, raw.data(), length, static_cast<off_t>(offset));
  ::close(source.fd);
  raw.resize(got > 0 ? static_cast<std::size_t>(got) : 0);
  return raw;
}

bool input_size(const std::string& path, std::uint64_t& size, std::string& error) {
  InputSource source;
  if (!open_input(path, source, error)) return false;
  if (source.in_memory()) {
    size = source.memory.size();
    return true;
  }
  struct stat info {};
  const bool ok = ::fstat(source.fd, &info) == 0;
  if (!ok) error = system_error_text("cannot read", path);
  ::close(source.fd);
  size = static_cast<std::uint64_t>(info.st_size);
  return ok;
}

}  // namespace leadscore::io

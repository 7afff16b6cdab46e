#include "io/staged_directory.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <iterator>
#include <unistd.h>
#include <utility>

#include <fmt/format.h>

#include "io/temporary_files.hpp"

namespace leadscore::io {

namespace fs = std::filesystem;

namespace {

std::string parent_of(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

bool fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

StagedDirectory::~StagedDirectory() { discard(); }

bool StagedDirectory::open(const std::string& final_path, std::string& error) {
  discard();
  std::string name = fs::path(final_path).filename().string();
  if (name.empty() || name == "." || name == "..") {
    error = fmt::format("{}: name a directory to create, not `.` or `..`", final_path);
    return false;
  }
  final_path_ = final_path;
  std::string pattern = fmt::format("{}/.{}.staging.{}.XXXXXX", parent_of(final_path), name, ::getpid());
  if (!::mkdtemp(pattern.data())) {
    error = fmt::format("cannot create a staging directory beside {}: {}", final_path, std::strerror(errno));
    return false;
  }
  staging_path_ = pattern;
  cleanup_slot_ = register_temporary_directory(staging_path_);
  // mkdtemp makes the directory 0700; published, it gets the mode mkdir would have given it (workers
  // running as another user on shared storage must be able to read it).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(staging_path_.c_str(), 0777 & ~mask);
  return true;
}

bool StagedDirectory::publish(std::string& error) {
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(staging_path_, ec)) {
    bool ok = entry.is_directory() ? fsync_path(entry.path().string(), O_RDONLY | O_DIRECTORY)
                                   : fsync_path(entry.path().string(), O_RDONLY);
    if (!ok) {
      error = fmt::format("cannot write {}: {}", entry.path().string(), std::strerror(errno));
      return false;
    }
  }
  fsync_path(staging_path_, O_RDONLY | O_DIRECTORY);
  if (ec) {
    error = fmt::format("cannot read {}: {}", staging_path_, ec.message());
    return false;
  }
  if (fs::exists(fs::symlink_status(final_path_))) {
    // Swap the new directory in and the old one out in one step; the old one is then at the staging path.
    if (::renameat2(AT_FDCWD, staging_path_.c_str(), AT_FDCWD, final_path_.c_str(), RENAME_EXCHANGE) != 0) {
      error = fmt::format("cannot replace {}: {}", final_path_, std::strerror(errno));
      return false;
    }
    fsync_path(parent_of(final_path_), O_RDONLY | O_DIRECTORY);
    fs::remove_all(staging_path_, ec);
    staging_path_.clear();
    release_temporary(std::exchange(cleanup_slot_, -1));
    return true;
  }
  if (::rename(staging_path_.c_str(), final_path_.c_str()) != 0) {
    error = fmt::format("cannot create {}: {}", final_path_, std::strerror(errno));
    return false;
  }
  fsync_path(parent_of(final_path_), O_RDONLY | O_DIRECTORY);
  staging_path_.clear();
  release_temporary(std::exchange(cleanup_slot_, -1));
  return true;
}

void StagedDirectory::discard() {
  if (staging_path_.empty()) return;
  std::error_code ec;
  fs::remove_all(staging_path_, ec);
  staging_path_.clear();
  release_temporary(std::exchange(cleanup_slot_, -1));
}

bool path_is_within(const std::string& inner, const std::string& outer) {
  std::error_code ec;
  fs::path a = fs::weakly_canonical(fs::absolute(inner, ec), ec);
  fs::path b = fs::weakly_canonical(fs::absolute(outer, ec), ec);
  auto [mismatch, _] = std::mismatch(b.begin(), b.end(), a.begin(), a.end());
  if (mismatch == b.end()) return true;
  // `out/` resolves with an empty last element: the prefix still matches.
  return std::next(mismatch) == b.end() && mismatch->empty();
}

}  // namespace leadscore::io

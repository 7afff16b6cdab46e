#include "io/path_identity.hpp"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

namespace leadscore::io {
namespace {

constexpr int kMaxSymlinkHops = 40;  // as the kernel's ELOOP limit

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string name_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

std::optional<std::string> real_path(const std::string& path) {
  std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(path.c_str(), nullptr), &std::free);
  if (!resolved) return std::nullopt;
  return std::string(resolved.get());
}

struct Identity {
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
  std::string resolved;
};

Identity identify(const std::string& path) {
  Identity id;
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    id.exists = true;
    id.device = info.st_dev;
    id.inode = info.st_ino;
  } else {
    id.resolved = resolve_write_target(path);
  }
  return id;
}

bool is_replaced_on_write(const std::string& path) {
  if (path == "-") return false;
  struct stat info {};
  return ::stat(path.c_str(), &info) != 0 || S_ISREG(info.st_mode);
}

}  // namespace

std::string resolve_write_target(const std::string& path) {
  std::string current = path;
  for (int hop = 0; hop < kMaxSymlinkHops; ++hop) {
    struct stat info {};
    if (::lstat(current.c_str(), &info) != 0 || !S_ISLNK(info.st_mode)) break;
    std::string target(static_cast<std::size_t>(PATH_MAX), '\0');
    const ssize_t length = ::readlink(current.c_str(), target.data(), target.size());
    if (length <= 0) break;
    target.resize(static_cast<std::size_t>(length));
    current = target.front() == '/' ? target : directory_of(current) + "/" + target;
  }
  const std::string name = name_of(current);
  if (name.empty() || name == "." || name == "..") return real_path(current).value_or(current);
  auto directory = real_path(directory_of(current));
  if (!directory) return current;
  return (*directory == "/" ? "" : *directory) + "/" + name;
}

bool same_file(const std::string& a, const std::string& b) {
  const Identity x = identify(a), y = identify(b);
  if (x.exists != y.exists) return false;
  if (x.exists) return x.device == y.device && x.inode == y.inode;
  return x.resolved == y.resolved;
}

std::optional<std::string> find_output_overlap(const std::vector<NamedPath>& outputs,
                                               const std::vector<NamedPath>& inputs) {
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const NamedPath& out = outputs[i];
    if (!is_replaced_on_write(out.path)) continue;
    for (const NamedPath& in : inputs)
      if (in.path != "-" && same_file(out.path, in.path))
        return out.described + " is the same file as " + in.described +
               ": an output never replaces an input; choose another path";
    for (std::size_t j = 0; j < i; ++j)
      if (is_replaced_on_write(outputs[j].path) && same_file(out.path, outputs[j].path))
        return out.described + " is the same file as " + outputs[j].described +
               ": each output needs its own path";
  }
  return std::nullopt;
}

}  // namespace leadscore::io

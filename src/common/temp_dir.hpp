#pragma once
// A temporary directory (under $TMPDIR or /tmp) removed with everything in it when it goes out of scope.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace leadscore {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "leadscore") {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + ".XXXXXX";
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }  // empty when it could not be created

 private:
  std::string path_;
};

}  // namespace leadscore

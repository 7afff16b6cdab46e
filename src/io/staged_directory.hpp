#pragma once
// Publishes a whole directory at once: everything is written into a hidden staging directory beside
// the destination (`.NAME.staging.PID.XXXXXX`), and publish() renames it onto the destination. An
// existing destination is swapped out in one step (renameat2 RENAME_EXCHANGE) and then removed, so a
// reader sees the old directory or the new one, never a half-written one. Without publish (an error,
// an exception) the destructor removes the staging directory.
#include <string>

namespace leadscore::io {

class StagedDirectory {
 public:
  StagedDirectory() = default;
  ~StagedDirectory();
  StagedDirectory(const StagedDirectory&) = delete;
  StagedDirectory& operator=(const StagedDirectory&) = delete;

  // error = "cannot create a staging directory beside out/parts: Permission denied"
  bool open(const std::string& final_path, std::string& error);
  // Where to write the content while it is staged.
  const std::string& path() const { return staging_path_; }
  // fsyncs the staging directory's files, then renames it onto the destination (replacing one there).
  bool publish(std::string& error);
  void discard();

 private:
  std::string final_path_;
  std::string staging_path_;
  int cleanup_slot_ = -1;  // removes the staging directory on SIGINT, SIGTERM, SIGHUP
};

// True when `inner` is `outer` or lies inside it (both resolved: symlinks, `..`, relative spellings).
bool path_is_within(const std::string& inner, const std::string& outer);

}  // namespace leadscore::io

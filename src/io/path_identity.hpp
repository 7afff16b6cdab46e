#pragma once
// Whether two paths name the same file, so that no command writes an output onto one of its inputs
// or two outputs onto one file. An existing file is known by device and inode (so a hard link, a
// symlink and any spelling of the path agree); a file that does not exist yet by its resolved path.
#include <optional>
#include <string>
#include <vector>

namespace leadscore::io {

// The path a write to `path` lands on: symlinks followed (a dangling one too: the write creates its
// target) and the directory part resolved. `path` itself when the directory does not exist.
std::string resolve_write_target(const std::string& path);

// True when `a` and `b` are the same file (or, not existing yet, the same resolved path).
bool same_file(const std::string& a, const std::string& b);

// A file a command reads or writes, and the words that name it to the user: {"leads.csv",
// "--leads leads.csv"}, {"lists/domains.txt", "the list file lists/domains.txt that acme.rules names"}.
struct NamedPath {
  std::string path;
  std::string described;
};

// The first output that is one of the inputs or another output, as one line such as
// "--out leads.csv is the same file as --leads leads.csv", or nullopt when every output is distinct.
// `-` (standard output) and existing outputs that are not regular files (/dev/null, a FIFO) are
// written in place, never replaced, and are not compared.
std::optional<std::string> find_output_overlap(const std::vector<NamedPath>& outputs,
                                               const std::vector<NamedPath>& inputs);

}  // namespace leadscore::io

#include "jobs/git_rules.hpp"

#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

#include <fmt/format.h>

#include "common/suggest.hpp"

extern char** environ;

namespace leadscore::jobs {

namespace fs = std::filesystem;

bool parse_rules_spec(std::string_view text, RulesSpec& out, std::string& error) {
  out = RulesSpec{};
  out.text = std::string(text);
  if (text.rfind("git:", 0) != 0) {
    out.path = std::string(text);
    return true;
  }
  std::string_view rest = text.substr(4);
  auto colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) {
    error = fmt::format("\"{}\": write git:REF:PATH, e.g. git:HEAD~1:rules/acme.rules", text);
    return false;
  }
  out.git = true;
  out.ref = std::string(rest.substr(0, colon));
  out.path = std::string(rest.substr(colon + 1));
  return true;
}

namespace {

// Runs a program (no shell) with stdout to `out_path` (or /dev/null) and stderr to /dev/null.
int run_quiet(const std::vector<std::string>& argv, const std::string& out_path = "/dev/null") {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The first line a git command prints, or nullopt when it fails.
std::optional<std::string> git_line(const std::vector<std::string>& args, const TempDir& dir) {
  std::string out_path = dir.path() + "/git.out";
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  if (run_quiet(argv, out_path) != 0) return std::nullopt;
  std::ifstream in(out_path);
  std::string line;
  std::getline(in, line);
  return line;
}

// A symbolic link committed in the ref must not lead out of the extracted folder to a local file.
bool remove_escaping_links(const std::string& root, const std::string& rules_path, std::string& escaped) {
  std::error_code ec;
  const fs::path top = fs::weakly_canonical(root, ec);
  std::vector<fs::path> escaping;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code link_ec;
    if (!it->is_symlink(link_ec)) continue;
    const fs::path target = fs::weakly_canonical(it->path(), link_ec).lexically_relative(top);
    if (link_ec || target.empty() || *target.begin() == "..") escaping.push_back(it->path());
  }
  bool rules_escaped = false;
  for (const auto& link : escaping) {
    fs::remove(link, ec);
    if (link == fs::path(rules_path)) rules_escaped = true;
  }
  if (rules_escaped) escaped = rules_path;
  return !rules_escaped;
}

// The lines a git command prints, or empty when it fails.
std::vector<std::string> git_lines(const std::vector<std::string>& args, const TempDir& dir) {
  std::string out_path = dir.path() + "/git.out";
  std::vector<std::string> argv{"git"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> lines;
  if (run_quiet(argv, out_path) != 0) return lines;
  std::ifstream in(out_path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Why a reference may be missing: a misspelt branch or tag (did you mean), or a shallow clone, as CI
// checkouts are by default, that never fetched it.
std::string missing_ref_hint(const std::string& ref, const std::string& top, const TempDir& dir) {
  std::string base = ref.substr(0, ref.find_first_of("~^@"));
  auto names = git_lines({"-C", top, "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags", "refs/remotes"}, dir);
  if (auto near = closest_match(base, names); near && *near != base)
    return fmt::format(" (did you mean \"{}{}\"?)", *near, ref.substr(base.size()));
  if (git_line({"-C", top, "rev-parse", "--is-shallow-repository"}, dir).value_or("") == "true")
    return "; this clone is shallow, so older commits and other branches are not in it: fetch the reference "
           "first (git fetch origin <branch>, or fetch-depth: 0 in actions/checkout)";
  return "";
}

// A plain path as annotations name it: from the top folder of the git work tree that holds the file,
// else as written (normalised).
std::string path_from_top(const std::string& path, const TempDir& dir) {
  const std::string normal = fs::path(path).lexically_normal().generic_string();
  std::error_code ec;
  const fs::path file = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec || dir.path().empty()) return normal;
  auto top = git_line({"-C", file.parent_path().string(), "rev-parse", "--show-toplevel"}, dir);
  if (!top || top->empty()) return normal;
  const fs::path relative = file.lexically_relative(fs::weakly_canonical(*top, ec));
  if (ec || relative.empty() || *relative.begin() == "..") return normal;
  return relative.generic_string();
}

}  // namespace

bool check_out_rules(const RulesSpec& spec, const TempDir& dir, const std::string& side, CheckedOutRules& out,
                     std::string& error) {
  out = CheckedOutRules{spec.path, spec.path, spec.path};
  if (!spec.git) {
    out.annotate_path = path_from_top(spec.path, dir);
    return true;
  }
  if (dir.path().empty()) {
    error = "cannot create a temporary directory";
    return false;
  }
  auto top = git_line({"rev-parse", "--show-toplevel"}, dir);
  if (!top || top->empty()) {
    error = fmt::format("{}: the current directory is not inside a git work tree", spec.text);
    return false;
  }
  const std::string prefix = git_line({"rev-parse", "--show-prefix"}, dir).value_or("");
  auto git = [&](std::vector<std::string> args, const std::string& out_path = "/dev/null") {
    args.insert(args.begin(), {std::string("git"), std::string("-C"), *top});
    return run_quiet(args, out_path);
  };
  if (git({"rev-parse", "--verify", "--quiet", spec.ref + "^{commit}"}) != 0) {
    error = fmt::format("{}: git reference \"{}\" does not exist in this repository{}", spec.text, spec.ref,
                        missing_ref_hint(spec.ref, *top, dir));
    return false;
  }
  const bool from_here = spec.path.rfind("./", 0) == 0 || spec.path.rfind("../", 0) == 0;
  std::string path = from_here ? (fs::path(prefix) / spec.path).lexically_normal().string() : spec.path;
  if (!from_here && git({"cat-file", "-e", spec.ref + ":" + path}) != 0 && !prefix.empty() &&
      git({"cat-file", "-e", spec.ref + ":" + prefix + path}) == 0)
    path = prefix + path;
  if (path.empty() || path.rfind("../", 0) == 0 || git({"cat-file", "-e", spec.ref + ":" + path}) != 0) {
    error = fmt::format("{}: \"{}\" does not exist at {} (paths are read from the repository's top folder{}; "
                        "start with ./ for one relative to the current folder)",
                        spec.text, path, spec.ref, prefix.empty() ? "" : ", here " + prefix);
    return false;
  }
  const std::string parent = fs::path(path).parent_path().string();
  const std::string tree = spec.ref + ":" + parent;
  const std::string root = dir.path() + "/" + side;
  const std::string tar = dir.path() + "/" + side + ".tar";
  fs::create_directories(root);
  if (git({"archive", "--format=tar", "-o", tar, tree}) != 0 || run_quiet({"tar", "-xf", tar, "-C", root}) != 0) {
    error = fmt::format("{}: cannot extract {} from git", spec.text, tree);
    return false;
  }
  out.rules_path = root + "/" + fs::path(path).filename().string();
  out.repo_path = path;
  out.annotate_path = path;
  std::string escaped;
  if (!remove_escaping_links(root, out.rules_path, escaped)) {
    error = fmt::format("{}: \"{}\" is a symbolic link to outside {} at {}; refused", spec.text, path,
                        parent.empty() ? "the repository" : parent, spec.ref);
    return false;
  }
  return true;
}

}  // namespace leadscore::jobs

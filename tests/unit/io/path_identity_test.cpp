#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "common/temp_dir.hpp"
#include "io/path_identity.hpp"

using leadscore::TempDir;
using leadscore::io::find_output_overlap;
using leadscore::io::NamedPath;
using leadscore::io::resolve_write_target;
using leadscore::io::same_file;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

}  // namespace

TEST_CASE("path identity: a hard link, a symlink and other spellings are the same file") {
  TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  const fs::path leads = fs::path(dir.path()) / "leads.csv";
  write_file(leads, "lead_id\nL1\n");

  SUBCASE("hard link") {
    fs::create_hard_link(leads, fs::path(dir.path()) / "hard.csv");
    CHECK(same_file(leads.string(), (fs::path(dir.path()) / "hard.csv").string()));
  }
  SUBCASE("symlink, relative target") {
    fs::create_symlink("leads.csv", fs::path(dir.path()) / "link.csv");
    CHECK(same_file(leads.string(), (fs::path(dir.path()) / "link.csv").string()));
  }
  SUBCASE("relative and absolute spellings") {
    const std::string relative = fs::relative(leads, fs::current_path()).string();
    REQUIRE(relative.front() != '/');
    CHECK(same_file(relative, leads.string()));
    CHECK(same_file(dir.path() + "/./sub/../leads.csv", leads.string()) == fs::exists(dir.path() + "/sub"));
    fs::create_directory(fs::path(dir.path()) / "sub");
    CHECK(same_file(dir.path() + "/./sub/../leads.csv", leads.string()));
    CHECK(same_file(dir.path() + "//leads.csv", leads.string()));
  }
  SUBCASE("a different file with the same content is not the same file") {
    write_file(fs::path(dir.path()) / "copy.csv", "lead_id\nL1\n");
    CHECK_FALSE(same_file(leads.string(), (fs::path(dir.path()) / "copy.csv").string()));
  }
  SUBCASE("an existing file and a path that does not exist are different") {
    CHECK_FALSE(same_file(leads.string(), (fs::path(dir.path()) / "new.csv").string()));
  }
}

TEST_CASE("path identity: outputs that do not exist yet compare by resolved path") {
  TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  const fs::path real = fs::path(dir.path()) / "real";
  fs::create_directory(real);
  fs::create_directory_symlink("real", fs::path(dir.path()) / "linked");

  SUBCASE("a new file in a symlinked directory") {
    CHECK(same_file(dir.path() + "/linked/new.csv", (real / "new.csv").string()));
    CHECK(resolve_write_target(dir.path() + "/linked/new.csv") == fs::canonical(real).string() + "/new.csv");
    CHECK_FALSE(same_file(dir.path() + "/linked/new.csv", (real / "other.csv").string()));
  }
  SUBCASE("a dangling symlink is where its target will be written") {
    fs::create_symlink("real/target.csv", fs::path(dir.path()) / "dangling.csv");
    CHECK(resolve_write_target(dir.path() + "/dangling.csv") == fs::canonical(real).string() + "/target.csv");
    CHECK(same_file(dir.path() + "/dangling.csv", (real / "target.csv").string()));
  }
  SUBCASE("a chain of symlinks to an existing file") {
    write_file(real / "scores.csv", "x\n");
    fs::create_symlink("real/scores.csv", fs::path(dir.path()) / "one.csv");
    fs::create_symlink("one.csv", fs::path(dir.path()) / "two.csv");
    CHECK(resolve_write_target(dir.path() + "/two.csv") == fs::canonical(real).string() + "/scores.csv");
  }
  SUBCASE("a path in a directory that does not exist is left as written") {
    CHECK(resolve_write_target(dir.path() + "/missing/x.csv") == dir.path() + "/missing/x.csv");
  }
}

TEST_CASE("path identity: find_output_overlap names the output and what it clashes with") {
  TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  const std::string leads = dir.path() + "/leads.csv", rules = dir.path() + "/x.rules";
  write_file(leads, "lead_id\n");
  write_file(rules, "ruleset \"x\" version 1\n");
  const std::vector<NamedPath> inputs = {{rules, "the rules file x.rules"}, {leads, "--leads leads.csv"}};

  CHECK_FALSE(find_output_overlap({{dir.path() + "/out.csv", "--out out.csv"}}, inputs));
  CHECK(find_output_overlap({{leads, "--out leads.csv"}}, inputs) ==
        "--out leads.csv is the same file as --leads leads.csv: an output never replaces an input; choose another path");
  CHECK(find_output_overlap({{rules, "--rejects x.rules"}}, inputs) ==
        "--rejects x.rules is the same file as the rules file x.rules: an output never replaces an input; "
        "choose another path");
  CHECK(find_output_overlap({{dir.path() + "/a.csv", "--out a.csv"}, {dir.path() + "/./a.csv", "--rejects ./a.csv"}},
                            inputs) == "--rejects ./a.csv is the same file as --out a.csv: each output needs its own path");
  // Standard output and devices are written in place, never replaced: not compared.
  CHECK_FALSE(find_output_overlap({{"-", "--out -"}, {"-", "--rejects -"}}, {{"-", "--leads -"}}));
  CHECK_FALSE(find_output_overlap({{"/dev/null", "--out /dev/null"}, {"/dev/null", "--rejects /dev/null"}},
                                  {{"/dev/null", "--leads /dev/null"}}));
}

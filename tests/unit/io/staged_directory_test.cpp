#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "common/temp_dir.hpp"
#include "io/staged_directory.hpp"

using namespace leadscore;
namespace fs = std::filesystem;

namespace {

void write_text(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}));
}

}  // namespace

TEST_CASE("StagedDirectory: the content appears at the destination only when published") {
  TempDir tmp;
  const fs::path out = fs::path(tmp.path()) / "parts";
  std::string error;
  io::StagedDirectory staged;
  REQUIRE(staged.open(out.string(), error));
  CHECK(fs::path(staged.path()).parent_path() == fs::path(tmp.path()));
  write_text(fs::path(staged.path()) / "a.csv", "new");
  CHECK_FALSE(fs::exists(out));
  REQUIRE(staged.publish(error));
  CHECK(read_text(out / "a.csv") == "new");
  CHECK(entries(tmp.path()) == 1);  // no staging directory left
}

TEST_CASE("StagedDirectory: an existing directory is replaced whole, or kept when not published") {
  TempDir tmp;
  const fs::path out = fs::path(tmp.path()) / "parts";
  fs::create_directory(out);
  write_text(out / "old.csv", "old");
  std::string error;
  {
    io::StagedDirectory abandoned;
    REQUIRE(abandoned.open(out.string(), error));
    write_text(fs::path(abandoned.path()) / "a.csv", "half");
  }
  CHECK(read_text(out / "old.csv") == "old");
  CHECK(entries(tmp.path()) == 1);
  io::StagedDirectory staged;
  REQUIRE(staged.open(out.string(), error));
  write_text(fs::path(staged.path()) / "a.csv", "new");
  REQUIRE(staged.publish(error));
  CHECK_FALSE(fs::exists(out / "old.csv"));
  CHECK(read_text(out / "a.csv") == "new");
  CHECK(entries(tmp.path()) == 1);
}

TEST_CASE("path_is_within: resolved paths, not spellings") {
  TempDir tmp;
  const std::string base = tmp.path();
  fs::create_directories(base + "/out/part-00000");
  fs::create_directory_symlink(base + "/out", base + "/link");
  CHECK(io::path_is_within(base + "/out/part-00000/leads.csv", base + "/out"));
  CHECK(io::path_is_within(base + "/out", base + "/out/"));
  CHECK(io::path_is_within(base + "/link/part-00000/leads.csv", base + "/out"));
  CHECK(io::path_is_within(base + "/out/../out/x.csv", base + "/out"));
  CHECK_FALSE(io::path_is_within(base + "/outside.csv", base + "/out"));
  CHECK_FALSE(io::path_is_within(base + "/out2/x.csv", base + "/out"));
  CHECK_FALSE(io::path_is_within(base + "/x.csv", base + "/out/"));
}

#pragma once
// A test's scratch directory: a fresh temporary directory, removed with what the test wrote in it.
#include <filesystem>
#include <fstream>
#include <string>

#include <doctest/doctest.h>

#include "common/temp_dir.hpp"

namespace leadscore::testing {

class ScratchDir {
  TempDir dir_{"leadscore-test"};  // declared first: `path` is made from it

 public:
  const std::filesystem::path path{dir_.path()};

  ScratchDir() { REQUIRE_MESSAGE(!path.empty(), "no temporary directory"); }

  // Writes `text` to `name` in the directory and returns the file's path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name, std::ios::binary) << text;
    return (path / name).string();
  }
};

}  // namespace leadscore::testing

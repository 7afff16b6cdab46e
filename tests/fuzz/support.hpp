#pragma once
// What the fuzz targets share: an oracle check that stops the run (libFuzzer keeps the input), a
// ruleset compiled once from its text, and an in-memory file that the real file-reading code can
// open by path.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "engine/check/program.hpp"
#include "engine/plan/graph.hpp"

// An oracle violation: print what broke and abort, so libFuzzer saves the input as a crash and the
// regression runner fails.
#define FUZZ_CHECK(condition, ...)                                                                    \
  do {                                                                                                \
    if (!(condition)) {                                                                               \
      std::fprintf(stderr, "fuzz oracle failed at %s:%d: %s\n  %s\n", __FILE__, __LINE__, #condition, \
                   fmt::format(__VA_ARGS__).c_str());                                                 \
      std::abort();                                                                                   \
    }                                                                                                 \
  } while (false)

namespace leadscore::fuzz {

struct CompiledRules {
  ir::Program program;
  engine::Graph graph;
};

// Parses, checks and compiles rules text that must be valid (aborts with the diagnostics if not).
CompiledRules compile_rules(const std::string& text);

// A file that lives in memory (memfd) and is opened by path (/proc/self/fd/N), so code that takes a
// path reads exactly these bytes, with no disk and nothing left behind.
class MemoryFile {
 public:
  MemoryFile();
  ~MemoryFile();
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  void assign(std::string_view bytes);
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  std::string path_;
};

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool valid_utf8(std::string_view text);

// The data records of CSV text (every record after the header), counted by a reader of its own: the
// oracle the loaders' "rows read" is checked against.
std::uint64_t data_records(std::string_view text);

// Lines as a person counts them: every '\n' ends one, and text after the last '\n' is one more.
std::uint64_t line_count(std::string_view text);

}  // namespace leadscore::fuzz

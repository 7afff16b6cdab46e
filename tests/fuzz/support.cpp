#include "tests/fuzz/support.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "common/diagnostics.hpp"
#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"
#include "io/csv_reader.hpp"
#include "parser/parser.hpp"

namespace leadscore::fuzz {

CompiledRules compile_rules(const std::string& text) {
  auto source = std::make_shared<SourceFile>("fuzz-fixed.rules", text);
  Diagnostics diags;
  auto file = parse_rules(source, diags);
  auto program = diags.has_errors() ? std::nullopt : check_rules(file, diags);
  if (!program) {
    for (const auto& d : diags.items()) std::fputs(render_text(d).c_str(), stderr);
    FUZZ_CHECK(false, "the harness's fixed ruleset does not compile");
  }
  CompiledRules rules{std::move(*program), {}};
  rules.graph = engine::compile_program(rules.program);
  return rules;
}

MemoryFile::MemoryFile() {
  fd_ = ::memfd_create("leadscore-fuzz", MFD_CLOEXEC);
  FUZZ_CHECK(fd_ >= 0, "memfd_create failed");
  path_ = fmt::format("/proc/self/fd/{}", fd_);
}

MemoryFile::~MemoryFile() { ::close(fd_); }

void MemoryFile::assign(std::string_view bytes) {
  FUZZ_CHECK(::ftruncate(fd_, 0) == 0, "ftruncate failed");
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
    FUZZ_CHECK(n > 0, "pwrite failed");
    done += static_cast<std::size_t>(n);
  }
}

std::uint64_t data_records(std::string_view text) {
  io::CsvReader reader;
  reader.open_memory(text);
  io::CsvRecord record;
  std::uint64_t records = 0;
  while (reader.next(record)) ++records;
  return records > 0 ? records - 1 : 0;
}

std::uint64_t line_count(std::string_view text) {
  const auto newlines = static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n'));
  return newlines + (!text.empty() && text.back() != '\n' ? 1 : 0);
}

bool valid_utf8(std::string_view text) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char lead = byte(i);
    std::size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
    if (lead < 0x80) length = 1;
    else if (lead >= 0xC2 && lead <= 0xDF) length = 2;
    else if (lead == 0xE0) length = 3, low = 0xA0;
    else if (lead == 0xED) length = 3, high = 0x9F;
    else if (lead >= 0xE1 && lead <= 0xEF) length = 3;
    else if (lead == 0xF0) length = 4, low = 0x90;
    else if (lead >= 0xF1 && lead <= 0xF3) length = 4;
    else if (lead == 0xF4) length = 4, high = 0x8F;
    else return false;
    if (i + length > text.size()) return false;
    if (length > 1 && (byte(i + 1) < low || byte(i + 1) > high)) return false;
    for (std::size_t k = 2; k < length; ++k)
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return false;
    i += length;
  }
  return true;
}

}  // namespace leadscore::fuzz

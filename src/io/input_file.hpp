#pragma once
// Opening an input file that may be read more than once (a header pass, parallel byte ranges, a
// rejected row quoted again, a second command stage). A regular file is read from disk each time.
// Anything that can be read only once (`-` for stdin, a FIFO, a pipe such as /dev/stdin, a
// character device) is read once, completely, into memory the first time it is opened, and every
// later open of it in this process (by any name for the same FIFO or pipe) reads that copy from
// the start. Memory then grows with the size of the piped data.
#include <cstdint>
#include <string>
#include <string_view>

namespace leadscore::io {

struct InputSource {
  int fd = -1;               // a regular file, opened for reading (the caller closes it)
  std::string_view memory;   // or: the whole content of a non-seekable input (lives until exit)
  bool in_memory() const { return fd < 0; }
};

// error = "cannot open leads.csv: No such file or directory"; a directory is refused.
bool open_input(const std::string& path, InputSource& source, std::string& error);

// Up to `length` bytes at `offset` of the input (fewer at its end; empty when it cannot be read).
std::string read_input_bytes(const std::string& path, std::uint64_t offset, std::uint32_t length);

// The size of the input in bytes.
bool input_size(const std::string& path, std::uint64_t& size, std::string& error);

}  // namespace leadscore::io

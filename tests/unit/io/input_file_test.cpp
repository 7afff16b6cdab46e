#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

#include "common/temp_dir.hpp"
#include "io/csv_reader.hpp"
#include "io/input_file.hpp"

using namespace leadscore;

namespace {

// Writes `text` into the FIFO at `path` once, from another thread (open blocks until a reader comes).
std::thread feed_fifo(const std::string& path, std::string text) {
  return std::thread([path, text = std::move(text)] {
    const int fd = ::open(path.c_str(), O_WRONLY);
    if (fd < 0) return;
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });
}

}  // namespace

TEST_CASE("input file: a FIFO is read once and every later open reads the same bytes") {
  TempDir dir;
  REQUIRE_FALSE(dir.path().empty());
  const std::string fifo = dir.path() + "/leads.csv";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string text = "id,x\n";
  for (int i = 0; i < 20000; ++i) text += "L" + std::to_string(i) + "," + std::to_string(i) + "\n";
  std::thread writer = feed_fifo(fifo, text);

  io::InputSource first;
  std::string error;
  REQUIRE(io::open_input(fifo, first, error));
  writer.join();
  CHECK(first.in_memory());
  CHECK(first.memory == text);
  // A second open (the header pass, then the data) does not block: the writer is gone.
  io::InputSource second;
  REQUIRE(io::open_input(fifo, second, error));
  CHECK(second.memory.data() == first.memory.data());

  // Byte ranges, cut points and a quoted row read from the copy.
  std::vector<std::uint64_t> cuts;
  REQUIRE(io::split_points(fifo, 4, cuts, error));
  CHECK(cuts.size() == 5);
  CHECK(cuts.back() == text.size());
  std::size_t records = 0;
  for (std::size_t p = 0; p + 1 < cuts.size(); ++p) {
    io::CsvReader reader;
    REQUIRE(reader.open_range(fifo, cuts[p], cuts[p + 1], 1, error));
    io::CsvRecord record;
    while (reader.next(record)) ++records;
    CHECK(reader.end_offset() == cuts[p + 1]);
  }
  CHECK(records == 20001);
  CHECK(io::read_input_bytes(fifo, 5, 4) == "L0,0");
  std::uint64_t size = 0;
  REQUIRE(io::input_size(fifo, size, error));
  CHECK(size == text.size());
}

TEST_CASE("input file: a regular file is opened, a directory is refused") {
  TempDir dir;
  const std::string path = dir.path() + "/a.csv";
  std::ofstream(path) << "id\n1\n";
  io::InputSource source;
  std::string error;
  REQUIRE(io::open_input(path, source, error));
  CHECK_FALSE(source.in_memory());
  ::close(source.fd);
  CHECK_FALSE(io::open_input(dir.path(), source, error));
  CHECK(error == "cannot read " + dir.path() + ": Is a directory");
  CHECK_FALSE(io::open_input(dir.path() + "/missing.csv", source, error));
  CHECK(error == "cannot open " + dir.path() + "/missing.csv: No such file or directory");
}

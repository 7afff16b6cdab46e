#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/atomic_file.hpp"
#include "io/temporary_files.hpp"

using leadscore::io::AtomicFileWriter;

namespace {

struct TemporaryDirectory {
  std::filesystem::path path;
  TemporaryDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "leadscore_atomic_XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TemporaryDirectory() { std::filesystem::remove_all(path); }
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(path)) names.push_back(entry.path().filename());
    return names;
  }
};

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("atomic file: the final file appears only after commit") {
  TemporaryDirectory dir;
  const std::string final_path = (dir.path / "scores.csv").string();
  AtomicFileWriter writer;
  std::string error;
  REQUIRE(writer.open(final_path, error));
  CHECK(writer.write("lead_id,score\n"));
  CHECK(writer.write("L1,15\n"));
  CHECK_FALSE(std::filesystem::exists(final_path));
  const std::vector<std::string> during = dir.entries();
  REQUIRE(during.size() == 1);
  CHECK(during[0].rfind(".scores.csv.tmp." + std::to_string(::getpid()) + ".", 0) == 0);
  CHECK(std::filesystem::path(writer.temporary_path()).filename() == during[0]);

  REQUIRE(writer.commit(error));
  CHECK(slurp(final_path) == "lead_id,score\nL1,15\n");
  CHECK(dir.entries() == std::vector<std::string>{"scores.csv"});
  // Permissions follow the umask like any created file, not mkstemp's 0600.
  struct stat info {};
  REQUIRE(::stat(final_path.c_str(), &info) == 0);
  const mode_t mask = ::umask(022);
  ::umask(mask);
  CHECK((info.st_mode & 0777) == (0666 & ~mask));
}

TEST_CASE("atomic file: without commit nothing is left and an old file is untouched") {
  TemporaryDirectory dir;
  const std::string final_path = (dir.path / "scores.csv").string();
  std::ofstream(final_path) << "previous run\n";
  {
    AtomicFileWriter writer;
    std::string error;
    REQUIRE(writer.open(final_path, error));
    CHECK(writer.write("half of a new run"));
    CHECK(dir.entries().size() == 2);
  }
  CHECK(dir.entries() == std::vector<std::string>{"scores.csv"});
  CHECK(slurp(final_path) == "previous run\n");

  AtomicFileWriter writer;
  std::string error;
  REQUIRE(writer.open(final_path, error));
  CHECK(writer.write("new run\n"));
  REQUIRE(writer.commit(error));
  CHECK(slurp(final_path) == "new run\n");
}

TEST_CASE("atomic file: large and many writes arrive in order") {
  TemporaryDirectory dir;
  const std::string final_path = (dir.path / "big.csv").string();
  AtomicFileWriter writer;
  std::string error;
  REQUIRE(writer.open(final_path, error));
  std::string expected;
  const std::string big(3 * AtomicFileWriter::kBufferSize + 17, 'x');
  for (int i = 0; i < 100000; ++i) {
    const std::string line = "L" + std::to_string(i) + ",12.5\n";
    expected += line;
    REQUIRE(writer.write(line));
    if (i == 5000) {
      expected += big;
      REQUIRE(writer.write(big));
    }
  }
  REQUIRE(writer.commit(error));
  CHECK(slurp(final_path) == expected);
}

TEST_CASE("atomic file: errors are reported with the path and leave nothing behind") {
  std::string error;
  SUBCASE("missing directory") {
    AtomicFileWriter writer;
    CHECK_FALSE(writer.open("/nonexistent-dir/scores.csv", error));
    CHECK(error == "cannot create /nonexistent-dir/scores.csv: No such file or directory");
  }
  SUBCASE("a full disk is detected (/dev/full, written in place as it is not a regular file)") {
    AtomicFileWriter writer;
    REQUIRE(writer.open("/dev/full", error));
    CHECK(writer.write(std::string(10, 'x')));  // buffered
    CHECK_FALSE(writer.commit(error));
    CHECK(error == "cannot write /dev/full: No space left on device");
    CHECK_FALSE(writer.write("more"));
  }
  SUBCASE("a full disk during a large write fails the write itself") {
    AtomicFileWriter writer;
    REQUIRE(writer.open("/dev/full", error));
    CHECK_FALSE(writer.write(std::string(2 * AtomicFileWriter::kBufferSize, 'x')));
    CHECK_FALSE(writer.commit(error));
    CHECK(error == "cannot write /dev/full: No space left on device");
  }
  SUBCASE("a directory is not an output file") {
    AtomicFileWriter writer;
    CHECK_FALSE(writer.open("/tmp", error));
    CHECK(error == "cannot create /tmp: Is a directory");
  }
}

TEST_CASE("atomic file: device paths are written in place") {
  AtomicFileWriter writer;
  std::string error;
  REQUIRE(writer.open("/dev/null", error));
  CHECK(writer.temporary_path().empty());
  CHECK(writer.write("discarded\n"));
  CHECK(writer.commit(error));
  struct stat info {};
  REQUIRE(::stat("/dev/null", &info) == 0);
  CHECK(S_ISCHR(info.st_mode));
}

TEST_CASE("atomic file: `-` writes to standard output") {
  TemporaryDirectory dir;
  const std::string captured = (dir.path / "stdout.txt").string();
  const int saved = ::dup(STDOUT_FILENO);
  const int file = ::open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(saved >= 0);
  REQUIRE(file >= 0);
  ::dup2(file, STDOUT_FILENO);
  ::close(file);
  {
    AtomicFileWriter writer;
    std::string error;
    REQUIRE(writer.open("-", error));
    CHECK(writer.write("lead_id,score\n"));
    CHECK(writer.commit(error));
  }
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  CHECK(slurp(captured) == "lead_id,score\n");
  CHECK(::write(STDOUT_FILENO, "", 0) == 0);  // standard output is still open
}

TEST_CASE("atomic file: a replaced file keeps its permissions, a new one follows the umask") {
  TemporaryDirectory dir;
  const std::string final_path = (dir.path / "private.csv").string();
  for (mode_t mode : {mode_t{0600}, mode_t{0640}, mode_t{0444}}) {
    std::ofstream(final_path) << "previous\n";
    REQUIRE(::chmod(final_path.c_str(), mode) == 0);
    AtomicFileWriter writer;
    std::string error;
    REQUIRE(writer.open(final_path, error));
    CHECK(writer.write("new\n"));
    REQUIRE(writer.commit(error));
    struct stat info {};
    REQUIRE(::stat(final_path.c_str(), &info) == 0);
    CHECK((info.st_mode & 07777) == mode);
    CHECK(slurp(final_path) == "new\n");
    ::chmod(final_path.c_str(), 0644);
  }
}

TEST_CASE("atomic file: a symlinked output is written through to its target") {
  TemporaryDirectory dir;
  std::filesystem::create_directory(dir.path / "data");
  const auto target = dir.path / "data" / "scores.csv";
  std::ofstream(target) << "previous\n";
  ::chmod(target.c_str(), 0600);
  const auto link = dir.path / "scores.csv";
  std::filesystem::create_symlink("data/scores.csv", link);

  AtomicFileWriter writer;
  std::string error;
  REQUIRE(writer.open(link.string(), error));
  // The temporary sits beside the target, so the rename stays within one directory (and filesystem).
  CHECK(std::filesystem::path(writer.temporary_path()).parent_path() == std::filesystem::canonical(dir.path / "data"));
  CHECK(writer.write("new\n"));
  REQUIRE(writer.commit(error));
  CHECK(std::filesystem::is_symlink(link));
  CHECK(std::filesystem::read_symlink(link) == "data/scores.csv");
  CHECK(slurp(target) == "new\n");
  struct stat info {};
  REQUIRE(::stat(target.c_str(), &info) == 0);
  CHECK((info.st_mode & 07777) == 0600);

  SUBCASE("a dangling symlink creates its target") {
    std::filesystem::create_symlink("data/new.csv", dir.path / "new.csv");
    AtomicFileWriter again;
    REQUIRE(again.open((dir.path / "new.csv").string(), error));
    CHECK(again.write("fresh\n"));
    REQUIRE(again.commit(error));
    CHECK(std::filesystem::is_symlink(dir.path / "new.csv"));
    CHECK(slurp(dir.path / "data" / "new.csv") == "fresh\n");
  }
}

TEST_CASE("atomic file: commit_all publishes every output or none") {
  TemporaryDirectory dir;
  const std::string scores = (dir.path / "scores.csv").string(), rejects = (dir.path / "rejects.csv").string();
  std::ofstream(scores) << "old scores\n";
  std::ofstream(rejects) << "old rejects\n";
  std::string error;

  SUBCASE("one output fails: the other keeps its previous content and no temporary is left") {
    AtomicFileWriter a, b;
    REQUIRE(a.open(scores, error));
    REQUIRE(b.open("/dev/full", error));  // finishing it fails: No space left on device
    CHECK(a.write("new scores\n"));
    CHECK(b.write("new rejects\n"));
    CHECK_FALSE(leadscore::io::commit_all({&a, &b}, error));
    CHECK(error == "cannot write /dev/full: No space left on device");
    CHECK(slurp(scores) == "old scores\n");
    CHECK(dir.entries().size() == 2);
  }
  SUBCASE("the first output fails: the second is not published either") {
    AtomicFileWriter a, b;
    REQUIRE(a.open("/dev/full", error));
    REQUIRE(b.open(rejects, error));
    CHECK(a.write("x"));
    CHECK(b.write("new rejects\n"));
    CHECK_FALSE(leadscore::io::commit_all({&a, &b}, error));
    CHECK(slurp(rejects) == "old rejects\n");
    CHECK(dir.entries().size() == 2);
  }
  SUBCASE("all succeed") {
    AtomicFileWriter a, b;
    REQUIRE(a.open(scores, error));
    REQUIRE(b.open(rejects, error));
    CHECK(a.write("new scores\n"));
    CHECK(b.write("new rejects\n"));
    REQUIRE(leadscore::io::commit_all({&a, &b}, error));
    CHECK(slurp(scores) == "new scores\n");
    CHECK(slurp(rejects) == "new rejects\n");
    CHECK(dir.entries().size() == 2);
  }
}

TEST_CASE("atomic file: temporaries are registered for signal clean-up until published or discarded") {
  TemporaryDirectory dir;
  const int before = leadscore::io::registered_temporaries();
  std::string error;
  {
    AtomicFileWriter a, b;
    REQUIRE(a.open((dir.path / "a.csv").string(), error));
    REQUIRE(b.open((dir.path / "b.csv").string(), error));
    CHECK(leadscore::io::registered_temporaries() == before + 2);
    REQUIRE(a.commit(error));
    CHECK(leadscore::io::registered_temporaries() == before + 1);
  }
  CHECK(leadscore::io::registered_temporaries() == before);
}

TEST_CASE("atomic file: SIGTERM removes the temporary and still ends the process by the signal") {
  TemporaryDirectory dir;
  const std::string final_path = (dir.path / "scores.csv").string();
  std::ofstream(final_path) << "previous\n";
  for (int signal_number : {SIGTERM, SIGINT, SIGHUP}) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      ::signal(signal_number, SIG_DFL);  // the test runner handles some signals itself
      leadscore::io::install_temporary_cleanup();
      AtomicFileWriter writer;
      std::string error;
      if (!writer.open(final_path, error) || !writer.write(std::string(3 * AtomicFileWriter::kBufferSize, 'x')))
        ::_exit(10);
      ::raise(signal_number);
      ::_exit(11);  // not reached: the handler re-raises with the default action
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == signal_number);
    CHECK(dir.entries() == std::vector<std::string>{"scores.csv"});
    CHECK(slurp(final_path) == "previous\n");
  }
}

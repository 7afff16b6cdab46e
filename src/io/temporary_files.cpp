#include "io/temporary_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>

#include "io/signal_safe_slots.hpp"

namespace leadscore::io {
namespace {

constexpr std::size_t kMaxPath = 4096;
struct Temporary {
  bool directory = false;
  char path[kMaxPath];  // a copy: the caller's string may not outlive the registration
};
SignalSafeSlots<Temporary, 32> temporaries;
constexpr std::array<int, 3> kSignals = {SIGINT, SIGTERM, SIGHUP};

// Removes what directory `fd` holds, `depth` levels down at most, with async-signal-safe calls only
// (openat, getdents64, unlinkat, close): no allocation, no stdio, no locks. Closes `fd`.
void remove_contents(int fd, int depth) {
  alignas(8) char buffer[2048];
  for (;;) {
    const long got = ::syscall(SYS_getdents64, fd, buffer, sizeof buffer);
    if (got <= 0) break;
    for (long at = 0; at < got;) {
      const auto* entry = reinterpret_cast<const struct dirent64*>(buffer + at);
      at += entry->d_reclen;
      const char* name = entry->d_name;
      if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
      if (::unlinkat(fd, name, 0) == 0 || errno != EISDIR || depth == 0) continue;
      const int inner = ::openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (inner >= 0) remove_contents(inner, depth - 1);
      ::unlinkat(fd, name, AT_REMOVEDIR);
    }
  }
  ::close(fd);
}

extern "C" void remove_temporaries_and_reraise(int signal_number) {
  const int saved_errno = errno;
  remove_registered_temporaries();
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  sigemptyset(&default_action.sa_mask);
  ::sigaction(signal_number, &default_action, nullptr);
  ::raise(signal_number);  // blocked while the handler runs: delivered, with the default action, on return
  errno = saved_errno;
}

}  // namespace

void remove_registered_temporaries() {
  temporaries.for_each([](const Temporary& t) {
    if (!t.directory) ::unlink(t.path);
  });
  temporaries.for_each([](const Temporary& t) {
    if (!t.directory) return;
    const int fd = ::open(t.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) remove_contents(fd, 4);
    ::rmdir(t.path);
  });
}

void install_temporary_cleanup() {
  for (int signal_number : kSignals) {
    struct sigaction current {};
    if (::sigaction(signal_number, nullptr, &current) != 0) continue;
    if ((current.sa_flags & SA_SIGINFO) || current.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_handler = remove_temporaries_and_reraise;
    sigemptyset(&action.sa_mask);
    for (int other : kSignals) sigaddset(&action.sa_mask, other);
    ::sigaction(signal_number, &action, nullptr);
  }
}

namespace {

int register_slot(const std::string& path, bool directory) {
  static std::once_flag installed;
  std::call_once(installed, install_temporary_cleanup);
  return temporaries.add([&](Temporary& t) {
    t.directory = directory;
    if (path.size() >= kMaxPath) return false;
    std::memcpy(t.path, path.c_str(), path.size() + 1);
    return true;
  });
}

}  // namespace

int register_temporary(const std::string& path) { return register_slot(path, false); }

int register_temporary_directory(const std::string& path) { return register_slot(path, true); }

void release_temporary(int slot) { temporaries.remove(slot); }

int registered_temporaries() { return temporaries.used(); }

}  // namespace leadscore::io

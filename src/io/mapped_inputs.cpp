#include "io/mapped_inputs.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <mutex>

#include "io/signal_safe_slots.hpp"
#include "io/temporary_files.hpp"

namespace leadscore::io {
namespace {

struct Mapping {
  std::uintptr_t begin = 0;
  std::size_t size = 0;
  const char* path = nullptr;  // the reader's, alive while the mapping is registered
};
// One per reader of a large file at a time: a reader per thread and per input at most.
SignalSafeSlots<Mapping, 1024> mappings;
struct sigaction previous_action {};  // restored for a SIGBUS that is not about a mapped input
bool handler_installed = false;

void write_text(const char* text) {
  std::size_t left = std::strlen(text);
  while (left > 0) {
    const ssize_t wrote = ::write(STDERR_FILENO, text, left);
    if (wrote <= 0) return;
    text += wrote;
    left -= static_cast<std::size_t>(wrote);
  }
}

extern "C" void on_bus_error(int, siginfo_t* info, void*) {
  const bool fault = info->si_code > 0;  // not one sent with kill(), whose si_addr means nothing
  const auto at = reinterpret_cast<std::uintptr_t>(info->si_addr);
  if (fault) mappings.for_each([at](const Mapping& m) {
    if (at < m.begin || at - m.begin >= m.size) return;
    write_text("leadscore: error: ");
    write_text(m.path);
    write_text(" became shorter while it was read (another process truncated it or rewrote it in place); "
               "nothing was written\n");
    remove_registered_temporaries();
    ::_exit(1);
  });
  // Not a mapped input: the action from before (the default, or a sanitizer's), which the faulting
  // access raises again on return; a SIGBUS sent with kill() is raised again here.
  ::sigaction(SIGBUS, &previous_action, nullptr);
  if (!fault) ::raise(SIGBUS);
}

void install_handler() {
  struct sigaction action {};
  action.sa_sigaction = on_bus_error;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  handler_installed = ::sigaction(SIGBUS, &action, &previous_action) == 0;
}

}  // namespace

int register_mapping(const void* begin, std::size_t size, const char* path) {
  static std::once_flag installed;
  std::call_once(installed, install_handler);
  if (!handler_installed) return -1;
  return mappings.add([&](Mapping& m) {
    m.begin = reinterpret_cast<std::uintptr_t>(begin);
    m.size = size;
    m.path = path;
    return true;
  });
}

void release_mapping(int slot) { mappings.remove(slot); }

}  // namespace leadscore::io

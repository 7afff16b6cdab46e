#pragma once
// Temporary files that SIGINT, SIGTERM or SIGHUP must not leave behind. The registry is a fixed
// table, so the signal handler only reads it and calls unlink(); then it restores the default
// action and re-raises the signal, so the process still ends as the signal says. Handlers are
// installed with the first registration, and only for signals whose action is still the default
// (a signal ignored by `nohup` stays ignored).
#include <string>

namespace leadscore::io {

// Registers `path` for removal on those signals; returns a slot for release_temporary, or -1 when
// the table is full or the path too long (the file is then only removed by its owner).
int register_temporary(const std::string& path);
// The same for a staging directory: on a signal it is removed with what is in it (after the files).
int register_temporary_directory(const std::string& path);
// Forgets a slot once its file was renamed into place or removed.
void release_temporary(int slot);

// Installs the clean-up handler for each of those signals whose action is the default now
// (register_temporary does it once by itself).
void install_temporary_cleanup();

// Removes every registered file, then every registered directory with its content. Only
// async-signal-safe calls: for signal handlers (io/mapped_inputs.cpp) as well as the ones above.
void remove_registered_temporaries();

// How many slots are in use (for tests).
int registered_temporaries();

}  // namespace leadscore::io

#pragma once
// Memory-mapped input files, and the one way a mapping can fail after it was made: another process
// truncates the file (or rewrites it in place) while leadscore reads it, and reading a page past the
// file's new end raises SIGBUS. For an address inside a registered mapping the handler says so on
// stderr ("leadscore: error: leads.csv became shorter while it was read ..."), removes the run's
// registered temporary files and staging directories (io/temporary_files.hpp), so nothing is
// published and earlier outputs stay as they were, and ends the process with exit status 1. Any
// other SIGBUS (another address, or one sent with kill) gets the action it had before (the default,
// or a sanitizer's). The handler is installed with the first registration.
#include <cstddef>

namespace leadscore::io {

// Registers [begin, begin + size) as the mapping of `path` (which must stay valid until the slot is
// released); returns a slot for release_mapping, or -1 when the table is full or the handler could
// not be installed. A caller that gets -1 must read the file without a mapping.
int register_mapping(const void* begin, std::size_t size, const char* path);
// Forgets a slot before its mapping is removed.
void release_mapping(int slot);

}  // namespace leadscore::io

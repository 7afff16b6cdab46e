#pragma once
// Bytes the grammar must never see as text: invalid UTF-8 and NUL.
#include <cstdint>
#include <vector>

#include "common/diagnostics.hpp"

namespace leadscore::parser_internal {

// Reports the first bad byte of each line; returns the (1-based) lines that had one.
std::vector<std::uint32_t> report_encoding_errors(const SourceFilePtr& source, Diagnostics& diags);

}  // namespace leadscore::parser_internal

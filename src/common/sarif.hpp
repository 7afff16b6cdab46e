#pragma once
// Diagnostics as a SARIF 2.1.0 log, the format code-scanning tools read (GitHub code scanning, the
// VS Code SARIF viewer). tool.driver.rules lists every code with its help; silenced warnings are
// results with an inSource suppression.
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.hpp"

namespace leadscore {

// Errors without a code are reported under `fallback` (invalid-rules unless the caller knows better).
std::string render_sarif(const std::vector<Diagnostic>& diagnostics, std::string_view tool_version,
                         Code fallback = Code::InvalidRules);

// A file path as a URI reference: relative paths stay relative, absolute ones become file:// URIs.
std::string path_to_uri(std::string_view path);

}  // namespace leadscore

#include "common/hash.hpp"

#include <fmt/format.h>

namespace leadscore {

std::string fnv1a_hex(std::string_view data) { return fmt::format("{:016x}", fnv1a(data)); }

}  // namespace leadscore

#pragma once
// Which part of a partitioned run a lead belongs to (docs/scale-out.md states it for warehouse exports):
// FNV-1a 64-bit over the UTF-8 bytes of the lead id (leading and trailing spaces and tabs already
// removed, as the loaders do), modulo the number of parts.
#include <cstdint>
#include <string_view>

#include "common/hash.hpp"

namespace leadscore {

inline std::uint32_t part_of_id(std::string_view trimmed_id, std::uint32_t parts) {
  return static_cast<std::uint32_t>(fnv1a(trimmed_id) % parts);
}

}  // namespace leadscore

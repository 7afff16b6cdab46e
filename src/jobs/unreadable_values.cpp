#include "jobs/unreadable_values.hpp"

#include <fmt/format.h>

#include "io/value_parse.hpp"

namespace leadscore::jobs {

bool lacks_zone(std::string_view value, std::optional<std::int32_t> declared_zone) {
  return !declared_zone && io::parse_timestamp(value).unparseable() && io::parse_timestamp(value, 0).has_value();
}

std::string unreadable_example(ast::FieldType type, std::uint64_t line, std::string_view value,
                               std::optional<std::int32_t> declared_zone, std::string_view how_to_zone) {
  std::string where = line ? fmt::format("first on line {}: ", line) : std::string("e.g. ");
  std::string out = fmt::format(" ({}\"{}\"", where, value);
  if (type == ast::FieldType::Timestamp && lacks_zone(value, declared_zone))
    out += fmt::format(": a timestamp without a zone; say which zone it is in with {}", how_to_zone);
  return out + ")";
}

}  // namespace leadscore::jobs

#pragma once
// How summaries name a value that did not parse as its field's type: where it was, what it was,
// and, for a timestamp written without a zone, how to read it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "parser/ast.hpp"

namespace leadscore::jobs {

// ` (first on line 3: "2018-02-26 19:58:54": a timestamp without a zone; declare it, e.g. `zone "UTC"`)`.
// `declared_zone`: the zone the field (or option) gives its values written without one.
// `how_to_zone`: what gives the zone (`zone "UTC"` on the field, --closed-at-zone UTC, ...).
std::string unreadable_example(ast::FieldType type, std::uint64_t line, std::string_view value,
                               std::optional<std::int32_t> declared_zone,
                               std::string_view how_to_zone = "`zone \"UTC\"` on the field");

// True when `value` is a timestamp that only lacks its zone (it reads with one) and none is declared.
// With a zone declared such a value did not read because that zone moves it out of the years
// 0000-9999: declaring a zone is no fix.
bool lacks_zone(std::string_view value, std::optional<std::int32_t> declared_zone);

}  // namespace leadscore::jobs

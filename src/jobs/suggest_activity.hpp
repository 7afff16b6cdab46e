#pragma once
// What `suggest` asks the engine about activities: for each frequent activity type, its event count
// in a few windows and whether its last event is recent, as rules of a probe section appended to the
// ruleset. The engine evaluates them as of each lead's own as-of, so suggestions about activities
// see exactly what the suggested rules will see.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/check/program.hpp"

namespace leadscore::jobs {

struct ActivityProbe {
  std::string type;  // as first spelled in the activities file
  // Counts: `count(activity where type == "demo" within 30d)`, probed as an each-rule whose amount is
  // the count. Recency: the whole condition `days_since_last(activity where type == "demo") <= 7`.
  // Sums of a number field: `sum(activity.seats where type == "trial" within 30d)`, probed as the
  // left side of a when-rule's comparison (the suggestion reads the sum, not the rule).
  std::string expression;
  bool is_count = false;
  bool is_sum = false;
};

struct ActivityProbes {
  std::string section;  // the probe section's name (not a name of the ruleset)
  std::vector<std::string> types;
  std::vector<ActivityProbe> probes;  // in the order of the section's rules
};

// The values of activity field `type_field` (a string field) in the activities file, most frequent
// first, compared as the language compares text (trimmed, ignoring case): at most `limit` of them,
// each on at least `min_events` events. A type holding a line break, a tab or another control character
// cannot be written in a rule's label: it is left out and counted in `unwritable`.
bool frequent_activity_types(const ir::Program& program, std::size_t type_field, const std::string& activities,
                             char delimiter, std::uint64_t min_events, std::size_t limit,
                             std::vector<std::string>& types, std::size_t& unwritable, std::string& error);

// The probes of `types` and the rules text of their section (named unlike anything in `program`).
// `number_fields`: the activity number fields whose sums per type are probed too.
ActivityProbes activity_probes(const ir::Program& program, std::size_t type_field, const std::vector<std::string>& types,
                               const std::vector<std::string>& number_fields, std::string& section_text);

}  // namespace leadscore::jobs

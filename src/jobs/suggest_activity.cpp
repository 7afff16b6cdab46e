#include "jobs/suggest_activity.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "common/escape.hpp"
#include "common/text.hpp"
#include "format/expr_printer.hpp"
#include "io/csv_reader.hpp"

namespace leadscore::jobs {

namespace {

constexpr const char* kCountWindows[] = {"7d", "30d", "90d"};
constexpr int kRecencyDays[] = {3, 7, 14, 30, 90};
constexpr const char* kSumWindows[] = {"30d", "90d"};

std::string text_key(std::string_view value) {
  std::string key(text::trim(value));
  for (auto& c : key) c = text::ascii_lower(c);
  return key;
}

}  // namespace

bool frequent_activity_types(const ir::Program& program, std::size_t type_field, const std::string& activities,
                             char delimiter, std::uint64_t min_events, std::size_t limit,
                             std::vector<std::string>& types, std::size_t& unwritable, std::string& error) {
  io::CsvReader reader(delimiter);
  if (!reader.open(activities, error)) return false;
  io::CsvRecord record;
  if (!reader.next(record)) {
    error = reader.error();
    return error.empty();  // an empty file has no types
  }
  const std::string& column = program.activity_fields[type_field].column;
  std::size_t at = record.fields.size();
  for (std::size_t i = 0; i < record.fields.size(); ++i)
    if (text::trim(record.fields[i]) == column) at = i;
  if (at == record.fields.size()) return true;  // reading the events will report the missing column
  struct Seen {
    std::uint64_t events = 0;
    std::string spelling;
  };
  std::map<std::string, Seen> seen;
  while (reader.next(record)) {
    if (record.malformed || at >= record.fields.size()) continue;
    std::string key = text_key(record.fields[at]);
    if (key.empty()) continue;
    auto& s = seen[key];
    if (s.events++ == 0) s.spelling = std::string(text::trim(record.fields[at]));
  }
  if (!reader.error().empty()) {
    error = reader.error();
    return false;
  }
  std::vector<const Seen*> frequent;
  std::size_t at_char = 0;
  for (const auto& [key, s] : seen) {
    if (s.events < min_events) continue;
    if (find_control_character(s.spelling, at_char)) ++unwritable;
    else frequent.push_back(&s);
  }
  std::stable_sort(frequent.begin(), frequent.end(), [](const Seen* a, const Seen* b) { return a->events > b->events; });
  if (frequent.size() > limit) frequent.resize(limit);
  for (const auto* s : frequent) types.push_back(s->spelling);
  return true;
}

ActivityProbes activity_probes(const ir::Program& program, std::size_t type_field, const std::vector<std::string>& types,
                               const std::vector<std::string>& number_fields, std::string& section_text) {
  std::set<std::string> names;
  for (const auto& s : program.sections) names.insert(s.name);
  for (const auto& g : program.gates) names.insert(g.name);
  for (const auto& c : program.classifies) names.insert(c.name);
  for (const auto& l : program.lists) names.insert(l.name);
  for (const auto& f : program.lead_fields) names.insert(f.name);
  ActivityProbes probes;
  probes.section = "suggest_activity_probe";
  for (int i = 2; names.count(probes.section); ++i) probes.section = fmt::format("suggest_activity_probe_{}", i);
  probes.types = types;
  const std::string& field = program.activity_fields[type_field].name;
  section_text = fmt::format("score {} {{\n", probes.section);
  for (const auto& type : types) {
    const std::string filter = fmt::format("activity where {} == {}", field, format::quote_string(type));
    for (const char* window : kCountWindows) {
      ActivityProbe p{type, fmt::format("count({} within {})", filter, window), true};
      section_text += fmt::format("  rule \"probe {}\" each {} within {} points 1\n", probes.probes.size(), filter, window);
      probes.probes.push_back(std::move(p));
    }
    for (int days : kRecencyDays) {
      ActivityProbe p{type, fmt::format("days_since_last({}) <= {}", filter, days), false};
      section_text += fmt::format("  rule \"probe {}\" when {} points 1\n", probes.probes.size(), p.expression);
      probes.probes.push_back(std::move(p));
    }
    for (const auto& number : number_fields)
      for (const char* window : kSumWindows) {
        ActivityProbe p{type, fmt::format("sum(activity.{} where {} == {} within {})", number, field,
                                          format::quote_string(type), window), false, true};
        section_text += fmt::format("  rule \"probe {}\" when {} >= 0 points 1\n", probes.probes.size(), p.expression);
        probes.probes.push_back(std::move(p));
      }
  }
  section_text += "}\n";
  return probes;
}

}  // namespace leadscore::jobs

// libFuzzer target: the events loader (CSV reader, lead lookup, time and value parsing, filters, the
// fold of every aggregate kind, parallel byte ranges and the merge of their tables). The input is the
// events file after its header; the first byte picks the leads: numbered ids ("L0".."L9", looked up
// by number) or free text ids. Oracle: every record read is counted once (used, unknown lead, no
// readable time, at or after as-of, or malformed), the records read are the file's, and 2 and 3
// threads give the 1-thread aggregates bit for bit and the same counts and examples.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/exec/aggregate_state.hpp"
#include "engine/load/event_stream.hpp"
#include "engine/load/lead_table.hpp"
#include "io/value_parse.hpp"
#include "tests/fuzz/support.hpp"

namespace {

using leadscore::engine::AggregateState;
using leadscore::engine::EventStats;

// Every aggregate kind: counts, windows, sums, decayed each-rules and last times.
const char* const kRules = R"rules(ruleset "fuzz-events" version 1
schema lead { id: id }
schema activity { lead: id  kind: string  at: timestamp  amount: number }
score act {
  rule "demos 7d"  when count(activity where kind == "demo" within 7d) >= 2   points 1
  rule "views"     each activity where kind == "view" within 20d points 0.7 max 5
  rule "fading"    each activity where kind != "call" points 1.3 decay 5d
  rule "amount"    when sum(activity.amount where kind == "demo") >= 0.3     points 4
  rule "all"       when sum(activity.amount within 30d) >= 1                  points 8
  rule "recent"    when days_since_last(activity where kind is missing) <= 3 points 16
  rule "any"       when exists(activity where amount > 2)                     points 32
}
)rules";

constexpr std::string_view kHeader = "lead,kind,at,amount\n";

struct Fold {
  bool ok = false;
  std::string error;
  AggregateState aggregates;
  EventStats stats;
  std::size_t leads = 0;
};

void fold(const leadscore::fuzz::CompiledRules& rules, const std::string& leads_path, const std::string& events_path,
          int threads, Fold& out) {
  leadscore::engine::ReadOptions options;
  options.threads = threads;
  options.block_size = 4096;  // the default 8 MB per reader costs more than the parsing under ASan
  const std::int64_t as_of = leadscore::io::days_from_civil(2026, 11, 1) * leadscore::io::kMicrosPerDay;
  leadscore::engine::LeadTable leads;
  std::string error;
  FUZZ_CHECK(leadscore::engine::load_leads(rules.program, rules.graph, leads_path, options, as_of, leads,
                                           [](const leadscore::engine::RejectedRow&) {}, error),
             "the fixed leads file does not load: {}", error);
  out.leads = leads.rows;
  out.aggregates.init(rules.graph, leads.rows);
  out.ok = leadscore::engine::aggregate_events(rules.program, rules.graph, events_path, options, leads, threads,
                                               out.aggregates, out.stats, out.error);
}

bool same_slot(const leadscore::fuzz::CompiledRules& rules, const Fold& a, const Fold& b, std::size_t s,
               std::size_t lead) {
  switch (rules.graph.slots[s].kind) {
    case leadscore::ir::AggregateKind::LastTime:
      return a.aggregates.last_time(s, lead) == b.aggregates.last_time(s, lead);
    case leadscore::ir::AggregateKind::FirstSince:
      return a.aggregates.first_time(s, lead) == b.aggregates.first_time(s, lead);
    default: {
      const double x = a.aggregates.value(s, lead), y = b.aggregates.value(s, lead);
      return std::memcmp(&x, &y, sizeof x) == 0;
    }
  }
}

void check_counts(std::string_view events, const Fold& run, int threads) {
  const EventStats& s = run.stats;
  FUZZ_CHECK(s.read == leadscore::fuzz::data_records(events), "{} threads: {} events read, the file has {} data records", threads,
             s.read, leadscore::fuzz::data_records(events));
  const std::uint64_t sorted = s.used + s.unknown_lead + s.bad_time + s.not_before_as_of + s.malformed;
  FUZZ_CHECK(sorted == s.read,
             "{} threads: read {} != used {} + unknown {} + no time {} + after as-of {} + malformed {}", threads,
             s.read, s.used, s.unknown_lead, s.bad_time, s.not_before_as_of, s.malformed);
}

void check_same(const leadscore::fuzz::CompiledRules& rules, const Fold& a, const Fold& b, int threads) {
  FUZZ_CHECK(a.ok == b.ok && a.error == b.error, "1 vs {} threads: ok {}/{}, error \"{}\" / \"{}\"", threads, a.ok,
             b.ok, a.error, b.error);
  if (!a.ok) return;
  const EventStats &x = a.stats, &y = b.stats;
  FUZZ_CHECK(x.read == y.read && x.used == y.used && x.unknown_lead == y.unknown_lead && x.malformed == y.malformed &&
                 x.bad_time == y.bad_time && x.not_before_as_of == y.not_before_as_of && x.newest == y.newest,
             "1 vs {} threads: counts differ (read {}/{}, used {}/{}, unknown {}/{}, malformed {}/{})", threads, x.read,
             y.read, x.used, y.used, x.unknown_lead, y.unknown_lead, x.malformed, y.malformed);
  FUZZ_CHECK(x.unparseable == y.unparseable && x.invalid_text == y.invalid_text,
             "1 vs {} threads: unparseable or invalid text counts differ", threads);
  FUZZ_CHECK(x.unparseable_example == y.unparseable_example, "1 vs {} threads: the examples differ", threads);
  for (std::size_t lead = 0; lead < a.leads; ++lead)
    for (std::size_t s = 0; s < rules.graph.slots.size(); ++s)
      FUZZ_CHECK(same_slot(rules, a, b, s, lead), "1 vs {} threads: slot {} of lead {} differs", threads, s, lead);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const leadscore::fuzz::CompiledRules rules = leadscore::fuzz::compile_rules(kRules);
  static leadscore::fuzz::MemoryFile numbered_leads, text_leads, events_file;
  static const bool leads_written = [] {
    numbered_leads.assign("id\nL0\nL1\nL2\nL3\nL4\nL5\nL6\nL7\nL8\nL9\n");
    text_leads.assign("id\nada\n\"b,c\"\nL1\n7\n\xc3\xa9t\xc3\xa9\nx y\n");
    return true;
  }();
  (void)leads_written;
  if (size == 0) return 0;
  const std::string& leads_path = (data[0] & 1) != 0 ? text_leads.path() : numbered_leads.path();
  std::string events(kHeader);
  events.append(reinterpret_cast<const char*>(data) + 1, size - 1);
  events_file.assign(events);

  Fold single;
  fold(rules, leads_path, events_file.path(), 1, single);
  FUZZ_CHECK(single.ok || !single.error.empty(), "1 thread: failed without an error message");
  if (single.ok) check_counts(events, single, 1);
  for (const int threads : {2, 3}) {
    Fold parallel;
    fold(rules, leads_path, events_file.path(), threads, parallel);
    check_same(rules, single, parallel, threads);
  }
  return 0;
}

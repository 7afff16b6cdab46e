// libFuzzer target: the leads loader (CSV reader, cell parsing, id index, parallel byte ranges) with
// the b2b-saas lead schema. Oracle: every data record is either a lead or a reject (reconciled with
// an independent count of the file's records), rejects have a line within the file and a reason,
// and reading with 1, 2 or 3 threads gives the same table and the same rejects.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "engine/load/lead_table.hpp"
#include "io/value_parse.hpp"
#include "tests/fuzz/support.hpp"

namespace {

using leadscore::engine::Column;
using leadscore::engine::LeadTable;
using leadscore::engine::RejectedRow;

// The b2b-saas example's lead schema (so its data and real exports are seeds), every field read.
const char* const kRules = R"rules(ruleset "fuzz-leads" version 1
schema lead {
  lead_id:        id
  email:          string
  company:        string
  title:          string
  country:        string
  industry:       string
  employees:      int     from "Employees"
  annual_revenue: number  from "Annual Revenue (USD)"
  is_agency:      bool
  email_verified: bool
  created_at:     date
}
score fit {
  rule "US"         when country == "US"                   points 1
  rule "Software"   when industry == "Software"            points 1
  rule "Big"        when employees >= 100                  points 1
  rule "Rich"       when annual_revenue >= 10M             points 1
  rule "Agency"     when is_agency                         points -1
  rule "Verified"   when email_verified                    points 1
  rule "Company"    when domain(email) == "acme.com"       points 1
  rule "Named"      when company contains "Inc"            points 1
  rule "VP"         when title contains "VP"               points 1
  rule "New"        when days_since(created_at) < 30       points 1
}
)rules";

struct Reject {
  std::uint64_t line;
  std::string reason;
  std::string raw;
  std::string id;
  bool operator==(const Reject&) const = default;
};

struct Load {
  bool ok = false;
  std::string error;
  LeadTable table;
  std::vector<Reject> rejects;
};

void load(const leadscore::fuzz::CompiledRules& rules, const std::string& path, int threads, Load& out) {
  leadscore::engine::ReadOptions options;
  options.threads = threads;
  options.block_size = 4096;  // the default 8 MB per reader costs more than the parsing under ASan
  const std::int64_t as_of = leadscore::io::days_from_civil(2026, 11, 1) * leadscore::io::kMicrosPerDay;
  out.ok = leadscore::engine::load_leads(
      rules.program, rules.graph, path, options, as_of, out.table,
      [&](const RejectedRow& r) { out.rejects.push_back(Reject{r.line, r.reason, std::string(r.raw), std::string(r.id)}); }, out.error);
}

bool same_cell(const Column& a, std::size_t i, const Column& b, std::size_t j) {
  switch (a.type) {
    case leadscore::ir::Type::Number:
      return a.valid[i] == b.valid[j] && (!a.valid[i] || std::memcmp(&a.num[i], &b.num[j], sizeof(double)) == 0);
    case leadscore::ir::Type::Instant: return a.valid[i] == b.valid[j] && (!a.valid[i] || a.time[i] == b.time[j]);
    case leadscore::ir::Type::String: return a.valid[i] == b.valid[j] && (!a.valid[i] || a.str[i] == b.str[j]);
    case leadscore::ir::Type::Bool: return a.truth[i] == b.truth[j];
    case leadscore::ir::Type::Error: return true;
  }
  return false;
}

void check_reconciled(std::string_view text, const Load& run, int threads) {
  const LeadTable& t = run.table;
  const std::uint64_t lines = leadscore::fuzz::line_count(text);
  FUZZ_CHECK(t.rows_read == leadscore::fuzz::data_records(text), "{} threads: {} rows read, the file has {} data records", threads,
             t.rows_read, leadscore::fuzz::data_records(text));
  FUZZ_CHECK(t.rows_read == t.rows + t.rows_rejected, "{} threads: read {} != scored {} + rejected {}", threads,
             t.rows_read, t.rows, t.rows_rejected);
  FUZZ_CHECK(run.rejects.size() == t.rows_rejected, "{} threads: {} rejects reported, {} counted", threads,
             run.rejects.size(), t.rows_rejected);
  FUZZ_CHECK(t.ids.size() == t.rows && t.lines.size() == t.rows && t.as_of.size() == t.rows,
             "{} threads: {} rows but {} ids, {} lines", threads, t.rows, t.ids.size(), t.lines.size());
  std::uint64_t previous = 1;  // the header's line at least
  for (const auto& r : run.rejects) {
    FUZZ_CHECK(r.line > previous && r.line <= lines, "{} threads: reject on line {} (previous {}, {} lines)", threads,
               r.line, previous, lines);
    FUZZ_CHECK(!r.reason.empty(), "{} threads: reject on line {} without a reason", threads, r.line);
    previous = r.line;
  }
  previous = 1;
  for (std::size_t row = 0; row < t.rows; ++row) {
    FUZZ_CHECK(t.lines[row] > previous && t.lines[row] <= lines, "{} threads: lead on line {} (previous {})",
               threads, t.lines[row], previous);
    previous = t.lines[row];
    const std::string_view id = t.ids[row];
    FUZZ_CHECK(!id.empty() && id == leadscore::io::trim_blanks(id), "{} threads: id \"{}\" on line {}", threads, id,
               t.lines[row]);
    FUZZ_CHECK(t.index.find(id) == static_cast<std::int32_t>(row), "{} threads: id \"{}\" indexes row {}, not {}",
               threads, id, t.index.find(id), row);
  }
  FUZZ_CHECK(t.index.size() == t.rows, "{} threads: {} ids indexed for {} rows", threads, t.index.size(), t.rows);
}

void check_same(const Load& a, const Load& b, int threads) {
  FUZZ_CHECK(a.ok == b.ok && a.error == b.error, "1 vs {} threads: ok {}/{}, error \"{}\" / \"{}\"", threads, a.ok,
             b.ok, a.error, b.error);
  if (!a.ok) return;
  const LeadTable &x = a.table, &y = b.table;
  FUZZ_CHECK(x.rows == y.rows && x.rows_read == y.rows_read && x.rows_rejected == y.rows_rejected,
             "1 vs {} threads: rows {}/{}, read {}/{}, rejected {}/{}", threads, x.rows, y.rows, x.rows_read,
             y.rows_read, x.rows_rejected, y.rows_rejected);
  FUZZ_CHECK(x.ids == y.ids && x.lines == y.lines, "1 vs {} threads: ids or lines differ", threads);
  FUZZ_CHECK(x.unparseable == y.unparseable, "1 vs {} threads: unparseable counts differ", threads);
  FUZZ_CHECK(a.rejects.size() == b.rejects.size(), "1 vs {} threads: {} vs {} rejects", threads, a.rejects.size(),
             b.rejects.size());
  for (std::size_t i = 0; i < a.rejects.size(); ++i)
    FUZZ_CHECK(a.rejects[i] == b.rejects[i], "1 vs {} threads: reject {} (line {} \"{}\" / line {} \"{}\")", threads,
               i, a.rejects[i].line, a.rejects[i].reason, b.rejects[i].line, b.rejects[i].reason);
  FUZZ_CHECK(x.fields.size() == y.fields.size(), "field counts differ");
  for (std::size_t f = 0; f < x.fields.size(); ++f) {
    FUZZ_CHECK(x.fields[f].type == y.fields[f].type, "1 vs {} threads: field {} has another type", threads, f);
    for (std::size_t row = 0; row < x.rows; ++row)
      FUZZ_CHECK(same_cell(x.fields[f], row, y.fields[f], row), "1 vs {} threads: field {} of line {} differs",
                 threads, f, x.lines[row]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const leadscore::fuzz::CompiledRules rules = leadscore::fuzz::compile_rules(kRules);
  static leadscore::fuzz::MemoryFile file;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  file.assign(text);
  Load single;
  load(rules, file.path(), 1, single);
  FUZZ_CHECK(single.ok || !single.error.empty(), "1 thread: failed without an error message");
  if (single.ok) check_reconciled(text, single, 1);
  for (const int threads : {2, 3}) {
    Load parallel;
    load(rules, file.path(), threads, parallel);
    check_same(single, parallel, threads);
    if (parallel.ok) check_reconciled(text, parallel, threads);
  }
  return 0;
}

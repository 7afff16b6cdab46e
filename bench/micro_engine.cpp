// The engine's stages on generated data written to a private temp directory:
// - activity aggregation: engine::aggregate_events, the whole event pass (read, filter, fold), events/s;
// - graph evaluation: engine::evaluate of one 2048-row lead batch for a tiny ruleset per node kind, rows/s;
// - output writing: jobs::ResultWriter::append_rows, and io::append_number + io::append_csv_field, rows/s
//   and bytes/s.
// Data, rules, loading and compiling are set up once per benchmark, outside the timed loops.
#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/exec/string_dictionary.hpp"
#include "jobs/output_columns.hpp"
#include "jobs/reasons.hpp"
#include "jobs/result_writer.hpp"
#include "jobs/run_inputs.hpp"
#include "io/csv_writer.hpp"
#include "io/number_format.hpp"

namespace {

namespace fs = std::filesystem;
namespace engine = leadscore::engine;
namespace jobs = leadscore::jobs;
namespace io = leadscore::io;

constexpr std::int64_t kAsOf = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z
constexpr std::int64_t kMicrosPerSecond = 1'000'000;

std::uint64_t next_random(std::uint64_t& state) {  // splitmix64: the same data on every platform
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A directory of generated files for this process, removed at exit.
class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("leadscore-micro-" + std::to_string(::getpid()))) {
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

const TempDir& temp_dir() {
  static const TempDir dir;
  return dir;
}

std::string write_file(const std::string& name, const std::string& text) {
  std::string path = temp_dir().file(name);
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out.flush()) throw std::runtime_error("cannot write " + path);
  return path;
}

std::string lead_id(std::size_t i) {
  char id[16];
  std::snprintf(id, sizeof id, "L%07zu", i);
  return id;
}

// A leads file with the b2b-nightly lead schema; written once per row count.
std::string leads_file(std::size_t rows) {
  static std::map<std::size_t, std::string> written;
  if (auto it = written.find(rows); it != written.end()) return it->second;
  static constexpr const char* kCountries[] = {"US", "CA", "GB", "DE", "FR", "BR", "IN", "JP", "AU", "NL", "ES", "MX"};
  static constexpr const char* kIndustries[] = {"Software", "Banking", "Insurance", "Retail", "Manufacturing",
                                                "Financial Services", "Healthcare", "Education"};
  static constexpr const char* kTitles[] = {"VP Sales", "Head of Marketing", "Software Engineer", "Marketing Intern",
                                            "Chief Revenue Officer", "\"Director, Demand Generation\"", "Analyst",
                                            "Product Owner", "", "International Sales Manager", "Founder & CEO"};
  static constexpr const char* kDomains[] = {"acme.com", "gmail.com", "globex.io", "Yahoo.com", "initech.co.uk",
                                             "outlook.com", "umbrella.de"};
  static constexpr const char* kSources[] = {"organic", "paid_search", "referral", "event", "partner"};
  std::string text = "lead_id,email,country,industry,employees,annual_revenue,title,is_agency,email_verified,"
                     "source,created_at\n";
  std::uint64_t rng = 1234;
  char line[320];
  for (std::size_t i = 0; i < rows; ++i) {
    const std::uint64_t r = next_random(rng), s = next_random(rng);
    const std::uint64_t employees = (r % 7 == 0) ? 5000 + r % 20000 : 1 + r % 4999;
    const double revenue = static_cast<double>(s % 50'000'000) + static_cast<double>(s % 100) / 100.0;
    const int n = std::snprintf(
        line, sizeof line, "%s,user%zu@%s,%s,%s,%llu,%.2f,%s,%s,%s,%s,2026-%02u-%02u\n", lead_id(i).c_str(), i,
        kDomains[(r >> 8) % 7], kCountries[(r >> 12) % 12], kIndustries[(r >> 16) % 8],
        static_cast<unsigned long long>(employees), revenue, kTitles[(r >> 20) % 11],
        (r >> 24) % 10 == 0 ? "true" : "false", (r >> 28) % 3 == 0 ? "false" : "true", kSources[(r >> 32) % 5],
        static_cast<unsigned>((r >> 36) % 10) + 1, static_cast<unsigned>((r >> 40) % 28) + 1);
    text.append(line, static_cast<std::size_t>(n));
  }
  return written[rows] = write_file("leads-" + std::to_string(rows) + ".csv", text);
}

struct EventsFile {
  std::string path;
  std::uint64_t events = 0;
  std::uint64_t bytes = 0;
};

// ~`per_lead` events per lead over the 180 days before the as-of instant, some at or after it, ~0.5%
// for unknown leads; types and urls as in an activities export.
EventsFile events_file(std::size_t leads, std::size_t per_lead) {
  static std::map<std::pair<std::size_t, std::size_t>, EventsFile> written;
  if (auto it = written.find({leads, per_lead}); it != written.end()) return it->second;
  static constexpr const char* kTypes[] = {"page_view",   "page_view",    "page_view",        "email_open",
                                           "email_click", "pricing_view", "webinar_attended", "whitepaper_download",
                                           "demo_request", "careers_view", "unsubscribe",     "email_open"};
  static constexpr const char* kUrls[] = {"/pricing", "/blog/lead-scoring-101", "/careers/engineering", "/",
                                          "\"/search?q=crm,scoring\"", "/docs/api", ""};
  EventsFile file;
  std::string text = "lead_id,type,occurred_at,url\n";
  std::uint64_t rng = 99;
  char line[160];
  const std::size_t total = leads * per_lead;
  for (std::size_t e = 0; e < total; ++e) {
    const std::uint64_t r = next_random(rng);
    const std::size_t lead = (r % 200 == 0) ? leads + r % 1000 : (r >> 8) % leads;  // 0.5% orphans
    const std::int64_t back = static_cast<std::int64_t>((r >> 20) % (186 * 86'400)) - 6 * 86'400;  // some after as-of
    const std::int64_t t = kAsOf / kMicrosPerSecond - back;
    const std::int64_t day = t / 86'400, sec = t % 86'400;
    // civil date of `day` (days since 1970-01-01), Howard Hinnant's algorithm
    const std::int64_t z = day + 719468, era = z / 146097, doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    const std::int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9, y = yoe + era * 400 + (m <= 2);
    const int n = std::snprintf(line, sizeof line, "%s,%s,%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ,%s\n",
                                lead_id(lead).c_str(), kTypes[(r >> 40) % 12], static_cast<long long>(y),
                                static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(sec / 3600),
                                static_cast<long long>(sec / 60 % 60), static_cast<long long>(sec % 60),
                                kUrls[(r >> 48) % 7]);
    text.append(line, static_cast<std::size_t>(n));
  }
  file.events = total;
  file.bytes = text.size();
  file.path = write_file("activities-" + std::to_string(leads) + "-" + std::to_string(per_lead) + ".csv", text);
  return written[{leads, per_lead}] = file;
}

constexpr const char* kLeadSchema = R"(
schema lead {
  lead_id:        id
  email:          string
  country:        string
  industry:       string
  employees:      int
  annual_revenue: number
  title:          string
  is_agency:      bool
  email_verified: bool
  source:         string
  created_at:     date
}
schema activity {
  lead_id:     id
  type:        string
  occurred_at: timestamp
  url:         string
}
)";

std::unique_ptr<jobs::PreparedRun> prepare(const std::string& rules_path, std::size_t leads,
                                             const std::string* activities) {
  jobs::RunInputs inputs;
  inputs.rules = rules_path;
  inputs.leads = leads_file(leads);
  if (activities) inputs.activities = *activities;
  inputs.as_of = kAsOf;
  auto run = std::make_unique<jobs::PreparedRun>();
  leadscore::Diagnostics diags;
  std::string error;
  if (!jobs::prepare_run(inputs, diags, *run, error)) {
    for (const auto& d : diags.items()) error += (error.empty() ? "" : "; ") + d.message;
    throw std::runtime_error("prepare_run(" + rules_path + "): " + error);
  }
  return run;
}

std::string rules_file(const std::string& name, const std::string& body) {
  return write_file(name + ".rules", "ruleset \"micro-" + name + "\" version 1\n" + kLeadSchema + body);
}

// ------------------------------------------------------------------------------------------ aggregation

constexpr const char* kEventRules = R"(
score interest {
  rule "Demo request"    when count(activity where type == "demo_request" within 30d) >= 1    points 40
  rule "Pricing page x2" when count(activity where type == "pricing_view" within 14d) >= 2    points 15
  rule "Webinar"         each activity where type == "webinar_attended" within 90d            points 5 max 15
  rule "Whitepaper"      each activity where type == "whitepaper_download" within 90d         points 3 max 9 decay 30d
  rule "Job seeker"      when exists(activity where url starts with "/careers" within 30d)   points -15
  rule "Unsubscribed"    when exists(activity where type in ["unsubscribe", "spam_report"])  points -25
  rule "Gone quiet"      when not exists(activity within 60d)                                points -10
}
)";

// 20k leads, 20 events each (400k events, ~20 MB); arg = threads.
void BM_AggregateEvents(benchmark::State& state) {
  constexpr std::size_t kLeads = 20'000, kPerLead = 20;
  static const EventsFile events = events_file(kLeads, kPerLead);
  static const auto run = prepare(rules_file("events", kEventRules), kLeads, nullptr);  // leads only
  const int threads = static_cast<int>(state.range(0));
  engine::AggregateState aggregates;
  engine::EventStats stats;
  for (auto _ : state) {
    state.PauseTiming();
    aggregates.init(run->graph, run->leads.rows);
    stats = engine::EventStats{};
    state.ResumeTiming();
    std::string error;
    if (!engine::aggregate_events(run->program, run->graph, events.path, {}, run->leads, threads, aggregates, stats,
                                  error)) {
      state.SkipWithError(error.c_str());
      break;
    }
    benchmark::DoNotOptimize(aggregates.value(0, 0));
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.events));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * events.bytes));
  state.counters["used"] = static_cast<double>(stats.used);
}
BENCHMARK(BM_AggregateEvents)->Arg(1)->Arg(2)->ArgName("threads")->Unit(benchmark::kMillisecond)->UseRealTime();

// ------------------------------------------------------------------------------------------ evaluation

// One tiny ruleset per node kind. Every one also has the section sum and the score node, so "bool_field"
// (a bare bool field as the condition) is the baseline the others add to.
const std::vector<std::pair<std::string, std::string>>& node_kinds() {
  static const std::vector<std::pair<std::string, std::string>> kinds = {
      {"bool_field", R"(score s { rule "r" when is_agency points 1 })"},
      {"compare_number", R"(score s { rule "r" when annual_revenue >= 10M points 1 })"},
      {"between_int", R"(score s { rule "r" when employees between 200 and 4999 points 1 })"},
      {"string_equals", R"(score s { rule "r" when industry == "Software" points 1 })"},
      {"in_list", R"(score s { rule "r" when country in ["US", "CA", "GB", "IE", "DE", "FR", "NL", "SE", "DK",
                                                          "NO", "AU", "NZ"] points 1 })"},
      {"contains_any", R"(score s { rule "r" when title contains any ["vp", "vice president", "director",
                                                     "head of", "chief", "founder", "owner", "president"] points 1 })"},
      {"starts_with", R"(score s { rule "r" when title starts with "head of" points 1 })"},
      {"domain_in", R"(score s { rule "r" when domain(email) in ["gmail.com", "yahoo.com", "hotmail.com",
                                                                  "outlook.com"] points 1 })"},
      {"and_or_not", R"(score s { rule "r" when (is_agency and email_verified) or not (is_agency or email_verified)
                                            points 1 })"},
      {"arithmetic", R"(score s { rule "r" when annual_revenue / employees * 12 - 1000 > 5000 points 1 })"},
      {"days_since", R"(score s { rule "r" when days_since(created_at) < 90 points 1 })"},
      {"section_multipliers", R"(score s max 100 min -50 {
          rule "a" when is_agency points -30
          rule "b" when email_verified points 10
          rule "c" when not is_agency points 25
          multiply "m1" when email_verified by 1.2
          multiply "m2" when is_agency by 0.5
        })"},
  };
  return kinds;
}

void BM_Evaluate(benchmark::State& state, const std::string& kind, const std::string& body) {
  constexpr std::size_t kRows = engine::kBatchSize;
  static std::map<std::string, std::unique_ptr<jobs::PreparedRun>> runs;
  auto& run = runs[kind];
  if (!run) run = prepare(rules_file("eval-" + kind, body), kRows, nullptr);
  engine::BatchState batch(run->graph, false);
  for (auto _ : state) {
    jobs::evaluate_leads(*run, 0, kRows, batch);
    benchmark::DoNotOptimize(batch.view(run->graph.score).num);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
}

// The whole b2b-nightly ruleset's lead graph (with aggregates from 20 events per lead).
void BM_EvaluateB2bNightly(benchmark::State& state) {
  constexpr std::size_t kRows = engine::kBatchSize;
  static const EventsFile events = events_file(kRows, 20);
  static const auto run = prepare(std::string(LEADSCORE_BENCH_DIR) + "/b2b-nightly.rules", kRows, &events.path);
  engine::BatchState batch(run->graph, false);
  for (auto _ : state) {
    jobs::evaluate_leads(*run, 0, kRows, batch);
    benchmark::DoNotOptimize(batch.view(run->graph.score).num);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
}
BENCHMARK(BM_EvaluateB2bNightly);

// ------------------------------------------------------------------------------------------ output

// arg 0: CSV; 1: CSV with reasons (--explain); 2: JSON lines; 3: JSON lines with reasons.
void BM_ResultWriter(benchmark::State& state) {
  constexpr std::size_t kRows = engine::kBatchSize;
  static const EventsFile events = events_file(kRows, 20);
  static const auto run = prepare(std::string(LEADSCORE_BENCH_DIR) + "/b2b-nightly.rules", kRows, &events.path);
  const bool jsonl = state.range(0) >= 2, reasons = state.range(0) % 2 == 1;
  engine::BatchState batch(run->graph, false);
  const engine::BatchInput input = jobs::evaluate_leads(*run, 0, kRows, batch);
  jobs::OutputColumnOptions options;
  options.reasons = reasons;
  jobs::OutputColumns columns;
  std::string error;
  if (!jobs::plan_output_columns(run->program, run->graph, options, columns, error)) throw std::runtime_error(error);
  jobs::RowSources sources;
  sources.leads = &run->leads;
  jobs::ResultWriter writer(run->program, run->graph, columns,
                            jsonl ? jobs::OutputFormat::Jsonl : jobs::OutputFormat::Csv, std::move(sources));
  jobs::RowBuffers buffers;
  buffers.tally.init(run->graph);
  std::string& out = buffers.out;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    out.clear();
    writer.append_rows(input, batch, buffers);
    bytes += static_cast<std::int64_t>(out.size());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(bytes);
  state.SetLabel(std::string(jsonl ? "jsonl" : "csv") + (reasons ? "+reasons" : ""));
}
BENCHMARK(BM_ResultWriter)->Arg(0)->Arg(1)->Arg(2)->Arg(3)->ArgName("format");

// The same JSON lines as BM_ResultWriter/format:3 (scores and reasons), built with nlohmann-json:
// the peer that decides whether `score` keeps its hand-written JSON lines.
void BM_JsonlWithNlohmann(benchmark::State& state) {
  constexpr std::size_t kRows = engine::kBatchSize;
  static const EventsFile events = events_file(kRows, 20);
  static const auto run = prepare(std::string(LEADSCORE_BENCH_DIR) + "/b2b-nightly.rules", kRows, &events.path);
  engine::BatchState batch(run->graph, false);
  const engine::BatchInput input = jobs::evaluate_leads(*run, 0, kRows, batch);
  const engine::Graph& g = run->graph;
  auto rounded = [](double v) { return std::strtod(io::format_number(v).c_str(), nullptr); };
  engine::LeadRecord record;
  std::string out;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    out.clear();
    for (std::size_t r = 0; r < kRows; ++r) {
      nlohmann::ordered_json row;
      row[run->program.lead_fields[static_cast<std::size_t>(run->program.lead_id_field)].name] =
          std::string(run->leads.ids[r]);
      for (const auto& s : g.sections) row[s.name] = rounded(batch.view(s.value).num[r]);
      row["score"] = rounded(batch.view(g.score).num[r]);
      for (const auto& gate : g.gates) row[gate.name] = batch.view(gate.value).truth[r] == engine::kTrue;
      if (g.has_mql) row["mql"] = batch.view(g.mql).truth[r] == engine::kTrue;
      for (const auto& c : g.classifies) {
        const auto& v = batch.view(c.value);
        row[c.name] = v.valid[r] ? nlohmann::ordered_json(std::string(v.str[r])) : nlohmann::ordered_json(nullptr);
      }
      engine::record_lead(g, run->points, input, batch, r, record);
      auto& reasons = row["reasons"] = nlohmann::ordered_json::array();
      for (const auto& reason : jobs::reasons_of(g, record))
        reasons.push_back({{"kind", jobs::reason_kind_name(reason.kind)},
                           {"label", std::string(reason.label)},
                           {"value", rounded(reason.value)}});
      out += row.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      out += '\n';
    }
    bytes += static_cast<std::int64_t>(out.size());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_JsonlWithNlohmann);

// The output primitives alone: a b2b-nightly-shaped row (id, 3 numbers, 2 text cells) per lead.
void BM_AppendNumberAndField(benchmark::State& state) {
  constexpr std::size_t kRows = engine::kBatchSize;
  std::vector<std::string> ids;
  std::vector<double> fit, interest, score;
  std::uint64_t rng = 5;
  static constexpr const char* kQuadrants[] = {"hot", "nurture", "fan", "drop"};
  for (std::size_t i = 0; i < kRows; ++i) {
    const std::uint64_t r = next_random(rng);
    std::string id = lead_id(i);
    if (i % 50 == 0) id += ",x";  // a few need quotes
    ids.push_back(std::move(id));
    fit.push_back(static_cast<double>(static_cast<int>(r % 120) - 30));
    interest.push_back(static_cast<double>(r >> 20 & 0xFFFF) / 997.0);  // fractions: rounded to 2 decimals
    score.push_back(fit.back() * 1.2 + interest.back());
  }
  std::string out;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    out.clear();
    for (std::size_t i = 0; i < kRows; ++i) {
      io::append_csv_field(out, ids[i]);
      out += ',';
      io::append_number(out, fit[i]);
      out += ',';
      io::append_number(out, interest[i]);
      out += ',';
      io::append_number(out, score[i]);
      out += ',';
      io::append_csv_field(out, i % 3 == 0 ? "true" : "false");
      out += ',';
      io::append_csv_field(out, kQuadrants[i % 4]);
      out += '\n';
    }
    bytes += static_cast<std::int64_t>(out.size());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_AppendNumberAndField);

// The activity-type lookup of every event: one of the workload's nine types, in random order (so
// the lengths vary from one lookup to the next as they do in a real file).
void BM_DictionaryFind(benchmark::State& state) {
  static constexpr const char* kTypes[] = {"page_view",    "email_open",   "email_click",
                                           "demo_request", "pricing_view", "careers_view",
                                           "webinar_attended", "whitepaper_download", "unsubscribe"};
  engine::StringDictionary dictionary;
  for (const char* type : kTypes) dictionary.code_of(type);
  std::string text;  // the cells back to back, as a file holds them
  std::vector<std::pair<std::size_t, std::size_t>> cells;
  std::uint64_t rng = 9;
  for (std::size_t i = 0; i < 4096; ++i) {
    const std::string_view type = kTypes[next_random(rng) % std::size(kTypes)];
    cells.emplace_back(text.size(), type.size());
    text += type;
    text += ',';
  }
  std::uint64_t sum = 0;
  for (auto _ : state) {
    for (const auto& [at, size] : cells) sum += dictionary.find(std::string_view(text).substr(at, size));
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * cells.size()));
}
BENCHMARK(BM_DictionaryFind);

[[maybe_unused]] const bool registered_node_kinds = [] {
  for (const auto& [kind, body] : node_kinds())
    benchmark::RegisterBenchmark(("BM_Evaluate/" + kind).c_str(), BM_Evaluate, kind, body);
  return true;
}();

}  // namespace

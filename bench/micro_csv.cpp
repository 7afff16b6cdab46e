// CSV scanning: io::CsvReader over an in-memory activities-like file (~50 MB; lead id, type, ISO
// timestamp, url; some urls quoted because they hold commas or doubled quotes). Reports bytes/s.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <string>

#include "io/csv_reader.hpp"

namespace {

using leadscore::io::CsvReader;
using leadscore::io::CsvRecord;

std::uint64_t next_random(std::uint64_t& state) {  // splitmix64: deterministic across platforms
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// Built once, on first use, outside every timed loop.
const std::string& activities_csv() {
  static const std::string text = [] {
    constexpr std::size_t kTargetBytes = std::size_t{50} << 20;
    static constexpr const char* kTypes[] = {"page_view", "pricing_view", "email_open", "email_click",
                                             "demo_request", "webinar_attended", "whitepaper_download",
                                             "careers_view"};
    static constexpr const char* kPlainUrls[] = {"/pricing", "/blog/lead-scoring-101", "/docs/getting-started",
                                                 "/careers/engineering", "/", "/product/integrations/salesforce"};
    static constexpr const char* kQuotedUrls[] = {"\"/search?q=crm,scoring\"", "\"/blog/\"\"best\"\"-practices\"",
                                                  "\"/compare?a=x,y,z\""};
    std::string out;
    out.reserve(kTargetBytes + 256);
    out += "lead_id,type,occurred_at,url\n";
    std::uint64_t rng = 42;
    char line[160];
    while (out.size() < kTargetBytes) {
      const std::uint64_t r = next_random(rng);
      const char* type = kTypes[r % 8];
      const auto lead = static_cast<unsigned>((r >> 8) % 1'000'000);
      const auto day = static_cast<unsigned>((r >> 28) % 28) + 1;
      const auto month = static_cast<unsigned>((r >> 33) % 10) + 1;
      const auto secs = static_cast<unsigned>((r >> 37) % 86'400);
      const std::uint64_t pick = (r >> 54) % 20;
      const char* url = pick == 0 ? kQuotedUrls[(r >> 60) % 3] : pick < 4 ? "" : kPlainUrls[pick % 6];
      const int n = std::snprintf(line, sizeof line, "L%07u,%s,2026-%02u-%02uT%02u:%02u:%02uZ,%s\n", lead, type,
                                  month, day, secs / 3600, secs / 60 % 60, secs % 60, url);
      out.append(line, static_cast<std::size_t>(n));
    }
    return out;
  }();
  return text;
}

void BM_CsvScan(benchmark::State& state) {
  const std::string& text = activities_csv();
  CsvRecord record;
  std::uint64_t fields = 0;
  for (auto _ : state) {
    CsvReader reader;
    reader.open_memory(text);
    while (reader.next(record)) fields += record.fields.size();
    benchmark::DoNotOptimize(fields);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
  state.counters["fields/iter"] = static_cast<double>(fields) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_CsvScan)->Unit(benchmark::kMillisecond);

// Same input, reading every field's bytes (as the typed parsers will), so lazy readers cannot win by
// never touching the fields.
void BM_CsvScanTouchFields(benchmark::State& state) {
  const std::string& text = activities_csv();
  CsvRecord record;
  std::uint64_t sum = 0;
  for (auto _ : state) {
    CsvReader reader;
    reader.open_memory(text);
    while (reader.next(record))
      for (auto field : record.fields) sum += field.size() + (field.empty() ? 0u : static_cast<unsigned char>(field[0]));
    benchmark::DoNotOptimize(sum);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_CsvScanTouchFields)->Unit(benchmark::kMillisecond);

// The same text as a file in the page cache, read in 256 KB blocks with read() (Arg 0) or
// memory-mapped (Arg 1): what the kernel's copy costs against faulting the mapping in.
const std::string& activities_file() {
  static const std::string path = [] {
    std::string p = "/tmp/leadscore_micro_csv_" + std::to_string(::getpid()) + ".csv";
    std::ofstream(p, std::ios::binary) << activities_csv();
    std::atexit([] { std::remove(activities_file().c_str()); });
    return p;
  }();
  return path;
}

void BM_CsvScanFile(benchmark::State& state) {
  const std::string& path = activities_file();
  const bool mapped = state.range(0) != 0;
  CsvRecord record;
  std::uint64_t fields = 0;
  for (auto _ : state) {
    CsvReader reader(',', CsvReader::kDefaultBlockSize, mapped ? 0 : UINT64_MAX);
    std::string error;
    if (!reader.open(path, error)) state.SkipWithError(error.c_str());
    while (reader.next(record)) fields += record.fields.size();
    benchmark::DoNotOptimize(fields);
  }
  state.SetLabel(mapped ? "mapped" : "read");
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(activities_csv().size()));
}
BENCHMARK(BM_CsvScanFile)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

// Typed parsing of single cells (io::parse_int, parse_number, parse_timestamp, parse_date, parse_bool)
// over arrays of realistic cells: mostly well-formed values as exports hold them, some blanks around,
// some missing and a few unparseable. Reports items/s (cells).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/value_parse.hpp"

namespace {

namespace io = leadscore::io;

constexpr std::size_t kCells = 4096;

// Repeats `samples` to kCells cells; the sample lists are short, so the branch predictor sees a
// realistic mix rather than one value.
std::vector<std::string> cells_from(std::initializer_list<std::string_view> samples) {
  std::vector<std::string> out;
  out.reserve(kCells);
  std::uint64_t x = 7;
  const std::vector<std::string_view> pool(samples);
  while (out.size() < kCells) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;  // shuffle the order a little
    out.emplace_back(pool[(x >> 33) % pool.size()]);
  }
  return out;
}

std::vector<std::string_view> views_of(const std::vector<std::string>& cells) {
  return {cells.begin(), cells.end()};
}

template <typename Parse>
void run_parse(benchmark::State& state, const std::vector<std::string>& cells, Parse parse) {
  const std::vector<std::string_view> views = views_of(cells);
  std::uint64_t present = 0;
  for (auto _ : state) {
    for (std::string_view cell : views) {
      auto parsed = parse(cell);
      benchmark::DoNotOptimize(parsed);
      present += parsed.has_value() ? 1 : 0;
    }
  }
  benchmark::DoNotOptimize(present);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(views.size()));
}

void BM_ParseInt(benchmark::State& state) {
  static const auto cells = cells_from({"5000", "200", "199", "4999", "12", "85000", " 350 ", "1", "-3", "",
                                        "1200", "75", "10000", "12abc", "42"});
  run_parse(state, cells, [](std::string_view c) { return io::parse_int(c); });
}
BENCHMARK(BM_ParseInt);

void BM_ParseNumber(benchmark::State& state) {
  static const auto cells = cells_from({"10000000", "9999999.99", "10000000.01", "2500000", "125000.5", "",
                                        "3.75e6", "48000000", "0", " 1234.56", "-15.25", "n/a", "987654.321"});
  run_parse(state, cells, [](std::string_view c) { return io::parse_number(c); });
}
BENCHMARK(BM_ParseNumber);

void BM_ParseTimestamp(benchmark::State& state) {
  static const auto cells = cells_from({"2026-10-03T12:34:56Z", "2026-09-30T00:00:00Z", "2026-10-31T23:59:59Z",
                                        "2026-08-15T08:05:01.123456Z", "2026-07-04T17:30:00+02:00",
                                        "2026-10-01T09:00:00-05:00", "2026-06-12", "2026-10-20T14:00:00.5Z",
                                        "", "2026-02-30T10:00:00Z"});
  run_parse(state, cells, [](std::string_view c) { return io::parse_timestamp(c); });
}
BENCHMARK(BM_ParseTimestamp);

// io::TimestampParser as the event pass uses it: UTC timestamps to the second, spread over a year's
// days, in random order (the parser remembers each day it has seen).
void BM_TimestampParserEvents(benchmark::State& state) {
  std::vector<std::string> cells;
  std::uint64_t x = 11;
  constexpr std::int64_t kYearStart = 1'762'000'000;  // seconds: late 2025
  while (cells.size() < kCells) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto second = kYearStart + static_cast<std::int64_t>((x >> 20) % (365 * 86'400));
    cells.push_back(io::format_timestamp(second * 1'000'000));
  }
  io::TimestampParser parser;
  run_parse(state, cells, [&parser](std::string_view c) { return parser.parse(c); });
}
BENCHMARK(BM_TimestampParserEvents);

void BM_ParseDate(benchmark::State& state) {
  static const auto cells = cells_from({"2024-01-15", "2025-06-30", "2026-10-31", "2023-12-01", "2026-02-28",
                                        "2024-02-29", "", " 2025-03-09 ", "2025-13-01", "2022-07-04"});
  run_parse(state, cells, [](std::string_view c) { return io::parse_date(c); });
}
BENCHMARK(BM_ParseDate);

void BM_ParseBool(benchmark::State& state) {
  static const auto cells = cells_from({"true", "false", "TRUE", "False", "yes", "no", "1", "0", "y", "n", "",
                                        "t", "f", "maybe"});
  run_parse(state, cells, [](std::string_view c) { return io::parse_bool(c); });
}
BENCHMARK(BM_ParseBool);

}  // namespace

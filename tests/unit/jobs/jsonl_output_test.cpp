// `score --format jsonl` is written by hand (bench/micro.md: 6.6x faster than nlohmann-json), so
// every line of every example must parse as JSON and carry the same values as the CSV output.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>
#include <nlohmann/json.hpp>

#include "io/csv_reader.hpp"
#include "jobs/score_job.hpp"

using namespace leadscore;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kAsOf = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z

fs::path scored(const std::string& name, jobs::OutputFormat format) {
  const fs::path root = LEADSCORE_SOURCE_DIR;
  jobs::ScoreRequest request;
  request.rules = (root / "rules/examples" / (name + ".rules")).string();
  request.leads = (root / "rules/examples/data" / name / "leads.csv").string();
  if (fs::exists(root / "rules/examples/data" / name / "activities.csv"))
    request.activities = (root / "rules/examples/data" / name / "activities.csv").string();
  request.as_of = kAsOf;
  request.explain = true;
  request.format = format;
  request.csv_safety = io::CsvSafety::Raw;
  const fs::path out = fs::temp_directory_path() /
                       (name + "-" + std::to_string(::getpid()) + (format == jobs::OutputFormat::Jsonl ? ".jsonl" : ".csv"));
  request.out = out.string();
  Diagnostics diags;
  jobs::ScoreReport report;
  std::string error;
  REQUIRE_MESSAGE(jobs::run_score(request, diags, report, error), error);
  return out;
}

void check_jsonl_matches_csv(const std::string& name) {
  const fs::path csv_path = scored(name, jobs::OutputFormat::Csv);
  const fs::path jsonl_path = scored(name, jobs::OutputFormat::Jsonl);
  io::CsvReader reader(',');
  std::string error;
  REQUIRE(reader.open(csv_path.string(), error));
  io::CsvRecord header_record, row;
  REQUIRE(reader.next(header_record));
  // A record's fields are views valid until the reader's next call: keep the names.
  const std::vector<std::string> header(header_record.fields.begin(), header_record.fields.end());
  std::ifstream jsonl(jsonl_path);
  std::string line;
  std::size_t rows = 0;
  while (reader.next(row)) {
    REQUIRE(std::getline(jsonl, line));
    ++rows;
    nlohmann::json j;
    REQUIRE_NOTHROW(j = nlohmann::json::parse(line));
    REQUIRE(j.is_object());
    // Every CSV column but the joined reasons is a JSON field of the same value.
    for (std::size_t c = 0; c + 1 < header.size(); ++c) {
      const std::string& key = header[c];
      const std::string cell(row.fields[c]);
      REQUIRE_MESSAGE(j.contains(key), name << " line " << rows << ": no field " << key);
      const auto& v = j[key];
      if (v.is_number()) CHECK_MESSAGE(v.get<double>() == doctest::Approx(std::stod(cell)), key << " " << line);
      else if (v.is_boolean()) CHECK_MESSAGE((v.get<bool>() ? "true" : "false") == cell, key << " " << line);
      else if (v.is_null()) CHECK_MESSAGE(cell.empty(), key << " " << line);
      else CHECK_MESSAGE(v.get<std::string>() == cell, key << " " << line);
    }
    REQUIRE(j["reasons"].is_array());
    for (const auto& reason : j["reasons"]) {
      CHECK(reason["kind"].is_string());
      CHECK(reason["label"].is_string());
      CHECK(reason["value"].is_number());
    }
    CHECK((j["reasons"].empty()) == std::string_view(row.fields.back()).empty());
  }
  CHECK_FALSE(std::getline(jsonl, line));
  CHECK(rows > 0);
  fs::remove(csv_path);
  fs::remove(jsonl_path);
}

}  // namespace

TEST_CASE("jsonl output: b2b-saas lines are JSON with the CSV's values") { check_jsonl_matches_csv("b2b-saas"); }
TEST_CASE("jsonl output: product-led lines are JSON with the CSV's values") { check_jsonl_matches_csv("product-led"); }
TEST_CASE("jsonl output: enterprise lines are JSON with the CSV's values") { check_jsonl_matches_csv("enterprise"); }

// `explain` and `score` must agree on every lead of every example: the explanation's section
// values, score, gates, mql and classify values equal the row `score` writes.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "jobs/explain.hpp"
#include "jobs/score_job.hpp"

using namespace leadscore;

namespace {

std::vector<std::string> split_csv_simple(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) {
      out.push_back(cell);
      cell.clear();
    } else cell += c;
  }
  out.push_back(cell);
  return out;
}

// "name = value" lines of the text explanation, by name ("fit", "score", "gate cpal", "quadrant").
std::map<std::string, std::string> explained_values(const std::string& text) {
  std::map<std::string, std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == ' ' || line.rfind("lead ", 0) == 0) continue;
    auto eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    std::string name = line.substr(0, eq);
    if (name.rfind("gate ", 0) == 0) name = name.substr(5);
    std::string value = line.substr(eq + 3);
    value = value.substr(0, value.find("  "));
    if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
    if (value.rfind("(no branch", 0) == 0) value.clear();
    out[name] = value;
  }
  return out;
}

void check_example(const std::string& name, char delimiter = ',') {
  namespace fs = std::filesystem;
  const fs::path root = LEADSCORE_SOURCE_DIR;
  jobs::RunInputs inputs;
  inputs.rules = (root / "rules/examples" / (name + ".rules")).string();
  inputs.leads = (root / "rules/examples/data" / name / "leads.csv").string();
  inputs.activities = (root / "rules/examples/data" / name / "activities.csv").string();
  inputs.as_of = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z
  inputs.read.delimiter = delimiter;

  jobs::ScoreRequest request;
  request.rules = inputs.rules;
  request.leads = inputs.leads;
  request.activities = inputs.activities;
  request.as_of = inputs.as_of;
  request.out = (fs::temp_directory_path() / ("agreement-" + std::to_string(::getpid()) + ".csv")).string();
  Diagnostics diags;
  jobs::ScoreReport report;
  std::string error;
  REQUIRE_MESSAGE(jobs::run_score(request, diags, report, error), error);
  std::ifstream scored(request.out);
  std::string header_line, line;
  std::getline(scored, header_line);
  auto header = split_csv_simple(header_line);

  jobs::PreparedRun run;
  REQUIRE_MESSAGE(jobs::prepare_run(inputs, diags, run, error), error);
  std::size_t ordinal = 0, mismatches = 0;
  while (std::getline(scored, line)) {
    auto row = split_csv_simple(line);
    REQUIRE(ordinal < run.leads.rows);
    auto values = explained_values(jobs::explain_lead(run, ordinal, false));
    for (std::size_t c = 1; c < header.size(); ++c) {
      auto it = values.find(header[c]);
      if (it == values.end() || it->second != row[c]) {
        if (++mismatches <= 5)
          FAIL_CHECK(name << " lead " << row[0] << " column " << header[c] << ": score wrote \"" << row[c]
                          << "\", explain says \"" << (it == values.end() ? "(absent)" : it->second) << "\"");
      }
    }
    ++ordinal;
  }
  CHECK(ordinal == run.leads.rows);
  CHECK(mismatches == 0);
  std::filesystem::remove(request.out);
}

}  // namespace

TEST_CASE("explain agrees with score on every lead: b2b-saas") { check_example("b2b-saas"); }
TEST_CASE("explain agrees with score on every lead: product-led") { check_example("product-led"); }
TEST_CASE("explain agrees with score on every lead: enterprise") { check_example("enterprise"); }

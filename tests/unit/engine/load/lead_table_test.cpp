// The leads loader reads the same table whatever its readers' block size (ReadOptions::block_size,
// which the leads fuzz target sets small) and however many byte ranges it reads in parallel.
#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/temp_dir.hpp"
#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"
#include "engine/load/lead_table.hpp"
#include "parser/parser.hpp"

using namespace leadscore;

namespace {

// Leads with an id, a number `n` and a text `s`, each read by a rule.
ir::Program rules_with_id_number_and_text() {
  auto source = std::make_shared<SourceFile>(
      "t.rules", "ruleset \"t\" version 1\nschema lead { id: id  n: number  s: string }\n"
                 "score fit { rule \"big\" when n >= 10 points 1\n rule \"x\" when s == \"x\" points 1 }\n");
  Diagnostics diags;
  auto file = parse_rules(source, diags);
  auto program = check_rules(file, diags);
  REQUIRE(program.has_value());
  return std::move(*program);
}

}  // namespace

TEST_CASE("leads load the same with any reader block size and thread count") {
  const ir::Program program = rules_with_id_number_and_text();
  const auto graph = engine::compile_program(program);
  TempDir dir("leadscore-lead-table");
  const std::string path = dir.path() + "/leads.csv";
  std::ofstream(path) << "id,n,s\nL1,12,x\nL2,\"3\",\"multi\nline\"\n\nL1,5,dup\nL3,1,2,3\nL4,\"open,9,y\nL5,7,z\n";

  auto load = [&](std::size_t block, int threads, std::vector<std::string>& rejects) {
    engine::ReadOptions options;
    options.block_size = block;
    options.threads = threads;
    engine::LeadTable table;
    std::string error;
    REQUIRE(engine::load_leads(program, graph, path, options, 0, table,
                               [&](const engine::RejectedRow& r) {
                                 rejects.push_back(std::to_string(r.line) + " " + r.reason + " [" + std::string(r.id) + "]");
                               },
                               error));
    std::vector<std::string> rows;
    for (std::size_t i = 0; i < table.rows; ++i) rows.push_back(std::string(table.ids[i]) + "@" + std::to_string(table.lines[i]));
    return rows;
  };
  std::vector<std::string> expected_rejects;
  const auto expected = load(engine::ReadOptions{}.block_size, 1, expected_rejects);
  CHECK(expected == std::vector<std::string>{"L1@2", "L2@3"});
  REQUIRE(expected_rejects.size() == 3);
  // Each reject carries the id as far as the row reached its column (score --previous reads it).
  CHECK(expected_rejects[0] == "6 duplicate lead id \"L1\" (first on line 2) [L1]");
  CHECK(expected_rejects[1] == "7 expected 3 fields (as in the header), found 4 [L3]");
  CHECK(expected_rejects[2] == "8 malformed record: unterminated quoted field [L4]");
  for (std::size_t block : {1, 2, 7, 64}) {
    for (int threads : {1, 2, 3}) {
      CAPTURE(block);
      CAPTURE(threads);
      std::vector<std::string> rejects;
      CHECK(load(block, threads, rejects) == expected);
      CHECK(rejects == expected_rejects);
    }
  }
}

TEST_CASE("leads load every row when the first rows are much longer or shorter than the rest") {
  // The loader sizes its columns from the bytes per row of the first 512 rows: too few when they are
  // long (the columns then grow as they fill), too many when they are short. Either way every row is kept.
  const ir::Program program = rules_with_id_number_and_text();
  const auto graph = engine::compile_program(program);
  TempDir dir("leadscore-lead-table-sizes");
  const std::size_t n_field = 1, s_field = 2;
  for (bool long_first : {true, false}) {
    const std::string path = dir.path() + (long_first ? "/long-first.csv" : "/short-first.csv");
    constexpr std::size_t kRows = 3000, kSwitch = 700;
    auto text_of = [&](std::size_t i) { return (i < kSwitch) == long_first ? std::string(300, 'a' + i % 26) : std::string("x"); };
    {
      std::ofstream out(path);
      out << "id,n,s\n";
      for (std::size_t i = 0; i < kRows; ++i) out << "L" << i << "," << i << "," << text_of(i) << "\n";
    }
    for (int threads : {1, 2}) {
      CAPTURE(long_first);
      CAPTURE(threads);
      engine::ReadOptions options;
      options.threads = threads;
      engine::LeadTable table;
      std::string error;
      REQUIRE(engine::load_leads(program, graph, path, options, 0, table, [](const engine::RejectedRow&) { FAIL("reject"); },
                                 error));
      REQUIRE(table.rows == kRows);
      for (std::size_t i = 0; i < kRows; ++i) {
        REQUIRE(table.ids[i] == "L" + std::to_string(i));
        REQUIRE(table.lines[i] == i + 2);
        REQUIRE(table.fields[n_field].num[i] == static_cast<double>(i));
        REQUIRE(table.fields[s_field].str[i] == text_of(i));
      }
    }
  }
}

TEST_CASE("leads read in parallel parts keep every column in file order around duplicates") {
  // Duplicates inside the first part, inside a later part and across parts: every kept row's id,
  // line, values and id column are those of a sequential read, and so are the rejects.
  const ir::Program program = rules_with_id_number_and_text();
  const auto graph = engine::compile_program(program);
  TempDir dir("leadscore-lead-table-duplicates");
  const std::size_t id_field = 0, n_field = 1, s_field = 2;
  constexpr std::size_t kRows = 4000;
  auto id_of = [](std::size_t i) {
    if (i % 97 == 5) return i / 2;                 // repeats an earlier row's id (same part or an earlier one)
    if (i > kRows / 2 && i % 89 == 0) return i - kRows / 2;  // repeats an id from the first half
    return i;
  };
  for (bool with_duplicates : {false, true}) {
    const std::string path = dir.path() + (with_duplicates ? "/dups.csv" : "/unique.csv");
    {
      std::ofstream out(path);
      out << "id,n,s,note\n";
      for (std::size_t i = 0; i < kRows; ++i)
        out << "L" << (with_duplicates ? id_of(i) : i) << "," << i << ",t" << i % 13 << "," << (i % 5 ? "x" : "") << i
            << "\n";
    }
    struct Loaded {
      std::vector<std::string> rows, rejects;
    };
    auto load = [&](int threads) {
      engine::ReadOptions options;
      options.threads = threads;
      options.extra_columns = {"note"};  // a column no rule reads, kept as text
      engine::LeadTable table;
      std::string error;
      Loaded loaded;
      constexpr std::int64_t kAsOf = 1'793'404'800'000'000;
      REQUIRE(engine::load_leads(program, graph, path, options, kAsOf, table,
                                 [&](const engine::RejectedRow& r) {
                                   loaded.rejects.push_back(std::to_string(r.line) + " " + r.reason + " | " + std::string(r.raw));
                                 },
                                 error));
      REQUIRE(table.fields[id_field].str.size() == table.rows);
      REQUIRE(table.as_of.size() == table.rows);
      const engine::Column* note = engine::extra_column(table, "note");
      REQUIRE(note != nullptr);
      REQUIRE(note->str.size() == table.rows);
      for (std::size_t i = 0; i < table.rows; ++i) {
        REQUIRE(table.as_of[i] == kAsOf);
        REQUIRE(note->valid[i] == 1);
        const auto n = static_cast<std::size_t>(table.fields[n_field].num[i]);  // the row's place in the file
        REQUIRE(note->str[i] == (n % 5 ? "x" : "") + std::to_string(n));
        REQUIRE(table.fields[id_field].str[i] == table.ids[i]);
        REQUIRE(table.fields[id_field].valid[i] == 1);
        REQUIRE(table.index.find(table.ids[i]) == static_cast<std::int32_t>(i));
        loaded.rows.push_back(std::string(table.ids[i]) + "@" + std::to_string(table.lines[i]) + " n=" +
                              std::to_string(table.fields[n_field].num[i]) + " s=" + std::string(table.fields[s_field].str[i]));
      }
      CHECK(table.rows_read == kRows);
      CHECK(table.rows + table.rows_rejected == table.rows_read);
      return loaded;
    };
    const Loaded sequential = load(1);
    CAPTURE(with_duplicates);
    if (with_duplicates) {
      REQUIRE(sequential.rejects.size() > 40);
      CHECK(sequential.rejects[0] == "7 duplicate lead id \"L2\" (first on line 4) | L2,5,t5,5");
    } else {
      CHECK(sequential.rejects.empty());
    }
    CHECK(sequential.rows.size() + sequential.rejects.size() == kRows);
    for (int threads : {2, 3, 4}) {
      CAPTURE(threads);
      const Loaded parallel = load(threads);
      CHECK(parallel.rows == sequential.rows);
      CHECK(parallel.rejects == sequential.rejects);
    }
  }
}

TEST_CASE("columns are found by name without the blanks around it, and a missing one is named on one line") {
  const std::vector<std::string> names = {"emp", "id"};
  std::vector<std::int32_t> positions;
  std::string error;
  // `from "Employees "` (a trailing blank in the rules) finds the header cell "Employees", and
  // `from "id"` finds " id " (header cells are read without their blanks).
  const std::vector<std::string_view> header = {" id ", "Employees"};
  REQUIRE(engine::map_columns(header, {"Employees ", "id"}, names, "l.csv", positions, error));
  CHECK(positions == std::vector<std::int32_t>{1, 0});
  REQUIRE(engine::map_columns(header, {"  Employees", "id"}, names, "l.csv", positions, error));
  CHECK(positions == std::vector<std::int32_t>{1, 0});
  // A name with a line break is written escaped: the reason stays one line.
  CHECK_FALSE(engine::map_columns(header, {"Number of\nEmployees", "id"}, names, "l.csv", positions, error));
  CHECK(error.find('\n') == std::string::npos);
  CHECK(error.find("required column \"Number of\\nEmployees\" (field `emp`) is missing from the header") !=
        std::string::npos);
}

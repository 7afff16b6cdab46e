#pragma once
// `leadscore partition`: splits leads, their activity events and the previous run's output into N parts
// by a stable hash of the lead id (common/part_hash.hpp), so that each part is an ordinary `score` run.
// One streaming pass per file: memory is the reader's block plus one write buffer per part. With an
// `account key` the account decides the part of its leads (their events and previous rows follow them
// through a map of lead id to part, which grows with the leads).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/diagnostics.hpp"

namespace leadscore::jobs {

struct PartitionRequest {
  std::string rules;
  std::string leads;
  std::optional<std::string> activities;
  std::optional<std::string> previous;
  std::optional<std::string> previous_id_column;  // default: the name of the rules' id field
  std::optional<std::string> accounts;            // the accounts file (`schema account`), split by account id
  std::uint32_t parts = 1;
  std::string out;  // the directory to create (or replace, when it holds an earlier partition)
  char delimiter = ',';
};

// One input file split into the parts.
struct PartitionedFile {
  std::string kind;       // "leads", "activities", "previous", "accounts"
  std::string path;       // as given
  std::string id_column;  // the header column hashed
  std::string split_by;   // with accounts: how the part is chosen instead ("by the account key ...")
  bool empty = false;     // a 0-byte --previous: a first run, written as an empty file in every part
  std::uint64_t rows_read = 0, written = 0, rejected = 0;
  std::vector<std::uint64_t> rows_per_part;
};

struct PartitionReport {
  std::string ruleset, version, content_hash;
  std::vector<PartitionedFile> files;
};

// The name of part `index` (0-based): part-00000.
std::string part_name(std::uint32_t index);

// Returns false with diagnostics (the rules do not compile) or a one-line `error`; nothing is written then.
bool run_partition(const PartitionRequest& request, Diagnostics& diags, PartitionReport& report, std::string& error);

// The summary printed on stderr after a run: rows read = written + rejected per file.
std::string format_partition_summary(const PartitionRequest& request, const PartitionReport& report);

}  // namespace leadscore::jobs

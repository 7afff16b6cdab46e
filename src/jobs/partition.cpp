#include "jobs/partition.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/part_hash.hpp"
#include "common/text.hpp"
#include "common/utf8.hpp"
#include "engine/check/checker.hpp"
#include "engine/exec/account_state.hpp"
#include "engine/plan/string_set.hpp"
#include "engine/load/lead_table.hpp"
#include "io/atomic_file.hpp"
#include "io/csv_reader.hpp"
#include "io/csv_writer.hpp"
#include "io/staged_directory.hpp"
#include "io/value_parse.hpp"
#include "jobs/run_inputs.hpp"

namespace leadscore::jobs {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifest = "_manifest.json";
constexpr const char* kRejects = "_rejects.csv";

// `_rejects.csv`: every row that could not be given to a part, with the file it came from.
class PartitionRejects {
 public:
  bool open(const std::string& path, std::string& error) {
    if (!writer_.open(path, error)) return false;
    writer_.write("line,reason,file,record\n");
    return true;
  }
  void add(std::uint64_t line, std::string_view reason, std::string_view kind, std::string_view raw) {
    buffer_ = std::to_string(line);
    buffer_ += ',';
    io::append_csv_text(buffer_, reason, io::CsvSafety::SpreadsheetSafe);
    buffer_ += ',';
    buffer_ += kind;
    buffer_ += ',';
    io::append_csv_text(buffer_, clean_utf8(raw) ? raw : repair_utf8(raw), io::CsvSafety::SpreadsheetSafe);
    buffer_ += '\n';
    writer_.write(buffer_);
  }
  bool commit(std::string& error) { return writer_.commit(error); }

 private:
  io::AtomicFileWriter writer_;
  std::string buffer_;
};

// With an `account key`: every lead of an account goes to the part its key hashes to (the account id
// itself in the accounts file), and each lead's events and previous row follow the lead.
struct AccountParts {
  std::string key_column;   // the leads file's header of the key's field
  std::string key_field;    // that field's name, for messages
  bool domain = false;      // the key is domain(field): the text after the last '@', lower-case
  bool domain_key = false;  // well-known free-mail domains never group
  engine::StringSet except;
  std::unordered_map<std::string, std::uint32_t> part_of_lead;

  // The key of a lead's cell, or empty when the lead stands alone.
  std::string key(std::string_view cell) const {
    std::string_view v = text::trim(cell);
    std::string out;
    if (domain) {
      const std::size_t at = v.rfind('@');
      if (at == std::string_view::npos || at + 1 == v.size()) return {};
      for (char c : v.substr(at + 1)) out += text::ascii_lower(c);
    } else {
      out = v;
    }
    if (out.empty() || except.contains(out) || (domain_key && engine::is_free_mail_domain(out))) return {};
    return out;
  }
};

struct FileToSplit {
  std::string kind;
  std::string path;
  std::string column;      // the header name of the id column
  std::string field_name;  // the schema field it belongs to, for messages
  bool may_be_empty = false;
  bool spreadsheet_safe_ids = false;  // a `score` output: `'=A1` is the id `=A1`
};

// Reads `file` once and appends each record's raw text to the part its id hashes to (with `accounts`: the
// part of the lead's account).
bool split_file(const FileToSplit& file, const PartitionRequest& request, const std::string& staging,
                PartitionRejects& rejects, PartitionedFile& result, AccountParts* accounts, std::string& error) {
  result.kind = file.kind;
  result.path = file.path;
  result.id_column = file.column;
  result.rows_per_part.assign(request.parts, 0);
  const std::string name = file.kind + ".csv";
  std::vector<std::unique_ptr<io::AtomicFileWriter>> writers;
  for (std::uint32_t p = 0; p < request.parts; ++p) {
    writers.push_back(std::make_unique<io::AtomicFileWriter>());
    if (!writers.back()->open(fmt::format("{}/{}/{}", staging, part_name(p), name), error)) return false;
  }
  auto commit_every_part = [&] {
    for (auto& w : writers)
      if (!w->commit(error)) return false;
    return true;
  };

  // `score` writes its output, hence a --previous file, with commas whatever --delimiter the inputs use.
  io::CsvReader reader(file.kind == "previous" ? ',' : request.delimiter);
  if (!reader.open(file.path, error)) return false;
  io::CsvRecord record;
  if (!reader.next(record)) {
    if (!reader.error().empty()) {
      error = reader.error();
      return false;
    }
    if (file.may_be_empty) {
      result.empty = true;
      return commit_every_part();
    }
    error = fmt::format("{}: the file is empty (a header row is required)", file.path);
    return false;
  }
  const bool by_key = accounts && file.kind == "leads";
  const bool by_lead = accounts && (file.kind == "activities" || file.kind == "previous");
  std::vector<std::int32_t> position;
  std::vector<std::string> wanted{file.column}, names{file.field_name};
  if (by_key) {
    wanted.push_back(accounts->key_column);
    names.push_back(accounts->key_field);
  }
  if (!engine::map_columns(record.fields, wanted, names, file.path, position, error)) return false;
  const auto id_at = static_cast<std::size_t>(position[0]);
  const std::size_t key_at = by_key ? static_cast<std::size_t>(position[1]) : 0;
  if (by_key) result.split_by = fmt::format("by the account key \"{}\", else by \"{}\"", accounts->key_column, file.column);
  if (by_lead) result.split_by = fmt::format("with the lead of column \"{}\"", file.column);
  const std::size_t header_fields = record.fields.size();
  std::string line(record.raw);
  line += '\n';
  for (auto& w : writers) w->write(line);

  while (reader.next(record)) {
    ++result.rows_read;
    auto reject = [&](std::string_view reason) {
      ++result.rejected;
      rejects.add(record.line, reason, file.kind, record.raw);
    };
    if (record.malformed) {
      reject(fmt::format("malformed record: {}", record.malformed_reason));
      continue;
    }
    // A lead row with the wrong number of fields still goes to the part of the id in its id column:
    // the part's `score` rejects it there, and with --previous keeps last night's row for that lead
    // instead of reporting it gone. Not with an account key: the row's key cannot be trusted, and the
    // lead's good row, later in the file, goes to its account's part. Other files' rows are rejected here.
    const bool whole = record.fields.size() == header_fields;
    const bool placed_by_id = !whole && file.kind == "leads" && !by_key && id_at < record.fields.size() &&
                              !io::trim_blanks(record.fields[id_at]).empty();
    if (!whole && !placed_by_id) {
      reject(fmt::format("expected {} fields (as in the header), found {}", header_fields, record.fields.size()));
      continue;
    }
    std::string_view id = io::trim_blanks(record.fields[id_at]);
    if (file.spreadsheet_safe_ids && id.size() > 1 && id[0] == '\'' && io::csv_formula_like(id.substr(1)))
      id.remove_prefix(1);
    if (id.empty()) {
      reject(file.kind == "accounts" ? "empty account id" : "empty lead id");
      continue;
    }
    std::uint32_t part = part_of_id(id, request.parts);
    if (by_key) {
      // A lead id seen before (a duplicate row, perhaps with another key) follows its first row, so that
      // its part keeps the first row and rejects the later one, as a single run does.
      auto [placed, fresh] = accounts->part_of_lead.emplace(std::string(id), part);
      if (fresh) {
        const std::string key = accounts->key(record.fields[key_at]);
        if (!key.empty()) placed->second = part_of_id(key, request.parts);
      }
      part = placed->second;
    } else if (by_lead) {
      if (auto it = accounts->part_of_lead.find(std::string(id)); it != accounts->part_of_lead.end()) part = it->second;
    }
    line.assign(record.raw);
    line += '\n';
    writers[part]->write(line);
    ++result.rows_per_part[part];
    ++result.written;
  }
  if (!reader.error().empty()) {
    error = reader.error();
    return false;
  }
  return commit_every_part();
}

// DIR may be new, an empty directory, or an earlier partition (it holds a manifest); anything else
// is somebody's data and is not replaced.
bool check_destination(const std::string& out, std::string& error) {
  std::error_code ec;
  auto status = fs::symlink_status(out, ec);
  if (!fs::exists(status)) return true;
  if (!fs::is_directory(status)) {
    error = fmt::format("--out {} exists and is not a directory; name a new directory", out);
    return false;
  }
  if (fs::is_empty(out, ec) || fs::exists(fs::path(out) / kManifest)) return true;
  error = fmt::format("--out {} is a directory that holds other files (no {}); name a new or empty directory, "
                      "or an earlier partition to replace",
                      out, kManifest);
  return false;
}

nlohmann::json manifest_json(const PartitionRequest& request, const PartitionReport& report) {
  nlohmann::json files = nlohmann::json::object();
  for (const auto& f : report.files) {
    files[f.kind] = {{"file", f.path},          {"id_column", f.id_column}, {"empty", f.empty},
                     {"rows_read", f.rows_read}, {"written", f.written},     {"rejected", f.rejected},
                     {"rows_per_part", f.rows_per_part}};
  }
  std::vector<std::string> names;
  for (std::uint32_t p = 0; p < request.parts; ++p) names.push_back(part_name(p));
  return {
      {"format", "leadscore-partition/1"},
      {"parts", request.parts},
      {"part_names", names},
      {"hash",
       {{"function", "fnv1a-64"},
        {"input", "UTF-8 bytes of the lead id without leading and trailing spaces and tabs"},
        {"part", "hash % parts"}}},
      {"delimiter", std::string(1, request.delimiter)},
      {"rules", request.rules},
      {"ruleset", report.ruleset},
      {"version", report.version},
      {"content_hash", report.content_hash},
      {"files", files},
      {"rejects", kRejects},
  };
}

}  // namespace

std::string part_name(std::uint32_t index) { return fmt::format("part-{:05}", index); }

namespace {

// The key as the partitioner can read it from the leads file's text: a lead field, or domain(field).
bool account_parts(const ir::Program& program, const PartitionRequest& request, std::unique_ptr<AccountParts>& out,
                   std::string& error) {
  const ir::AccountKey& key = *program.account_key;
  const ir::Node* node = &program.nodes[static_cast<std::size_t>(key.key)];
  auto parts = std::make_unique<AccountParts>();
  if (node->op == ir::Op::Domain) {
    parts->domain = true;
    node = &program.nodes[static_cast<std::size_t>(node->args[0])];
  }
  if (node->op != ir::Op::LeadField) {
    error = fmt::format("{}: partition splits by an account key that is a lead field or domain(field); compute the "
                        "key in the export (a column) and name it in `account key`",
                        request.rules);
    return false;
  }
  const auto& field = program.lead_fields[static_cast<std::size_t>(node->index)];
  parts->key_column = field.column;
  parts->key_field = field.name;
  parts->domain_key = key.domain_key;
  if (key.except >= 0) parts->except = engine::StringSet(program.lists[static_cast<std::size_t>(key.except)].entries);
  out = std::move(parts);
  return true;
}

}  // namespace

bool run_partition(const PartitionRequest& request, Diagnostics& diags, PartitionReport& report, std::string& error) {
  auto program = load_rules(request.rules, diags);
  if (!program) return false;
  report.ruleset = program->name;
  report.version = program->version;
  report.content_hash = program->content_hash;
  const auto& id_field = program->lead_fields[static_cast<std::size_t>(program->lead_id_field)];
  if (id_field.from_row_number) {
    error = fmt::format("{}: the lead id is the row number, which depends on the whole file; partitioning needs "
                        "an id column",
                        request.rules);
    return false;
  }
  std::vector<FileToSplit> files{{"leads", request.leads, id_field.column, id_field.name, false}};
  if (request.activities) {
    if (!program->has_activity) {
      error = fmt::format("--activities {}: {} declares no `schema activity`, so no column names the lead of an "
                          "event",
                          *request.activities, request.rules);
      return false;
    }
    const auto& lead_field = program->activity_fields[static_cast<std::size_t>(program->activity_lead_field)];
    files.push_back({"activities", *request.activities, lead_field.column, lead_field.name, false});
  }
  if (request.previous) {
    std::string column = request.previous_id_column.value_or(id_field.name);
    files.push_back({"previous", *request.previous, column, column, true, true});
  }
  std::unique_ptr<AccountParts> accounts;
  if (program->account_key && !account_parts(*program, request, accounts, error)) return false;
  if (request.accounts) {
    if (!program->has_account_schema) {
      error = fmt::format("--accounts {}: {} declares no `schema account`", *request.accounts, request.rules);
      return false;
    }
    const auto& account_id = program->account_fields[static_cast<std::size_t>(program->account_id_field)];
    files.push_back({"accounts", *request.accounts, account_id.column, account_id.name, false});
  }

  // Replacing DIR removes what is in it: no input may live there.
  std::vector<io::NamedPath> inputs{{request.rules, "the rules file " + request.rules}};
  for (auto& named : files_the_rules_name(*program, request.rules, true)) inputs.push_back(std::move(named));
  for (const auto& f : files) inputs.push_back({f.path, fmt::format("--{} {}", f.kind, f.path)});
  for (const auto& input : inputs) {
    if (input.path != "-" && io::path_is_within(input.path, request.out)) {
      error = fmt::format("{} is inside --out {}: an output never replaces an input; choose another directory",
                          input.described, request.out);
      return false;
    }
  }
  if (!check_destination(request.out, error)) return false;

  io::StagedDirectory staged;
  if (!staged.open(request.out, error)) return false;
  for (std::uint32_t p = 0; p < request.parts; ++p) {
    std::error_code ec;
    fs::create_directory(fs::path(staged.path()) / part_name(p), ec);
    if (ec) {
      error = fmt::format("cannot create {}/{}: {}", request.out, part_name(p), ec.message());
      return false;
    }
  }
  PartitionRejects rejects;
  if (!rejects.open(staged.path() + "/" + kRejects, error)) return false;
  for (const auto& file : files) {
    report.files.emplace_back();
    if (!split_file(file, request, staged.path(), rejects, report.files.back(), accounts.get(), error)) return false;
  }
  if (!rejects.commit(error)) return false;
  io::AtomicFileWriter manifest;
  if (!manifest.open(staged.path() + "/" + kManifest, error)) return false;
  manifest.write(manifest_json(request, report).dump(2));
  manifest.write("\n");
  if (!manifest.commit(error)) return false;
  return staged.publish(error);
}

std::string format_partition_summary(const PartitionRequest& request, const PartitionReport& report) {
  std::string s;
  std::uint64_t rejected = 0;
  for (const auto& f : report.files) {
    rejected += f.rejected;
    if (f.empty) {
      s += fmt::format("{}: {} is empty (a first run): an empty {}.csv in every part\n", f.kind, f.path, f.kind);
      continue;
    }
    auto [lo, hi] = std::minmax_element(f.rows_per_part.begin(), f.rows_per_part.end());
    s += fmt::format("{}: {} rows read = {} written + {} rejected; {} to {} rows per part ({})\n", f.kind, f.rows_read,
                     f.written, f.rejected, *lo, *hi,
                     f.split_by.empty() ? fmt::format("by column \"{}\"", f.id_column) : f.split_by);
  }
  s += fmt::format("{} parts in {} ({}: {} v{}){}\n", request.parts, request.out, request.rules, report.ruleset,
                   report.version, rejected ? fmt::format("; rejected rows in {}/{}", request.out, kRejects) : "");
  return s;
}

}  // namespace leadscore::jobs

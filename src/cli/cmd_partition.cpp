// `leadscore partition RULES --leads F [--activities F] [--previous F] --parts N --out DIR`
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "jobs/partition.hpp"

namespace leadscore::cli {

namespace {

int run_partition_command(const ParsedArgs& args) {
  std::string error;
  jobs::PartitionRequest request;
  request.rules = args.positionals()[0];
  request.leads = *args.get("--leads");
  request.activities = args.get("--activities");
  request.previous = args.get("--previous");
  request.previous_id_column = args.get("--previous-id-column");
  request.accounts = args.get("--accounts");
  request.parts = static_cast<std::uint32_t>(*args.whole("--parts"));
  request.out = *args.get("--out");
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, request.delimiter, error)) {
    fmt::print(stderr, "leadscore partition: {} (see `leadscore help partition`)\n", error);
    return 2;
  }
  if (request.previous_id_column && !request.previous) {
    fmt::print(stderr, "leadscore partition: --previous-id-column needs --previous (see `leadscore help partition`)\n");
    return 2;
  }

  Diagnostics diags;
  jobs::PartitionReport report;
  bool ok = jobs::run_partition(request, diags, report, error);
  for (const auto& d : diags.sorted()) std::fputs(render_text(d).c_str(), stderr);
  if (!ok) {
    if (diags.has_errors())
      fmt::print(stderr, "leadscore partition: {} does not compile; nothing was written\n", request.rules);
    else fmt::print(stderr, "leadscore partition: {}\n", error);
    return 1;
  }
  if (!args.has("--quiet")) std::fputs(jobs::format_partition_summary(request, report).c_str(), stderr);
  return 0;
}

}  // namespace

const CommandSpec& partition_command() {
  static const CommandSpec spec{
      .name = "partition",
      .summary = "split leads and activities into N parts by lead id, each an ordinary `score` run",
      .synopsis = {},
      .positionals = {.synopsis = "RULES", .kind = OptionKind::InputPath, .min = 1, .max = 1,
                      .count_error = "name exactly one rules file", .described = "the rules file"},
      .options =
          {
              input("--leads", "FILE", "the leads file (CSV); the rules' `id` field names the column hashed")
                  .is_required(),
              input("--activities", "FILE", "activity events, split by the lead id column of `schema activity`"),
              input("--accounts", "FILE",
                    "the accounts file (`schema account`), split by account id; with an `account key`\n"
                    "the key decides the part of each lead, and its events and previous row follow it"),
              input("--previous", "FILE",
                    "the previous run's output (score --previous), split by its id column (empty file: a first run)"),
              text("--previous-id-column", "NAME",
                   "the id column of --previous when it is not named as the rules' id field"),
              whole("--parts", "N", "how many parts (each holds one write buffer of 1 MB while splitting)",
                    from_to(1, 512)).is_required(),
              output("--out", "DIR",
                     "the directory to create: DIR/part-00000/leads.csv ..., DIR/_manifest.json,\n"
                     "DIR/_rejects.csv (an existing DIR must be empty or an earlier partition)").is_required(),
              text("--delimiter", "C", "input delimiter: ',' (default), ';', '|' or 'tab'; parts keep it"),
              flag("--quiet", "no summary on stderr"),
          },
      .description = R"(Streams each file once and appends every record, unchanged, to the part its lead id hashes to:
FNV-1a 64-bit over the UTF-8 bytes of the trimmed id, modulo N (docs/scale-out.md). Every part
repeats the header. All rows of a lead (its lead row, its events, its previous output row) land in
the same part, so scoring each part with `leadscore score` gives the rows a single run would.
Rows that yield no id (broken quoting, wrong number of fields, empty id) go to DIR/_rejects.csv with
their line and reason. DIR is written beside itself under a hidden name and renamed into place at
the end: a failed run leaves no DIR (or the earlier one as it was).
)",
      .epilogue = R"(A summary goes to stderr: rows read = written + rejected for each file, and the rows per part.
Exit status: 0 success; 1 the rules do not compile, a file cannot be read or written, an input is
inside DIR, or the id column is missing from a header; 2 usage error.
)",
      .run = run_partition_command,
  };
  return spec;
}

}  // namespace leadscore::cli

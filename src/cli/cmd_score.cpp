// `leadscore score RULES --leads F [--activities F] --as-of T --out F [--rejects F] ...`
#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "jobs/score_job.hpp"

namespace leadscore::cli {

namespace {

int run_score_command(const ParsedArgs& args) {
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leadscore score: {} (see `leadscore help score`)\n", message);
    return 2;
  };
  std::string error;
  jobs::ScoreRequest request;
  request.rules = args.positionals()[0];
  request.leads = *args.get("--leads");
  request.out = *args.get("--out");
  request.activities = args.get("--activities");
  request.rejects = args.get("--rejects");
  if (!parse_as_of(*args.get("--as-of"), request.as_of, error)) return usage(error);
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, request.read.delimiter, error)) return usage(error);
  if (args.get("--format").value_or("csv") == "jsonl") request.format = jobs::OutputFormat::Jsonl;
  if (auto threads = args.whole("--threads")) request.threads = static_cast<int>(*threads);
  if (auto top = args.whole("--top")) request.top = static_cast<std::size_t>(*top);
  if (args.get("--spreadsheet-safe").value_or("on") == "off") request.csv_safety = io::CsvSafety::Raw;
  request.explain = args.has("--explain");
  request.allow_other_ruleset = args.has("--allow-other-ruleset");
  request.progress = !args.has("--quiet") && isatty(STDERR_FILENO);

  Diagnostics diags;
  jobs::ScoreReport report;
  bool ok = jobs::run_score(request, diags, report, error);
  for (const auto& d : diags.sorted()) std::fputs(render_text(d).c_str(), stderr);
  if (!ok) {
    if (diags.has_errors()) fmt::print(stderr, "leadscore score: {} does not compile; nothing was scored\n", request.rules);
    else fmt::print(stderr, "leadscore score: {}\n", error);
    return 1;
  }
  if (!args.has("--quiet")) std::fputs(jobs::format_summary(request, report).c_str(), stderr);
  return 0;
}

}  // namespace

const CommandSpec& score_command() {
  static const CommandSpec spec{
      .name = "score",
      .summary = "score a leads export (plus activity events) and write one row per lead",
      .synopsis = {},
      .positionals = {.synopsis = "RULES", .kind = OptionKind::InputPath, .min = 1, .max = 1,
                      .count_error = "name exactly one rules file", .described = "the rules file"},
      .options =
          {
              input("--leads", "FILE", "the leads file (CSV)").is_required(),
              input("--activities", "FILE",
                    "activity events (any order); events of unknown leads are counted and ignored"),
              text("--as-of", "INSTANT",
                   "score as of this instant (2026-11-01T00:00:00Z, or a date for midnight UTC)").is_required(),
              output("--out", "FILE", "the scores (`-` for standard output)").is_required(),
              output("--rejects", "FILE", "rows that cannot be leads: line, reason, raw record (CSV)"),
              text("--delimiter", "C", "input delimiter: ',' (default), ';', '|' or 'tab'"),
              choice("--format", "csv|jsonl", "CSV (default) or one JSON object per lead"),
              flag("--explain",
                   "add a `reasons` column: \"+40 Demo request; -10 Free-mail address; x1.2 Core vertical\""),
              whole("--threads", "N",
                    "evaluate with up to N threads (default 1; no more are used than there are\n"
                    "hardware threads or batches of leads)", from_to(1, 256)),
              whole("--top", "N", "list the N highest-scoring leads with their reasons in the summary"),
              choice("--spreadsheet-safe", "on|off",
                     "on (default): CSV text cells (id, classify, reasons, rejects) that a spreadsheet would\n"
                     "run as a formula (=, +, -, @ ...) start with ' ; off: raw values"),
              flag("--allow-other-ruleset",
                   "apply the rules' calibration weights even when they were calibrated for another\n"
                   "ruleset (rules hash): a warning instead of an error"),
              flag("--quiet", "no summary on stderr"),
          },
      .description = R"(Scores every lead of FILE as of INSTANT and writes one row per lead, in input order: the id,
each score section, score, each gate, mql, each classify. Every output is written to a temporary
file; they are renamed into place together when all are complete, so a failed run leaves the
previous outputs as they were. An output that is an input (or another output) is refused.
Leads and activities may be `-` (standard input) or a pipe; they are then read into memory once.
)",
      .epilogue = R"(A summary goes to stderr: rows read = scored + rejected, unparseable values per column, MQL
count, the count of each classify value, the ruleset's name, version and content hash.
Exit status: 0 success; 1 the rules do not compile, a file cannot be read or written, an output
is an input file, or a required column is missing from a header; 2 usage error.
)",
      .run = run_score_command,
  };
  return spec;
}

}  // namespace leadscore::cli

// `leadscore score RULES --leads F [--activities F] --as-of T --out F [--rejects F] ...`
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "jobs/output_columns.hpp"
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
  request.accounts = args.get("--accounts");
  request.accounts_out = args.get("--accounts-out");
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

  request.previous = args.get("--previous");
  request.changes_out = args.get("--changes-out");
  if (request.changes_out && !request.previous) return usage("--changes-out needs --previous (what changed since then)");
  if (auto m = args.real("--min-change")) {
    if (!request.previous) return usage("--min-change needs --previous");
    request.min_change = *m;
  }
  if (request.changes_out && *request.changes_out == "-" && request.out == "-")
    return usage("--out and --changes-out cannot both be standard output");
  if (request.leads == "-" && request.previous && *request.previous == "-")
    return usage("--leads and --previous cannot both be standard input");
  if (auto k = args.get("--keep")) request.keep = comma_list(*k);
  for (auto kept = request.keep.begin(); kept != request.keep.end(); ++kept)
    if (std::find(request.keep.begin(), kept, *kept) != kept)
      return usage(fmt::format("--keep names column \"{}\" twice", *kept));
  if (auto s = args.get("--stamp")) request.stamps = comma_list(*s);
  for (const auto& item : request.stamps)
    if (!jobs::is_stamp_item(item))
      return usage(fmt::format("--stamp {}: unknown item; choose from {}", item, jobs::kStampItems));
  if (auto r = args.get("--rename"))
    for (const auto& item : comma_list(*r)) {
      auto eq = item.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
        return usage(fmt::format("--rename {}: write COLUMN=NAME, e.g. --rename score=Lead_Score__c", item));
      const std::string column = item.substr(0, eq);
      if (std::any_of(request.renames.begin(), request.renames.end(), [&](const auto& r) { return r.first == column; }))
        return usage(fmt::format("--rename renames column \"{}\" twice", column));
      request.renames.emplace_back(column, item.substr(eq + 1));
    }
  if (auto n = args.whole("--reasons-max")) {
    if (!request.explain) return usage("--reasons-max needs --explain (it limits the reasons column)");
    request.reasons_max = static_cast<std::size_t>(*n);
  }
  if (auto rate = args.real("--max-reject-rate")) {
    request.guards.max_reject_rate = *rate;
    request.guards.reject_rate_given = true;
  }
  if (auto staleness = args.get("--max-staleness")) {
    request.guards.staleness_given = true;
    std::int64_t micros = 0;
    if (*staleness == "none") request.guards.max_staleness.reset();
    else if (parse_duration(*staleness, micros) && micros > 0) request.guards.max_staleness = micros;
    else return usage(fmt::format("--max-staleness \"{}\": write a duration (36h, 7d, 2w) or none", *staleness));
  }
  request.guards.off = args.has("--no-guards");
  if (request.guards.off && (request.guards.reject_rate_given || request.guards.staleness_given))
    return usage("--no-guards leaves the guards to the caller: leave out --max-reject-rate and --max-staleness");
  request.guards.no_activities = args.has("--no-activities");
  if (request.guards.no_activities && request.activities)
    return usage("--no-activities and --activities contradict each other");

  Diagnostics diags;
  jobs::ScoreReport report;
  bool ok = jobs::run_score(request, diags, report, error);
  for (const auto& d : diags.sorted()) std::fputs(render_text(d).c_str(), stderr);
  if (!ok) {
    if (report.refused) {
      if (!args.has("--quiet")) std::fputs(jobs::format_summary(request, report).c_str(), stderr);
      fmt::print(stderr, "leadscore score: {}\n", error);
      return jobs::kRefusedStatus;
    }
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
              input("--leads", "FILE", "the leads file (CSV; `-` for standard input)").is_required(),
              input("--activities", "FILE",
                    "activity events (any order); events of unknown leads are counted and ignored"),
              text("--as-of", "INSTANT",
                   "score as of this instant (2026-11-01T00:00:00Z, or a date for midnight UTC)").is_required(),
              output("--out", "FILE", "the scores (`-` for standard output)").is_required(),
              output("--rejects", "FILE", "rows that cannot be leads: line, reason, raw record (CSV)"),
              input("--accounts", "FILE", "the accounts file the rules' `schema account` describes (CSV)"),
              output("--accounts-out", "FILE",
                     "with an `account key`: one row per account (its sections, gates, mqa, classify,\n"
                     "number of leads, top leads and reasons)"),
              text("--delimiter", "C", "input delimiter: ',' (default), ';', '|' or 'tab'"),
              choice("--format", "csv|jsonl", "CSV (default) or one JSON object per lead"),
              flag("--explain",
                   "add a `reasons` column: \"+40 Demo request; -10 Free-mail address; x1.2 Core vertical\""),
              whole("--reasons-max", "N", "with --explain: the N largest reasons, then \"(+k more)\"", at_least(1)),
              input("--previous", "FILE",
                    "last run's output: adds previous_score, score_change, mql_change, mql_since,\n"
                    "previous_CLASSIFY and export_change, and carries route entries (empty file: first run)"),
              output("--changes-out", "FILE",
                     "with --previous: only the rows of new and changed leads, and leads gone from the export"),
              real("--min-change", "N", "with --previous: section and score changes smaller than N points are not changes"),
              text("--keep", "COL,...", "pass these columns of the leads file through (CRM record id, e-mail, owner)"),
              text("--stamp", "ITEM,...",
                   "add columns: ruleset, version (ruleset_version), hash (ruleset_hash), as_of, scored_at"),
              text("--rename", "COL=NAME,...", "write output columns under CRM field names (over the rules' output block)"),
              real("--max-reject-rate", "R",
                   "refuse to publish when more than this share of rows is rejected (0 to 1; default 0.5,\n"
                   "judged on files of 100 rows or more unless given)",
                   from_to(0, 1)),
              text("--max-staleness", "DURATION",
                   "refuse to publish when the newest used event is older than this before as-of\n"
                   "(default 365d; given, it also refuses a run that used no event; `none` turns it off)"),
              flag("--no-guards",
                   "publish without the reject-rate and staleness guards, and score an empty leads file: for\n"
                   "one part of a partitioned run, whose driver judges the guards over all parts"),
              flag("--no-activities", "score rules that read activities without an events file, on purpose"),
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
each score section, score, each gate, mql, each classify (then route columns when the rules declare
routes, and the columns options ask for). Every output is written to a temporary file; they are
renamed into place together when all are complete, so a failed run leaves the previous outputs as
they were. An output that is an input (or another output) is refused.
Leads and activities may be `-` (standard input) or a pipe; they are then read into memory once.
)",
      .epilogue = R"(A summary goes to stderr: rows read = scored + rejected, unparseable values per column (with the
first few and their lines), MQL count, the count of each classify value, with --previous what
changed since the last run, the ruleset's name, version and content hash.
Exit status: 0 success; 1 the rules do not compile, a file cannot be read or written, an output
is an input file, or a required column is missing from a header; 2 usage error; 4 refused to
publish (nothing scored, too many rejected rows, no activities for rules that read them, stale
events): the previous outputs are left as they were.
)",
      .run = run_score_command,
  };
  return spec;
}

}  // namespace leadscore::cli

// `leadscore score RULES --leads F [--activities F] --as-of T --out F [--rejects F] ...`
#include <cstdio>
#include <unistd.h>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "jobs/score_job.hpp"

namespace leadscore::cli {

int cmd_score(const Args& raw) {
  ParsedArgs args;
  std::string error;
  if (!args.parse(raw,
                  {"--leads", "--activities", "--as-of", "--out", "--rejects", "--delimiter", "--format",
                   "--threads", "--top", "--spreadsheet-safe"},
                  {"--explain", "--quiet", "--allow-other-ruleset"}, error)) {
    fmt::print(stderr, "leadscore score: {}\n", error);
    return 2;
  }
  jobs::ScoreRequest request;
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leadscore score: {} (see `leadscore help score`)\n", message);
    return 2;
  };
  if (args.positionals().size() != 1) return usage("name exactly one rules file");
  request.rules = args.positionals()[0];
  auto leads = args.get("--leads");
  auto out = args.get("--out");
  auto as_of = args.get("--as-of");
  if (!leads) return usage("--leads FILE is required");
  if (!out) return usage("--out FILE is required");
  if (!as_of) return usage("--as-of INSTANT is required, e.g. --as-of 2026-11-01T00:00:00Z");
  request.leads = *leads;
  request.out = *out;
  request.activities = args.get("--activities");
  request.rejects = args.get("--rejects");
  if (!parse_as_of(*as_of, request.as_of, error)) return usage(error);
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, request.read.delimiter, error)) return usage(error);
  std::string format = args.get("--format").value_or("csv");
  if (format == "jsonl") request.format = jobs::OutputFormat::Jsonl;
  else if (format != "csv") return usage(fmt::format("--format takes csv or jsonl, not \"{}\"", format));
  if (auto t = args.get("--threads")) {
    try {
      request.threads = std::stoi(*t);
    } catch (...) {
      request.threads = 0;
    }
    if (request.threads < 1 || request.threads > 256) return usage("--threads takes a number from 1 to 256");
  }
  if (auto t = args.get("--top")) {
    try {
      request.top = static_cast<std::size_t>(std::stoul(*t));
    } catch (...) {
      return usage("--top takes a number of leads");
    }
  }
  if (auto safe = args.get("--spreadsheet-safe")) {
    if (*safe != "on" && *safe != "off") return usage(fmt::format("--spreadsheet-safe takes on or off, not \"{}\"", *safe));
    request.csv_safety = *safe == "on" ? io::CsvSafety::SpreadsheetSafe : io::CsvSafety::Raw;
  }
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

}  // namespace leadscore::cli

// `leadscore suggest RULES --leads F (--outcomes F | --outcome-column C) --out SUGGESTED.rules ...`
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "io/atomic_file.hpp"
#include "jobs/suggest.hpp"

namespace leadscore::cli {

namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

int run_suggest_command(const ParsedArgs& args) {
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leadscore suggest: {} (see `leadscore help suggest`)\n", message);
    return 2;
  };
  std::string error;
  jobs::SuggestRequest req;
  auto& cal = req.calibrate;
  cal.inputs.rules = args.positionals()[0];
  const std::string out = *args.get("--out");
  cal.inputs.leads = *args.get("--leads");
  cal.inputs.activities = args.get("--activities");
  cal.inputs.outputs = {{out, "--out " + out}};
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, cal.inputs.read.delimiter, error)) return usage(error);
  auto& o = cal.outcomes;
  o.file = args.get("--outcomes");
  o.leads_column = args.get("--outcome-column");
  if (o.file.has_value() == o.leads_column.has_value())
    return usage("give either --outcomes FILE (a CSV joined by lead id) or --outcome-column C (in the leads file)");
  if (auto v = args.get("--won")) o.won = split_list(*v);
  if (auto v = args.get("--lost")) o.lost = split_list(*v);
  if (o.won.empty() || o.lost.empty()) return usage("--won and --lost need at least one value");
  auto as_of = args.get("--as-of");
  cal.cutoff_field = args.get("--cutoff-field");
  if (as_of.has_value() == cal.cutoff_field.has_value())
    return usage("give either --as-of INSTANT (every lead) or --cutoff-field FIELD [--cutoff-delay 14d] (per lead)");
  if (as_of && !parse_as_of(*as_of, cal.inputs.as_of, error)) return usage(error);
  if (auto d = args.get("--cutoff-delay")) {
    if (!cal.cutoff_field) return usage("--cutoff-delay goes with --cutoff-field");
    if (!jobs::parse_delay(*d, cal.cutoff_delay)) return usage(fmt::format("--cutoff-delay takes e.g. 14d, 12h, 2w; not \"{}\"", *d));
  }
  cal.time_field = args.get("--time-field");
  if (auto v = args.real("--test-fraction")) cal.test_fraction = *v;
  if (auto v = args.real("--pdo")) cal.pdo = *v;
  if (auto v = args.real("--l2")) cal.l2 = *v;
  if (auto v = args.whole("--min-support")) cal.min_support = req.binning.min_support = *v;
  if (auto v = args.whole("--max-rules")) req.max_rules = static_cast<std::size_t>(*v);
  if (auto v = args.real("--min-gain")) req.min_gain = *v;
  if (auto v = args.get("--exclude")) req.exclude = split_list(*v);
  if (auto v = args.get("--section")) req.section = *v;
  if (auto v = args.whole("--threads")) cal.inputs.threads = static_cast<int>(*v);

  Diagnostics diags;
  jobs::SuggestResult result;
  bool ok = false;
  try {
    ok = jobs::run_suggest(req, diags, result, error);
  } catch (const std::exception& ex) {
    error = ex.what();
  }
  for (const auto& d : diags.sorted()) std::fputs(render_text(d).c_str(), stderr);
  if (!ok) {
    if (diags.has_errors()) fmt::print(stderr, "leadscore suggest: {} does not compile\n", cal.inputs.rules);
    else fmt::print(stderr, "leadscore suggest: {}\n", error);
    return 1;
  }
  io::AtomicFileWriter writer;
  if (!writer.open(out, error) || !writer.write(result.text) || !writer.commit(error)) {
    fmt::print(stderr, "leadscore suggest: {}\n", error.empty() ? fmt::format("cannot write {}", out) : error);
    return 1;
  }
  if (!args.has("--quiet")) {
    std::fputs(jobs::format_suggest_summary(result).c_str(), stderr);
    fmt::print(stderr, "wrote {}\n", out);
  }
  return 0;
}

}  // namespace

const CommandSpec& suggest_command() {
  using K = OptionKind;
  static const CommandSpec spec{
      .name = "suggest",
      .summary = "propose the rules the outcomes support, with their evidence (rules file)",
      .synopsis = R"(RULES --leads FILE (--outcomes FILE | --outcome-column C)
                         (--as-of INSTANT | --cutoff-field FIELD) --out SUGGESTED.rules [OPTION]...)",
      .positionals = {.synopsis = "RULES", .kind = K::InputPath, .min = 1, .max = 1,
                      .count_error = "name exactly one rules file", .described = "the rules file"},
      .options =
          {
              input("--leads", "FILE", "the leads file (CSV)").is_required(),
              input("--activities", "FILE", "activity events"),
              text("--delimiter", "C", "input delimiter: ',' (default), ';', '|' or 'tab'"),
              output("--out", "SUGGESTED.rules",
                     "the rules file to write: RULES with the suggested rules appended as a score section")
                  .is_required(),
              input("--outcomes", "FILE", "CSV of lead_id, outcome joined by lead id (as for calibrate)"),
              text("--outcome-column", "C", "the outcome is column C of the leads file (e.g. --outcome-column y)"),
              text("--won", "V,...", "outcome values that mean won (default won)"),
              text("--lost", "V,...",
                   "outcome values that mean lost (default lost); any other value is open: left out"),
              text("--as-of", "INSTANT", "evaluate every lead at one instant"),
              text("--cutoff-field", "FIELD",
                   "evaluate each lead as of its own date field plus --cutoff-delay"),
              text("--cutoff-delay", "DURATION", "added to --cutoff-field: 14d, 12h, 2w (default 0)"),
              text("--time-field", "FIELD", "orders leads in time for the held-out split"),
              real("--test-fraction", "F",
                   "the newest F of closed leads are held out: a suggestion is kept only when it\n"
                   "raises their AUC (default 0.3)", strictly_between(0, 1)),
              whole("--min-support", "N", "leads of the training part a suggested rule must match (default 30)",
                    at_least(1)),
              whole("--max-rules", "N", "suggest at most N rules (default 10)", from_to(1, 100)),
              real("--min-gain", "G", "held-out AUC a rule must add to be kept (default 0.001)", from_to(0, 1)),
              text("--exclude", "FIELD,...",
                   "lead fields never to suggest from (besides fields marked `# leaks` in the schema)"),
              text("--section", "NAME", "the name of the new score section (default suggested)"),
              real("--pdo", "P", "points that double the odds of closing (default 20)", greater_than(0)),
              real("--l2", "L", "L2 penalty of the logistic fit (default 1)"),
              whole("--threads", "N", "read and evaluate with N threads (default 1)", from_to(1, 256)),
              flag("--quiet", "print nothing on success"),
          },
      .description = R"(Learns from the closed leads of the training part (the same leads, cutoffs and time split as
`calibrate`) which rules are missing: ranges of numeric fields, groups of text values, days since
a date field. Each becomes a rule with its evidence in a comment, and is kept only when adding it
to the current rules raises the AUC on the held-out newer leads. The rules file is not changed:
review SUGGESTED.rules, adopt what you agree with, then calibrate. How-to: docs/suggest.md.
)",
      .epilogue = R"(Exit status: 0 written (possibly with no suggestion); 1 the rules do not compile, an input
problem, or no won or no lost leads in either part; 2 usage error.
)",
      .run = run_suggest_command,
  };
  return spec;
}

}  // namespace leadscore::cli

// `leadscore calibrate RULES --leads F (--outcomes F | --outcome-column C) --out WEIGHTS.yaml ...`
#include <cstdio>

#include <fmt/format.h>

#include "build_info.hpp"
#include "jobs/calibrate_job.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "io/value_parse.hpp"

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

int run_calibrate_command(const ParsedArgs& args) {
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leadscore calibrate: {} (see `leadscore help calibrate`)\n", message);
    return 2;
  };
  std::string error;
  jobs::CalibrateRequest req;
  req.inputs.rules = args.positionals()[0];
  const std::string out = *args.get("--out");
  req.inputs.leads = *args.get("--leads");
  req.inputs.activities = args.get("--activities");
  req.inputs.outputs = {{out, "--out " + out}};
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, req.inputs.read.delimiter, error)) return usage(error);

  auto& o = req.outcomes;
  o.file = args.get("--outcomes");
  o.leads_column = args.get("--outcome-column");
  if (o.file.has_value() == o.leads_column.has_value())
    return usage("give either --outcomes FILE (a CSV joined by lead id) or --outcome-column C (in the leads file)");
  if (auto m = args.get("--outcome-columns")) {
    if (!o.file) return usage("--outcome-columns maps the headers of --outcomes FILE");
    for (const auto& item : split_list(*m)) {
      auto eq = item.find('=');
      if (eq == std::string::npos) return usage(fmt::format("--outcome-columns takes KEY=HEADER items, not \"{}\"", item));
      std::string key = item.substr(0, eq), header = item.substr(eq + 1);
      if (key == "lead_id") o.id_column = header;
      else if (key == "outcome") o.outcome_column = header;
      else if (key == "closed_at") o.closed_at_column = header, o.closed_at_required = true;
      else if (key == "amount") o.amount_column = header, o.amount_required = true;
      else return usage(fmt::format("--outcome-columns keys are lead_id, outcome, closed_at, amount; not \"{}\"", key));
    }
  }
  if (auto d = args.get("--outcomes-delimiter"); d && !parse_delimiter(*d, o.delimiter, error, "--outcomes-delimiter"))
    return usage(error);
  o.leads_amount_column = args.get("--amount-column");
  if (o.leads_amount_column && !o.leads_column)
    return usage("--amount-column goes with --outcome-column; map the outcomes file's amount with --outcome-columns");
  if (auto v = args.get("--won")) o.won = split_list(*v);
  if (auto v = args.get("--lost")) o.lost = split_list(*v);
  if (o.won.empty() || o.lost.empty()) return usage("--won and --lost need at least one value");
  if (auto z = args.get("--closed-at-zone")) {
    if (!o.file) return usage("--closed-at-zone goes with --outcomes FILE (its closed_at column)");
    o.closed_at_zone = io::parse_zone(*z);
    if (!o.closed_at_zone)
      return usage(fmt::format("--closed-at-zone takes UTC or an offset such as +02:00, not \"{}\"", *z));
  }

  auto as_of = args.get("--as-of");
  req.cutoff_field = args.get("--cutoff-field");
  if (as_of.has_value() == req.cutoff_field.has_value())
    return usage("give either --as-of INSTANT (every lead) or --cutoff-field FIELD [--cutoff-delay 14d] (per lead)");
  if (as_of && !parse_as_of(*as_of, req.inputs.as_of, error)) return usage(error);
  if (auto d = args.get("--cutoff-delay")) {
    if (!req.cutoff_field) return usage("--cutoff-delay goes with --cutoff-field");
    if (!jobs::parse_delay(*d, req.cutoff_delay)) return usage(fmt::format("--cutoff-delay takes e.g. 14d, 12h, 2w; not \"{}\"", *d));
  }
  req.time_field = args.get("--time-field");
  req.source_field = args.get("--source-field");
  req.method = args.get("--method").value_or("logistic");
  if (auto v = args.real("--test-fraction")) req.test_fraction = *v;
  if (auto v = args.real("--pdo")) req.pdo = *v;
  if (auto v = args.real("--l2")) req.l2 = *v;
  if (auto v = args.whole("--min-support")) req.min_support = *v;
  if (auto v = args.whole("--refit-every")) req.refit_every = static_cast<std::size_t>(*v);
  if (auto v = args.whole("--refit-window")) req.refit_window = static_cast<std::size_t>(*v);
  if (auto v = args.whole("--curve-window")) req.curve_window = static_cast<std::size_t>(*v);
  if ((req.refit_window || req.curve_window) && !req.refit_every)
    return usage("--refit-window and --curve-window go with --refit-every N");
  req.won_value = args.real("--won-value");
  if (auto v = args.whole("--threads")) req.inputs.threads = static_cast<int>(*v);
  req.baseline_onehot = args.has("--baseline-onehot");
  if (auto v = args.get("--baseline-exclude")) req.baseline_exclude = split_list(*v);
  req.created_by = fmt::format("leadscore {}", build_info::version);

  Diagnostics diags;
  calibrate::Weights weights;
  bool ok = false;
  try {
    ok = jobs::run_calibrate(req, diags, weights, error);
  } catch (const std::exception& ex) {
    error = ex.what();
  }
  for (const auto& d : diags.sorted()) std::fputs(render_text(d).c_str(), stderr);
  if (!ok) {
    if (diags.has_errors()) fmt::print(stderr, "leadscore calibrate: {} does not compile\n", req.inputs.rules);
    else fmt::print(stderr, "leadscore calibrate: {}\n", error);
    return 1;
  }
  if (!calibrate::write_weights(weights, out, error)) {
    fmt::print(stderr, "leadscore calibrate: {}\n", error);
    return 1;
  }
  if (args.has("--quiet")) {
    std::fputs(jobs::format_calibration_warnings(weights).c_str(), stderr);
  } else {
    std::fputs(jobs::format_calibration_summary(weights).c_str(), stderr);
    fmt::print(stderr, "wrote {}\n", out);
  }
  return 0;
}

}  // namespace

const CommandSpec& calibrate_command() {
  using K = OptionKind;
  static const CommandSpec spec{
      .name = "calibrate",
      .summary = "fit rule points to won/lost outcomes and backtest them (weights file)",
      .synopsis = R"(RULES --leads FILE (--outcomes FILE | --outcome-column C)
                           (--as-of INSTANT | --cutoff-field FIELD) --out WEIGHTS.yaml [OPTION]...)",
      .positionals = {.synopsis = "RULES", .kind = K::InputPath, .min = 1, .max = 1,
                      .count_error = "name exactly one rules file", .described = "the rules file"},
      .options =
          {
              input("--leads", "FILE", "the leads file (CSV)").is_required(),
              input("--activities", "FILE", "activity events"),
              text("--delimiter", "C", "input delimiter: ',' (default), ';', '|' or 'tab'"),
              output("--out", "WEIGHTS.yaml",
                     "the weights file to write (replaced atomically; it may be the file the rules'\n"
                     "`calibration \"...\"` names, which calibrate does not read)").is_required(),
              input("--outcomes", "FILE",
                    "CSV of lead_id, outcome, closed_at, amount joined by lead id; rename headers\n"
                    "with --outcome-columns (closed_at drops leads that closed before their cutoff)"),
              text("--outcome-columns", "KEY=H,...",
                   "the headers of --outcomes FILE: lead_id=H,outcome=H,closed_at=H,amount=H"),
              text("--outcomes-delimiter", "C", "the delimiter of --outcomes FILE (default ',')"),
              text("--closed-at-zone", "ZONE",
                   "the zone of closed_at values written without one (2018-02-26 19:58:54): UTC or\n"
                   "an offset such as +01:00. Without it such values are an error"),
              text("--outcome-column", "C", "the outcome is column C of the leads file (e.g. --outcome-column y)"),
              text("--amount-column", "C", "with --outcome-column: the won amount is column C of the leads file"),
              text("--won", "V,...", "outcome values that mean won (default won)"),
              text("--lost", "V,...",
                   "outcome values that mean lost (default lost); any other value is open: left out"),
              text("--as-of", "INSTANT", "evaluate every lead at one instant"),
              text("--cutoff-field", "FIELD",
                   "evaluate each lead as of its own date field plus --cutoff-delay:\n"
                   "events after that instant never count"),
              text("--cutoff-delay", "DURATION", "added to --cutoff-field: 14d, 12h, 2w (default 0)"),
              choice("--method", "logistic|loglift",
                     "logistic: L2 logistic regression on the rule indicators (default; correlated\n"
                     "rules share credit); loglift: each rule's shrunk log-odds against the base rate"),
              real("--test-fraction", "F",
                   "the newest F of closed leads (by --time-field, the cutoff, else row order)\n"
                   "are held out for the backtest: written vs calibrated points (default 0.3)", strictly_between(0, 1)),
              text("--time-field", "FIELD",
                   "orders leads in time for the held-out split and the walk-forward: a date,\n"
                   "timestamp or number column (default: the cutoff, else the row order, which\n"
                   "calibrate says and checks)"),
              whole("--refit-every", "N",
                    "also a walk-forward backtest: the held-out leads are scored N at a time in\n"
                    "time order; before each chunk the points and the p_close curves (written and\n"
                    "calibrated alike) are refitted on closed leads strictly older than the chunk", at_least(1)),
              whole("--refit-window", "W",
                    "refit on the W most recent older closed leads only (default: all of them);\n"
                    "the final weights are then fitted on the W most recent closed leads too", at_least(1)),
              whole("--curve-window", "C",
                    "fit the p_close curves on the C most recent (default: as --refit-window).\n"
                    "Recommended: --refit-every 500 --refit-window 5000 --curve-window 1000", at_least(1)),
              whole("--min-support", "N",
                    "rules matching fewer closed leads keep their written points (flagged; default 30)"),
              real("--pdo", "P", "points that double the odds of closing (default 20)", greater_than(0)),
              real("--l2", "L", "L2 penalty of the logistic fit (default 1)"),
              text("--source-field", "FIELD", "average revenue per won lead per value of FIELD, for expected_value"),
              real("--won-value", "N", "revenue of a won lead without an amount"),
              flag("--baseline-onehot",
                   "also backtest a plain L2 logistic regression on the leads file's own columns\n"
                   "(id columns and columns of almost all distinct values left out)"),
              text("--baseline-exclude", "H,...",
                   "headers the --baseline-onehot model leaves out (besides the outcome column)"),
              whole("--threads", "N", "read and evaluate with N threads (default 1)", from_to(1, 256)),
              flag("--quiet", "print only the warnings, not the summary"),
          },
      .description = R"(Compares the close rate of the leads each rule matches with the base close rate (Wilson 95%
interval), fits points from outcomes and writes them, with the evidence, to a YAML weights file.
With the points it adopts section limits and the thresholds of mql, classify, gates and lets at
the same share of leads, so the calibrated ruleset is one consistent model.
The rules file is never changed: declare `calibration "WEIGHTS.yaml"` in it to score with them.
Outcomes come from --outcomes FILE or --outcome-column C; leads are evaluated at --as-of INSTANT
or each at its own --cutoff-field. No backtest fits on an outcome known (closed_at) only after
the leads it predicts.
)",
      .epilogue = R"(Exit status: 0 written; 1 the rules do not compile, an input problem (such as a closed_at that
cannot be read), --out is an input file, or no won or no lost leads; 2 usage error. Method and
limits: docs/calibration.md.
)",
      .run = run_calibrate_command,
  };
  return spec;
}

}  // namespace leadscore::cli

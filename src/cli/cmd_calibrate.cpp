// `leadscore calibrate RULES --leads F (--outcomes F | --outcome-column C) --out WEIGHTS.yaml ...`
#include <cstdio>

#include <fmt/format.h>

#include "build_info.hpp"
#include "jobs/calibrate_job.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/outcome_options.hpp"

namespace leadscore::cli {

namespace {

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
  req.inputs.accounts = args.get("--accounts");
  req.inputs.outputs = {{out, "--out " + out}};
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, req.inputs.read.delimiter, error)) return usage(error);

  if (!read_outcome_options(args, req.outcomes, error, args.has("--account-outcomes")) ||
      !read_account_outcome_options(args, req, error) || !read_evaluation_time(args, req, error))
    return usage(error);
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
  if (auto v = args.get("--baseline-exclude")) req.baseline_exclude = comma_list(*v);
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
                           (--as-of INSTANT | --cutoff-field FIELD) --out WEIGHTS.yaml [OPTION]...
       leadscore calibrate RULES --leads FILE --accounts FILE --account-outcomes FILE
                           [--outcomes FILE] --as-of INSTANT --out WEIGHTS.yaml [OPTION]...)",
      .positionals = {.synopsis = "RULES", .kind = K::InputPath, .min = 1, .max = 1,
                      .count_error = "name exactly one rules file", .described = "the rules file"},
      .options = option_table({
          {
              input("--leads", "FILE", "the leads file (CSV)").is_required(),
              input("--activities", "FILE", "activity events"),
              input("--accounts", "FILE", "the accounts file the rules' `schema account` describes"),
              text("--delimiter", "C", "input delimiter: ',' (default), ';', '|' or 'tab'"),
              output("--out", "WEIGHTS.yaml",
                     "the weights file to write (replaced atomically; it may be the file the rules'\n"
                     "`calibration \"...\"` names, which calibrate does not read)").is_required(),
          },
          outcome_options(),
          account_outcome_options(),
          evaluation_time_options(),
          {
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
      }),
      .description = R"(Compares the close rate of the leads each rule matches with the base close rate (Wilson 95%
interval), fits points from outcomes and writes them, with the evidence, to a YAML weights file.
With the points it adopts section limits and the thresholds of mql, classify, gates and lets at
the same share of leads, so the calibrated ruleset is one consistent model.
The rules file is never changed: declare `calibration "WEIGHTS.yaml"` in it to score with them.
Outcomes come from --outcomes FILE or --outcome-column C; leads are evaluated at --as-of INSTANT
or each at its own --cutoff-field. No backtest fits on an outcome known (closed_at) only after
the leads it predicts. The rules of account sections are fitted to --account-outcomes (one row
per account or per opportunity, every account at --as-of); without lead outcomes each lead then
takes its account's outcome (docs/accounts.md, "Calibrating account rules").
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

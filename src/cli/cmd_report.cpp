// `leadscore report WEIGHTS.yaml --out report.html`
#include <cstdio>

#include <fmt/format.h>

#include "calibrate/report_html.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "io/atomic_file.hpp"

namespace leadscore::cli {

namespace {

int run_report(const ParsedArgs& args) {
  std::string error;
  const std::string& path = args.positionals()[0];
  calibrate::Weights weights;
  if (!calibrate::read_weights(path, weights, error)) {
    fmt::print(stderr, "leadscore report: {}\n", error);
    return 1;
  }
  if (!weights.has_backtest)
    fmt::print(stderr, "leadscore report: warning: {} has no backtest; the report shows the rule evidence only\n", path);
  calibrate::SuggestionSummary suggestions;
  const auto suggestions_path = args.get("--suggestions");
  if (suggestions_path && !calibrate::read_suggestion_summary(*suggestions_path, suggestions, error)) {
    fmt::print(stderr, "leadscore report: {}\n", error);
    return 1;
  }
  calibrate::Weights adopted;
  const auto adopted_path = args.get("--adopted");
  if (adopted_path) {
    std::string why;
    if (!calibrate::read_weights(*adopted_path, adopted, error)) {
      fmt::print(stderr, "leadscore report: {}\n", error);
      return 1;
    }
    if (!calibrate::same_backtest_data(weights, adopted, why)) {
      fmt::print(stderr, "leadscore report: --adopted {} was not backtested like {}: {}; calibrate both on the same "
                 "data with the same --test-fraction\n", *adopted_path, path, why);
      return 1;
    }
  }
  io::AtomicFileWriter out;
  const std::string out_path = *args.get("--out");
  const std::string html = calibrate::report_html(weights, path, suggestions_path ? &suggestions : nullptr,
                                                  adopted_path ? &adopted : nullptr);
  if (!out.open(out_path, error) || !out.write(html) || !out.commit(error)) {
    fmt::print(stderr, "leadscore report: {}\n", error.empty() ? "cannot write " + out_path : error);
    return 1;
  }
  return 0;
}

}  // namespace

const CommandSpec& report_command() {
  static const CommandSpec spec{
      .name = "report",
      .summary = "HTML report of a weights file's backtest and evidence",
      .synopsis = {},
      .positionals = {.synopsis = "WEIGHTS.yaml", .kind = OptionKind::InputPath, .min = 1, .max = 1,
                      .count_error = "name exactly one weights file", .described = "the weights file"},
      .options =
          {
              output("--out", "REPORT.html", "the HTML file to write (replaced atomically)").is_required(),
              input("--suggestions", "FILE.json",
                    "also show the rules `leadscore suggest --summary-out FILE.json` suggested, with\n"
                    "their evidence and the test AUC before and after"),
              input("--adopted", "WEIGHTS.yaml",
                    "the weights of the rules with the suggestions added, calibrated on the same\n"
                    "data: the report compares their backtest with WEIGHTS.yaml's"),
          },
      .description = R"(One self-contained HTML page (inline CSS and SVG, no script, no network) from a weights file:
backtest metrics, score histogram, lift by decile, reliability curve and per-rule evidence; with
--suggestions, the rules `suggest` proposed with their evidence and the test AUC before and after;
with --adopted, the backtest of the rules with the suggestions adopted and calibrated beside theirs.
)",
      .epilogue = "Exit status: 0 written, 1 unreadable weights file, suggestions summary or output, or --adopted\n"
                  "weights backtested on other data, 2 usage error.\n",
      .run = run_report,
  };
  return spec;
}

}  // namespace leadscore::cli

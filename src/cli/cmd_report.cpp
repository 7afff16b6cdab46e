// `leadscore report WEIGHTS.yaml --out report.html`
#include <cstdio>

#include <fmt/format.h>

#include "calibrate/report_html.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "io/atomic_file.hpp"

namespace leadscore::cli {

int cmd_report(const Args& raw) {
  ParsedArgs args;
  std::string error;
  if (!args.parse(raw, {"--out"}, {}, error)) {
    fmt::print(stderr, "leadscore report: {}\n", error);
    return 2;
  }
  if (args.positionals().size() != 1 || !args.get("--out")) {
    fmt::print(stderr, "leadscore report: usage: leadscore report WEIGHTS.yaml --out REPORT.html\n");
    return 2;
  }
  const std::string& path = args.positionals()[0];
  calibrate::Weights weights;
  if (!calibrate::read_weights(path, weights, error)) {
    fmt::print(stderr, "leadscore report: {}\n", error);
    return 1;
  }
  if (!weights.has_backtest)
    fmt::print(stderr, "leadscore report: warning: {} has no backtest; the report shows the rule evidence only\n", path);
  io::AtomicFileWriter out;
  std::string out_path = *args.get("--out");
  if (!out.open(out_path, error) || !out.write(calibrate::report_html(weights, path)) || !out.commit(error)) {
    fmt::print(stderr, "leadscore report: {}\n", error.empty() ? "cannot write " + out_path : error);
    return 1;
  }
  return 0;
}

}  // namespace leadscore::cli

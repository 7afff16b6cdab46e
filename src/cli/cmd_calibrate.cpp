// `leadscore calibrate RULES --leads F (--outcomes F | --outcome-column C) --out WEIGHTS.yaml ...`
#include <cstdio>

#include <fmt/format.h>

#include "build_info.hpp"
#include "jobs/calibrate_job.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"

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

bool parse_double(const std::string& text, double& value) {
  try {
    std::size_t used = 0;
    value = std::stod(text, &used);
    return used == text.size();
  } catch (...) {
    return false;
  }
}

}  // namespace

int cmd_calibrate(const Args& raw) {
  ParsedArgs args;
  std::string error;
  if (!args.parse(raw,
                  {"--leads", "--activities", "--delimiter", "--outcomes", "--outcome-columns", "--outcomes-delimiter",
                   "--outcome-column", "--amount-column", "--won", "--lost", "--as-of", "--cutoff-field",
                   "--cutoff-delay", "--out", "--method", "--test-fraction", "--min-support", "--pdo", "--l2",
                   "--time-field", "--source-field", "--won-value", "--baseline-exclude", "--threads", "--refit-every",
                   "--refit-window", "--curve-window"},
                  {"--baseline-onehot", "--quiet"}, error)) {
    fmt::print(stderr, "leadscore calibrate: {}\n", error);
    return 2;
  }
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leadscore calibrate: {} (see `leadscore help calibrate`)\n", message);
    return 2;
  };
  jobs::CalibrateRequest req;
  if (args.positionals().size() != 1) return usage("name exactly one rules file");
  req.inputs.rules = args.positionals()[0];
  auto leads = args.get("--leads");
  auto out = args.get("--out");
  if (!leads) return usage("--leads FILE is required");
  if (!out) return usage("--out WEIGHTS.yaml is required");
  req.inputs.leads = *leads;
  req.inputs.activities = args.get("--activities");
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
  if (auto d = args.get("--outcomes-delimiter"); d && !parse_delimiter(*d, o.delimiter, error)) return usage(error);
  o.leads_amount_column = args.get("--amount-column");
  if (o.leads_amount_column && !o.leads_column)
    return usage("--amount-column goes with --outcome-column; map the outcomes file's amount with --outcome-columns");
  if (auto v = args.get("--won")) o.won = split_list(*v);
  if (auto v = args.get("--lost")) o.lost = split_list(*v);
  if (o.won.empty() || o.lost.empty()) return usage("--won and --lost need at least one value");

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
  if (req.method != "logistic" && req.method != "loglift") return usage("--method takes logistic or loglift");
  if (auto v = args.get("--test-fraction"); v && (!parse_double(*v, req.test_fraction) || !(req.test_fraction > 0 && req.test_fraction < 1)))
    return usage("--test-fraction takes a number between 0 and 1 (exclusive)");
  if (auto v = args.get("--pdo"); v && (!parse_double(*v, req.pdo) || !(req.pdo > 0)))
    return usage("--pdo takes a positive number of points");
  if (auto v = args.get("--l2"); v && (!parse_double(*v, req.l2) || !(req.l2 >= 0)))
    return usage("--l2 takes a number >= 0");
  if (auto v = args.get("--min-support")) {
    double m = 0;
    if (!parse_double(*v, m) || m < 0 || m != static_cast<double>(static_cast<std::uint64_t>(m)))
      return usage("--min-support takes a whole number of leads");
    req.min_support = static_cast<std::uint64_t>(m);
  }
  auto whole_leads = [&](const char* flag, std::size_t& out) {
    auto v = args.get(flag);
    if (!v) return true;
    double n = 0;
    if (!parse_double(*v, n) || !(n >= 1 && n <= 1e12) || n != static_cast<double>(static_cast<std::uint64_t>(n))) return false;
    out = static_cast<std::size_t>(n);
    return true;
  };
  if (!whole_leads("--refit-every", req.refit_every)) return usage("--refit-every takes a whole number of leads (1 or more)");
  if (!whole_leads("--refit-window", req.refit_window)) return usage("--refit-window takes a whole number of leads (1 or more)");
  if (!whole_leads("--curve-window", req.curve_window)) return usage("--curve-window takes a whole number of leads (1 or more)");
  if ((req.refit_window || req.curve_window) && !req.refit_every)
    return usage("--refit-window and --curve-window go with --refit-every N");
  if (auto v = args.get("--won-value")) {
    double value = 0;
    if (!parse_double(*v, value)) return usage("--won-value takes a number");
    req.won_value = value;
  }
  if (auto v = args.get("--threads")) {
    double t = 0;
    if (!parse_double(*v, t) || t < 1 || t > 256) return usage("--threads takes a number from 1 to 256");
    req.inputs.threads = static_cast<int>(t);
  }
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
  if (!calibrate::write_weights(weights, *out, error)) {
    fmt::print(stderr, "leadscore calibrate: {}\n", error);
    return 1;
  }
  if (args.has("--quiet")) {
    for (const auto& w : weights.warnings) fmt::print(stderr, "warning: {}\n", w);
  } else {
    std::fputs(jobs::format_calibration_summary(weights).c_str(), stderr);
    fmt::print(stderr, "wrote {}\n", *out);
  }
  return 0;
}

}  // namespace leadscore::cli

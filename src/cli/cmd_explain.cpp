// `leadscore explain RULES (--lead ID | --account ID) --leads F [--activities F] [--accounts F] --as-of T [--format text|json]`
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "jobs/explain.hpp"

namespace leadscore::cli {

namespace {

int run_explain(const ParsedArgs& args) {
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leadscore explain: {} (see `leadscore help explain`)\n", message);
    return 2;
  };
  std::string error;
  jobs::ExplainRequest request;
  request.inputs.rules = args.positionals()[0];
  if (args.has("--lead") == args.has("--account")) return usage("name one lead (--lead ID) or one account (--account ID)");
  if (auto lead = args.get("--lead")) request.lead_id = *lead;
  request.account_id = args.get("--account");
  request.inputs.leads = *args.get("--leads");
  request.inputs.allow_other_ruleset = args.has("--allow-other-ruleset");
  request.inputs.activities = args.get("--activities");
  request.inputs.accounts = args.get("--accounts");
  if (!parse_as_of(*args.get("--as-of"), request.inputs.as_of, error)) return usage(error);
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, request.inputs.read.delimiter, error))
    return usage(error);
  request.json = args.get("--format").value_or("text") == "json";
  request.why_not = args.get("--why-not");

  Diagnostics diags;
  std::string out;
  bool ok = jobs::run_explain(request, diags, out, error);
  for (const auto& d : diags.sorted()) std::fputs(render_text(d).c_str(), stderr);
  if (!ok) {
    if (!diags.has_errors()) fmt::print(stderr, "leadscore explain: {}\n", error);
    return 1;
  }
  std::fputs(out.c_str(), stdout);
  return 0;
}

}  // namespace

const CommandSpec& explain_command() {
  static const CommandSpec spec{
      .name = "explain",
      .summary = "show how one lead's score was reached, rule by rule",
      .synopsis = {},
      .positionals = {.synopsis = "RULES", .kind = OptionKind::InputPath, .min = 1, .max = 1,
                      .count_error = "name exactly one rules file", .described = "the rules file"},
      .options =
          {
              text("--lead", "ID", "the id of the lead to explain"),
              text("--account", "ID",
                   "explain an account instead (rules with an `account key`): its sections, gates,\n"
                   "mqa and classify, then each of its leads and what each counted for"),
              input("--leads", "FILE", "the leads file (CSV)").is_required(),
              input("--activities", "FILE", "activity events"),
              input("--accounts", "FILE", "the accounts file the rules' `schema account` describes"),
              text("--as-of", "INSTANT",
                   "score as of this instant (2026-11-01T00:00:00Z, or a date for midnight UTC)").is_required(),
              text("--delimiter", "C", "input delimiter: ',' (default), ';', '|' or 'tab'"),
              choice("--format", "text|json", "text (default) or the same account as JSON"),
              text("--why-not", "TARGET",
                   "why the lead is not TARGET: mql, a gate, or a classify value (hot, or quadrant=hot)"),
              flag("--allow-other-ruleset",
                   "apply the rules' calibration weights even when they were calibrated for another\n"
                   "ruleset (rules hash): a warning instead of an error"),
          },
      .description = R"(A readable account of one lead: every section with each rule, fired or not, and the values
that decided it (employees = 12000 >= 5000  ->  +20), multipliers, limits, each gate criterion,
the MQL decision and the classify branch taken. The numbers are always those `score` writes.
For a lead that is not an MQL it ends with "why not mql": the parts of the condition that failed,
by how much, and the missing values that left a part unknown. --why-not asks the same of a gate
or a classify value.
)",
      .epilogue = "Exit status: 0 success; 1 the lead is not in the file or an input problem; 2 usage error.\n",
      .run = run_explain,
  };
  return spec;
}

}  // namespace leadscore::cli

// `leadscore explain RULES --lead ID --leads F [--activities F] --as-of T [--format text|json]`
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "jobs/explain.hpp"

namespace leadscore::cli {

int cmd_explain(const Args& raw) {
  ParsedArgs args;
  std::string error;
  if (!args.parse(raw, {"--lead", "--leads", "--activities", "--as-of", "--delimiter", "--format"},
                  {"--allow-other-ruleset"}, error)) {
    fmt::print(stderr, "leadscore explain: {}\n", error);
    return 2;
  }
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leadscore explain: {} (see `leadscore help explain`)\n", message);
    return 2;
  };
  jobs::ExplainRequest request;
  if (args.positionals().size() != 1) return usage("name exactly one rules file");
  request.inputs.rules = args.positionals()[0];
  request.inputs.allow_other_ruleset = args.has("--allow-other-ruleset");
  auto lead = args.get("--lead");
  auto leads = args.get("--leads");
  auto as_of = args.get("--as-of");
  if (!lead) return usage("--lead ID is required");
  if (!leads) return usage("--leads FILE is required");
  if (!as_of) return usage("--as-of INSTANT is required");
  request.lead_id = *lead;
  request.inputs.leads = *leads;
  request.inputs.activities = args.get("--activities");
  if (!parse_as_of(*as_of, request.inputs.as_of, error)) return usage(error);
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, request.inputs.read.delimiter, error))
    return usage(error);
  std::string format = args.get("--format").value_or("text");
  if (format != "text" && format != "json") return usage("--format takes text or json");
  request.json = format == "json";

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

}  // namespace leadscore::cli

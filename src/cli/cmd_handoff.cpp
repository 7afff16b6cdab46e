// `leadscore handoff RULES --scored SCORED.csv --dispositions DISP.csv [--outcomes OUT.csv] [--format text|json|html]`
#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "io/atomic_file.hpp"
#include "io/value_parse.hpp"
#include "jobs/handoff_html.hpp"
#include "jobs/handoff_inputs.hpp"
#include "jobs/handoff_render.hpp"
#include "jobs/run_inputs.hpp"

namespace leadscore::cli {

namespace {

constexpr int kTargetMissed = 3;

int run_handoff(const ParsedArgs& args) {
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leadscore handoff: {} (see `leadscore help handoff`)\n", message);
    return 2;
  };
  std::string error;
  jobs::HandoffRequest req;
  req.scored = *args.get("--scored");
  req.dispositions = *args.get("--dispositions");
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, req.delimiter, error)) return usage(error);
  if (auto m = args.get("--disposition-columns")) {
    std::vector<std::string> named;
    if (!parse_headers("--disposition-columns", *m,
                       {{"lead_id", &req.id_column}, {"disposition", &req.disposition_column},
                        {"reason", &req.reason_column}, {"disposition_at", &req.at_column}},
                       named, error))
      return usage(error);
    req.reason_required = named_key(named, "reason");
    req.at_required = named_key(named, "disposition_at");
  }
  if (auto z = args.get("--disposition-zone")) {
    req.at_zone = io::parse_zone(*z);
    if (!req.at_zone) return usage(fmt::format("--disposition-zone takes UTC or an offset such as +02:00, not \"{}\"", *z));
  }
  if (auto v = args.get("--accepted")) req.words.accepted = comma_list(*v);
  if (auto v = args.get("--rejected")) req.words.rejected = comma_list(*v);
  if (auto v = args.get("--pending")) req.words.pending = comma_list(*v);

  auto& o = req.outcomes;
  o.file = args.get("--outcomes");
  if (auto m = args.get("--outcome-columns")) {
    if (!o.file) return usage("--outcome-columns maps the headers of --outcomes FILE");
    std::vector<std::string> named;
    if (!parse_headers("--outcome-columns", *m,
                       {{"lead_id", &o.id_column}, {"outcome", &o.outcome_column}, {"amount", &o.amount_column}}, named,
                       error))
      return usage(error);
    o.amount_required = named_key(named, "amount");
  }
  if (auto d = args.get("--outcomes-delimiter"); d && !parse_delimiter(*d, o.delimiter, error, "--outcomes-delimiter"))
    return usage(error);
  if (auto v = args.get("--won")) o.won = comma_list(*v);
  if (auto v = args.get("--lost")) o.lost = comma_list(*v);
  if ((args.has("--won") || args.has("--lost") || args.has("--outcomes-delimiter")) && !o.file)
    return usage("--won, --lost and --outcomes-delimiter go with --outcomes FILE");
  if (o.won.empty() || o.lost.empty()) return usage("--won and --lost need at least one value");
  req.source_field = args.get("--source-field");
  req.by = args.get("--by");
  if (auto v = args.get("--as-of")) {
    std::int64_t as_of = 0;
    if (!parse_as_of(*v, as_of, error)) return usage(error);
    req.settings.as_of = as_of;
  }
  if (auto v = args.whole("--small-sample")) req.settings.small_sample = *v;
  if (auto v = args.whole("--top-reasons")) req.settings.top_reasons = static_cast<std::size_t>(*v);
  const std::string format = args.get("--format").value_or("text");
  const std::string out_path = args.get("--out").value_or("-");

  jobs::RunInputs inputs;
  inputs.rules = args.positionals()[0];
  inputs.use_calibration = false;  // the weights file is not needed: the scored file has the scores
  if (out_path != "-") inputs.outputs = {{out_path, "--out " + out_path}};
  Diagnostics diags;
  jobs::PreparedRun run;
  bool ok = false;
  try {
    ok = jobs::prepare_rules(inputs, diags, run, error);
  } catch (const std::exception& ex) {
    error = ex.what();
  }
  for (const auto& d : diags.sorted()) std::fputs(render_text(d).c_str(), stderr);
  if (!ok) {
    if (diags.has_errors()) fmt::print(stderr, "leadscore handoff: {} does not compile\n", inputs.rules);
    else fmt::print(stderr, "leadscore handoff: {}\n", error);
    return 1;
  }
  std::string working_hours;
  if (run.program.handoff) {
    req.settings.targets = run.program.handoff->targets;
    req.settings.hours = run.program.handoff->hours;
    if (run.program.handoff->hours) working_hours = run.program.handoff->hours->text;
  }
  req.settings.has_outcomes = o.file.has_value();

  std::vector<jobs::HandoffLead> leads;
  jobs::HandoffInputReport input_report;
  if (!jobs::read_handoff_inputs(req, run.program, run.graph, leads, input_report, error)) {
    fmt::print(stderr, "leadscore handoff: {}\n", error);
    return 1;
  }
  const auto warnings = jobs::handoff_warnings(req, input_report);
  for (const auto& w : warnings) fmt::print(stderr, "leadscore handoff: warning: {}\n", w);
  const jobs::HandoffMetrics metrics = jobs::compute_handoff_metrics(leads, req.settings);
  const jobs::HandoffReport report{metrics, input_report, req.settings, working_hours};
  const std::string text = format == "json"   ? jobs::handoff_json(report)
                           : format == "html" ? jobs::handoff_html(report, warnings)
                                              : jobs::handoff_text(report);
  io::AtomicFileWriter out;
  if (!out.open(out_path, error) || !out.write(text) || !out.commit(error)) {
    fmt::print(stderr, "leadscore handoff: {}\n", error.empty() ? "cannot write " + out_path : error);
    return 1;
  }
  const std::uint64_t missed = jobs::missed_targets(metrics);
  if (args.has("--fail-on-target") && missed) {
    fmt::print(stderr, "leadscore handoff: {} target{} missed\n", missed, missed == 1 ? "" : "s");
    return kTargetMissed;
  }
  return 0;
}

}  // namespace

const CommandSpec& handoff_command() {
  using K = OptionKind;
  static const CommandSpec spec{
      .name = "handoff",
      .summary = "hand-off metrics: MQL acceptance, rejection reasons, response times, MQL-to-won and value",
      .synopsis = R"(RULES --scored SCORED.csv --dispositions DISP.csv [--outcomes FILE]
                         [--source-field COLUMN] [--by CLASSIFY] [--format text|json|html] [--out FILE] [OPTION]...)",
      .positionals = {.synopsis = "RULES", .kind = K::InputPath, .min = 1, .max = 1,
                      .count_error = "name exactly one rules file", .described = "the rules file"},
      .options =
          {
              input("--scored", "FILE",
                    "what `score` wrote with these rules: id, mql, the classify and route columns\n"
                    "(and a source column kept with `score --keep`)").is_required(),
              input("--dispositions", "FILE",
                    "the CRM's sales dispositions: lead_id, disposition, reason, disposition_at").is_required(),
              text("--disposition-columns", "KEY=H,...",
                   "the headers of --dispositions: lead_id=H,disposition=H,reason=H,disposition_at=H"),
              text("--disposition-zone", "ZONE",
                   "the zone of disposition times written without one: UTC or an offset such as +01:00"),
              text("--accepted", "V,...", "more disposition values that mean accepted (beside the built-in words)"),
              text("--rejected", "V,...", "more disposition values that mean rejected"),
              text("--pending", "V,...", "more disposition values that mean not decided yet"),
              input("--outcomes", "FILE", "CSV of lead_id, outcome, amount (as calibrate reads it): MQL-to-won and MQL value"),
              text("--outcome-columns", "KEY=H,...", "the headers of --outcomes FILE: lead_id=H,outcome=H,amount=H"),
              text("--outcomes-delimiter", "C", "the delimiter of --outcomes FILE (default ',')"),
              text("--won", "V,...", "outcome values that mean won (default won)"),
              text("--lost", "V,...", "outcome values that mean lost (default lost); any other value is open"),
              text("--source-field", "COLUMN", "group by this column of the scored file too (e.g. lead_source)"),
              text("--by", "CLASSIFY", "group by this classify (default: the ruleset's first, e.g. quadrant)"),
              text("--as-of", "INSTANT",
                   "now: an MQL not answered by its due time before INSTANT missed its SLA (default: as\n"
                   "the scored file's sla_breached says)"),
              whole("--small-sample", "N", "groups with fewer MQLs are marked small sample and fail no target (default 20)",
                    at_least(1)),
              whole("--top-reasons", "N", "rejection reasons listed before \"(other reasons)\" (default 10)", at_least(1)),
              text("--delimiter", "C", "delimiter of --scored and --dispositions: ',' (default), ';', '|' or 'tab'"),
              choice("--format", "text|json|html", "the report's form (default text)"),
              output("--out", "FILE", "where the report goes (default -: standard output; a file is replaced atomically)"),
              flag("--fail-on-target", "exit 3 when a target is missed (by all MQLs or a group that is no small sample)"),
          },
      .description = R"(Measures the hand-off to sales for the MQLs of a scored file: the share sales accepted and
rejected against the ruleset's `target acceptance` and `target rejection`, the rejection reasons
(grouped by their words), the time from route entry to the first response (median and p90, in
working hours when the rules declare them) and the share that met the SLA (`target sla_met`), and
with --outcomes the MQL-to-won rate (`target mql_to_won`) and the value of an MQL (average won
amount x MQL-to-won). For all MQLs, per --source-field value and per classify value.
)",
      .epilogue = R"(Exit status: 0 written; 1 the rules do not compile, a file cannot be read or written, a required
column is missing; 2 usage error; 3 --fail-on-target and a target was missed (the report is written).
)",
      .run = run_handoff,
  };
  return spec;
}

}  // namespace leadscore::cli

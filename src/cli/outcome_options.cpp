#include "cli/outcome_options.hpp"

#include <fmt/format.h>

#include "cli/args.hpp"
#include "io/value_parse.hpp"

namespace leadscore::cli {

std::vector<Option> outcome_options() {
  return {
      input("--outcomes", "FILE",
            "CSV of lead_id, outcome, closed_at, amount joined by lead id; rename headers\n"
            "with --outcome-columns (closed_at drops leads that closed before their cutoff)"),
      text("--outcome-columns", "KEY=H,...", "the headers of --outcomes FILE: lead_id=H,outcome=H,closed_at=H,amount=H"),
      text("--outcomes-delimiter", "C", "the delimiter of --outcomes FILE (default ',')"),
      text("--closed-at-zone", "ZONE",
           "the zone of closed_at values written without one (2018-02-26 19:58:54): UTC or\n"
           "an offset such as +01:00. Without it such values are an error"),
      text("--outcome-column", "C", "the outcome is column C of the leads file (e.g. --outcome-column y)"),
      text("--amount-column", "C", "with --outcome-column: the won amount is column C of the leads file"),
      text("--won", "V,...", "outcome values that mean won (default won)"),
      text("--lost", "V,...", "outcome values that mean lost (default lost); any other value is open: left out"),
  };
}

std::vector<Option> evaluation_time_options() {
  return {
      text("--as-of", "INSTANT", "evaluate every lead at one instant"),
      text("--cutoff-field", "FIELD",
           "evaluate each lead as of its own date field plus --cutoff-delay:\n"
           "events after that instant never count"),
      text("--cutoff-delay", "DURATION", "added to --cutoff-field: 14d, 12h, 2w (default 0)"),
  };
}

std::vector<Option> option_table(std::initializer_list<std::vector<Option>> parts) {
  std::vector<Option> table;
  for (const auto& part : parts) table.insert(table.end(), part.begin(), part.end());
  return table;
}

bool read_outcome_options(const ParsedArgs& args, jobs::OutcomeOptions& o, std::string& usage, bool may_be_absent) {
  o.file = args.get("--outcomes");
  o.leads_column = args.get("--outcome-column");
  if (o.file && o.leads_column) {
    usage = "give either --outcomes FILE (a CSV joined by lead id) or --outcome-column C (in the leads file), not both";
    return false;
  }
  if (!o.file && !o.leads_column && !may_be_absent) {
    usage = "give either --outcomes FILE (a CSV joined by lead id) or --outcome-column C (in the leads file)";
    return false;
  }
  if (auto m = args.get("--outcome-columns")) {
    if (!o.file) {
      usage = "--outcome-columns maps the headers of --outcomes FILE";
      return false;
    }
    std::vector<std::string> named;
    if (!parse_headers("--outcome-columns", *m,
                       {{"lead_id", &o.id_column}, {"outcome", &o.outcome_column}, {"closed_at", &o.closed_at_column},
                        {"amount", &o.amount_column}},
                       named, usage))
      return false;
    o.closed_at_required = named_key(named, "closed_at");
    o.amount_required = named_key(named, "amount");
  }
  if (auto d = args.get("--outcomes-delimiter"); d && !parse_delimiter(*d, o.delimiter, usage, "--outcomes-delimiter"))
    return false;
  o.leads_amount_column = args.get("--amount-column");
  if (o.leads_amount_column && !o.leads_column) {
    usage = "--amount-column goes with --outcome-column; map the outcomes file's amount with --outcome-columns";
    return false;
  }
  if (auto v = args.get("--won")) o.won = comma_list(*v);
  if (auto v = args.get("--lost")) o.lost = comma_list(*v);
  if (o.won.empty() || o.lost.empty()) {
    usage = "--won and --lost need at least one value";
    return false;
  }
  if (auto z = args.get("--closed-at-zone")) {
    if (!o.file && !may_be_absent) {
      usage = "--closed-at-zone goes with --outcomes FILE (its closed_at column)";
      return false;
    }
    o.closed_at_zone = io::parse_zone(*z);
    if (!o.closed_at_zone) {
      usage = fmt::format("--closed-at-zone takes UTC or an offset such as +02:00, not \"{}\"", *z);
      return false;
    }
  }
  return true;
}

bool read_evaluation_time(const ParsedArgs& args, jobs::CalibrateRequest& req, std::string& usage) {
  const auto as_of = args.get("--as-of");
  req.cutoff_field = args.get("--cutoff-field");
  if (as_of.has_value() == req.cutoff_field.has_value()) {
    usage = "give either --as-of INSTANT (every lead) or --cutoff-field FIELD [--cutoff-delay 14d] (per lead)";
    return false;
  }
  if (as_of && !parse_as_of(*as_of, req.inputs.as_of, usage)) return false;
  if (auto d = args.get("--cutoff-delay")) {
    if (!req.cutoff_field) {
      usage = "--cutoff-delay goes with --cutoff-field";
      return false;
    }
    if (!jobs::parse_delay(*d, req.cutoff_delay)) {
      usage = fmt::format("--cutoff-delay takes e.g. 14d, 12h, 2w; not \"{}\"", *d);
      return false;
    }
  }
  return true;
}

std::vector<Option> account_outcome_options() {
  return {
      input("--account-outcomes", "FILE",
            "CSV of account_id, outcome, closed_at, amount: one row per account or per\n"
            "opportunity, for the rules of account sections (needs --as-of). Without\n"
            "--outcomes, each lead also takes its account's outcome"),
      text("--account-outcome-columns", "KEY=H,...",
           "the headers of --account-outcomes FILE: account_id=H,outcome=H,closed_at=H,amount=H"),
  };
}

bool read_account_outcome_options(const ParsedArgs& args, jobs::CalibrateRequest& req, std::string& usage) {
  const auto file = args.get("--account-outcomes");
  if (!file) {
    if (args.has("--account-outcome-columns")) {
      usage = "--account-outcome-columns maps the headers of --account-outcomes FILE";
      return false;
    }
    return true;
  }
  jobs::OutcomeOptions o = req.outcomes;  // the same won/lost values, delimiter and closed_at zone
  o.file = file;
  o.leads_column.reset();
  o.leads_amount_column.reset();
  o.id_column = "account_id";
  o.outcome_column = "outcome";
  o.closed_at_column = "closed_at";
  o.amount_column = "amount";
  o.closed_at_required = o.amount_required = false;
  if (auto m = args.get("--account-outcome-columns")) {
    std::vector<std::string> named;
    if (!parse_headers("--account-outcome-columns", *m,
                       {{"account_id", &o.id_column}, {"outcome", &o.outcome_column},
                        {"closed_at", &o.closed_at_column}, {"amount", &o.amount_column}},
                       named, usage))
      return false;
    o.closed_at_required = named_key(named, "closed_at");
    o.amount_required = named_key(named, "amount");
  }
  req.account_outcomes = std::move(o);
  return true;
}

}  // namespace leadscore::cli

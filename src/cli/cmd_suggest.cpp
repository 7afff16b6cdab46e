// `leadscore suggest RULES --leads F (--outcomes F | --outcome-column C) --out SUGGESTED.rules ...`
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/outcome_options.hpp"
#include "io/atomic_file.hpp"
#include "jobs/suggest.hpp"

namespace leadscore::cli {

namespace {

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
  cal.inputs.accounts = args.get("--accounts");
  cal.inputs.outputs = {{out, "--out " + out}};
  const auto summary_out = args.get("--summary-out");
  if (summary_out) cal.inputs.outputs.push_back({*summary_out, "--summary-out " + *summary_out});
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, cal.inputs.read.delimiter, error)) return usage(error);
  if (!read_outcome_options(args, cal.outcomes, error) || !read_evaluation_time(args, cal, error)) return usage(error);
  cal.time_field = args.get("--time-field");
  if (auto v = args.real("--test-fraction")) cal.test_fraction = *v;
  if (auto v = args.get("--choose-by")) req.choose_by = *v == "validation" ? jobs::Chooser::Validation : jobs::Chooser::CrossValidation;
  if (auto v = args.whole("--folds")) req.folds = static_cast<std::size_t>(*v);
  if (auto v = args.real("--validation-fraction")) req.validation_fraction = *v;
  if (req.choose_by == jobs::Chooser::CrossValidation && args.has("--validation-fraction"))
    return usage("--validation-fraction goes with --choose-by validation");
  if (req.choose_by == jobs::Chooser::Validation && args.has("--folds"))
    return usage("--folds goes with --choose-by cross-validation");
  req.activity_type_field = args.get("--activity-type-field");
  req.two_conditions = !args.has("--single-conditions");
  if (auto v = args.real("--pdo")) cal.pdo = *v;
  if (auto v = args.real("--l2")) cal.l2 = *v;
  if (auto v = args.whole("--min-support")) cal.min_support = req.binning.min_support = *v;
  if (auto v = args.whole("--max-rules")) req.max_rules = static_cast<std::size_t>(*v);
  if (auto v = args.real("--min-gain")) req.min_gain = *v;
  if (auto v = args.get("--exclude")) req.exclude = comma_list(*v);
  if (auto v = args.get("--section")) {
    if (auto problem = jobs::section_name_problem(*v)) return usage("--section " + *problem);
    req.section = *v;
  }
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
  io::AtomicFileWriter writer, summary_writer;
  bool written = writer.open(out, error) && writer.write(result.text);
  if (written && summary_out)
    written = summary_writer.open(*summary_out, error) &&
              summary_writer.write(calibrate::suggestion_summary_json(jobs::suggestion_summary(result, cal.inputs.rules)));
  if (written) written = summary_out ? io::commit_all({&writer, &summary_writer}, error) : writer.commit(error);
  if (!written) {
    fmt::print(stderr, "leadscore suggest: {}\n", error.empty() ? fmt::format("cannot write {}", out) : error);
    return 1;
  }
  if (!args.has("--quiet")) {
    std::fputs(jobs::format_suggest_summary(result).c_str(), stderr);
    fmt::print(stderr, "wrote {}{}\n", out, summary_out ? " and " + *summary_out : "");
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
      .options = option_table({
          {
              input("--leads", "FILE", "the leads file (CSV)").is_required(),
              input("--activities", "FILE", "activity events"),
              input("--accounts", "FILE", "the accounts file the rules' `schema account` describes"),
              text("--delimiter", "C", "input delimiter: ',' (default), ';', '|' or 'tab'"),
              output("--out", "SUGGESTED.rules",
                     "the rules file to write: RULES with the suggested rules appended as a score section")
                  .is_required(),
              output("--summary-out", "FILE.json",
                     "also write the suggestions, their evidence and the AUC before and after as JSON\n"
                     "(for `leadscore report --suggestions FILE.json`)"),
          },
          outcome_options(),
          evaluation_time_options(),
          {
              text("--time-field", "FIELD", "orders leads in time for the test part and the choosing"),
              real("--test-fraction", "F",
                   "the newest F of closed leads are the test part: never used to choose, only to\n"
                   "report the AUC before and after (default 0.3)", strictly_between(0, 1)),
              choice("--choose-by", "cross-validation|validation",
                     "cross-validation (default): candidates found on the whole training part, a\n"
                     "suggestion kept only when it raises the mean AUC of its folds (every K-th lead\n"
                     "in time order), each judged by the rules fitted on the others; validation: found\n"
                     "on the older training leads, kept only when it raises the AUC of the newest"),
              whole("--folds", "K", "with cross-validation: the folds of the training part (default 5)",
                    from_to(2, 20)),
              real("--validation-fraction", "F",
                   "with --choose-by validation: the newest F of the training part choose; the\n"
                   "older rest finds and fits the candidates (default 0.25)",
                   strictly_between(0, 1)),
              text("--activity-type-field", "FIELD",
                   "the activity field holding the event's type (default: a string field named type)"),
              whole("--min-support", "N", "leads of the training part a suggested rule must match (default 30)",
                    at_least(1)),
              whole("--max-rules", "N", "suggest at most N rules (default 10)", from_to(1, 100)),
              real("--min-gain", "G", "held-out AUC a rule must add to be kept (default 0.001)", from_to(0, 1)),
              flag("--single-conditions", "suggest rules of one condition only (no `A and B` rules)"),
              text("--exclude", "FIELD,...",
                   "lead fields never to suggest from (besides fields marked `# leaks` in the schema)"),
              text("--section", "NAME",
                   "the name of the new score section: a letter or _, then letters, digits or _, not a\n"
                   "keyword such as score or mql (default suggested; made unique when RULES declares it)"),
              real("--pdo", "P", "points that double the odds of closing (default 20)", greater_than(0)),
              real("--l2", "L", "L2 penalty of the logistic fit (default 1)"),
              whole("--threads", "N", "read and evaluate with N threads (default 1)", from_to(1, 256)),
              flag("--quiet", "print nothing on success"),
          },
      }),
      .description = R"(Learns from the closed leads of the training part (the same leads, cutoffs and time split as
`calibrate`) which rules are missing: ranges of numeric fields, groups of text values, days since
a date field and its calendar, and with --activities counts, recency and sums of each activity
type; then two of these joined by `and` where their interaction helps. Each becomes a rule with
its evidence in a comment. A candidate is kept only when adding it to the current rules raises the
AUC of training leads it was not fitted on (cross-validation over the training part, or the newest
training leads with --choose-by validation). The test part is never used to choose: the summary
reports its AUC before and after. The rules file is not changed:
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

#include "jobs/suggest.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "calibrate/metrics.hpp"
#include "calibrate/pick.hpp"
#include "calibrate/rule_fit.hpp"
#include "calibrate/time_split.hpp"
#include "common/escape.hpp"
#include "common/text.hpp"
#include "engine/check/checker.hpp"
#include "engine/exec/constant_folder.hpp"
#include "engine/lint/lint.hpp"
#include "format/expr_printer.hpp"
#include "format/formatter.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"
#include "jobs/batches.hpp"
#include "jobs/outcome_join.hpp"
#include "jobs/suggest_activity.hpp"
#include "jobs/weights_check.hpp"
#include "parser/parser.hpp"

namespace leadscore::jobs {

using calibrate::RuleColumn;
using calibrate::pick;

namespace {

constexpr std::int64_t kMicrosPerDay = 86'400'000'000LL;

struct Candidate {
  std::string field, condition;
  std::vector<std::uint8_t> matched;  // per lead
  calibrate::RuleEvidence evidence;
};

std::string pct(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.1f}%", 100 * v); }

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// What a suggestion reads of a date or timestamp field.
enum class DatePart { DaysSince, DayOfWeek, Month, Hour };

const char* date_part_name(DatePart part) {
  switch (part) {
    case DatePart::DaysSince: return "days_since";
    case DatePart::DayOfWeek: return "day_of_week";
    case DatePart::Month: return "month";
    case DatePart::Hour: return "hour";
  }
  return "";
}

// A lead field's values as numbers (NaN: missing), parsed as `score` parses the field's type; a date
// or timestamp as `part` reads it (days since it at the lead's as-of, or its UTC calendar part).
std::vector<double> numeric_values(const ir::Field& field, const engine::Column& text, const engine::LeadTable& leads,
                                   DatePart part = DatePart::DaysSince) {
  std::vector<double> out(leads.rows, std::nan(""));
  for (std::size_t l = 0; l < leads.rows; ++l) {
    if (!text.valid[l]) continue;
    std::string_view cell = text.str[l];
    std::optional<std::int64_t> instant;
    switch (field.type) {
      case ast::FieldType::Int:
        if (auto v = io::parse_int(cell); v.has_value()) out[l] = static_cast<double>(v.value);
        break;
      case ast::FieldType::Number:
        if (auto v = io::parse_number(cell); v.has_value()) out[l] = v.value;
        break;
      case ast::FieldType::Date:
        if (auto v = io::parse_date(cell); v.has_value()) instant = v.value;
        break;
      case ast::FieldType::Timestamp:
        if (auto v = io::parse_timestamp(cell, field.zone); v.has_value()) instant = v.value;
        break;
      default: break;
    }
    if (!instant) continue;
    switch (part) {
      case DatePart::DaysSince: out[l] = static_cast<double>(floor_div(leads.as_of[l] - *instant, kMicrosPerDay)); break;
      case DatePart::DayOfWeek: out[l] = io::day_of_week_utc(*instant); break;
      case DatePart::Month: out[l] = io::month_utc(*instant); break;
      case DatePart::Hour: out[l] = io::hour_utc(*instant); break;
    }
  }
  return out;
}

class CandidateMaker {
 public:
  CandidateMaker(const std::vector<std::size_t>& train, const std::vector<std::uint8_t>& label,
                 const SuggestRequest& req, std::vector<Candidate>& out)
      : train_(train), label_(label), req_(req), out_(out) {}

  // Keeps a candidate whose training evidence has support and a close rate that differs from the base.
  void offer(const std::string& field, std::string condition, std::vector<std::uint8_t> matched) {
    calibrate::EvidenceOptions o;
    o.min_support = req_.calibrate.min_support;
    auto evidence = calibrate::rule_evidence(condition, pick(matched, train_), pick(label_, train_), o);
    if (evidence.low_support || !evidence.significant || evidence.matched == train_.size()) return;
    out_.push_back(Candidate{field, std::move(condition), std::move(matched), std::move(evidence)});
  }

  void numeric(const std::string& field, const std::string& term, bool integral, const std::vector<double>& values) {
    std::vector<double> v;
    std::vector<std::uint8_t> y;
    for (auto l : train_)
      if (!std::isnan(values[l])) {
        v.push_back(values[l]);
        y.push_back(label_[l]);
      }
    auto bins = calibrate::numeric_bins(v, y, req_.binning);
    if (bins.size() < 2) return;
    auto num = [](double x) { return io::format_number(x); };
    auto matching = [&](double low, double high) {
      std::vector<std::uint8_t> m(values.size(), 0);
      for (std::size_t l = 0; l < values.size(); ++l) m[l] = values[l] >= low && values[l] < high;
      return m;
    };
    const double inf = std::numeric_limits<double>::infinity();
    auto rate = [](const calibrate::NumericBin& b) { return static_cast<double>(b.won) / static_cast<double>(b.count); };
    for (std::size_t b = 0; b < bins.size(); ++b) {
      const auto& bin = bins[b];
      // Two bins are one rule and its complement: only the one that closes better is offered.
      if (bins.size() == 2 && rate(bin) < rate(bins[1 - b])) continue;
      std::string condition;
      if (b == 0) condition = fmt::format("{} < {}", term, num(bin.high));
      else if (b + 1 == bins.size()) condition = fmt::format("{} >= {}", term, num(bin.low));
      else if (integral) condition = fmt::format("{} between {} and {}", term, num(bin.low), num(bin.high - 1));
      else condition = fmt::format("{} >= {} and {} < {}", term, num(bin.low), term, num(bin.high));
      offer(field, condition, matching(bin.low, bin.high));
      // The monotone reading of each cut: everything above it.
      if (b > 0 && b + 1 < bins.size()) offer(field, fmt::format("{} >= {}", term, num(bin.low)), matching(bin.low, inf));
    }
  }

  // An event count (values: per lead): each cut between bins gives `term >= k`.
  void count(const std::string& field, const std::string& term, const std::vector<double>& values) {
    std::vector<double> v;
    std::vector<std::uint8_t> y;
    for (auto l : train_) {
      v.push_back(values[l]);
      y.push_back(label_[l]);
    }
    auto bins = calibrate::numeric_bins(v, y, req_.binning);
    for (std::size_t b = 1; b < bins.size(); ++b) {
      const double k = std::ceil(bins[b].low);
      std::vector<std::uint8_t> m(values.size(), 0);
      for (std::size_t l = 0; l < values.size(); ++l) m[l] = values[l] >= k;
      offer(field, fmt::format("{} >= {}", term, io::format_number(k)), std::move(m));
    }
  }

  // Returns the number of distinct values left out because no list entry may hold them (a line break,
  // a tab or another control character: `check` refuses them); their leads count as matching none.
  std::size_t text(const std::string& field, const engine::Column& column, std::size_t rows) {
    std::map<std::string, std::string> spelling;  // normalised -> first spelling seen
    std::set<std::string> unwritable;
    std::vector<std::string> keys(rows);
    for (std::size_t l = 0; l < rows; ++l) {
      if (!column.valid[l]) continue;
      std::string_view trimmed = text::trim(column.str[l]);
      std::string key(trimmed);
      for (auto& c : key) c = text::ascii_lower(c);
      if (std::size_t at = 0; find_control_character(trimmed, at)) {
        unwritable.insert(std::move(key));
        continue;
      }
      spelling.emplace(key, std::string(trimmed));
      keys[l] = std::move(key);
    }
    offer_groups(field, spelling, keys, rows);
    return unwritable.size();
  }

  void offer_groups(const std::string& field, std::map<std::string, std::string>& spelling,
                    const std::vector<std::string>& keys, std::size_t rows) {
    std::vector<std::string> k;
    std::vector<std::uint8_t> y;
    for (auto l : train_)
      if (!keys[l].empty()) {
        k.push_back(keys[l]);
        y.push_back(label_[l]);
      }
    auto groups = calibrate::category_groups(k, y, req_.binning);
    std::size_t common = 0;
    for (const auto& g : groups) common += g.rare ? 0 : 1;
    if (groups.size() < 2 || common == 0) return;
    auto rate = [](const calibrate::CategoryGroup& g) { return static_cast<double>(g.won) / static_cast<double>(g.count); };
    for (const auto& g : groups) {
      if (g.rare) continue;
      // Two common groups are one rule and (but for the rare values) its complement: only the better
      // one is offered.
      if (common == 2) {
        const auto& other = *std::find_if(groups.begin(), groups.end(), [&](const auto& o) { return !o.rare && &o != &g; });
        if (rate(g) < rate(other)) continue;
      }
      std::set<std::string> in(g.values.begin(), g.values.end());
      std::string list;
      for (const auto& v : g.values) list += (list.empty() ? "" : ", ") + format::quote_string(spelling[v]);
      std::vector<std::uint8_t> m(rows, 0);
      for (std::size_t l = 0; l < rows; ++l) m[l] = !keys[l].empty() && in.count(keys[l]);
      offer(field, fmt::format("{} in [{}]", field, list), std::move(m));
    }
  }

  void boolean(const std::string& field, const engine::Column& column, std::size_t rows) {
    std::vector<std::uint8_t> yes(rows, 0), no(rows, 0);
    for (std::size_t l = 0; l < rows; ++l) {
      if (!column.valid[l]) continue;
      if (auto b = io::parse_bool(column.str[l]); b.has_value()) (b.value ? yes : no)[l] = 1;
    }
    // One rule and its complement: only the one that closes better is offered.
    std::uint64_t yes_won = 0, yes_count = 0, no_won = 0, no_count = 0;
    for (auto l : train_) {
      yes_count += yes[l];
      yes_won += yes[l] & label_[l];
      no_count += no[l];
      no_won += no[l] & label_[l];
    }
    if (static_cast<double>(yes_won) * static_cast<double>(no_count) >= static_cast<double>(no_won) * static_cast<double>(yes_count))
      offer(field, field, std::move(yes));
    else
      offer(field, "not " + field, std::move(no));
  }

 private:
  const std::vector<std::size_t>& train_;
  const std::vector<std::uint8_t>& label_;
  const SuggestRequest& req_;
  std::vector<Candidate>& out_;
};

RuleColumn column_of(const Candidate& c) {
  RuleColumn col;
  col.label = c.condition;
  col.matched = c.matched;
  col.feature.assign(c.matched.begin(), c.matched.end());
  return col;
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Linear predictor of a fit (log-odds; rules without a fitted weight count 0).
std::vector<double> linear_predictor(const calibrate::RuleFit& fit, const std::vector<RuleColumn>& cols,
                                     const std::vector<std::size_t>& rows) {
  std::vector<double> eta(rows.size(), fit.intercept);
  for (std::size_t j = 0; j < cols.size(); ++j) {
    const double w = fit.log_odds[j];
    if (!std::isfinite(w) || w == 0) continue;
    for (std::size_t i = 0; i < rows.size(); ++i) eta[i] += w * cols[j].feature[rows[i]];
  }
  return eta;
}

std::string unique_name(std::string name, const std::set<std::string>& taken) {
  if (!taken.count(name)) return name;
  for (int i = 2;; ++i)
    if (!taken.count(fmt::format("{}_{}", name, i))) return fmt::format("{}_{}", name, i);
}

// A rule's label from its condition: each string literal written as its text, without the quotes and
// escapes a label would otherwise have to escape once more (`region in ["EU", "a\"q"]` reads
// `region in [EU, a"q]`). The conditions hold no control characters (values with one are never
// suggested), so neither does the label.
std::string readable_label(std::string_view condition) {
  std::string out;
  bool quoted = false;
  for (std::size_t i = 0; i < condition.size(); ++i) {
    const char c = condition[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (quoted && c == '\\' && i + 1 < condition.size()) {
      const char e = condition[++i];
      out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
    } else {
      out += c;
    }
  }
  return out;
}

std::string unique_label(std::string label, const std::set<std::string>& taken) {
  if (!taken.count(label)) return label;
  for (int i = 2;; ++i)
    if (!taken.count(fmt::format("{} ({})", label, i))) return fmt::format("{} ({})", label, i);
}

// With activities and an activity type field, appends the probe section to the run's rules (compiled
// anew) so that loading the run evaluates each frequent type's counts and recency per lead.
bool add_activity_probes(const SuggestRequest& req, PreparedRun& run, ActivityProbes& probes, SuggestResult& result,
                         std::string& error) {
  const auto& cal = req.calibrate;
  if (!cal.inputs.activities || !run.program.has_activity) return true;
  const std::string wanted = req.activity_type_field.value_or("type");
  const auto& fields = run.program.activity_fields;
  auto field = std::find_if(fields.begin(), fields.end(), [&](const ir::Field& f) { return f.name == wanted; });
  if (field == fields.end() || field->type != ast::FieldType::String) {
    if (!req.activity_type_field) return true;
    error = fmt::format("--activity-type-field {}: the activity schema has no string field of that name", wanted);
    return false;
  }
  const auto type_field = static_cast<std::size_t>(field - fields.begin());
  constexpr std::size_t kMostTypes = 20;
  std::vector<std::string> types;
  std::size_t unwritable = 0;
  if (!frequent_activity_types(run.program, type_field, *cal.inputs.activities, cal.inputs.read.delimiter,
                               cal.min_support, kMostTypes, types, unwritable, error))
    return false;
  if (unwritable) {
    result.values_unwritable += unwritable;
    result.unwritable_in.push_back("activity " + field->name);
  }
  if (types.empty()) return true;
  // Number fields of the events (a quantity, an amount) are summed per type; a field marked as leaking
  // or excluded is not.
  std::vector<std::string> number_fields;
  for (const auto& f : fields) {
    if (f.type != ast::FieldType::Int && f.type != ast::FieldType::Number) continue;
    if (marked_as_leaking(run.program.source->line(f.pos.line)) ||
        std::find(req.exclude.begin(), req.exclude.end(), f.name) != req.exclude.end())
      continue;
    number_fields.push_back(f.name);
  }
  std::string section;
  probes = activity_probes(run.program, type_field, types, number_fields, section);
  std::string text = run.program.source->text();
  if (!text.empty() && text.back() != '\n') text += '\n';
  auto source = std::make_shared<SourceFile>(run.program.source->path(), text + "\n" + section);
  Diagnostics probe_diags;
  ast::RulesFile file = parse_rules(source, probe_diags);
  std::optional<ir::Program> program;
  if (!probe_diags.has_errors()) program = check_rules(file, probe_diags);
  if (!program) {
    error = "internal error: the activity probes do not compile";
    for (const auto& d : probe_diags.items())
      if (d.severity == Severity::Error) error += "; " + d.message;
    return false;
  }
  run.program = std::move(*program);
  run.graph = engine::compile_program(run.program);
  run.points = engine::written_points(run.graph);
  run.limits = engine::written_limits(run.graph);
  return true;
}

// Per sum probe (by probe index): its value per lead, the sum its rule compares (`S >= 0`), in one
// pass over the leads.
std::map<std::size_t, std::vector<double>> probe_sums(const PreparedRun& run, const ActivityProbes& probes) {
  std::map<std::size_t, std::vector<double>> out;
  std::vector<std::pair<std::size_t, engine::NodeIndex>> sums;
  for (const auto& s : run.graph.sections)
    if (s.name == probes.section)
      for (std::size_t i = 0; i < s.rules.size() && i < probes.probes.size(); ++i)
        if (probes.probes[i].is_sum) {
          sums.emplace_back(i, run.graph.lead_nodes[static_cast<std::size_t>(s.rules[i].condition)].args[0]);
          out[i].assign(run.leads.rows, 0.0);
        }
  if (sums.empty()) return out;
  for_each_batch(run, [&](const engine::BatchInput& batch, const engine::BatchState& state) {
    for (const auto& [probe, node] : sums) {
      const engine::ColumnView& v = state.view(node);
      auto& values = out[probe];
      for (std::size_t r = 0; r < batch.rows; ++r) values[batch.first_lead + r] = v.valid[r] ? v.num[r] : 0.0;
    }
  });
  return out;
}

}  // namespace

std::optional<std::string> section_name_problem(std::string_view name) {
  constexpr const char* kWhat = "a section name is a letter or _, then letters, digits or _ (such as suggested_rules)";
  if (is_reserved_word(name))
    return fmt::format("{}: `{}` is a keyword of the rules language, not a name; {}", name, name, kWhat);
  if (!is_name(name)) return fmt::format("\"{}\" is not a name: {}, and not a keyword", one_line(name), kWhat);
  return std::nullopt;
}

bool marked_as_leaking(std::string_view line) {
  auto hash = line.find('#');
  if (hash == std::string_view::npos) return false;
  std::string comment(line.substr(hash + 1));
  for (auto& c : comment) c = text::ascii_lower(c);
  auto at = comment.find("leaks");
  if (at == std::string::npos) return false;
  auto word_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  return (at == 0 || !word_char(comment[at - 1])) && (at + 5 == comment.size() || !word_char(comment[at + 5]));
}

bool run_suggest(const SuggestRequest& req, Diagnostics& diags, SuggestResult& result, std::string& error) {
  if (auto problem = section_name_problem(req.section)) {
    error = "--section " + *problem;
    return false;
  }
  const CalibrateRequest& cal = req.calibrate;
  RunInputs inputs = cal.inputs;
  inputs.use_calibration = false;
  LeadFacts facts;
  std::uint64_t no_cutoff = 0;
  inputs.before_events = [&](const ir::Program& program, engine::LeadTable& leads, std::string& err) {
    return read_lead_facts(cal, program, leads, facts, no_cutoff, err);
  };
  PreparedRun run;
  if (!prepare_rules(inputs, diags, run, error)) return false;
  if (auto refusal = refuse_account_sections(run, inputs.rules, "suggest")) {
    error = *refusal;
    return false;
  }
  const SourceFilePtr original_source = run.program.source;
  ActivityProbes probes;
  if (!add_activity_probes(req, run, probes, result, error)) return false;
  result.activity_types = probes.types.size();
  for (const auto* name : {&cal.outcomes.leads_column, &cal.outcomes.leads_amount_column, &cal.source_field,
                           &cal.cutoff_field, &cal.time_field})
    if (*name) inputs.read.extra_columns.push_back(column_for(run.program, **name));
  inputs.read.all_columns_extra = true;
  if (!load_run_data(inputs, run, error)) return false;
  const auto& leads = run.leads;
  const auto& program = run.program;
  const std::size_t n = leads.rows;

  // ---- closed leads and the time splits ---------------------------------------------------------
  // The test part is calibrate's; the training part is split by time once more: its older leads find
  // and fit the candidates, its newer (validation) leads choose among them, and the test part only
  // reports. With a closed_at and a time order that is a time, a lead whose outcome was known only
  // after the part that follows started is left out, as calibrate leaves it out.
  std::vector<std::size_t> closed;
  std::vector<std::uint8_t> label(n, 0);
  for (std::size_t l = 0; l < n; ++l)
    if (facts.status[l] == Status::Won || facts.status[l] == Status::Lost) {
      closed.push_back(l);
      label[l] = facts.status[l] == Status::Won;
    }
  const bool outcome_times = facts.has_closed_at_column && facts.time_kind == TimeKind::Instant;
  auto split_by_time = [&](const std::vector<std::size_t>& leads_in_order, double fraction,
                           std::vector<std::size_t>& older, std::vector<std::size_t>& newer) {
    calibrate::TimeSplit split = calibrate::time_split(pick(facts.time, leads_in_order), fraction);
    for (auto i : split.train) {
      const std::size_t l = leads_in_order[i];
      if (!(outcome_times && !split.test.empty() && facts.closed_at[l] >= split.test_start)) older.push_back(l);
    }
    for (auto i : split.test) newer.push_back(leads_in_order[i]);
  };
  // With cross-validation the candidates are found on the whole training part (`fit`) and chosen by the
  // mean AUC of its folds, each judged with the rules fitted on the others. Fold b holds every k-th
  // lead in time order from the b-th, so each fold spans the whole training period: a period whose
  // leads close unlike the others (a campaign, a change of market) weighs on every fold alike instead
  // of deciding alone, as one block of the newest leads would.
  const bool cross = req.choose_by == Chooser::CrossValidation;
  std::vector<std::size_t> train, test, fit, validation;
  split_by_time(closed, cal.test_fraction, train, test);
  std::vector<std::vector<std::size_t>> blocks, others;  // cross-validation: each fold, and the rest
  if (cross) {
    fit = train;
    std::vector<std::size_t> in_time = train;
    std::stable_sort(in_time.begin(), in_time.end(), [&](std::size_t a, std::size_t b) { return facts.time[a] < facts.time[b]; });
    const std::size_t k = std::max<std::size_t>(2, std::min(req.folds, in_time.size()));
    blocks.assign(k, {});
    others.assign(k, {});
    for (std::size_t i = 0; i < in_time.size(); ++i)
      for (std::size_t b = 0; b < k; ++b) (i % k == b ? blocks[b] : others[b]).push_back(in_time[i]);
  } else {
    split_by_time(train, req.validation_fraction, fit, validation);
  }
  auto both_classes = [&](const std::vector<std::size_t>& part) {
    std::size_t won = 0;
    for (auto l : part) won += label[l];
    return won > 0 && won < part.size();
  };
  if (cross && (!both_classes(train) || !both_classes(test))) {
    error = fmt::format("cannot suggest: the training part ({} leads) and the test part ({} leads) each need won and "
                        "lost leads (check the outcomes, --won/--lost and --test-fraction)",
                        train.size(), test.size());
    return false;
  }
  if (!cross && (!both_classes(fit) || !both_classes(validation) || !both_classes(test))) {
    error = fmt::format("cannot suggest: the older training leads ({}), the validation part ({} leads) and the test "
                        "part ({} leads) each need won and lost leads (check the outcomes, --won/--lost, "
                        "--test-fraction and --validation-fraction)",
                        fit.size(), validation.size(), test.size());
    return false;
  }
  result.train = train.size();
  result.test = test.size();
  result.fit = fit.size();
  result.validation = cross ? train.size() : validation.size();
  result.folds = blocks.size();
  {
    std::size_t won = 0;
    for (auto l : fit) won += label[l];
    result.base_rate = static_cast<double>(won) / static_cast<double>(fit.size());
  }

  // ---- candidates from every usable lead field --------------------------------------------------
  std::set<std::string> not_features;  // columns that are outcomes, times or sources, not lead traits
  for (const auto* name : {&cal.outcomes.leads_column, &cal.outcomes.leads_amount_column, &cal.time_field,
                           &cal.cutoff_field})
    if (*name) not_features.insert(column_for(program, **name));
  std::vector<Candidate> candidates;
  CandidateMaker maker(fit, label, req, candidates);
  for (std::size_t f = 0; f < program.lead_fields.size(); ++f) {
    const ir::Field& field = program.lead_fields[f];
    if (static_cast<std::int32_t>(f) == program.lead_id_field || field.from_row_number) continue;
    const bool excluded = std::find(req.exclude.begin(), req.exclude.end(), field.name) != req.exclude.end();
    if (excluded || marked_as_leaking(program.source->line(field.pos.line))) {
      result.fields_skipped.push_back(field.name);
      continue;
    }
    if (not_features.count(field.column)) continue;
    const engine::Column* column = engine::extra_column(leads, field.column);
    if (!column) continue;
    result.fields_used.push_back(field.name);
    switch (field.type) {
      case ast::FieldType::Int:
      case ast::FieldType::Number:
        maker.numeric(field.name, field.name, field.type == ast::FieldType::Int, numeric_values(field, *column, leads));
        break;
      case ast::FieldType::Date:
      case ast::FieldType::Timestamp:
        // Days since it, then the calendar: days of the week and months in contiguous groups
        // (`day_of_week(created_at) >= 6`, `month(created_at) between 3 and 5`), hours of a timestamp.
        for (DatePart part : {DatePart::DaysSince, DatePart::DayOfWeek, DatePart::Month, DatePart::Hour}) {
          if (part == DatePart::Hour && field.type == ast::FieldType::Date) continue;
          maker.numeric(field.name, fmt::format("{}({})", date_part_name(part), field.name), true,
                        numeric_values(field, *column, leads, part));
        }
        break;
      case ast::FieldType::String:
        if (const std::size_t left_out = maker.text(field.name, *column, n)) {
          result.values_unwritable += left_out;
          result.unwritable_in.push_back(field.name);
        }
        break;
      case ast::FieldType::Bool: maker.boolean(field.name, *column, n); break;
      case ast::FieldType::Id: break;
    }
  }

  // ---- greedy forward selection on the validation AUC -------------------------------------------
  calibrate::RuleFitOptions fit_options;
  fit_options.l2 = cal.l2;
  fit_options.pdo = cal.pdo;
  fit_options.min_support = cal.min_support;
  std::vector<RuleColumn> cols = rule_columns(run);
  {
    // The probe section's columns are what the engine saw of each activity type: candidates, not rules.
    auto probe_cols = std::stable_partition(cols.begin(), cols.end(),
                                            [&](const RuleColumn& c) { return c.section != probes.section; });
    std::vector<RuleColumn> probed(std::make_move_iterator(probe_cols), std::make_move_iterator(cols.end()));
    auto sums = probe_sums(run, probes);
    cols.erase(probe_cols, cols.end());
    for (std::size_t i = 0; i < probed.size() && i < probes.probes.size(); ++i) {
      const ActivityProbe& p = probes.probes[i];
      if (p.is_count) maker.count(p.type, p.expression, probed[i].feature);
      else if (p.is_sum) maker.numeric(p.type, p.expression, false, sums[i]);
      else maker.offer(p.type, p.expression, std::move(probed[i].matched));
    }
    result.candidates = candidates.size();
  }
  const std::size_t written = cols.size();
  // The AUC on `judged` of the rules fitted on `fitted`.
  auto fitted_auc = [&](const std::vector<RuleColumn>& c, const std::vector<std::size_t>& fitted,
                        const std::vector<std::size_t>& judged, calibrate::RuleFit& fitting) {
    fitting = calibrate::fit_rules(c, fitted, label, fit_options);
    const double a = calibrate::auc(linear_predictor(fitting, c, judged), pick(label, judged));
    return std::isnan(a) ? 0.5 : a;
  };
  // What chooses: the AUC of leads the rules were not fitted on (the mean over the folds, or the
  // validation part's).
  auto held_out_auc = [&](const std::vector<RuleColumn>& c) {
    calibrate::RuleFit fitting;
    if (!cross) return fitted_auc(c, fit, validation, fitting);
    double sum = 0;
    std::size_t judged = 0;
    for (std::size_t b = 0; b < blocks.size(); ++b) {
      fitting = calibrate::fit_rules(c, others[b], label, fit_options);
      const double a = calibrate::auc(linear_predictor(fitting, c, blocks[b]), pick(label, blocks[b]));
      if (!std::isnan(a)) sum += a, ++judged;
    }
    return judged ? sum / static_cast<double>(judged) : 0.5;
  };
  calibrate::RuleFit current = calibrate::fit_rules(cols, fit, label, fit_options);  // ranks the candidates
  double best_auc = held_out_auc(cols);
  result.validation_before = best_auc;
  std::vector<bool> used(candidates.size(), false);
  // Score test of each unused candidate from `first` on against the current fit, on the fit part:
  // the most promising first.
  auto rank_candidates = [&](std::size_t first) {
    const auto eta = linear_predictor(current, cols, fit);
    std::vector<std::pair<double, std::size_t>> ranked;
    for (std::size_t c = first; c < candidates.size(); ++c) {
      if (used[c]) continue;
      double u = 0, info = 0;
      for (std::size_t i = 0; i < fit.size(); ++i) {
        if (!candidates[c].matched[fit[i]]) continue;
        const double p = sigmoid(eta[i]);
        u += label[fit[i]] - p;
        info += p * (1 - p);
      }
      if (info > 0) ranked.emplace_back(u * u / info, c);
    }
    std::sort(ranked.begin(), ranked.end(), std::greater<>());
    return ranked;
  };
  // Greedy forward selection among the candidates from `first` on.
  auto select = [&](std::size_t first) {
    constexpr std::size_t kTried = 5;  // candidates fitted per step, the most promising by score test
    while (result.suggestions.size() < req.max_rules) {
      const auto ranked = rank_candidates(first);
      std::size_t best = candidates.size();
      double step_auc = best_auc;
      for (std::size_t r = 0; r < ranked.size() && r < kTried; ++r) {
        auto trial = cols;
        trial.push_back(column_of(candidates[ranked[r].second]));
        const double a = held_out_auc(trial);
        if (a > step_auc) {
          step_auc = a;
          best = ranked[r].second;
        }
      }
      if (best == candidates.size() || step_auc - best_auc < req.min_gain) break;
      used[best] = true;
      cols.push_back(column_of(candidates[best]));
      Suggestion s;
      s.condition = candidates[best].condition;
      s.field = candidates[best].field;
      s.evidence = candidates[best].evidence;
      s.auc_gain = step_auc - best_auc;
      result.suggestions.push_back(std::move(s));
      best_auc = step_auc;
      current = calibrate::fit_rules(cols, fit, label, fit_options);
    }
  };
  // The most promising single conditions against the current rules alone: what pairs are made of.
  std::vector<std::size_t> pair_parts;
  if (req.two_conditions) {
    constexpr std::size_t kPairParts = 10;
    for (const auto& [score, c] : rank_candidates(0))
      if (pair_parts.size() < kPairParts) pair_parts.push_back(c);
  }
  select(0);
  // Then two conditions on different fields (a depth-2 split: A, then B among the leads A matches),
  // kept only where the interaction lifts the validation AUC beyond the single conditions kept.
  const std::size_t singles = candidates.size();
  for (std::size_t i = 0; i < pair_parts.size(); ++i)
    for (std::size_t j = i + 1; j < pair_parts.size(); ++j) {
      const Candidate& a = candidates[pair_parts[i]];
      const Candidate& b = candidates[pair_parts[j]];
      if (a.field == b.field) continue;
      std::vector<std::uint8_t> both(n);
      for (std::size_t l = 0; l < n; ++l) both[l] = a.matched[l] & b.matched[l];
      maker.offer(a.field + " and " + b.field, a.condition + " and " + b.condition, std::move(both));
    }
  used.resize(candidates.size(), false);
  result.pair_candidates = candidates.size() - singles;
  result.candidates = candidates.size();
  select(singles);
  result.validation_after = best_auc;

  // ---- the test part: fitted on the whole training part, as calibrate fits, before and after -------
  {
    calibrate::RuleFit before;
    result.auc_before = fitted_auc(std::vector<RuleColumn>(cols.begin(), cols.begin() + static_cast<std::ptrdiff_t>(written)),
                                   train, test, before);
    result.auc_after = result.suggestions.empty() ? result.auc_before : fitted_auc(cols, train, test, current);
  }

  // ---- points and the rules text -----------------------------------------------------------------
  const double factor = cal.pdo / std::numbers::ln2;
  std::set<std::string> labels, names;
  for (const auto& s : program.sections) {
    names.insert(s.name);
    for (const auto& r : s.rules) labels.insert(r.label);
    for (const auto& m : s.multipliers) labels.insert(m.label);
  }
  for (const auto& g : program.gates) {
    names.insert(g.name);
    for (const auto& c : g.criteria) labels.insert(c.label);
  }
  for (const auto& c : program.classifies) names.insert(c.name);
  for (const auto& l : program.lists) names.insert(l.name);
  for (const auto& f : program.lead_fields) names.insert(f.name);
  {
    // Lets are inlined in the program: their names are in the syntax tree only.
    Diagnostics parse_diags;
    const ast::RulesFile file = parse_rules(original_source, parse_diags);
    for (const auto& d : file.declarations)
      if (const auto* let = std::get_if<ast::LetDecl>(&d)) names.insert(let->name);
  }
  for (std::size_t i = 0; i < result.suggestions.size(); ++i) {
    auto& s = result.suggestions[i];
    const double w = current.log_odds[written + i];
    double points = std::isfinite(w) ? std::round(factor * w) : 0;
    if (points == 0) points = w < 0 ? -1 : 1;
    s.points = points;
    s.label = unique_label(readable_label(s.condition), labels);
    labels.insert(s.label);
  }
  std::string text = original_source->text();
  if (!text.empty() && text.back() != '\n') text += '\n';
  if (!result.suggestions.empty()) {
    text += "\n# Suggested by `leadscore suggest`: review each rule before adopting it, then run `leadscore calibrate`.\n";
    if (cross)
      text += fmt::format(
          "# Found on the {} closed leads of the training part (base close rate {}), each kept because it raised the\n"
          "# AUC of leads it was not fitted on ({}-fold cross-validation over the training part).\n",
          result.fit, pct(result.base_rate), result.folds);
    else
      text += fmt::format(
          "# Found on the {} oldest closed leads (base close rate {}), each kept because it raised the AUC of the\n"
          "# {} newer ones (validation).\n",
          result.fit, pct(result.base_rate), result.validation);
    text += fmt::format(
        "# Test AUC on the {} newest leads, which had no say: {:.4f} with the rules above, {:.4f} with these added\n"
        "# (fitted on the {} leads before them).\n",
        result.test, result.auc_before, result.auc_after, result.train);
    text += fmt::format("score {} {{\n", unique_name(req.section, names));
    for (const auto& s : result.suggestions) {
      const auto& e = s.evidence;
      text += fmt::format("  # {} leads, close rate {} (95% interval {} to {}), lift {:.2f}; {} AUC +{:.4f}\n",
                          e.matched, pct(e.close_rate), pct(e.wilson.low), pct(e.wilson.high), e.lift,
                          cross ? "held-out" : "validation", s.auc_gain);
      text += fmt::format("  rule {} when {} points {}\n", format::quote_string(s.label), s.condition,
                          io::format_number(s.points));
    }
    text += "}\n";
  }
  auto source = std::make_shared<SourceFile>(original_source->path(), text);
  Diagnostics format_diags;
  auto formatted = format::format_source(source, format_diags);
  if (!formatted) {
    error = "internal error: the suggested rules do not parse";
    for (const auto& d : format_diags.items()) error += "; " + d.message;
    return false;
  }
  result.text = *formatted;
  return true;
}

calibrate::SuggestionSummary suggestion_summary(const SuggestResult& r, const std::string& rules_path) {
  calibrate::SuggestionSummary s;
  s.ruleset = rules_path;
  s.fit = r.fit;
  s.validation = r.validation;
  s.folds = r.folds;
  s.test = r.test;
  s.base_rate = r.base_rate;
  s.validation_before = r.validation_before;
  s.validation_after = r.validation_after;
  s.test_before = r.auc_before;
  s.test_after = r.auc_after;
  for (const auto& g : r.suggestions) s.rules.push_back({g.label, g.condition, g.points, g.evidence, g.auc_gain});
  return s;
}

std::string format_suggest_summary(const SuggestResult& r) {
  std::string s =
      r.folds ? fmt::format("train {} closed leads (base close rate {}): rules found on all of them and chosen by "
                            "{}-fold cross-validation; test {} newest leads\n",
                            r.train, pct(r.base_rate), r.folds, r.test)
              : fmt::format("train {} closed leads: {} older to find rules (base close rate {}), {} newer to choose "
                            "them; test {} newest leads\n",
                            r.train, r.fit, pct(r.base_rate), r.validation, r.test);
  s += fmt::format("{} candidate rules{} from {} fields{}{}\n", r.candidates,
                   r.pair_candidates ? fmt::format(" ({} of two conditions)", r.pair_candidates) : "",
                   r.fields_used.size(), r.activity_types ? fmt::format(" and {} activity types", r.activity_types) : "",
                   r.fields_skipped.empty() ? "" : fmt::format(" (not used: {})", fmt::join(r.fields_skipped, ", ")));
  if (r.values_unwritable)
    s += fmt::format("not suggested: {} value{} holding a line break, tab or control character ({}), which no list "
                     "entry or label may hold\n",
                     r.values_unwritable, r.values_unwritable == 1 ? "" : "s", fmt::join(r.unwritable_in, ", "));
  s += fmt::format("{} AUC: {:.4f} with the current rules, {:.4f} with {} suggested rules\n",
                   r.folds ? "held-out (cross-validated)" : "validation", r.validation_before, r.validation_after,
                   r.suggestions.size());
  s += fmt::format("test AUC: {:.4f} with the current rules, {:.4f} with {} suggested rules\n", r.auc_before,
                   r.auc_after, r.suggestions.size());
  for (const auto& g : r.suggestions)
    s += fmt::format("  +{:.4f}  {:>5} points  {}  ({} leads, close rate {}, lift {:.2f})\n", g.auc_gain,
                     io::format_number(g.points), g.condition, g.evidence.matched, pct(g.evidence.close_rate),
                     g.evidence.lift);
  return s;
}

}  // namespace leadscore::jobs

#include "jobs/score_job.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "common/escape.hpp"
#include "common/utf8.hpp"
#include "jobs/weights_check.hpp"
#include "jobs/account_results.hpp"
#include "jobs/batches.hpp"
#include "jobs/handoff_clock.hpp"
#include "jobs/output_columns.hpp"
#include "jobs/previous_run.hpp"
#include "jobs/unreadable_values.hpp"
#include "jobs/reasons.hpp"
#include "jobs/run_inputs.hpp"
#include "io/atomic_file.hpp"
#include "io/csv_writer.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;
using namespace leadscore::calibrate;

namespace {

class RejectsFile {
 public:
  bool open(const std::optional<std::string>& path, std::string& error) {
    if (!path) return true;
    if (!writer_.open(*path, error)) return false;
    open_ = true;
    writer_.write("line,reason,record\n");  // a failed write is reported, with its reason, at commit
    return true;
  }
  void add(const RejectedRow& row) {
    if (!open_) return;
    buffer_.clear();
    buffer_ += std::to_string(row.line);
    buffer_ += ',';
    io::append_csv_text(buffer_, row.reason, safety);
    buffer_ += ',';
    io::append_csv_text(buffer_, clean_utf8(row.raw) ? row.raw : repair_utf8(row.raw), safety);
    buffer_ += '\n';
    writer_.write(buffer_);
  }
  // The writer to publish together with the scores, or null without --rejects.
  io::AtomicFileWriter* writer() { return open_ ? &writer_ : nullptr; }
  io::CsvSafety safety = io::CsvSafety::SpreadsheetSafe;

 private:
  io::AtomicFileWriter writer_;
  std::string buffer_;
  bool open_ = false;
};

// The scores, the rejects and the changes are published together or not at all: a rejects file that
// cannot be written must not leave new scores beside old rejects (the rejected rows would be in neither).
// Every output of the run, published together: all of them or none.
bool commit_outputs(io::AtomicFileWriter& out, RejectsFile& rejects, io::AtomicFileWriter* changes,
                    io::AtomicFileWriter* accounts, std::string& error) {
  io::AtomicFileWriter* r = rejects.writer();
  std::vector<io::AtomicFileWriter*> all{&out};
  for (io::AtomicFileWriter* w : {r, changes, accounts})
    if (w) all.push_back(w);
  return all.size() == 1 ? out.commit(error) : io::commit_all(all, error);
}

void report_accounts(const PreparedRun& run, ScoreReport& report) {
  const AccountState& a = run.accounts;
  report.has_accounts = true;
  report.accounts = a.accounts;
  for (std::size_t g = 0; g < a.accounts; ++g) report.leads_in_accounts += static_cast<std::uint64_t>(a.leads_in[g]);
  report.leads_without_key = a.leads_without_key;
  report.leads_excluded = a.leads_excluded;
  report.had_accounts_file = run.program.has_account_schema;
  report.account_rows_read = run.account_rows_read;
  report.accounts_not_in_file = a.accounts_not_in_file;
  report.file_accounts_without_leads = a.file_accounts_without_leads;
  report.account_rejects = run.account_rejects;
}

// Keeps the `n` highest scores seen by one thread (ties: earlier lead first).
void collect_top(const PreparedRun& run, const BatchInput& batch, const BatchState& state, std::size_t n,
                 std::vector<TopLead>& top, LeadRecord& record) {
  const Graph& graph = run.graph;
  const std::size_t first = batch.first_lead, rows = batch.rows;
  const double* scores = state.view(graph.score).num;
  auto worse = [](const TopLead& a, const TopLead& b) {
    return a.score != b.score ? a.score > b.score : a.ordinal < b.ordinal;
  };
  for (std::size_t r = 0; r < rows; ++r) {
    if (top.size() == n && !(scores[r] > top.front().score)) continue;
    record_lead(graph, *batch.points, batch, state, r, record);
    TopLead lead{scores[r], first + r, std::string(run.leads.ids[first + r]), {},
                 reasons_text(reasons_of(graph, record))};
    for (std::size_t c = 0; c < graph.classifies.size(); ++c) {
      const auto& v = state.view(graph.classifies[c].value);
      if (v.valid[r]) lead.classes += fmt::format("{}{} {}", lead.classes.empty() ? "" : ", ", graph.classifies[c].name, v.str[r]);
    }
    if (graph.has_mql) lead.classes += fmt::format("{}mql {}", lead.classes.empty() ? "" : ", ",
                                                   state.view(graph.mql).truth[r] == kTrue ? "true" : "false");
    top.push_back(std::move(lead));
    std::push_heap(top.begin(), top.end(), worse);
    if (top.size() > n) {
      std::pop_heap(top.begin(), top.end(), worse);
      top.pop_back();
    }
  }
}

void report_unparseable(const ir::Program& program, const LeadTable& leads, ScoreReport& report) {
  for (std::size_t f = 0; f < program.lead_fields.size(); ++f)
    if (f < leads.unparseable.size() && leads.unparseable[f] > 0) {
      const auto& field = program.lead_fields[f];
      UnreadableColumn u;
      u.column = field.name == field.column ? field.name : fmt::format("{} (column \"{}\")", field.name, field.column);
      u.count = leads.unparseable[f];
      u.examples = leads.unreadable[f];
      u.lacks_zone = field.type == ast::FieldType::Timestamp && !u.examples.empty() &&
                     lacks_zone(u.examples[0].text, field.zone);
      report.unparseable.push_back(std::move(u));
    }
}

std::string now_utc_seconds() {
  const auto now = std::chrono::system_clock::now();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  return io::format_timestamp(static_cast<std::int64_t>(seconds) * 1'000'000);
}

}  // namespace

bool run_score(const ScoreRequest& request, Diagnostics& diags, ScoreReport& report, std::string& error) {
  auto started = std::chrono::steady_clock::now();
  const std::string scored_at = now_utc_seconds();
  auto refuse = [&](std::string reason) {
    error = "refused to publish: " + reason + "; the previous outputs are left as they were";
    report.refused = std::move(reason);
    return false;
  };
  RejectsFile rejects;
  rejects.safety = request.csv_safety;
  if (!rejects.open(request.rejects, error)) return false;
  RunInputs inputs;
  inputs.rules = request.rules;
  inputs.leads = request.leads;
  inputs.activities = request.activities;
  inputs.accounts = request.accounts;
  inputs.as_of = request.as_of;
  inputs.read = request.read;
  inputs.threads = request.threads;
  inputs.outputs.push_back({request.out, "--out " + request.out});
  if (request.rejects) inputs.outputs.push_back({*request.rejects, "--rejects " + *request.rejects});
  if (request.changes_out) inputs.outputs.push_back({*request.changes_out, "--changes-out " + *request.changes_out});
  if (request.accounts_out) inputs.outputs.push_back({*request.accounts_out, "--accounts-out " + *request.accounts_out});
  inputs.allow_other_ruleset = request.allow_other_ruleset;
  PreparedRun run;
  if (!prepare_rules(inputs, diags, run, error)) return false;
  const ir::Program* program = &run.program;
  const Graph& graph = run.graph;
  report.ruleset = program->name;
  report.version = program->version;
  report.content_hash = program->content_hash;
  report.has_mql = graph.has_mql;
  for (const auto& r : graph.routes) report.route_labels.push_back(r.label);
  if (auto reason = refuse_without_activities(graph, request.activities.has_value(), request.guards))
    return refuse(*reason);

  OutputColumnOptions column_options;
  column_options.calibrated = run.weights != nullptr;
  column_options.previous = request.previous.has_value();
  column_options.stamps = request.stamps;
  column_options.keep = request.keep;
  column_options.reasons = request.explain;
  column_options.renames = request.renames;
  OutputColumns columns;
  if (!plan_output_columns(*program, graph, column_options, columns, error)) return false;
  report.warnings = columns.warnings;
  inputs.read.extra_columns.insert(inputs.read.extra_columns.end(), request.keep.begin(), request.keep.end());

  // Once the leads are read: refuse a run with nothing (or little) to score, then join last night's
  // output, whose route entries the events pass needs for `response activity`.
  std::optional<std::string> refused;
  report.has_previous = request.previous.has_value();
  std::vector<std::string> rejected_ids;  // the ids of rejected rows, as far as they could be read
  inputs.before_events = [&](const ir::Program&, LeadTable& leads, std::string& hook_error) {
    report.leads_read = true;
    report.rows_read = leads.rows_read;
    report.scored = leads.rows;
    report.rejected = leads.rows_rejected;
    report_unparseable(*program, leads, report);
    if ((refused = refuse_leads(leads.rows_read, leads.rows, leads.rows_rejected, request.guards))) return false;
    if (request.previous) {
      std::sort(rejected_ids.begin(), rejected_ids.end());
      if (!read_previous_run(*request.previous, columns, leads, rejected_ids, report.previous, hook_error)) return false;
      HandoffClock clock(*program, leads, columns, &report.previous, request.as_of);
      leads.since = clock.response_since();
    }
    return true;
  };
  if (!load_run_data(inputs, run, error, [&](const RejectedRow& row) {
        rejects.add(row);
        if (request.previous && !row.id.empty()) rejected_ids.emplace_back(row.id);
      }))
    return refused ? refuse(*refused) : false;
  const LeadTable& leads = run.leads;
  report.had_activities = run.had_activities;
  report.leads_seconds = run.leads_seconds;
  report.events_seconds = run.events_seconds;
  report.events = run.events;
  for (std::size_t f = 0; f < program->activity_fields.size(); ++f)
    if (f < run.events.unparseable.size() && run.events.unparseable[f] > 0)
      report.activity_unparseable.push_back(fmt::format(
          "{} {}{}", program->activity_fields[f].name, run.events.unparseable[f],
          f < run.events.unparseable_example.size()
              ? unreadable_example(program->activity_fields[f].type, 0, run.events.unparseable_example[f],
                                   program->activity_fields[f].zone)
              : ""));
  if (request.activities)
    if (auto reason = refuse_stale_events(graph, run.events, request.as_of, request.guards)) return refuse(*reason);
  for (std::size_t f = 0; f < program->lead_fields.size(); ++f)
    if (leads.invalid_text[f] > 0) report.invalid_text.emplace_back(program->lead_fields[f].name, leads.invalid_text[f]);
  for (std::size_t f = 0; f < run.events.invalid_text.size(); ++f)
    if (run.events.invalid_text[f] > 0)
      report.invalid_text.emplace_back("activity " + program->activity_fields[f].name, run.events.invalid_text[f]);

  auto scoring_started = std::chrono::steady_clock::now();

  CloseColumns close;
  if (run.weights) close_columns(*run.weights, run.program, leads, close);
  const PreviousRun* previous = request.previous ? &report.previous : nullptr;
  std::optional<HandoffClock> clock;
  if (!graph.routes.empty()) clock.emplace(*program, leads, columns, previous, request.as_of);
  RowSources sources;
  sources.leads = &leads;
  sources.close = run.weights ? &close : nullptr;
  sources.previous = previous;
  sources.clock = clock ? &*clock : nullptr;
  for (const auto& name : request.keep) sources.keep.push_back(extra_column(leads, name));
  sources.as_of = request.as_of;
  sources.scored_at = scored_at;
  sources.min_change = request.min_change;
  sources.reasons_max = request.reasons_max;
  sources.safety = request.csv_safety;
  ResultWriter writer(*program, graph, columns, request.format, std::move(sources));
  io::AtomicFileWriter out;
  if (!out.open(request.out, error)) return false;
  bool ok = out.write(writer.header());
  std::unique_ptr<io::AtomicFileWriter> changes;
  if (request.changes_out) {
    changes = std::make_unique<io::AtomicFileWriter>();
    if (!changes->open(*request.changes_out, error)) return false;
    ok = changes->write(writer.header()) && ok;
  }

  // Each thread evaluates a run of consecutive batches into its own buffers; buffers are written in
  // order. Per-thread results are cache-line aligned: threads appending to neighbouring string
  // headers or counters would otherwise fight over the same cache line on every row.
  struct alignas(64) Worker {
    RowBuffers buffers;
    std::vector<TopLead> top;
    LeadRecord record;
  };
  const std::size_t slots = batch_slots(run, run.threads);
  report.threads_used = run.threads;
  std::vector<std::unique_ptr<Worker>> workers;
  for (std::size_t t = 0; t < slots; ++t) {
    workers.push_back(std::make_unique<Worker>());
    workers.back()->buffers.tally.init(graph);
  }
  std::optional<AccountCollector> account_collector;
  if (request.accounts_out) {
    if (!graph.has_accounts) {
      error = fmt::format("--accounts-out {}: {} has no `account key`, so there are no accounts to write",
                          *request.accounts_out, request.rules);
      return false;
    }
    account_collector.emplace(run, slots, 3);
  }
  auto last_progress = std::chrono::steady_clock::now();
  std::size_t written_leads = 0;
  report.non_finite = for_each_batch_parallel(
      run, run.threads,
      [&](std::size_t t, const BatchInput& batch, const BatchState& state) {
        Worker& w = *workers[t];
        writer.append_rows(batch, state, w.buffers);
        if (account_collector) account_collector->visit(t, batch, state);
        if (request.top > 0) collect_top(run, batch, state, request.top, w.top, w.record);
      },
      [&](std::size_t first_slot, std::size_t used) {
        for (std::size_t t = first_slot; t < first_slot + used; ++t) {
          RowBuffers& b = workers[t]->buffers;
          if (clock) writer.fill_owners(b, *clock);  // round-robin owners in input order
          ok = out.write(b.out) && ok;
          b.out.clear();
          if (changes) ok = changes->write(b.changes) && ok;
          b.changes.clear();
        }
        written_leads = std::min(leads.rows, written_leads + used * 4 * kBatchSize);
        if (request.progress) {
          auto now = std::chrono::steady_clock::now();
          if (now - started > std::chrono::seconds(1) && now - last_progress > std::chrono::milliseconds(200)) {
            last_progress = now;
            std::fprintf(stderr, "\rscoring: %zu of %zu leads", written_leads, leads.rows);
          }
        }
      });
  if (request.progress && std::chrono::steady_clock::now() - started > std::chrono::seconds(1))
    std::fprintf(stderr, "\r\033[K");
  report.tally.init(graph);
  for (const auto& w : workers) report.tally.add(w->buffers.tally);
  report.changes_written = report.tally.changed;
  // A lead whose row is rejected tonight keeps last night's row, so that the CRM keeps its values and
  // the next run still carries its mql_since and route clock.
  std::string carried;
  for (const auto& lead : report.previous.rejected) writer.append_carried(lead, carried);
  ok = out.write(carried) && ok;
  if (changes) {
    std::string gone;
    for (const auto& g : report.previous.gone) writer.append_gone(g, gone);
    ok = changes->write(gone) && ok;
  }
  // A failed write (ok false) makes the commit fail with its reason: "cannot write out.csv: No space left on device".
  std::unique_ptr<io::AtomicFileWriter> accounts_out;
  if (account_collector) {
    accounts_out = std::make_unique<io::AtomicFileWriter>();
    if (!accounts_out->open(*request.accounts_out, error)) return false;
    const auto results = account_collector->results();
    for (const auto& a : results) report.mqa_accounts += a.mqa;
    ok = accounts_out->write(accounts_csv(run, results, request.csv_safety)) && ok;
  }
  if (graph.has_accounts) report_accounts(run, report);
  if (!commit_outputs(out, rejects, changes.get(), accounts_out.get(), error)) return false;

  for (std::size_t c = 0; c < graph.classifies.size(); ++c) {
    std::vector<std::pair<std::string, std::uint64_t>> counts;
    const auto& plan = graph.classifies[c];
    for (std::size_t b = 0; b < plan.branches.size(); ++b) counts.emplace_back(plan.branches[b].value, report.tally.classify[c][b]);
    if (report.tally.classify[c].back() > 0) counts.emplace_back("(none)", report.tally.classify[c].back());
    report.classify_counts.emplace_back(plan.name, std::move(counts));
  }
  for (auto& w : workers) report.top.insert(report.top.end(), w->top.begin(), w->top.end());
  std::stable_sort(report.top.begin(), report.top.end(), [](const TopLead& a, const TopLead& b) {
    return a.score != b.score ? a.score > b.score : a.ordinal < b.ordinal;
  });
  if (report.top.size() > request.top) report.top.resize(request.top);
  report.previous.values.clear();  // the per-lead values are not needed any more
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.scoring_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - scoring_started).count();
  return true;
}

namespace {

std::string quoted_cell(const std::string& text) {
  std::string shown = text.size() > 40 ? text.substr(0, 37) + "..." : text;
  return fmt::format("\"{}\"", one_line(shown));  // a value never starts a line of its own
}

void append_run_over_run(std::string& s, const ScoreRequest& request, const ScoreReport& r) {
  const PreviousRun& p = r.previous;
  if (p.first_run) {
    s += fmt::format("previous: {} is empty: a first run, every lead is new\n", p.path);
    return;
  }
  s += fmt::format("previous: {}: {} rows, {} leads matched, {} new tonight, {} gone from the export", p.path, p.rows,
                   p.matched, r.tally.new_leads, p.gone.size());
  if (!p.gone.empty()) {
    s += " (";
    for (std::size_t i = 0; i < p.gone.size() && i < 5; ++i) s += (i ? ", " : "") + p.gone[i].id;
    s += p.gone.size() > 5 ? ", ...)" : ")";
  }
  s += '\n';
  if (!p.rejected.empty()) {
    s += fmt::format("  {} more {} a row rejected tonight; last night's row is carried into the output (export_change "
                     "= rejected): ",
                     p.rejected.size(), p.rejected.size() == 1 ? "has" : "have");
    for (std::size_t i = 0; i < p.rejected.size() && i < 5; ++i) s += (i ? ", " : "") + p.rejected[i].id;
    s += p.rejected.size() > 5 ? ", ...\n" : "\n";
  }
  if (p.skipped)
    s += fmt::format("  {} rows skipped (wrong number of fields, broken quoting or no id; first on line {}){}\n", p.skipped,
                     fmt::join(p.skipped_lines, ", "),
                     p.unread_matched ? fmt::format("; {} of them name a lead of tonight, which is not new but has "
                                                    "unknown previous values", p.unread_matched)
                                      : "");
  if (p.duplicates) s += fmt::format("  {} rows repeat an id (the first row of each id is used)\n", p.duplicates);
  if (!p.missing.empty())
    s += fmt::format("  columns not in the previous file (their previous values are empty): {}\n", fmt::join(p.missing, ", "));
  for (const auto& [column, count] : p.unreadable)
    s += fmt::format("  unreadable previous values (treated as missing): {} {}\n", column, count);
  if (!p.ruleset_version.empty() && p.ruleset_version != r.version)
    s += fmt::format("  note: the previous output was written by ruleset version {}, tonight's is {}: score changes "
                     "include that rules change\n",
                     p.ruleset_version, r.version);
  else if (!p.ruleset_hash.empty() && p.ruleset_hash != r.content_hash)
    s += fmt::format("  note: the previous output was written by rules with content hash {}, tonight's is {}: score "
                     "changes include that rules change\n",
                     p.ruleset_hash, r.content_hash);
  if (p.matched == 0 && p.rows > 0)
    s += "  warning: no lead of the previous file is in tonight's export: is it the output of this export?\n";
  std::uint64_t gone_mql = 0;
  for (const auto& g : p.gone) gone_mql += g.mql;
  if (r.has_mql)
    s += fmt::format("mql since last run: {} new, {} lost{}\n", r.tally.mql_new, r.tally.mql_lost,
                     gone_mql ? fmt::format(" ({} more were MQL and are gone from the export)", gone_mql) : "");
  for (std::size_t c = 0; c < r.classify_counts.size() && c < r.tally.transitions.size(); ++c) {
    const auto& [name, counts] = r.classify_counts[c];
    const Transitions& t = r.tally.transitions[c];
    std::vector<std::string> heads;
    for (const auto& [value, count] : counts) heads.push_back(value);
    const std::size_t branches = r.tally.classify[c].size() - 1;
    std::vector<std::uint64_t> gone(t.from.size() + 1, 0);
    std::vector<std::string> from = t.from;
    for (const auto& g : p.gone) {
      std::string value = c < g.classify.size() && !g.classify[c].empty() ? g.classify[c] : "(none)";
      auto it = std::find(from.begin(), from.end(), value);
      if (it == from.end()) {
        from.push_back(value);
        gone.push_back(0);
        it = from.end() - 1;
      }
      ++gone[static_cast<std::size_t>(it - from.begin())];
    }
    std::size_t width = 12;
    for (const auto& f : from) width = std::max(width, f.size() + 2);
    for (const auto& h : heads) width = std::max(width, h.size() + 2);
    s += fmt::format("{} since last run (rows: last run, columns: tonight):\n  {:<{}}", name, "", width);
    for (const auto& h : heads) s += fmt::format("{:>{}}", h, width);
    if (!p.gone.empty()) s += fmt::format("{:>{}}", "(gone)", width);
    s += '\n';
    for (std::size_t i = 0; i < from.size(); ++i) {
      s += fmt::format("  {:<{}}", from[i], width);
      for (std::size_t b = 0; b < heads.size(); ++b) {
        const std::size_t to = b < branches ? b : branches;  // "(none)" is the last count
        const std::uint64_t n = i < t.counts.size() ? t.counts[i][to] : 0;
        s += fmt::format("{:>{}}", n, width);
      }
      if (!p.gone.empty()) s += fmt::format("{:>{}}", gone[i], width);
      s += '\n';
    }
  }
  s += fmt::format("changed since last run: {} leads{}\n", r.tally.changed,
                   request.changes_out ? fmt::format(" (+ {} gone) written to {}", p.gone.size(), *request.changes_out) : "");
}

}  // namespace

std::string format_summary(const ScoreRequest& request, const ScoreReport& r) {
  std::string s;
  s += fmt::format("ruleset \"{}\" version {} (content hash {})\n", r.ruleset, r.version, r.content_hash);
  for (const auto& w : r.warnings) s += fmt::format("warning: {}\n", w);
  if (!r.leads_read) return s;  // refused before the leads were read
  s += fmt::format("leads: {} rows read = {} scored + {} rejected{}\n", r.rows_read, r.scored, r.rejected,
                   r.rejected && request.rejects && !r.refused ? fmt::format(" (see {})", *request.rejects)
                   : r.rejected && request.rejects            ? " (not written: the run was refused)"
                   : r.rejected                               ? " (use --rejects FILE to keep them)"
                                                              : "");
  for (const auto& u : r.unparseable) {
    s += fmt::format("  unparseable values (treated as missing): {} {}", u.column, u.count);
    for (std::size_t i = 0; i < u.examples.size(); ++i)
      s += fmt::format("{} line {} {}", i ? "," : ":", u.examples[i].line, quoted_cell(u.examples[i].text));
    if (u.count > u.examples.size()) s += ", ...";
    if (u.lacks_zone) s += " (timestamps without a zone; say which zone they are in with `zone \"UTC\"` on the field)";
    s += '\n';
  }
  if (r.refused) return s;
  if (r.had_activities) {
    const auto& e = r.events;
    s += fmt::format("activities: {} events read, {} used, {} for unknown leads (ignored), {} at or after as-of, "
                     "{} without a readable time, {} malformed{}\n",
                     e.read, e.used, e.unknown_lead, e.not_before_as_of, e.bad_time, e.malformed,
                     e.used ? fmt::format("; newest used {}", io::format_timestamp(e.newest)) : "");
    for (const auto& u : r.activity_unparseable) s += fmt::format("  unparseable event values: {}\n", u);
  }
  for (const auto& [field, count] : r.invalid_text)
    s += fmt::format("  text cells with invalid UTF-8 or NUL (replaced by U+FFFD): {} {}\n", field, count);
  if (r.non_finite > 0)
    s += fmt::format("  values beyond the range of numbers (overflow; a sum is held at the largest number, "
                     "any other value is missing): {}\n",
                     r.non_finite);
  if (r.has_accounts) {
    auto plural = [](std::uint64_t n, const char* one, const char* many) { return fmt::format("{} {}", n, n == 1 ? one : many); };
    s += fmt::format("accounts: {} of {}; {} alone ({} without a key, {} excepted or free-mail){}\n",
                     plural(r.accounts, "account", "accounts"), plural(r.leads_in_accounts, "lead", "leads"),
                     plural(r.leads_without_key + r.leads_excluded, "lead stands", "leads stand"), r.leads_without_key,
                     r.leads_excluded,
                     request.accounts_out ? fmt::format("; mqa: {} of {}", r.mqa_accounts, plural(r.accounts, "account", "accounts")) : "");
    if (r.had_accounts_file) {
      s += fmt::format("  accounts file: {} read, {} rejected; {} of the leads not in it, {} of its accounts "
                       "without a lead\n",
                       plural(r.account_rows_read, "row", "rows"), r.account_rejects.size(),
                       plural(r.accounts_not_in_file, "account", "accounts"), r.file_accounts_without_leads);
      for (std::size_t i = 0; i < r.account_rejects.size() && i < 5; ++i)
        s += fmt::format("    line {}: {}\n", r.account_rejects[i].first, r.account_rejects[i].second);
      if (r.account_rejects.size() > 5) s += fmt::format("    ... and {} more\n", r.account_rejects.size() - 5);
    }
  }
  if (r.has_mql)
    s += fmt::format("mql: {} of {} ({:.1f}%)\n", r.tally.mql, r.scored,
                     r.scored ? 100.0 * static_cast<double>(r.tally.mql) / static_cast<double>(r.scored) : 0.0);
  for (const auto& [name, counts] : r.classify_counts) {
    s += name + ":";
    for (const auto& [value, count] : counts) s += fmt::format(" {} {},", value, count);
    s.back() = '\n';
  }
  for (std::size_t i = 0; i < r.route_labels.size() && i < r.tally.routes.size(); ++i) {
    const RouteCounts& c = r.tally.routes[i];
    s += fmt::format("route \"{}\": {} leads, {} entered tonight, {} responded, {} breached the SLA\n", r.route_labels[i],
                     c.leads, c.entered, c.responded, c.breached);
  }
  if (r.has_previous) append_run_over_run(s, request, r);
  if (!r.top.empty()) {
    s += fmt::format("top {} leads by score:\n", r.top.size());
    for (const auto& t : r.top)
      s += fmt::format("  {:<12} score {:>8}  ({})\n      {}\n", one_line(t.id), io::format_number(t.score), t.classes, t.reasons);
  }
  if (request.threads > r.threads_used)
    s += fmt::format("threads: {} used of {} asked for (the machine has {} hardware threads)\n", r.threads_used,
                     request.threads, r.threads_used);
  s += fmt::format("wrote {} in {:.2f} s (leads {:.2f} s, events {:.2f} s, scoring and writing {:.2f} s)\n",
                   request.out, r.seconds, r.leads_seconds, r.events_seconds, r.scoring_seconds);
  return s;
}

}  // namespace leadscore::jobs

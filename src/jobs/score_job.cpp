#include "jobs/score_job.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>

#include <fmt/format.h>

#include "common/escape.hpp"
#include "common/utf8.hpp"
#include "jobs/weights_check.hpp"
#include "jobs/batches.hpp"
#include "jobs/unreadable_values.hpp"
#include "jobs/reasons.hpp"
#include "jobs/run_inputs.hpp"
#include "io/atomic_file.hpp"
#include "io/csv_writer.hpp"
#include "io/number_format.hpp"

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

// The scores and the rejects are published together or not at all: a rejects file that cannot be
// written must not leave new scores beside old rejects (the rejected rows would be in neither).
bool commit_outputs(io::AtomicFileWriter& out, RejectsFile& rejects, std::string& error) {
  if (io::AtomicFileWriter* r = rejects.writer()) return io::commit_all({&out, r}, error);
  return out.commit(error);
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

}  // namespace

bool run_score(const ScoreRequest& request, Diagnostics& diags, ScoreReport& report, std::string& error) {
  auto started = std::chrono::steady_clock::now();
  RejectsFile rejects;
  rejects.safety = request.csv_safety;
  if (!rejects.open(request.rejects, error)) return false;
  RunInputs inputs;
  inputs.rules = request.rules;
  inputs.leads = request.leads;
  inputs.activities = request.activities;
  inputs.as_of = request.as_of;
  inputs.read = request.read;
  inputs.threads = request.threads;
  inputs.outputs.push_back({request.out, "--out " + request.out});
  if (request.rejects) inputs.outputs.push_back({*request.rejects, "--rejects " + *request.rejects});
  inputs.allow_other_ruleset = request.allow_other_ruleset;
  PreparedRun run;
  if (!prepare_run(inputs, diags, run, error, [&](const RejectedRow& row) { rejects.add(row); })) return false;
  const ir::Program* program = &run.program;
  const Graph& graph = run.graph;
  const LeadTable& leads = run.leads;
  report.ruleset = program->name;
  report.version = program->version;
  report.content_hash = program->content_hash;
  report.has_mql = graph.has_mql;
  report.rows_read = leads.rows_read;
  report.scored = leads.rows;
  report.rejected = leads.rows_rejected;
  for (std::size_t f = 0; f < program->lead_fields.size(); ++f)
    if (leads.unparseable[f] > 0) {
      const auto& field = program->lead_fields[f];
      std::string name = field.name == field.column ? field.name : fmt::format("{} (column \"{}\")", field.name, field.column);
      report.unparseable.emplace_back(name, leads.unparseable[f]);
      report.unparseable_example.push_back(
          unreadable_example(field.type, leads.unparseable_example[f].line, leads.unparseable_example[f].value));
    }
  report.had_activities = run.had_activities;
  report.leads_seconds = run.leads_seconds;
  report.events_seconds = run.events_seconds;
  auto scoring_started = std::chrono::steady_clock::now();
  report.events = run.events;
  for (std::size_t f = 0; f < program->activity_fields.size(); ++f)
    if (f < run.events.unparseable.size() && run.events.unparseable[f] > 0)
      report.activity_unparseable.push_back(fmt::format(
          "{} {}{}", program->activity_fields[f].name, run.events.unparseable[f],
          f < run.events.unparseable_example.size()
              ? unreadable_example(program->activity_fields[f].type, 0, run.events.unparseable_example[f])
              : ""));
  for (std::size_t f = 0; f < program->lead_fields.size(); ++f)
    if (leads.invalid_text[f] > 0) report.invalid_text.emplace_back(program->lead_fields[f].name, leads.invalid_text[f]);
  for (std::size_t f = 0; f < run.events.invalid_text.size(); ++f)
    if (run.events.invalid_text[f] > 0)
      report.invalid_text.emplace_back("activity " + program->activity_fields[f].name, run.events.invalid_text[f]);

  CloseColumns close;
  if (run.weights) close_columns(*run.weights, run.program, leads, close);
  ResultWriter writer(*program, graph, request.format, request.explain, run.weights ? &close : nullptr,
                      request.csv_safety);
  io::AtomicFileWriter out;
  if (!out.open(request.out, error)) return false;
  bool ok = out.write(writer.header());

  // Each thread evaluates a run of consecutive batches into its own buffer; buffers are written in
  // order. Per-thread results are cache-line aligned: threads appending to neighbouring string
  // headers or counters would otherwise fight over the same cache line on every row.
  struct alignas(64) Worker {
    Tally tally;
    std::string buffer;
    std::vector<TopLead> top;
    LeadRecord record;
  };
  const auto threads = static_cast<std::size_t>(std::max(1, run.threads));
  report.threads_used = run.threads;
  std::vector<std::unique_ptr<Worker>> workers;
  for (std::size_t t = 0; t < threads; ++t) {
    workers.push_back(std::make_unique<Worker>());
    workers.back()->tally.init(graph);
  }
  auto last_progress = std::chrono::steady_clock::now();
  std::size_t written_leads = 0;
  report.non_finite = for_each_batch_parallel(
      run, run.threads,
      [&](std::size_t t, const BatchInput& batch, const BatchState& state) {
        Worker& w = *workers[t];
        writer.append_rows(leads, batch, state, w.buffer, w.tally);
        if (request.top > 0) collect_top(run, batch, state, request.top, w.top, w.record);
      },
      [&](std::size_t used) {
        for (std::size_t t = 0; t < used; ++t) {
          ok = out.write(workers[t]->buffer) && ok;
          workers[t]->buffer.clear();
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
  // A failed write (ok false) makes the commit fail with its reason: "cannot write out.csv: No space left on device".
  if (!commit_outputs(out, rejects, error)) return false;

  report.tally.init(graph);
  for (const auto& w : workers) report.tally.add(w->tally);
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
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.scoring_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - scoring_started).count();
  return true;
}

std::string format_summary(const ScoreRequest& request, const ScoreReport& r) {
  std::string s;
  s += fmt::format("ruleset \"{}\" version {} (content hash {})\n", r.ruleset, r.version, r.content_hash);
  s += fmt::format("leads: {} rows read = {} scored + {} rejected{}\n", r.rows_read, r.scored, r.rejected,
                   r.rejected && request.rejects ? fmt::format(" (see {})", *request.rejects)
                   : r.rejected                  ? " (use --rejects FILE to keep them)"
                                                 : "");
  for (std::size_t i = 0; i < r.unparseable.size(); ++i)
    s += fmt::format("  unparseable values (treated as missing): {} {}{}\n", r.unparseable[i].first,
                     r.unparseable[i].second, i < r.unparseable_example.size() ? r.unparseable_example[i] : "");
  if (r.had_activities) {
    const auto& e = r.events;
    s += fmt::format("activities: {} events read, {} used, {} for unknown leads (ignored), {} at or after as-of, "
                     "{} without a readable time, {} malformed\n",
                     e.read, e.used, e.unknown_lead, e.not_before_as_of, e.bad_time, e.malformed);
    for (const auto& u : r.activity_unparseable) s += fmt::format("  unparseable event values: {}\n", u);
  }
  for (const auto& [field, count] : r.invalid_text)
    s += fmt::format("  text cells with invalid UTF-8 or NUL (replaced by U+FFFD): {} {}\n", field, count);
  if (r.non_finite > 0)
    s += fmt::format("  values beyond the range of numbers (overflow; treated as missing): {}\n", r.non_finite);
  if (r.has_mql)
    s += fmt::format("mql: {} of {} ({:.1f}%)\n", r.tally.mql, r.scored,
                     r.scored ? 100.0 * static_cast<double>(r.tally.mql) / static_cast<double>(r.scored) : 0.0);
  for (const auto& [name, counts] : r.classify_counts) {
    s += name + ":";
    for (const auto& [value, count] : counts) s += fmt::format(" {} {},", value, count);
    s.back() = '\n';
  }
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

#include "jobs/diff.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <set>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include "common/escape.hpp"
#include "common/temp_dir.hpp"
#include "jobs/batches.hpp"
#include "jobs/reasons.hpp"
#include "jobs/run_inputs.hpp"
#include "io/number_format.hpp"
#include "io/value_parse.hpp"

extern char** environ;

namespace leadscore::jobs {

using namespace leadscore::engine;
using namespace leadscore::calibrate;

namespace fs = std::filesystem;

bool parse_fail_if(std::string_view text, FailIf& out, std::string& error) {
  static const std::vector<std::string> metrics = {"mql_flips", "mql_in", "mql_out", "moved", "score_mean_change"};
  out = FailIf{};
  out.text = std::string(text);
  std::string s;
  for (char c : text)
    if (c != ' ' && c != '\t') s += c;
  std::size_t name_end = 0;
  while (name_end < s.size() && (std::isalnum(static_cast<unsigned char>(s[name_end])) || s[name_end] == '_')) ++name_end;
  out.metric = s.substr(0, name_end);
  if (std::find(metrics.begin(), metrics.end(), out.metric) == metrics.end()) {
    error = fmt::format("--fail-if \"{}\": unknown metric \"{}\"; metrics: mql_flips, mql_in, mql_out, moved, score_mean_change",
                        text, out.metric);
    return false;
  }
  std::string rest = s.substr(name_end);
  for (const char* op : {">=", "<=", ">", "<"})
    if (rest.rfind(op, 0) == 0) {
      out.op = op;
      rest = rest.substr(out.op.size());
      break;
    }
  if (out.op.empty()) {
    error = fmt::format("--fail-if \"{}\": expected METRIC > VALUE (operators > >= < <=)", text);
    return false;
  }
  if (!rest.empty() && rest.back() == '%') {
    out.percent = true;
    rest.pop_back();
  }
  auto number = io::parse_number(rest);
  if (!number.has_value()) {
    error = fmt::format("--fail-if \"{}\": \"{}\" is not a number", text, rest);
    return false;
  }
  out.value = number.value;
  if (out.percent && out.metric == "score_mean_change") {
    error = fmt::format("--fail-if \"{}\": score_mean_change is in points, not a percentage", text);
    return false;
  }
  return true;
}

double quantile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return std::nan("");
  double h = (static_cast<double>(sorted.size()) - 1) * std::clamp(p, 0.0, 1.0);
  auto lo = static_cast<std::size_t>(std::floor(h));
  std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

bool parse_rules_spec(std::string_view text, RulesSpec& out, std::string& error) {
  out = RulesSpec{};
  out.text = std::string(text);
  if (text.rfind("git:", 0) != 0) {
    out.path = std::string(text);
    return true;
  }
  std::string_view rest = text.substr(4);
  auto colon = rest.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) {
    error = fmt::format("\"{}\": write git:REF:PATH, e.g. git:HEAD~1:rules/acme.rules", text);
    return false;
  }
  out.git = true;
  out.ref = std::string(rest.substr(0, colon));
  out.path = std::string(rest.substr(colon + 1));
  return true;
}

namespace {

// Runs a program (no shell) with stdout to `out_path` (or /dev/null) and stderr to /dev/null.
int run_quiet(const std::vector<std::string>& argv, const std::string& out_path = "/dev/null") {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}


// Materialises git:REF:PATH: the whole directory of PATH at REF goes to a temporary directory, so the
// list files the rules name (relative to the rules file) come from the same commit.
bool materialize(const RulesSpec& spec, const TempDir& dir, const std::string& side, std::string& rules_path,
                 std::string& error) {
  if (!spec.git) {
    rules_path = spec.path;
    return true;
  }
  if (dir.path().empty()) {
    error = "cannot create a temporary directory";
    return false;
  }
  if (run_quiet({"git", "rev-parse", "--is-inside-work-tree"}) != 0) {
    error = fmt::format("{}: the current directory is not inside a git repository", spec.text);
    return false;
  }
  if (run_quiet({"git", "rev-parse", "--verify", "--quiet", spec.ref + "^{commit}"}) != 0) {
    error = fmt::format("{}: git reference \"{}\" does not exist in this repository", spec.text, spec.ref);
    return false;
  }
  if (run_quiet({"git", "cat-file", "-e", spec.ref + ":" + spec.path}) != 0) {
    error = fmt::format("{}: \"{}\" does not exist at {}", spec.text, spec.path, spec.ref);
    return false;
  }
  fs::path path(spec.path);
  std::string parent = path.parent_path().string();
  std::string tree = spec.ref + ":" + parent;
  std::string root = dir.path() + "/" + side;
  std::string tar = dir.path() + "/" + side + ".tar";
  fs::create_directories(root);
  if (run_quiet({"git", "archive", "--format=tar", "-o", tar, tree}) != 0 ||
      run_quiet({"tar", "-xf", tar, "-C", root}) != 0) {
    error = fmt::format("{}: cannot extract {} from git", spec.text, tree);
    return false;
  }
  rules_path = root + "/" + path.filename().string();
  // A symbolic link committed in the ref must not lead out of the extracted folder to a local file.
  std::error_code ec;
  const fs::path top = fs::weakly_canonical(root, ec);
  std::vector<fs::path> escaping;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code link_ec;
    if (!it->is_symlink(link_ec)) continue;
    const fs::path target = fs::weakly_canonical(it->path(), link_ec).lexically_relative(top);
    if (link_ec || target.empty() || *target.begin() == "..") escaping.push_back(it->path());
  }
  for (const auto& link : escaping) {
    fs::remove(link, ec);
    if (link == fs::path(rules_path)) {
      error = fmt::format("{}: \"{}\" is a symbolic link to outside {} at {}; refused", spec.text, spec.path,
                          parent.empty() ? "the repository" : parent, spec.ref);
      return false;
    }
  }
  return true;
}

// One side's scores.
struct Side {
  std::string label;  // OLD / NEW
  std::string shown;  // as given on the command line
  std::string rules_path;
  bool compiled = false, scored = false;
  std::string error;
  PreparedRun run;
  std::vector<double> score;
  std::vector<std::int8_t> mql;
  std::vector<std::vector<std::int32_t>> branch;  // [classify][lead]
};

void score_side(Side& side, const DiffRequest& request, std::string& err) {
  RunInputs inputs;
  inputs.rules = side.rules_path;
  inputs.leads = request.leads;
  inputs.activities = request.activities;
  inputs.as_of = request.as_of;
  inputs.read = request.read;
  inputs.allow_other_ruleset = request.allow_other_ruleset;
  Diagnostics diags;
  bool ok = prepare_run(inputs, diags, side.run, side.error);
  for (const auto& d : diags.sorted()) err += render_text(d);
  side.compiled = !diags.has_errors();
  if (!ok) {
    if (!side.compiled) side.error = fmt::format("{} does not compile", side.shown);
    return;
  }
  const auto& run = side.run;
  std::size_t n = run.leads.rows;
  side.score.resize(n);
  side.mql.assign(n, 0);
  side.branch.assign(run.graph.classifies.size(), std::vector<std::int32_t>(n, -1));
  for_each_batch(run, [&](const BatchInput& batch, const BatchState& state) {
    const auto& sv = state.view(run.graph.score);
    for (std::size_t r = 0; r < batch.rows; ++r) {
      const std::size_t lead = batch.first_lead + r;
      side.score[lead] = sv.num[r];
      if (run.graph.has_mql) side.mql[lead] = state.view(run.graph.mql).truth[r] == kTrue;
      for (std::size_t c = 0; c < run.graph.classifies.size(); ++c) side.branch[c][lead] = state.classify_branch(c)[r];
    }
  });
  side.scored = true;
}

// The reasons of one lead, from its outcome record (labels point into the side's graph).
std::vector<Reason> reasons_of(const Side& side, std::size_t ordinal) {
  BatchState state(side.run.graph, false);
  BatchInput batch = evaluate_leads(side.run, ordinal, 1, state);
  LeadRecord record;
  record_lead(side.run.graph, side.run.points, batch, state, 0, record);
  return jobs::reasons_of(side.run.graph, record);
}

// The source line of an item from its position, comments and runs of blanks removed.
std::string item_text(const ir::Program& program, SourcePos pos) {
  if (!program.source || pos.line == 0) return {};
  std::string_view line = program.source->line(pos.line);
  if (pos.column > 0 && pos.column - 1 < line.size()) line.remove_prefix(pos.column - 1);
  std::string out;
  bool quoted = false, blank = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"' && (i == 0 || line[i - 1] != '\\')) quoted = !quoted;
    if (c == '#' && !quoted) break;
    if (c == ' ' || c == '\t') {
      blank = true;
      continue;
    }
    if (blank && !out.empty()) out += ' ';
    blank = false;
    out += c;
  }
  return out;
}

struct Item {
  std::string kind;     // rule, multiply, criterion
  std::string section;  // the section or gate it belongs to
  std::string text;     // normalised source
  std::string summary;  // "points 15", "by 1.2", "gate cpal"
  SourcePos pos;
};

std::map<std::string, Item> items_of(const ir::Program& program) {
  std::map<std::string, Item> items;
  for (const auto& s : program.sections) {
    for (const auto& r : s.rules) {
      std::string summary = fmt::format("{} points {}", s.name, io::format_number(r.points));
      if (r.cap) summary += fmt::format(" max {}", io::format_number(*r.cap));
      items[r.label] = Item{"rule", s.name, item_text(program, r.pos), summary, r.label_pos};
    }
    for (const auto& m : s.multipliers)
      items[m.label] = Item{"multiply", s.name, item_text(program, m.pos),
                            fmt::format("{} x{}", s.name, io::format_number(m.factor)), m.label_pos};
  }
  for (const auto& g : program.gates)
    for (const auto& c : g.criteria)
      items[c.label] = Item{"criterion", g.name, item_text(program, c.pos), fmt::format("gate {}", g.name), c.pos};
  return items;
}

struct RuleChange {
  std::string label, what, old_summary, new_summary;
  SourcePos pos;  // in NEW (or OLD for removed)
};

struct Stats {
  double min = 0, p10 = 0, p25 = 0, median = 0, p75 = 0, p90 = 0, max = 0, mean = 0;
};

Stats stats_of(std::vector<double> values) {
  Stats s;
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  double sum = 0;
  for (double v : values) sum += v;
  s = Stats{values.front(), quantile(values, 0.1), quantile(values, 0.25), quantile(values, 0.5),
            quantile(values, 0.75), quantile(values, 0.9), values.back(), sum / static_cast<double>(values.size())};
  return s;
}

double rounded(double v) {
  auto parsed = io::parse_number(io::format_number(v));
  return parsed.has_value() ? parsed.value : v;
}

std::string pct(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "0%";
  return io::format_number(100.0 * static_cast<double>(part) / static_cast<double>(whole)) + "%";
}

struct Mover {
  std::size_t old_ordinal = 0, new_ordinal = 0;
  double old_score = 0, new_score = 0;
  std::vector<std::string> removed, added;  // reason items
};

struct Transition {
  std::string name;
  std::vector<std::string> old_values, new_values;  // last = "(none)"
  std::vector<std::vector<std::uint64_t>> counts;
};

}  // namespace

int run_diff(const DiffRequest& request, std::string& out, std::string& err) {
  TempDir dir("leadscore-diff");
  Side sides[2];
  const std::string specs[2] = {request.old_rules, request.new_rules};
  for (int i = 0; i < 2; ++i) {
    Side& side = sides[i];
    side.label = i == 0 ? "OLD" : "NEW";
    side.shown = specs[i];
    RulesSpec spec;
    std::string error;
    if (!parse_rules_spec(specs[i], spec, error) ||
        !materialize(spec, dir, i == 0 ? "old" : "new", side.rules_path, error)) {
      err += fmt::format("leadscore diff: {}\n", error);
      return 1;
    }
  }
  for (auto& side : sides) score_side(side, request, err);
  Side &a = sides[0], &b = sides[1];
  for (const auto& side : sides)
    if (!side.compiled) {
      err += fmt::format("leadscore diff: {} ({}) does not compile; nothing was compared\n", side.label, side.shown);
      return 1;
    }

  // ---- Rule changes, by label.
  std::vector<RuleChange> changes;
  auto old_items = items_of(a.run.program), new_items = items_of(b.run.program);
  for (const auto& [label, item] : new_items) {
    auto it = old_items.find(label);
    if (it == old_items.end()) {
      changes.push_back(RuleChange{label, "added", "", item.summary, item.pos});
    } else if (it->second.summary != item.summary) {
      changes.push_back(RuleChange{label, it->second.section != item.section ? "moved" : "changed",
                                   it->second.summary, item.summary, item.pos});
    } else if (it->second.text != item.text) {
      changes.push_back(RuleChange{label, "condition changed", it->second.text, item.text, item.pos});
    }
  }
  for (const auto& [label, item] : old_items)
    if (!new_items.count(label)) changes.push_back(RuleChange{label, "removed", item.summary, "", SourcePos{}});

  // ---- What cannot be compared.
  std::vector<std::string> notes;
  for (const auto& side : sides)
    if (!side.scored)
      notes.push_back(fmt::format("{} ({}) could not score the data: {}", side.label, side.shown, side.error));
  const bool both = a.scored && b.scored;

  // Leads matched by id.
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  if (both) {
    for (std::size_t i = 0; i < a.run.leads.rows; ++i) {
      std::int32_t j = b.run.leads.index.find(a.run.leads.ids[i]);
      if (j >= 0) pairs.emplace_back(i, static_cast<std::size_t>(j));
    }
    if (pairs.size() != a.run.leads.rows || pairs.size() != b.run.leads.rows)
      notes.push_back(fmt::format("{} leads scored by OLD, {} by NEW, {} with the same id in both (only those are compared)",
                                  a.run.leads.rows, b.run.leads.rows, pairs.size()));
  }
  const std::uint64_t n = pairs.size();

  // MQL.
  bool mql_both = both && a.run.graph.has_mql && b.run.graph.has_mql;
  std::uint64_t mql_in = 0, mql_out = 0, mql_old = 0, mql_new = 0;
  if (both && a.run.graph.has_mql != b.run.graph.has_mql)
    notes.push_back(fmt::format("`mql` is declared only in {}: no MQL flips to compare", a.run.graph.has_mql ? "OLD" : "NEW"));
  if (mql_both)
    for (auto [i, j] : pairs) {
      mql_old += a.mql[i];
      mql_new += b.mql[j];
      if (!a.mql[i] && b.mql[j]) ++mql_in;
      if (a.mql[i] && !b.mql[j]) ++mql_out;
    }

  // Classify transitions (by name), and distributions of classifies on one side only.
  std::vector<Transition> transitions;
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, std::uint64_t>>>> one_sided;
  auto values_of = [](const ClassifyPlan& c) {
    std::vector<std::string> v;
    for (const auto& br : c.branches) v.push_back(br.value);
    v.emplace_back("(none)");
    return v;
  };
  if (both) {
    for (std::size_t ca = 0; ca < a.run.graph.classifies.size(); ++ca) {
      const auto& c = a.run.graph.classifies[ca];
      std::size_t cb = 0;
      while (cb < b.run.graph.classifies.size() && b.run.graph.classifies[cb].name != c.name) ++cb;
      if (cb == b.run.graph.classifies.size()) continue;
      Transition t{c.name, values_of(c), values_of(b.run.graph.classifies[cb]), {}};
      t.counts.assign(t.old_values.size(), std::vector<std::uint64_t>(t.new_values.size(), 0));
      for (auto [i, j] : pairs) {
        auto x = a.branch[ca][i], y = b.branch[cb][j];
        ++t.counts[x < 0 ? t.old_values.size() - 1 : static_cast<std::size_t>(x)]
                  [y < 0 ? t.new_values.size() - 1 : static_cast<std::size_t>(y)];
      }
      transitions.push_back(std::move(t));
    }
  }
  for (int s = 0; s < 2; ++s) {
    const Side& side = sides[s];
    const Side& other = sides[1 - s];
    for (std::size_t c = 0; c < side.run.graph.classifies.size(); ++c) {
      const auto& cl = side.run.graph.classifies[c];
      bool shared = std::any_of(other.run.graph.classifies.begin(), other.run.graph.classifies.end(),
                                [&](const ClassifyPlan& o) { return o.name == cl.name; });
      if (shared || !side.scored) continue;
      notes.push_back(fmt::format("classify `{}` is only in {}: its distribution is shown, no transitions", cl.name, side.label));
      auto values = values_of(cl);
      std::vector<std::pair<std::string, std::uint64_t>> dist;
      for (const auto& v : values) dist.emplace_back(v, 0);
      for (auto br : side.branch[c]) ++dist[br < 0 ? values.size() - 1 : static_cast<std::size_t>(br)].second;
      one_sided.emplace_back(fmt::format("{} ({})", cl.name, side.label), std::move(dist));
    }
  }

  // Scores.
  std::vector<double> old_scores, new_scores;
  std::vector<Mover> movers;
  std::uint64_t moved = 0;
  for (auto [i, j] : pairs) {
    old_scores.push_back(a.score[i]);
    new_scores.push_back(b.score[j]);
    if (rounded(a.score[i]) != rounded(b.score[j])) {
      ++moved;
      movers.push_back(Mover{i, j, a.score[i], b.score[j], {}, {}});
    }
  }
  Stats so = stats_of(old_scores), sn = stats_of(new_scores);
  // Largest change first; equal changes in lead id order, so the report is the same on every run.
  std::stable_sort(movers.begin(), movers.end(), [&](const Mover& x, const Mover& y) {
    double dx = std::fabs(x.new_score - x.old_score), dy = std::fabs(y.new_score - y.old_score);
    if (dx != dy) return dx > dy;
    return a.run.leads.ids[x.old_ordinal] < a.run.leads.ids[y.old_ordinal];
  });
  if (movers.size() > request.top) movers.resize(request.top);
  for (auto& m : movers) {
    auto ro = reasons_of(a, m.old_ordinal), rn = reasons_of(b, m.new_ordinal);
    for (const auto& r : ro)
      if (std::find(rn.begin(), rn.end(), r) == rn.end()) m.removed.push_back(reason_text(r));
    for (const auto& r : rn)
      if (std::find(ro.begin(), ro.end(), r) == ro.end()) m.added.push_back(reason_text(r));
  }
  double mean_change = sn.mean - so.mean;

  // ---- Thresholds.
  std::vector<std::string> violated;
  for (const auto& f : request.fail_if) {
    double count = 0;
    bool available = true;
    if (f.metric == "mql_flips") count = static_cast<double>(mql_in + mql_out), available = mql_both;
    else if (f.metric == "mql_in") count = static_cast<double>(mql_in), available = mql_both;
    else if (f.metric == "mql_out") count = static_cast<double>(mql_out), available = mql_both;
    else if (f.metric == "moved") count = static_cast<double>(moved), available = both;
    double value = f.metric == "score_mean_change" ? std::fabs(mean_change)
                   : f.percent ? (n ? 100.0 * count / static_cast<double>(n) : 0.0)
                               : count;
    if (f.metric == "score_mean_change") available = both;
    if (!available) {
      notes.push_back(fmt::format("--fail-if '{}' cannot be evaluated: {} is not available", f.text, f.metric));
      continue;
    }
    bool hit = f.op == ">" ? value > f.value : f.op == ">=" ? value >= f.value : f.op == "<" ? value < f.value : value <= f.value;
    if (hit)
      violated.push_back(fmt::format("{} = {}{} {} {}{}", f.metric, io::format_number(value), f.percent ? "%" : "", f.op,
                                     io::format_number(f.value), f.percent ? "%" : ""));
  }

  // ---- Report.
  const bool md = request.format == DiffFormat::Markdown;
  auto id_of = [&](const Mover& m) { return std::string(a.run.leads.ids[m.old_ordinal]); };
  auto ruleset = [](const Side& s) {
    return fmt::format("\"{}\" version {} (hash {})", s.run.program.name, s.run.program.version, s.run.program.content_hash);
  };
  auto stat_values = [](const Stats& s) {
    return std::vector<double>{s.min, s.p10, s.p25, s.median, s.p75, s.p90, s.max, s.mean};
  };
  static const char* stat_names[] = {"min", "p10", "p25", "median", "p75", "p90", "max", "mean"};

  if (request.format == DiffFormat::Json) {
    auto q = [](const std::string& s) { return "\"" + json_escape(s) + "\""; };
    auto num = [](double v) { std::string t = io::format_number(v); return t.empty() ? std::string("null") : t; };
    std::string j = "{";
    j += "\"old\":{\"rules\":" + q(a.shown) + ",\"ruleset\":" + q(a.run.program.name) + ",\"version\":" +
         q(a.run.program.version) + ",\"hash\":" + q(a.run.program.content_hash) + "},";
    j += "\"new\":{\"rules\":" + q(b.shown) + ",\"ruleset\":" + q(b.run.program.name) + ",\"version\":" +
         q(b.run.program.version) + ",\"hash\":" + q(b.run.program.content_hash) + "},";
    j += "\"leads_compared\":" + std::to_string(n) + ",\"rule_changes\":[";
    for (std::size_t i = 0; i < changes.size(); ++i)
      j += (i ? "," : "") + fmt::format("{{\"label\":{},\"change\":{},\"old\":{},\"new\":{}}}", q(changes[i].label),
                                        q(changes[i].what), q(changes[i].old_summary), q(changes[i].new_summary));
    j += "],";
    if (mql_both)
      j += fmt::format("\"mql\":{{\"old\":{},\"new\":{},\"in\":{},\"out\":{},\"flips\":{},\"flips_percent\":{}}},", mql_old,
                       mql_new, mql_in, mql_out, mql_in + mql_out,
                       num(n ? 100.0 * static_cast<double>(mql_in + mql_out) / static_cast<double>(n) : 0));
    j += "\"transitions\":[";
    for (std::size_t t = 0; t < transitions.size(); ++t) {
      const auto& tr = transitions[t];
      j += (t ? "," : "") + std::string("{\"classify\":") + q(tr.name) + ",\"counts\":{";
      bool first = true;
      for (std::size_t x = 0; x < tr.old_values.size(); ++x)
        for (std::size_t y = 0; y < tr.new_values.size(); ++y)
          if (tr.counts[x][y]) {
            j += (first ? "" : ",") + q(tr.old_values[x] + " -> " + tr.new_values[y]) + ":" + std::to_string(tr.counts[x][y]);
            first = false;
          }
      j += "}}";
    }
    j += "],\"score\":{";
    auto vo = stat_values(so), vn = stat_values(sn);
    for (int s = 0; s < 8; ++s)
      j += (s ? "," : "") + fmt::format("\"{}\":{{\"old\":{},\"new\":{}}}", stat_names[s], num(vo[s]), num(vn[s]));
    j += "},\"moved\":" + std::to_string(moved) + ",\"score_mean_change\":" + num(mean_change) + ",\"top_movers\":[";
    for (std::size_t i = 0; i < movers.size(); ++i) {
      const auto& m = movers[i];
      std::string rem, add;
      for (const auto& r : m.removed) rem += (rem.empty() ? "" : ",") + q(r);
      for (const auto& r : m.added) add += (add.empty() ? "" : ",") + q(r);
      j += (i ? "," : "") + fmt::format("{{\"id\":{},\"old\":{},\"new\":{},\"reasons_removed\":[{}],\"reasons_added\":[{}]}}",
                                        q(id_of(m)), num(m.old_score), num(m.new_score), rem, add);
    }
    j += "],\"notes\":[";
    for (std::size_t i = 0; i < notes.size(); ++i) j += (i ? "," : "") + q(notes[i]);
    j += "],\"violated\":[";
    for (std::size_t i = 0; i < violated.size(); ++i) j += (i ? "," : "") + q(violated[i]);
    j += "]}\n";
    out += j;
  } else {
    auto h = [&](const std::string& title) { out += md ? "\n### " + title + "\n\n" : "\n" + title + "\n"; };
    out += md ? "## leadscore diff\n\n" : "leadscore diff\n";
    out += fmt::format("{}OLD: {} {}\n", md ? "- " : "  ", md ? "`" + a.shown + "`" : a.shown, ruleset(a));
    out += fmt::format("{}NEW: {} {}\n", md ? "- " : "  ", md ? "`" + b.shown + "`" : b.shown, ruleset(b));
    out += fmt::format("{}leads compared: {}\n", md ? "- " : "  ", n);

    h(fmt::format("Rule changes ({})", changes.size()));
    if (changes.empty()) out += md ? "No rule, multiplier or gate criterion changed.\n" : "  none\n";
    else if (md) {
      out += "| label | change | old | new |\n|---|---|---|---|\n";
      for (const auto& c : changes)
        out += fmt::format("| {} | {} | {} | {} |\n", markdown_cell(c.label), c.what, markdown_cell(c.old_summary), markdown_cell(c.new_summary));
    } else {
      for (const auto& c : changes)
        out += fmt::format("  {:<18} \"{}\"{}{}\n", c.what, c.label, c.old_summary.empty() ? "" : ": " + c.old_summary,
                           c.new_summary.empty() ? "" : (c.old_summary.empty() ? ": " : " -> ") + c.new_summary);
    }

    if (mql_both) {
      h("MQL");
      std::string line = fmt::format("{} -> {} MQLs; {} in ({}), {} out ({}), {} flips ({}) of {} leads", mql_old, mql_new,
                                     mql_in, pct(mql_in, n), mql_out, pct(mql_out, n), mql_in + mql_out,
                                     pct(mql_in + mql_out, n), n);
      out += md ? line + "\n" : "  " + line + "\n";
    }

    for (const auto& t : transitions) {
      h(fmt::format("Transitions of classify `{}` (rows OLD, columns NEW)", t.name));
      std::vector<bool> old_used(t.old_values.size()), new_used(t.new_values.size());
      for (std::size_t x = 0; x < t.old_values.size(); ++x)
        for (std::size_t y = 0; y < t.new_values.size(); ++y)
          if (t.counts[x][y] || (x + 1 < t.old_values.size())) old_used[x] = true;
      for (std::size_t y = 0; y < t.new_values.size(); ++y) {
        new_used[y] = y + 1 < t.new_values.size();
        for (std::size_t x = 0; x < t.old_values.size(); ++x)
          if (t.counts[x][y]) new_used[y] = true;
      }
      if (md) {
        out += "| OLD \\ NEW |";
        std::string rule = "|---|";
        for (std::size_t y = 0; y < t.new_values.size(); ++y)
          if (new_used[y]) out += " " + markdown_cell(t.new_values[y]) + " |", rule += "---:|";
        out += "\n" + rule + "\n";
        for (std::size_t x = 0; x < t.old_values.size(); ++x) {
          if (!old_used[x]) continue;
          out += "| " + markdown_cell(t.old_values[x]) + " |";
          for (std::size_t y = 0; y < t.new_values.size(); ++y)
            if (new_used[y]) out += fmt::format(" {} |", t.counts[x][y]);
          out += "\n";
        }
      } else {
        out += fmt::format("  {:<14}", "OLD \\ NEW");
        for (std::size_t y = 0; y < t.new_values.size(); ++y)
          if (new_used[y]) out += fmt::format(" {:>12}", t.new_values[y]);
        out += "\n";
        for (std::size_t x = 0; x < t.old_values.size(); ++x) {
          if (!old_used[x]) continue;
          out += fmt::format("  {:<14}", t.old_values[x]);
          for (std::size_t y = 0; y < t.new_values.size(); ++y)
            if (new_used[y]) out += fmt::format(" {:>12}", t.counts[x][y]);
          out += "\n";
        }
      }
    }
    for (const auto& [name, dist] : one_sided) {
      h(fmt::format("Distribution of classify `{}`", name));
      if (md) out += "| value | leads |\n|---|---:|\n";
      for (const auto& [value, count] : dist)
        if (count || value != "(none)")
          out += md ? fmt::format("| {} | {} |\n", markdown_cell(value), count) : fmt::format("  {:<14} {:>12}\n", value, count);
    }

    if (both) {
      h("Score distribution");
      auto vo = stat_values(so), vn = stat_values(sn);
      if (md) {
        out += "| | min | p10 | p25 | median | p75 | p90 | max | mean |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        for (int s = 0; s < 2; ++s) {
          out += s ? "| NEW |" : "| OLD |";
          for (double v : s ? vn : vo) out += " " + io::format_number(v) + " |";
          out += "\n";
        }
      } else {
        out += fmt::format("  {:<4}", "");
        for (auto name : stat_names) out += fmt::format(" {:>9}", name);
        out += "\n";
        for (int s = 0; s < 2; ++s) {
          out += fmt::format("  {:<4}", s ? "NEW" : "OLD");
          for (double v : s ? vn : vo) out += fmt::format(" {:>9}", io::format_number(v));
          out += "\n";
        }
      }
      std::string line = fmt::format("{} leads ({}) changed score; mean change {}", moved, pct(moved, n),
                                     io::format_number(mean_change));
      out += md ? "\n" + line + "\n" : "  " + line + "\n";

      h(fmt::format("Top {} movers", movers.size()));
      if (md && !movers.empty()) out += "| lead | old | new | change | reasons no longer applying | reasons now applying |\n|---|---:|---:|---:|---|---|\n";
      for (const auto& m : movers) {
        std::string removed, added;
        for (const auto& r : m.removed) removed += (removed.empty() ? "" : "; ") + r;
        for (const auto& r : m.added) added += (added.empty() ? "" : "; ") + r;
        std::string change = io::format_number(m.new_score - m.old_score);
        if (m.new_score > m.old_score) change = "+" + change;
        if (md)
          out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", markdown_cell(id_of(m)), io::format_number(m.old_score),
                             io::format_number(m.new_score), change, markdown_cell(removed), markdown_cell(added));
        else
          out += fmt::format("  {:<12} {:>9} -> {:<9} ({})\n      was: {}\n      now: {}\n", one_line(id_of(m)),
                             io::format_number(m.old_score), io::format_number(m.new_score), change,
                             removed.empty() ? "-" : removed, added.empty() ? "-" : added);
      }
    }
    if (!notes.empty()) {
      h("Not compared");
      for (const auto& note : notes) out += (md ? "- " : "  ") + note + "\n";
    }
    if (!violated.empty()) {
      h("Thresholds exceeded");
      for (const auto& v : violated) out += (md ? "- " : "  ") + v + "\n";
    }
    if (request.format == DiffFormat::Github) {
      RulesSpec spec;
      std::string ignored;
      parse_rules_spec(b.shown, spec, ignored);
      for (const auto& c : changes)
        if (c.pos.line > 0)
          out += fmt::format("::notice file={},line={},col={}::{}\n", github_property(spec.path), c.pos.line, c.pos.column,
                             github_data(fmt::format("rule \"{}\" {}{}", c.label, c.what,
                                                       c.old_summary.empty() ? "" : ": " + c.old_summary + " -> " + c.new_summary)));
      if (mql_both)
        out += fmt::format("::notice title=leadscore diff::{}\n",
                           github_data(fmt::format("{} MQL flips ({} in, {} out) of {} leads; mean score change {}",
                                                     mql_in + mql_out, mql_in, mql_out, n, io::format_number(mean_change))));
      for (const auto& v : violated) out += fmt::format("::error title=leadscore diff threshold::{}\n", github_data(v));
    }
  }
  for (const auto& v : violated) err += fmt::format("leadscore diff: threshold exceeded: {}\n", v);
  if (!both) return 1;
  return violated.empty() ? 0 : 3;
}

}  // namespace leadscore::jobs

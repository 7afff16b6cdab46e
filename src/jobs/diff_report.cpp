#include "jobs/diff_report.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "common/escape.hpp"
#include "common/hash.hpp"
#include "io/number_format.hpp"

namespace leadscore::jobs {

namespace {

std::string pct(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "0%";
  return io::format_number(100.0 * static_cast<double>(part) / static_cast<double>(whole)) + "%";
}

std::vector<double> stat_values(const ScoreStats& s) { return {s.min, s.p10, s.p25, s.median, s.p75, s.p90, s.max, s.mean}; }
constexpr const char* kStatNames[] = {"min", "p10", "p25", "median", "p75", "p90", "max", "mean"};

std::string joined(const std::vector<std::string>& items, const char* separator = "; ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : separator) + i;
  return out;
}

std::string where(const DiffReport& r, const RulesetChange& c) {
  return c.line ? fmt::format("{}:{}", r.shown_path, c.line) : r.shown_path;
}

std::string count_text(std::int64_t n) { return n < 0 ? "-" : std::to_string(n); }

// A score as the report shows it: missing when a section went beyond the range of numbers.
std::string score_text(double v) { return std::isnan(v) ? "(missing)" : io::format_number(v); }

std::string signed_change(double from, double to) {
  if (std::isnan(from) || std::isnan(to)) return "missing";
  std::string change = io::format_number(to - from);
  return to > from ? "+" + change : change;
}

// What explains one lead's change, on one line.
std::string because(const LeadChange& c) {
  std::vector<std::string> parts;
  if (!c.removed.empty()) parts.push_back("no longer: " + joined(c.removed));
  if (!c.added.empty()) parts.push_back("now: " + joined(c.added));
  if (!c.criteria.empty()) parts.push_back("criteria: " + joined(c.criteria));
  for (const auto& d : c.definitions) parts.push_back(d + " definition changed");
  return parts.empty() ? "-" : joined(parts, " | ");
}

// As the text report prints it (2 decimals at most); whole numbers without ".0"; null when not finite.
nlohmann::ordered_json number(double v) {
  if (!std::isfinite(v)) return nullptr;
  const double shown = std::stod(io::format_number(v));
  if (shown == std::floor(shown) && std::fabs(shown) < 9e15) return static_cast<std::int64_t>(shown);
  return shown;
}

nlohmann::ordered_json lead_json(const LeadChange& c, bool flip) {
  nlohmann::ordered_json j{{"id", c.id}, {"old", number(c.old_score)}, {"new", number(c.new_score)},
                   {"reasons_removed", c.removed}, {"reasons_added", c.added}, {"criteria_changed", c.criteria}};
  if (flip) {
    j["direction"] = c.mql_in ? "in" : "out";
    j["definitions_changed"] = c.definitions;
  }
  return j;
}

}  // namespace

std::string render_diff_json(const DiffReport& r) {
  using json = nlohmann::ordered_json;
  auto side = [](const DiffSideSummary& s) {
    return json{{"rules", s.shown}, {"ruleset", s.name}, {"version", s.version}, {"hash", s.hash}};
  };
  json j;
  j["old"] = side(r.old_side);
  j["new"] = side(r.new_side);
  j["leads_compared"] = r.leads;
  json changes = json::array();
  for (const auto& c : r.changes) {
    json o{{"kind", c.kind}, {"name", c.name}, {"change", c.what}, {"old", c.old_text}, {"new", c.new_text},
           {"file", r.shown_path}, {"line", c.line}};
    if (!c.detail.empty()) o["detail"] = c.detail;
    changes.push_back(std::move(o));
  }
  j["changes"] = std::move(changes);
  j["warnings"] = r.warnings;
  if (r.mql_both) {
    json flips = json::array();
    for (const auto& f : r.flips) flips.push_back(lead_json(f, true));
    j["mql"] = json{{"old", r.mql_old}, {"new", r.mql_new}, {"in", r.mql_in}, {"out", r.mql_out},
                    {"flips", r.mql_in + r.mql_out},
                    {"flips_percent", number(r.leads ? 100.0 * static_cast<double>(r.mql_in + r.mql_out) / static_cast<double>(r.leads) : 0)},
                    {"leads", std::move(flips)}};
  }
  json firing = json::array();
  for (const auto& f : r.firing)
    firing.push_back(json{{"kind", f.kind}, {"name", f.name},
                          {"old", f.old_count < 0 ? json(nullptr) : json(f.old_count)},
                          {"new", f.new_count < 0 ? json(nullptr) : json(f.new_count)}});
  j["firing"] = std::move(firing);
  j["firing_unchanged"] = r.firing_unchanged;
  json transitions = json::array();
  for (const auto& t : r.transitions) {
    json counts = json::object();
    for (std::size_t x = 0; x < t.old_values.size(); ++x)
      for (std::size_t y = 0; y < t.new_values.size(); ++y)
        if (t.counts[x][y]) counts[t.old_values[x] + " -> " + t.new_values[y]] = t.counts[x][y];
    transitions.push_back(json{{"classify", t.name}, {"counts", std::move(counts)}});
  }
  j["transitions"] = std::move(transitions);
  j["quadrant_moves"] = r.classify_moves;
  json score = json::object();
  auto vo = stat_values(r.old_stats), vn = stat_values(r.new_stats);
  for (int s = 0; s < 8; ++s) score[kStatNames[s]] = json{{"old", number(vo[s])}, {"new", number(vn[s])}};
  j["score"] = std::move(score);
  j["moved"] = r.moved;
  j["score_mean_change"] = number(r.mean_change);
  json movers = json::array();
  for (const auto& m : r.movers) movers.push_back(lead_json(m, false));
  j["top_movers"] = std::move(movers);
  j["notes"] = r.notes;
  j["violated"] = r.violated;
  // Invalid UTF-8 in a label or id is replaced, never a thrown exception.
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string render_diff_text(const DiffReport& r, bool md) {
  std::string out;
  auto h = [&](const std::string& title) { out += md ? "\n### " + title + "\n\n" : "\n" + title + "\n"; };
  auto line = [&](const std::string& text) { out += md ? text + "\n" : "  " + text + "\n"; };
  auto ruleset = [](const DiffSideSummary& s) { return fmt::format("\"{}\" version {} (hash {})", s.name, s.version, s.hash); };
  out += md ? "## leadscore diff\n\n" : "leadscore diff\n";
  out += fmt::format("{}OLD: {} {}\n", md ? "- " : "  ", md ? "`" + r.old_side.shown + "`" : r.old_side.shown, ruleset(r.old_side));
  out += fmt::format("{}NEW: {} {}\n", md ? "- " : "  ", md ? "`" + r.new_side.shown + "`" : r.new_side.shown, ruleset(r.new_side));
  out += fmt::format("{}leads compared: {}\n", md ? "- " : "  ", r.leads);
  for (const auto& w : r.warnings) out += md ? fmt::format("\n> **Warning:** {}\n", w) : fmt::format("  warning: {}\n", w);

  h(fmt::format("Ruleset changes ({})", r.changes.size()));
  if (r.changes.empty()) {
    line("No declaration changed meaning (layout and comments are not compared).");
  } else if (md) {
    out += "| where | kind | name | change | old | new |\n|---|---|---|---|---|---|\n";
    for (const auto& c : r.changes)
      out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", markdown_cell(where(r, c)), c.kind, markdown_cell(c.name),
                         c.what, markdown_cell(c.old_text), markdown_cell(c.detail.empty() ? c.new_text : c.new_text + "; " + c.detail));
  } else {
    for (const auto& c : r.changes) line(fmt::format("{}: {}", one_line(where(r, c)), one_line(change_text(c))));
  }

  if (r.mql_both) {
    h("MQL");
    line(fmt::format("{} -> {} MQLs; {} in ({}), {} out ({}), {} flips ({}) of {} leads", r.mql_old, r.mql_new, r.mql_in,
                     pct(r.mql_in, r.leads), r.mql_out, pct(r.mql_out, r.leads), r.mql_in + r.mql_out,
                     pct(r.mql_in + r.mql_out, r.leads), r.leads));
    if (!r.flips.empty()) {
      h(fmt::format("MQL flips (first {} of {})", r.flips.size(), r.mql_in + r.mql_out));
      if (md) out += "| lead | flip | old | new | because |\n|---|---|---:|---:|---|\n";
      for (const auto& f : r.flips) {
        if (md)
          out += fmt::format("| {} | {} | {} | {} | {} |\n", markdown_cell(f.id), f.mql_in ? "in" : "out",
                             score_text(f.old_score), score_text(f.new_score), markdown_cell(because(f)));
        else
          out += fmt::format("  {:<3} {:<12} {:>9} -> {:<9} {}\n", f.mql_in ? "in" : "out", one_line(f.id),
                             score_text(f.old_score), score_text(f.new_score), one_line(because(f)));
      }
    }
  }

  if (r.both) {
    h(fmt::format("Firing counts ({} changed, {} unchanged)", r.firing.size(), r.firing_unchanged));
    if (r.firing.empty()) line("Every rule, multiplier and gate criterion fires on as many leads as before.");
    else if (md) out += "| kind | name | leads before | leads after |\n|---|---|---:|---:|\n";
    for (const auto& f : r.firing) {
      if (md)
        out += fmt::format("| {} | {} | {} | {} |\n", f.kind, markdown_cell(f.name), count_text(f.old_count), count_text(f.new_count));
      else
        out += fmt::format("  {:<10} {:<28} {:>7} -> {}\n", f.kind, "\"" + one_line(f.name) + "\"", count_text(f.old_count),
                           count_text(f.new_count));
    }
  }

  for (const auto& t : r.transitions) {
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
        if (new_used[y]) out += fmt::format(" {:>12}", one_line(t.new_values[y]));
      out += "\n";
      for (std::size_t x = 0; x < t.old_values.size(); ++x) {
        if (!old_used[x]) continue;
        out += fmt::format("  {:<14}", one_line(t.old_values[x]));
        for (std::size_t y = 0; y < t.new_values.size(); ++y)
          if (new_used[y]) out += fmt::format(" {:>12}", t.counts[x][y]);
        out += "\n";
      }
    }
  }
  if (!r.transitions.empty()) {
    std::string moved = fmt::format("{} leads ({}) changed classify value", r.classify_moves, pct(r.classify_moves, r.leads));
    out += md ? "\n" + moved + "\n" : "  " + moved + "\n";
  }
  for (const auto& [name, dist] : r.one_sided) {
    h(fmt::format("Distribution of classify `{}`", name));
    if (md) out += "| value | leads |\n|---|---:|\n";
    for (const auto& [value, count] : dist)
      if (count || value != "(none)")
        out += md ? fmt::format("| {} | {} |\n", markdown_cell(value), count) : fmt::format("  {:<14} {:>12}\n", one_line(value), count);
  }

  if (r.both) {
    h("Score distribution");
    auto vo = stat_values(r.old_stats), vn = stat_values(r.new_stats);
    if (md) {
      out += "| | min | p10 | p25 | median | p75 | p90 | max | mean |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
      for (int s = 0; s < 2; ++s) {
        out += s ? "| NEW |" : "| OLD |";
        for (double v : s ? vn : vo) out += " " + io::format_number(v) + " |";
        out += "\n";
      }
    } else {
      out += fmt::format("  {:<4}", "");
      for (auto name : kStatNames) out += fmt::format(" {:>9}", name);
      out += "\n";
      for (int s = 0; s < 2; ++s) {
        out += fmt::format("  {:<4}", s ? "NEW" : "OLD");
        for (double v : s ? vn : vo) out += fmt::format(" {:>9}", io::format_number(v));
        out += "\n";
      }
    }
    std::string moved = fmt::format("{} leads ({}) changed score; mean change {}", r.moved, pct(r.moved, r.leads),
                                    io::format_number(r.mean_change));
    out += md ? "\n" + moved + "\n" : "  " + moved + "\n";

    h(fmt::format("Top {} movers", r.movers.size()));
    if (md && !r.movers.empty())
      out += "| lead | old | new | change | reasons no longer applying | reasons now applying |\n|---|---:|---:|---:|---|---|\n";
    for (const auto& m : r.movers) {
      std::string removed = joined(m.removed), added = joined(m.added);
      std::string change = signed_change(m.old_score, m.new_score);
      if (md)
        out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", markdown_cell(m.id), score_text(m.old_score),
                           score_text(m.new_score), change, markdown_cell(removed), markdown_cell(added));
      else
        out += fmt::format("  {:<12} {:>9} -> {:<9} ({})\n      was: {}\n      now: {}\n", one_line(m.id),
                           score_text(m.old_score), score_text(m.new_score), change,
                           removed.empty() ? "-" : one_line(removed), added.empty() ? "-" : one_line(added));
    }
  }
  if (!r.notes.empty()) {
    h("Not compared");
    for (const auto& note : r.notes) out += (md ? "- " : "  ") + note + "\n";
  }
  if (!r.violated.empty()) {
    h("Thresholds exceeded");
    for (const auto& v : r.violated) out += (md ? "- " : "  ") + v + "\n";
  }
  return out;
}

std::string render_diff_annotations(const DiffReport& r) {
  std::string out;
  const std::string file = github_property(r.annotate_path);
  for (const auto& c : r.changes) {
    if (c.line > 0)
      out += fmt::format("::notice file={},line={},col={}::{}\n", file, c.line, c.column, github_data(change_text(c)));
    else
      out += fmt::format("::notice file={}::{}\n", file, github_data(change_text(c)));
  }
  for (const auto& w : r.warnings)
    out += r.version_line ? fmt::format("::warning file={},line={}::{}\n", file, r.version_line, github_data(w))
                          : fmt::format("::warning file={}::{}\n", file, github_data(w));
  if (r.both) {
    std::vector<std::string> parts;
    if (r.mql_both)
      parts.push_back(fmt::format("{} MQL flips ({} in, {} out) of {} leads", r.mql_in + r.mql_out, r.mql_in, r.mql_out, r.leads));
    if (!r.transitions.empty())
      parts.push_back(fmt::format("{} leads changed classify value", r.classify_moves));
    const ScoreStats &o = r.old_stats, &n = r.new_stats;
    auto shift = [](const char* name, double from, double to) {
      return fmt::format("{} {} -> {}", name, io::format_number(from), io::format_number(to));
    };
    parts.push_back(fmt::format("score {}, {}, {}, {} ({})", shift("p10", o.p10, n.p10), shift("median", o.median, n.median),
                                shift("p90", o.p90, n.p90), shift("mean", o.mean, n.mean), signed_change(o.mean, n.mean)));
    out += fmt::format("::notice title=leadscore diff::{}\n", github_data(joined(parts)));
  }
  for (const auto& v : r.violated) out += fmt::format("::error title=leadscore diff threshold::{}\n", github_data(v));
  return out;
}

std::string render_diff_github(const DiffReport& r) {
  const std::string text = render_diff_text(r, false);
  // The runner ignores commands until `::TOKEN::`; the token depends on the whole text, so no value in
  // the text can end the pause by spelling it.
  const std::string token = "leadscore-report-" + fnv1a_hex(text);
  return fmt::format("::stop-commands::{0}\n{1}::{0}::\n{2}", token, text, render_diff_annotations(r));
}

}  // namespace leadscore::jobs

#include "jobs/test_coverage.hpp"

#include <cmath>

#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "common/escape.hpp"
#include "io/number_format.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;

std::size_t RulesCoverage::covered() const {
  std::size_t n = 0;
  for (const auto& i : items) n += i.covered() ? 1 : 0;
  return n;
}

RulesCoverage coverage_items(const std::string& rules, const PreparedRun& run) {
  RulesCoverage c{rules, run.program.source, {}};
  const auto& program = run.program;
  const auto& graph = run.graph;
  for (std::size_t s = 0; s < program.sections.size(); ++s) {
    for (std::size_t r = 0; r < program.sections[s].rules.size(); ++r) {
      const auto& rule = program.sections[s].rules[r];
      c.items.push_back({"rule", rule.label, rule.label_pos, 0, 0, graph.sections[s].rules[r].ordinal, -1});
    }
    for (std::size_t m = 0; m < program.sections[s].multipliers.size(); ++m) {
      const auto& mult = program.sections[s].multipliers[m];
      c.items.push_back({"multiplier", mult.label, mult.label_pos, 0, 0, graph.sections[s].multipliers[m].ordinal, -1});
    }
  }
  for (std::size_t g = 0; g < program.gates.size(); ++g)
    for (std::size_t k = 0; k < program.gates[g].criteria.size(); ++k) {
      const auto& cr = program.gates[g].criteria[k];
      c.items.push_back({"criterion", program.gates[g].name + ": " + cr.label, cr.pos, 0, 0, graph.gates[g].criteria[k].ordinal, -1});
    }
  for (std::size_t k = 0; k < program.classifies.size(); ++k)
    for (std::size_t b = 0; b < program.classifies[k].branches.size(); ++b) {
      const auto& br = program.classifies[k].branches[b];
      c.items.push_back({"branch", program.classifies[k].name + ": " + br.value, br.pos, 0, 0,
                         static_cast<std::int32_t>(b), static_cast<std::int32_t>(k), br.condition != ir::kNoNode});
    }
  return c;
}

void add_case(RulesCoverage& coverage, const LeadRecord& record) {
  for (auto& item : coverage.items) {
    const auto o = static_cast<std::size_t>(item.ordinal);
    std::optional<bool> truth;
    if (item.kind == "rule") truth = record.rules[o].fired;
    else if (item.kind == "multiplier") truth = record.multipliers[o].applied;
    else if (item.kind == "criterion") truth = record.criteria[o] == kTrue;
    else {
      // Branches before the chosen one were evaluated and false; those after it were not evaluated.
      const std::int32_t chosen = record.classify_branch[static_cast<std::size_t>(item.classify)];
      if (item.ordinal == chosen) truth = true;
      else if (chosen < 0 || item.ordinal < chosen) truth = false;
    }
    if (truth) (*truth ? item.true_cases : item.false_cases) += 1;
  }
}

double coverage_percent(std::size_t covered, std::size_t total) {
  return total == 0 ? 100.0 : 100.0 * static_cast<double>(covered) / static_cast<double>(total);
}

namespace {

// 62.5, or 50 rather than 50.0.
nlohmann::ordered_json percent_json(std::size_t covered, std::size_t total) {
  const double shown = std::stod(io::format_number(coverage_percent(covered, total)));
  if (shown == std::floor(shown)) return static_cast<std::int64_t>(shown);
  return shown;
}

std::string where(const RulesCoverage& f, const CoverageItem& item) {
  return fmt::format("{}:{}:{}", f.rules, item.pos.line, item.pos.column);
}

}  // namespace

std::string coverage_text(const std::vector<RulesCoverage>& files) {
  std::string out = "coverage (an item is covered when some case makes it true):\n";
  std::size_t covered = 0, total = 0;
  for (const auto& f : files) {
    covered += f.covered();
    total += f.items.size();
    out += fmt::format("  {}: {} of {} covered ({}%)\n", f.rules, f.covered(), f.items.size(),
                       io::format_number(coverage_percent(f.covered(), f.items.size())));
    for (const auto& item : f.items)
      if (!item.covered())
        out += fmt::format("    {}: {} \"{}\" is true in no case\n", where(f, item), item.kind, one_line(item.name));
    for (const auto& item : f.items)
      if (item.never_false())
        out += fmt::format("    {}: {} \"{}\" is false in no case\n", where(f, item), item.kind, one_line(item.name));
  }
  out += fmt::format("coverage: {} of {} items ({}%)\n", covered, total, io::format_number(coverage_percent(covered, total)));
  return out;
}

std::string coverage_json(const std::vector<RulesCoverage>& files) {
  using json = nlohmann::ordered_json;
  json out{{"files", json::array()}};
  std::size_t covered = 0, total = 0;
  for (const auto& f : files) {
    covered += f.covered();
    total += f.items.size();
    json items = json::array();
    for (const auto& item : f.items)
      items.push_back(json{{"kind", item.kind}, {"name", item.name}, {"line", item.pos.line}, {"column", item.pos.column},
                           {"true_cases", item.true_cases}, {"false_cases", item.false_cases}, {"covered", item.covered()}});
    out["files"].push_back(json{{"rules", f.rules}, {"covered", f.covered()}, {"total", f.items.size()},
                                {"percent", percent_json(f.covered(), f.items.size())},
                                {"items", std::move(items)}});
  }
  out["covered"] = covered;
  out["total"] = total;
  out["percent"] = percent_json(covered, total);
  return out.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string coverage_annotations(const std::vector<RulesCoverage>& files) {
  std::string out;
  for (const auto& f : files)
    for (const auto& item : f.items)
      if (!item.covered())
        out += fmt::format("::warning file={},line={},col={}::{}\n", github_property(f.rules), item.pos.line, item.pos.column,
                           github_data(fmt::format("{} \"{}\" is true in no test case", item.kind, item.name)));
  return out;
}

void coverage_diagnostics(const std::vector<RulesCoverage>& files, Diagnostics& out) {
  for (const auto& f : files)
    for (const auto& item : f.items) {
      if (item.covered() && !item.never_false()) continue;
      const bool never_true = !item.covered();
      out.add(Diagnostic{Severity::Warning, f.source, f.rules, item.pos,
                         fmt::format("{} \"{}\" is {} in no test case", item.kind, item.name, never_true ? "true" : "false"),
                         never_true ? "add a case in which it is true" : "add a case in which it is false", Code::Untested});
    }
}

}  // namespace leadscore::jobs

#include "jobs/account_results.hpp"

#include <algorithm>

#include "common/text.hpp"
#include "io/number_format.hpp"
#include "jobs/batches.hpp"
#include "jobs/reasons.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;

std::vector<AccountResult> collect_accounts(const PreparedRun& run, std::size_t top_n, std::int64_t only_group) {
  const AccountState& accounts = run.accounts;
  const Graph& graph = run.graph;
  std::vector<std::int64_t> slot(accounts.accounts, -1);  // by group: index into results
  std::vector<AccountResult> results;
  auto better = [](const AccountLead& a, const AccountLead& b) {
    return a.score != b.score ? a.score > b.score : a.ordinal < b.ordinal;
  };
  for_each_batch(run, [&](const BatchInput& batch, const BatchState& state) {
    const double* scores = state.view(graph.score).num;
    for (std::size_t r = 0; r < batch.rows; ++r) {
      const std::size_t lead = batch.first_lead + r;
      const auto g = static_cast<std::size_t>(accounts.group[lead]);
      if (g >= accounts.accounts || (only_group >= 0 && static_cast<std::int64_t>(g) != only_group)) continue;
      if (slot[g] < 0) {
        slot[g] = static_cast<std::int64_t>(results.size());
        AccountResult& result = results.emplace_back();
        result.group = g;
        result.key = accounts.keys[g];
        result.leads = static_cast<std::size_t>(accounts.leads_in[g]);
        result.in_file = accounts.file_row[g] >= 0;
        record_lead(graph, *batch.points, batch, state, r, result.record);
      }
      AccountResult& result = results[static_cast<std::size_t>(slot[g])];
      const bool mql = graph.has_mql && state.view(graph.mql).truth[r] == kTrue;
      AccountLead candidate{lead, scores[r], mql};
      auto& top = result.top;
      if (top.size() < top_n) {
        top.insert(std::upper_bound(top.begin(), top.end(), candidate, better), candidate);
      } else if (top_n > 0 && better(candidate, top.back())) {
        top.pop_back();
        top.insert(std::upper_bound(top.begin(), top.end(), candidate, better), candidate);
      }
    }
  });
  return results;
}

std::int64_t find_account(const PreparedRun& run, std::string_view key) {
  const std::string_view wanted = text::trim(key);
  const auto& keys = run.accounts.keys;
  for (std::size_t g = 0; g < keys.size(); ++g)
    if (keys[g] == wanted) return static_cast<std::int64_t>(g);
  return -1;
}

std::string accounts_csv(const PreparedRun& run, const std::vector<AccountResult>& accounts, io::CsvSafety safety) {
  const Graph& graph = run.graph;
  std::string out = "account,leads,in_accounts_file";
  auto header = [&](const std::string& name) {
    out += ',';
    io::append_csv_text(out, name, safety);
  };
  for (const auto& s : graph.sections)
    if (s.account) header(s.name);
  for (const auto& g : graph.gates)
    if (g.account) header(g.name);
  if (graph.has_mqa) header("mqa");
  for (const auto& c : graph.classifies)
    if (c.account) header(c.name);
  out += ",top_leads,reasons\n";
  for (const auto& a : accounts) {
    io::append_csv_text(out, a.key, safety);
    out += ',';
    io::append_number(out, static_cast<double>(a.leads));
    out += a.in_file ? ",true" : ",false";
    for (std::size_t s = 0; s < graph.sections.size(); ++s) {
      if (!graph.sections[s].account) continue;
      out += ',';
      io::append_number(out, a.record.sections[s].value);
    }
    for (std::size_t g = 0; g < graph.gates.size(); ++g)
      if (graph.gates[g].account) out += a.record.gates[g] ? ",true" : ",false";
    if (graph.has_mqa) out += a.record.mqa ? ",true" : ",false";
    for (std::size_t c = 0; c < graph.classifies.size(); ++c) {
      if (!graph.classifies[c].account) continue;
      out += ',';
      const std::int32_t branch = a.record.classify_branch[c];
      if (branch >= 0) io::append_csv_text(out, graph.classifies[c].branches[static_cast<std::size_t>(branch)].value, safety);
    }
    std::string top;
    for (const auto& lead : a.top) {
      if (!top.empty()) top += "; ";
      top += run.leads.ids[lead.ordinal];
      top += " (";
      io::append_number(top, lead.score);
      top += lead.mql ? ", mql)" : ")";
    }
    out += ',';
    io::append_csv_text(out, top, safety);
    out += ',';
    io::append_csv_text(out, reasons_text(reasons_of(graph, a.record, ReasonScope::Account)), safety);
    out += '\n';
  }
  return out;
}

}  // namespace leadscore::jobs

#include "jobs/account_results.hpp"

#include <algorithm>

#include "common/text.hpp"
#include "io/number_format.hpp"
#include "jobs/batches.hpp"
#include "jobs/reasons.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;

namespace {

bool better(const AccountLead& a, const AccountLead& b) {
  return a.score != b.score ? a.score > b.score : a.ordinal < b.ordinal;
}

}  // namespace

AccountCollector::AccountCollector(const PreparedRun& run, std::size_t threads, std::size_t top_n,
                                   std::int64_t only_group)
    : run_(run), top_n_(top_n), only_group_(only_group), members_(threads), records_(threads) {
  const AccountState& accounts = run.accounts;
  first_lead_.assign(accounts.accounts, UINT32_MAX);
  for (std::size_t lead = accounts.group.size(); lead-- > 0;) {
    const auto g = static_cast<std::size_t>(accounts.group[lead]);
    if (g < accounts.accounts) first_lead_[g] = static_cast<std::uint32_t>(lead);
  }
  results_.resize(accounts.accounts);
}

void AccountCollector::visit(std::size_t thread, const BatchInput& batch, const BatchState& state) {
  const AccountState& accounts = run_.accounts;
  const Graph& graph = run_.graph;
  const double* scores = state.view(graph.score).num;
  const std::int8_t* mql = graph.has_mql ? state.view(graph.mql).truth : nullptr;
  LeadRecord& record = records_[thread];
  for (std::size_t r = 0; r < batch.rows; ++r) {
    const std::size_t lead = batch.first_lead + r;
    const auto g = static_cast<std::size_t>(accounts.group[lead]);
    if (g >= accounts.accounts || (only_group_ >= 0 && static_cast<std::int64_t>(g) != only_group_)) continue;
    members_[thread].push_back(Member{static_cast<std::uint32_t>(g), AccountLead{lead, scores[r], mql && mql[r] == kTrue}});
    if (first_lead_[g] != lead) continue;
    record_lead(graph, *batch.points, batch, state, r, record);
    AccountResult& result = results_[g];
    result.group = g;
    result.key = accounts.keys[g];
    result.leads = static_cast<std::size_t>(accounts.leads_in[g]);
    result.in_file = accounts.file_row[g] >= 0;
    for (std::size_t s = 0; s < graph.sections.size(); ++s)
      if (graph.sections[s].account) result.sections.push_back(record.sections[s].value);
    for (std::size_t gi = 0; gi < graph.gates.size(); ++gi)
      if (graph.gates[gi].account) result.gates.push_back(record.gates[gi]);
    result.mqa = record.mqa;
    for (std::size_t c = 0; c < graph.classifies.size(); ++c)
      if (graph.classifies[c].account) result.classify_branch.push_back(record.classify_branch[c]);
    result.reasons = reasons_text(reasons_of(graph, record, ReasonScope::Account));
  }
}

std::vector<AccountResult> AccountCollector::results() {
  for (auto& members : members_) {
    for (const Member& m : members) {
      auto& top = results_[m.group].top;
      if (top.size() < top_n_) {
        top.insert(std::upper_bound(top.begin(), top.end(), m.lead, better), m.lead);
      } else if (top_n_ > 0 && better(m.lead, top.back())) {
        top.pop_back();
        top.insert(std::upper_bound(top.begin(), top.end(), m.lead, better), m.lead);
      }
    }
    members.clear();
    members.shrink_to_fit();
  }
  if (only_group_ >= 0) return {std::move(results_.at(static_cast<std::size_t>(only_group_)))};
  return std::move(results_);
}

std::vector<AccountResult> collect_accounts(const PreparedRun& run, std::size_t top_n, std::int64_t only_group) {
  AccountCollector collector(run, 1, top_n, only_group);
  for_each_batch(run, [&](const BatchInput& batch, const BatchState& state) { collector.visit(0, batch, state); });
  return collector.results();
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
  std::vector<const ClassifyPlan*> classifies;
  for (const auto& s : graph.sections)
    if (s.account) header(s.name);
  for (const auto& g : graph.gates)
    if (g.account) header(g.name);
  if (graph.has_mqa) header("mqa");
  for (const auto& c : graph.classifies)
    if (c.account) {
      header(c.name);
      classifies.push_back(&c);
    }
  out += ",top_leads,reasons\n";
  std::string top;
  for (const auto& a : accounts) {
    io::append_csv_text(out, a.key, safety);
    out += ',';
    io::append_number(out, static_cast<double>(a.leads));
    out += a.in_file ? ",true" : ",false";
    for (double v : a.sections) {
      out += ',';
      io::append_number(out, v);
    }
    for (bool gate : a.gates) out += gate ? ",true" : ",false";
    if (graph.has_mqa) out += a.mqa ? ",true" : ",false";
    for (std::size_t c = 0; c < a.classify_branch.size(); ++c) {
      out += ',';
      const std::int32_t branch = a.classify_branch[c];
      if (branch >= 0) io::append_csv_text(out, classifies[c]->branches[static_cast<std::size_t>(branch)].value, safety);
    }
    top.clear();
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
    io::append_csv_text(out, a.reasons, safety);
    out += '\n';
  }
  return out;
}

}  // namespace leadscore::jobs

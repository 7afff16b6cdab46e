#pragma once
// A readable account of one lead's score, from the same evaluation `score` runs.
#include <optional>
#include <string>

#include "jobs/account_results.hpp"
#include "jobs/run_inputs.hpp"

namespace leadscore::jobs {

struct ExplainRequest {
  RunInputs inputs;
  std::string lead_id;
  std::optional<std::string> account_id;  // explain this account instead of a lead
  bool json = false;
  // Explain why the lead is not this (mql, a gate, a classify value); by default, MQL for a non-MQL lead.
  std::optional<std::string> why_not;
};

bool run_explain(const ExplainRequest& request, Diagnostics& diags, std::string& out, std::string& error);

// The explanation of lead `ordinal` of a prepared run (text or JSON).
std::string explain_lead(const PreparedRun& run, std::size_t ordinal, bool json);

// The explanation of account `group` of a prepared run (text or JSON): its fields, sections, gates, mqa
// and classify, then each of its leads, best score first, with what it fed each aggregate over leads.
std::string explain_account(const PreparedRun& run, std::size_t group, bool json);
// The same for an account already collected with all of its leads (collect_accounts(run, kAllLeads)).
std::string explain_account(const PreparedRun& run, const AccountResult& account, bool json);

}  // namespace leadscore::jobs

#pragma once
// One result per account of a run: the account's sections, gates, mqa and classify (read from the
// outcome record of its first lead: every lead of an account holds the same account values), its
// number of leads and its best leads. `score --accounts-out` writes them; `explain --account` shows
// one, so the two cannot disagree.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/exec/outcome.hpp"
#include "io/csv_writer.hpp"
#include "jobs/run_inputs.hpp"

namespace leadscore::jobs {

struct AccountLead {
  std::size_t ordinal = 0;  // lead ordinal in the run
  double score = 0;         // the lead's own score
  bool mql = false;
};

struct AccountResult {
  std::size_t group = 0;  // the account's group in run.accounts
  std::string key;
  std::size_t leads = 0;
  bool in_file = false;   // found in the accounts file
  engine::LeadRecord record;  // of its first lead; only its account items are the account's
  std::vector<AccountLead> top;  // highest score first (ties: earlier lead first)
};

inline constexpr std::size_t kAllLeads = std::numeric_limits<std::size_t>::max();

// Every account of the run in order of first appearance (or only `only_group`, when given), each with
// its `top_n` best leads.
std::vector<AccountResult> collect_accounts(const PreparedRun& run, std::size_t top_n,
                                            std::int64_t only_group = -1);

// The group of the account whose key is `key` (after trimming), or -1.
std::int64_t find_account(const PreparedRun& run, std::string_view key);

// The --accounts-out CSV: account, leads, in_accounts_file, each account section, gate, mqa, each account
// classify, top_leads ("L1 (55); L3 (40)"), reasons (the account rules that fired).
std::string accounts_csv(const PreparedRun& run, const std::vector<AccountResult>& accounts, io::CsvSafety safety);

}  // namespace leadscore::jobs

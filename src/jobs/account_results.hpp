#pragma once
// One result per account of a run: the account's sections, gates, mqa, classify and reasons (read
// from the outcome record of its first lead: every lead of an account holds the same account values),
// its number of leads and its best leads. `score --accounts-out` writes them, collected while it scores;
// `explain --account` shows one, so the two cannot disagree.
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
  bool in_file = false;          // found in the accounts file
  std::vector<double> sections;  // each account section's value, in graph order of the account sections
  std::vector<bool> gates;       // each account gate
  bool mqa = false;
  std::vector<std::int32_t> classify_branch;  // each account classify: the branch taken, -1 = none
  std::string reasons;           // the account rules that fired: "+30 ICP country; +20 Buying group"
  std::vector<AccountLead> top;  // highest score first (ties: earlier lead first)
};

inline constexpr std::size_t kAllLeads = std::numeric_limits<std::size_t>::max();

// Collects the results from evaluated batches: visit() may run on several threads at once (thread `t`
// only ever passes its own index), results() once they are done.
class AccountCollector {
 public:
  AccountCollector(const PreparedRun& run, std::size_t threads, std::size_t top_n, std::int64_t only_group = -1);
  void visit(std::size_t thread, const engine::BatchInput& batch, const engine::BatchState& state);
  // Every account in order of first appearance (or only `only_group`).
  std::vector<AccountResult> results();

 private:
  struct Member {
    std::uint32_t group;
    AccountLead lead;
  };
  const PreparedRun& run_;
  std::size_t top_n_;
  std::int64_t only_group_;
  std::vector<std::uint32_t> first_lead_;  // by account
  std::vector<AccountResult> results_;     // by account; each filled by the thread that sees its first lead
  std::vector<std::vector<Member>> members_;  // by thread
  std::vector<engine::LeadRecord> records_;   // by thread: scratch
};

// Every account of the run (or only `only_group`), each with its `top_n` best leads: one pass over the leads.
std::vector<AccountResult> collect_accounts(const PreparedRun& run, std::size_t top_n, std::int64_t only_group = -1);

// The group of the account whose key is `key` (after trimming), or -1.
std::int64_t find_account(const PreparedRun& run, std::string_view key);

// The --accounts-out CSV: account, leads, in_accounts_file, each account section, gate, mqa, each account
// classify, top_leads ("L1 (55, mql); L3 (40)"), reasons (the account rules that fired).
std::string accounts_csv(const PreparedRun& run, const std::vector<AccountResult>& accounts, io::CsvSafety safety);

}  // namespace leadscore::jobs

#pragma once
// Leads grouped into accounts by the `account key`, and each account's fields and aggregates over its
// leads: what an account rule reads (Op::AccountField, Op::AccountAgg). Built in two passes over the
// evaluated leads before scoring: the keys (grouping), then the aggregates' inputs. Memory grows with
// leads and accounts, never with events.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/exec/columns.hpp"
#include "engine/exec/string_dictionary.hpp"
#include "engine/plan/graph.hpp"

namespace leadscore::engine {

class BatchState;

// Groups [0, accounts) are accounts; every lead without one (no key, an empty key, a key `except`
// names or a free-mail domain) is a group of its own after them, so account rules see only it.
struct AccountState {
  std::vector<std::int32_t> group;        // per lead
  std::size_t accounts = 0;
  std::size_t groups = 0;
  std::vector<std::string> keys;          // by account
  std::vector<std::int32_t> leads_in;     // by group: its number of leads
  std::vector<std::int32_t> file_row;     // by account: its row in the accounts file, -1 = not in it
  std::vector<Column> fields;             // by account field, per group (missing when not in the file)
  std::vector<Column> values;             // by account aggregate, per group

  // For the summary.
  std::uint64_t leads_without_key = 0;    // missing or empty key
  std::uint64_t leads_excluded = 0;       // key in `except` or a free-mail domain
  std::uint64_t accounts_not_in_file = 0; // accounts file given, key not in it
  std::uint64_t file_accounts_without_leads = 0;
};

// Well-known free-mail and disposable-mail domains: with `account key domain(...)` they never group.
bool is_free_mail_domain(std::string_view domain);

class AccountBuilder {
 public:
  AccountBuilder(const Graph& graph, std::size_t leads);
  // Pass 1: the evaluated key node of leads [first, first + rows).
  void add_keys(const BatchState& state, std::size_t first, std::size_t rows);
  // Closes the grouping; `file_ids` (may be null) are the accounts file's ids by row, `file_fields` its
  // columns by account field (rows in file order): they become the accounts' fields.
  void group(const std::vector<std::string_view>* file_ids, const std::vector<Column>* file_fields);
  // Pass 2, after group(): the evaluated aggregate inputs of leads [first, first + rows).
  void add_inputs(const BatchState& state, std::size_t first, std::size_t rows);
  // The state after group() (fields and grouping; aggregate values once finish() ran).
  const AccountState& state() const { return state_; }
  AccountState finish();

 private:
  const Graph& graph_;
  AccountState state_;
  StringDictionary account_of_key_;  // code = account, numbered in order of first appearance
  std::vector<std::vector<double>> numbers_;  // by aggregate, per group: count, sum, max, min, top-k sum
  std::vector<std::vector<std::uint32_t>> seen_;  // by aggregate, per group: values seen (avg, max, min)
  std::vector<std::vector<std::vector<double>>> top_;  // by Top aggregate, per group: the k largest
  // By Distinct aggregate: (group, hash of a value) for every lead that has one; sorted and counted at
  // the end. Values compare as the language compares them (text trimmed and case-folded); two different
  // values share a 64-bit hash with odds far below one in a billion per account.
  std::vector<std::vector<std::pair<std::uint32_t, std::uint64_t>>> distinct_;
};

}  // namespace leadscore::engine

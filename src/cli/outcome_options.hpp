#pragma once
// The options `calibrate` and `suggest` share, declared and read in one place: where the outcomes
// come from (--outcomes FILE or --outcome-column C, won/lost values, closed_at, amounts) and when
// each lead is evaluated (--as-of, or per lead with --cutoff-field and --cutoff-delay).
#include <initializer_list>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "jobs/calibrate_job.hpp"

namespace leadscore::cli {

class ParsedArgs;

// The option table's rows, in the order help lists them.
std::vector<Option> outcome_options();
std::vector<Option> evaluation_time_options();
// One table from several parts.
std::vector<Option> option_table(std::initializer_list<std::vector<Option>> parts);

// Read into the request; false with a usage message (exit status 2).
// may_be_absent: neither --outcomes nor --outcome-column is allowed (calibrate with --account-outcomes).
bool read_outcome_options(const ParsedArgs& args, jobs::OutcomeOptions& outcomes, std::string& usage,
                          bool may_be_absent = false);
// --account-outcomes FILE [--account-outcome-columns ...] (calibrate), after read_outcome_options.
std::vector<Option> account_outcome_options();
bool read_account_outcome_options(const ParsedArgs& args, jobs::CalibrateRequest& request, std::string& usage);
bool read_evaluation_time(const ParsedArgs& args, jobs::CalibrateRequest& request, std::string& usage);

}  // namespace leadscore::cli

#pragma once
// Outcomes joined onto the leads: which leads closed (won or lost), each lead's cutoff (its as-of
// instant for point-in-time evaluation) and its place in time for the train/test split. Shared by
// `calibrate` and `suggest`, so both learn from exactly the same leads.
#include <cstdint>
#include <string>
#include <vector>

#include "engine/check/program.hpp"
#include "engine/load/lead_table.hpp"
#include "jobs/calibrate_job.hpp"

namespace leadscore::jobs {

enum class Status : std::uint8_t { Won, Lost, Open, NoOutcome, NoCutoff, ClosedBeforeCutoff, NoTime };

// Everything known about each lead besides the rules' view of it.
struct LeadFacts {
  std::vector<Status> status;
  std::vector<double> amount;  // NaN: none
  std::vector<std::string> source;
  std::vector<std::int64_t> time;  // split order
  std::vector<std::int64_t> closed_at;
  std::vector<bool> has_closed_at;
  std::uint64_t outcome_rows = 0, outcome_unknown_ids = 0, outcome_duplicates = 0;
};

// Fills `facts` for every lead of `leads` (outcome, amount, source, split time) and sets each lead's
// as_of from req.cutoff_field + req.cutoff_delay. Counts leads without a readable cutoff in no_cutoff.
// The leads must have been read with the extra columns the request names.
bool read_lead_facts(const CalibrateRequest& req, const ir::Program& program, engine::LeadTable& leads, LeadFacts& facts,
                     std::uint64_t& no_cutoff, std::string& err);

}  // namespace leadscore::jobs

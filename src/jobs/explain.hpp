#pragma once
// A readable account of one lead's score, from the same evaluation `score` runs.
#include <string>

#include "jobs/run_inputs.hpp"

namespace leadscore::jobs {

struct ExplainRequest {
  RunInputs inputs;
  std::string lead_id;
  bool json = false;
};

bool run_explain(const ExplainRequest& request, Diagnostics& diags, std::string& out, std::string& error);

// The explanation of lead `ordinal` of a prepared run (text or JSON).
std::string explain_lead(const PreparedRun& run, std::size_t ordinal, bool json);

}  // namespace leadscore::jobs

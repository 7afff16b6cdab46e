#pragma once
// Each lead's place in the hand-off to sales, run over run: the route it takes tonight (first match),
// when it entered that route (carried from last night's output while it stays in the route), its
// owner, when the SLA falls due, the first sales response since the entry, and whether the SLA was
// breached. Without a previous run every routed lead enters its route at the as-of instant.
#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/exec/outcome.hpp"
#include "engine/load/lead_table.hpp"
#include "jobs/output_columns.hpp"
#include "jobs/previous_run.hpp"

namespace leadscore::jobs {

struct LeadRoute {
  std::int32_t route = -1;  // -1: no route applies
  bool entered_tonight = false;
  std::int64_t entered = INT64_MIN, due = INT64_MIN, responded = INT64_MIN;  // INT64_MIN: none
  std::int8_t breached = -1;  // -1: the route has no SLA; 0 / 1
  std::string_view owner;     // the owner field's value, or the round-robin owner kept from last night
  bool assign_owner = false;  // a round-robin owner is due: next_owner() in input order
};

class HandoffClock {
 public:
  HandoffClock(const ir::Program& program, const engine::LeadTable& leads, const OutputColumns& columns,
               const PreviousRun* previous, std::int64_t as_of);

  // Per lead: the instant from which `response activity` events count (last night's route entry),
  // for LeadTable::since before the events are read; empty without a previous run.
  std::vector<std::int64_t> response_since() const;

  // Tonight's route of lead `lead` from its record (route and responses). Safe on several threads.
  LeadRoute route_of(std::size_t lead, const engine::LeadRecord& record) const;

  // The round-robin owner for the next lead that enters `route` without one, in input order.
  std::string_view next_owner(std::size_t route);

 private:
  const ir::Handoff* handoff_;
  const engine::LeadTable& leads_;
  const PreviousRun* previous_;
  std::int64_t as_of_;
  std::int32_t prev_route_ = -1, prev_entered_ = -1, prev_owner_ = -1, prev_responded_ = -1;  // output columns
  std::vector<std::size_t> turn_;  // by route: the next round-robin owner
};

}  // namespace leadscore::jobs

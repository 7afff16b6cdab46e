#include "jobs/handoff_clock.hpp"

#include <algorithm>

#include "jobs/sla_clock.hpp"

namespace leadscore::jobs {

using namespace leadscore::engine;

namespace {
constexpr std::int64_t kNone = INT64_MIN;

std::int32_t column_of(const OutputColumns& columns, const PreviousRun* previous, ColumnKind kind) {
  if (!previous) return -1;
  for (std::size_t c = 0; c < columns.columns.size(); ++c)
    if (columns.columns[c].kind == kind) return previous->has(c) ? static_cast<std::int32_t>(c) : -1;
  return -1;
}
}  // namespace

HandoffClock::HandoffClock(const ir::Program& program, const LeadTable& leads, const OutputColumns& columns,
                           const PreviousRun* previous, std::int64_t as_of)
    : handoff_(program.handoff ? &*program.handoff : nullptr), leads_(leads),
      previous_(previous && !previous->first_run ? previous : nullptr), as_of_(as_of) {
  prev_route_ = column_of(columns, previous_, ColumnKind::Route);
  prev_entered_ = column_of(columns, previous_, ColumnKind::RouteEnteredAt);
  prev_owner_ = column_of(columns, previous_, ColumnKind::RouteOwner);
  prev_responded_ = column_of(columns, previous_, ColumnKind::RouteRespondedAt);
  if (!handoff_) return;
  // Round robin goes on from the owner who got last night's most recent entry into the route.
  turn_.assign(handoff_->routes.size(), 0);
  if (prev_route_ < 0 || prev_owner_ < 0) return;
  const Column& route = previous_->values[static_cast<std::size_t>(prev_route_)];
  const Column& owner = previous_->values[static_cast<std::size_t>(prev_owner_)];
  for (std::size_t r = 0; r < handoff_->routes.size(); ++r) {
    const auto& owners = handoff_->routes[r].round_robin;
    if (owners.empty()) continue;
    std::int64_t latest = kNone;
    for (std::size_t lead = 0; lead < leads.rows; ++lead) {
      if (!route.valid[lead] || route.str[lead] != handoff_->routes[r].label || !owner.valid[lead]) continue;
      auto it = std::find(owners.begin(), owners.end(), owner.str[lead]);
      if (it == owners.end()) continue;
      std::int64_t entered = kNone;
      if (prev_entered_ >= 0) {
        const Column& e = previous_->values[static_cast<std::size_t>(prev_entered_)];
        if (e.valid[lead]) entered = e.time[lead];
      }
      if (entered >= latest) {
        latest = entered;
        turn_[r] = static_cast<std::size_t>(it - owners.begin() + 1) % owners.size();
      }
    }
  }
}

std::vector<std::int64_t> HandoffClock::response_since() const {
  std::vector<std::int64_t> since;
  if (!handoff_ || handoff_->responses.empty() || prev_route_ < 0 || prev_entered_ < 0) return since;
  since.assign(leads_.rows, kNone);
  const Column& route = previous_->values[static_cast<std::size_t>(prev_route_)];
  const Column& entered = previous_->values[static_cast<std::size_t>(prev_entered_)];
  for (std::size_t lead = 0; lead < leads_.rows; ++lead)
    if (route.valid[lead] && entered.valid[lead]) since[lead] = entered.time[lead];
  return since;
}

LeadRoute HandoffClock::route_of(std::size_t lead, const LeadRecord& record) const {
  LeadRoute out;
  out.route = record.route;
  if (out.route < 0 || !handoff_) return out;
  const ir::Route& route = handoff_->routes[static_cast<std::size_t>(out.route)];
  auto previous_text = [&](std::int32_t column) -> std::string_view {
    if (column < 0) return {};
    const Column& c = previous_->values[static_cast<std::size_t>(column)];
    return c.valid[lead] ? c.str[lead] : std::string_view{};
  };
  auto previous_time = [&](std::int32_t column) -> std::int64_t {
    if (column < 0) return kNone;
    const Column& c = previous_->values[static_cast<std::size_t>(column)];
    return c.valid[lead] ? c.time[lead] : kNone;
  };
  const bool same = prev_route_ >= 0 && previous_text(prev_route_) == route.label;
  const std::int64_t previous_entry = same ? previous_time(prev_entered_) : kNone;
  out.entered_tonight = previous_entry == kNone;
  out.entered = out.entered_tonight ? as_of_ : previous_entry;

  out.responded = same ? previous_time(prev_responded_) : kNone;
  if (out.responded == kNone) {
    for (std::size_t i = 0; i < record.responses.size() && i < handoff_->responses.size(); ++i) {
      const ResponseOutcome& o = record.responses[i];
      if (o.condition != kTrue) continue;
      std::int64_t at = kNone;
      if (handoff_->responses[i].aggregate >= 0) {
        if (!same) continue;  // events count from last night's entry into this same route
        at = o.at;
      } else {
        // A lead condition responds at its `at` field (not before the entry), else at this run's as-of.
        at = o.at == kNone ? as_of_ : std::min(std::max(o.at, out.entered), as_of_);
      }
      if (out.responded == kNone || at < out.responded) out.responded = at;
    }
  }
  if (auto due = sla_due(route, handoff_->hours, out.entered)) {
    out.due = *due;
    out.breached = out.responded != kNone ? out.responded > out.due : as_of_ > out.due;
  }

  if (route.owner_field >= 0) {
    const Column& field = leads_.fields[static_cast<std::size_t>(route.owner_field)];
    if (field.valid[lead]) out.owner = field.str[lead];
  } else if (!route.round_robin.empty()) {
    std::string_view kept = same ? previous_text(prev_owner_) : std::string_view{};
    if (!kept.empty() && std::find(route.round_robin.begin(), route.round_robin.end(), kept) != route.round_robin.end())
      out.owner = kept;
    else
      out.assign_owner = true;
  }
  return out;
}

std::string_view HandoffClock::next_owner(std::size_t route) {
  const auto& owners = handoff_->routes[route].round_robin;
  std::string_view owner = owners[turn_[route]];
  turn_[route] = (turn_[route] + 1) % owners.size();
  return owner;
}

}  // namespace leadscore::jobs

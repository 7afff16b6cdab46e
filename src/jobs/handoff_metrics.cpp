#include "jobs/handoff_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "io/value_parse.hpp"
#include "jobs/sla_clock.hpp"

namespace leadscore::jobs {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMicrosPerHour = 3600.0 * 1e6;

// Normalised CRM words for each disposition; docs/cli.md lists them.
constexpr std::string_view kAccepted[] = {
    "accepted", "accept", "sales accepted", "sales accepted lead", "sal", "sql", "sales qualified",
    "sales qualified lead", "qualified", "converted", "working", "working contacted"};
constexpr std::string_view kRejected[] = {
    "rejected", "reject", "sales rejected", "disqualified", "unqualified", "not qualified", "dq",
    "recycled", "recycle", "returned to marketing", "closed not converted"};
constexpr std::string_view kPending[] = {"open", "new", "pending", "not contacted", "open not contacted",
                                         "assigned", "mql", "marketing qualified", "marketing qualified lead"};

bool alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80; }

double share(std::uint64_t part, std::uint64_t whole) {
  return whole ? static_cast<double>(part) / static_cast<double>(whole) : kNaN;
}

template <std::size_t N>
bool among(const std::string& word, const std::string_view (&words)[N]) {
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

bool among(const std::string& word, const std::vector<std::string>& words) {
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return normalise_words(w) == word; });
}

// The value of a target's metric for a group, and whether it is met.
TargetCheck check(const ir::Target& target, const GroupMetrics& g) {
  TargetCheck c{target.metric, target.name, target.text, target.at_least, target.value, kNaN, false};
  switch (target.metric) {
    case ir::TargetMetric::Acceptance: c.value = g.acceptance(); break;
    case ir::TargetMetric::Rejection: c.value = g.rejection(); break;
    case ir::TargetMetric::SlaMet: c.value = g.sla_met_share(); break;
    case ir::TargetMetric::MqlToWon: c.value = g.mql_to_won(); break;
  }
  // A hair of tolerance: 7 of 10 is 70% exactly, whatever the division rounds to.
  constexpr double kTolerance = 1e-12;
  if (std::isfinite(c.value)) c.met = target.at_least ? c.value >= target.value - kTolerance : c.value <= target.value + kTolerance;
  return c;
}

class GroupBuilder {
 public:
  void add(const HandoffLead& lead, const HandoffSettings& settings) {
    ++g_.mqls;
    switch (lead.disposition) {
      case Disposition::Accepted: ++g_.accepted; break;
      case Disposition::Rejected: {
        ++g_.rejected;
        std::string key = normalise_words(lead.reason);
        auto& r = reasons_[key.empty() ? "(no reason)" : key];
        if (r.count++ == 0) r.example = std::string(io::trim_blanks(lead.reason));
        break;
      }
      case Disposition::Pending: ++g_.pending; break;
      case Disposition::Unknown: ++g_.unknown; break;
    }
    if (lead.entered != kNoTime) {
      ++g_.routed;
      std::int64_t first = lead.responded;
      const bool decided = lead.disposition == Disposition::Accepted || lead.disposition == Disposition::Rejected;
      if (decided && lead.disposed_at != kNoTime && lead.disposed_at >= lead.entered &&
          (first == kNoTime || lead.disposed_at < first))
        first = lead.disposed_at;
      if (first != kNoTime) {
        ++g_.responded;
        hours_.push_back(static_cast<double>(working_time_between(lead.entered, first, settings.hours)) / kMicrosPerHour);
      }
      if (lead.due != kNoTime) {
        ++g_.sla_leads;
        if (first != kNoTime) ++(first <= lead.due ? g_.sla_met : g_.sla_missed);
        else if (lead.breached == 1 || (settings.as_of != kNoTime && lead.due <= settings.as_of)) ++g_.sla_missed;
        else ++g_.sla_open;
      }
    }
    if (settings.has_outcomes) {
      if (lead.outcome == Status::Won) {
        ++g_.won;
        if (std::isfinite(lead.amount)) ++g_.won_with_amount, g_.won_amount += lead.amount;
      } else if (lead.outcome == Status::Lost) {
        ++g_.lost;
      } else {
        ++g_.open;
      }
    }
  }

  GroupMetrics finish(std::string name, const HandoffSettings& settings, bool has_outcomes) {
    g_.name = std::move(name);
    g_.median_response_hours = percentile(hours_, 0.5);
    g_.p90_response_hours = percentile(hours_, 0.9);
    for (auto& [key, r] : reasons_) g_.reasons.push_back({key, r.example, r.count});
    std::stable_sort(g_.reasons.begin(), g_.reasons.end(),
                     [](const ReasonCount& a, const ReasonCount& b) { return a.count > b.count; });
    if (g_.reasons.size() > settings.top_reasons) {
      ReasonCount other{"(other reasons)", "", 0};
      for (std::size_t i = settings.top_reasons; i < g_.reasons.size(); ++i) other.count += g_.reasons[i].count;
      g_.reasons.resize(settings.top_reasons);
      g_.reasons.push_back(other);
    }
    g_.small_sample = g_.mqls < settings.small_sample;
    for (const auto& t : settings.targets) {
      if (t.metric == ir::TargetMetric::MqlToWon && !has_outcomes) continue;
      g_.targets.push_back(check(t, g_));
    }
    return std::move(g_);
  }

 private:
  GroupMetrics g_;
  std::vector<double> hours_;
  struct Reason {
    std::uint64_t count = 0;
    std::string example;
  };
  std::map<std::string, Reason> reasons_;
};

std::vector<GroupMetrics> grouped(const std::vector<HandoffLead>& leads, const HandoffSettings& settings,
                                  std::string HandoffLead::*key) {
  std::map<std::string, GroupBuilder> builders;
  for (const auto& lead : leads) builders[lead.*key].add(lead, settings);
  std::vector<GroupMetrics> out;
  for (auto& [name, b] : builders) out.push_back(b.finish(name.empty() ? "(none)" : name, settings, settings.has_outcomes));
  std::stable_sort(out.begin(), out.end(), [](const GroupMetrics& a, const GroupMetrics& b) { return a.mqls > b.mqls; });
  return out;
}

}  // namespace

std::string normalise_words(std::string_view text) {
  std::string out;
  bool gap = false;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (!alnum(c)) {
      gap = true;
      continue;
    }
    if (gap && !out.empty()) out += ' ';
    gap = false;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : ch;
  }
  return out;
}

Disposition disposition_of(std::string_view value, const DispositionWords& extra) {
  const std::string word = normalise_words(value);
  if (word.empty()) return Disposition::Pending;
  if (among(word, extra.accepted)) return Disposition::Accepted;
  if (among(word, extra.rejected)) return Disposition::Rejected;
  if (among(word, extra.pending)) return Disposition::Pending;
  if (among(word, kAccepted)) return Disposition::Accepted;
  if (among(word, kRejected)) return Disposition::Rejected;
  if (among(word, kPending)) return Disposition::Pending;
  return Disposition::Unknown;
}

double GroupMetrics::acceptance() const { return share(accepted, mqls); }
double GroupMetrics::rejection() const { return share(rejected, mqls); }
double GroupMetrics::pending_share() const { return share(pending + unknown, mqls); }
double GroupMetrics::sla_met_share() const { return share(sla_met, sla_met + sla_missed); }
double GroupMetrics::mql_to_won() const { return won + lost + open ? share(won, mqls) : kNaN; }
double GroupMetrics::average_won_amount() const {
  return won_with_amount ? won_amount / static_cast<double>(won_with_amount) : kNaN;
}
double GroupMetrics::mql_value() const {
  const double rate = mql_to_won();
  if (rate == 0) return 0;
  return average_won_amount() * rate;
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const double rank = p * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(rank));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (rank - static_cast<double>(below)) * (values[above] - values[below]);
}

HandoffMetrics compute_handoff_metrics(const std::vector<HandoffLead>& leads, const HandoffSettings& settings) {
  HandoffMetrics m;
  m.has_outcomes = settings.has_outcomes;
  m.working_hours = settings.hours.has_value();
  GroupBuilder all;
  bool any_source = false, any_group = false;
  for (const auto& lead : leads) {
    all.add(lead, settings);
    any_source = any_source || !lead.source.empty();
    any_group = any_group || !lead.group.empty();
  }
  m.all = all.finish("all MQLs", settings, settings.has_outcomes);
  if (any_source) m.by_source = grouped(leads, settings, &HandoffLead::source);
  if (any_group) m.by_group = grouped(leads, settings, &HandoffLead::group);
  return m;
}

std::uint64_t missed_targets(const HandoffMetrics& metrics) {
  std::uint64_t missed = 0;
  auto count = [&](const GroupMetrics& g) {
    if (g.small_sample) return;
    for (const auto& t : g.targets) missed += std::isfinite(t.value) && !t.met;
  };
  count(metrics.all);
  for (const auto& g : metrics.by_source) count(g);
  for (const auto& g : metrics.by_group) count(g);
  return missed;
}

}  // namespace leadscore::jobs

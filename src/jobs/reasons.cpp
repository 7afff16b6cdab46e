#include "jobs/reasons.hpp"

#include <algorithm>

#include "common/diagnostics.hpp"
#include "io/number_format.hpp"

namespace leadscore::jobs {

const char* reason_kind_name(Reason::Kind kind) {
  switch (kind) {
    case Reason::Kind::Rule: return "rule";
    case Reason::Kind::Multiplier: return "multiplier";
    case Reason::Kind::Max: return "max";
    case Reason::Kind::Min: return "min";
    case Reason::Kind::More: return "more";
  }
  return "rule";
}

void limit_reasons(std::vector<Reason>& reasons, std::size_t max) {
  if (max == 0 || reasons.size() <= max) return;
  const double left_out = static_cast<double>(reasons.size() - max);
  reasons.resize(max);
  reasons.push_back(Reason{Reason::Kind::More, {}, left_out});
}

std::vector<Reason> reasons_of(const engine::Graph& graph, const engine::LeadRecord& record, ReasonScope scope) {
  std::vector<Reason> reasons;
  const bool account = scope == ReasonScope::Account;
  for (const auto& section : graph.sections)
    for (const auto& rule : section.rules) {
      if (section.account != account) continue;
      const auto& o = record.rules[static_cast<std::size_t>(rule.ordinal)];
      if (o.fired) reasons.push_back(Reason{Reason::Kind::Rule, rule.label, o.contribution});
    }
  std::stable_sort(reasons.begin(), reasons.end(), [](const Reason& a, const Reason& b) { return a.value > b.value; });
  for (const auto& section : graph.sections)
    for (const auto& m : section.multipliers)
      if (section.account == account && record.multipliers[static_cast<std::size_t>(m.ordinal)].applied)
        reasons.push_back(Reason{Reason::Kind::Multiplier, m.label, m.factor});
  for (std::size_t s = 0; s < graph.sections.size(); ++s) {
    const auto& section = graph.sections[s];
    if (section.account != account) continue;
    switch (record.sections[s].limit) {
      case engine::Limit::Max: reasons.push_back(Reason{Reason::Kind::Max, section.name, *section.max}); break;
      case engine::Limit::Min: reasons.push_back(Reason{Reason::Kind::Min, section.name, *section.min}); break;
      case engine::Limit::None: break;
    }
  }
  return reasons;
}

namespace {

void append_reason_text(std::string& out, const Reason& r) {
  switch (r.kind) {
    case Reason::Kind::Rule:
      io::append_signed_number(out, r.value);
      out += ' ';
      out += r.label;
      break;
    case Reason::Kind::Multiplier:
      out += 'x';
      io::append_number(out, r.value);
      out += ' ';
      out += r.label;
      break;
    case Reason::Kind::Max:
    case Reason::Kind::Min:
      out += r.label;
      out += r.kind == Reason::Kind::Max ? " capped at max " : " raised to min ";
      io::append_number(out, r.value);
      break;
    case Reason::Kind::More:
      out += "(+";
      io::append_number(out, r.value);
      out += " more)";
      break;
  }
}

}  // namespace

std::string reason_text(const Reason& reason) {
  std::string out;
  append_reason_text(out, reason);
  return out;
}

std::string reasons_text(const std::vector<Reason>& reasons) {
  std::string out;
  for (const auto& r : reasons) {
    if (!out.empty()) out += "; ";
    append_reason_text(out, r);
  }
  return out;
}

void append_reasons_json(std::string& out, const std::vector<Reason>& reasons) {
  out += '[';
  for (std::size_t i = 0; i < reasons.size(); ++i) {
    if (i) out += ',';
    out += "{\"kind\":\"";
    out += reason_kind_name(reasons[i].kind);
    out += "\",\"label\":\"";
    out += json_escape(reasons[i].label);
    out += "\",\"value\":";
    io::append_number(out, reasons[i].value);
    out += '}';
  }
  out += ']';
}

}  // namespace leadscore::jobs

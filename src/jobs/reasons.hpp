#pragma once
// Why a lead has its score, as data: the rules that fired with the points each added, the
// multipliers that applied, the section limits that held. Read from the outcome record; only the
// writers turn it into text (CSV) or objects (JSON lines).
#include <string>
#include <string_view>
#include <vector>

#include "engine/exec/outcome.hpp"

namespace leadscore::jobs {

struct Reason {
  // More: the reasons left out by --reasons-max (value: how many), always last.
  enum class Kind { Rule, Multiplier, Max, Min, More };
  Kind kind = Kind::Rule;
  std::string_view label;  // the rule or multiplier label, or the section name for Max / Min
  double value = 0;        // points added, the factor, or the limit
  friend bool operator==(const Reason&, const Reason&) = default;
};

const char* reason_kind_name(Reason::Kind kind);  // "rule", "multiplier", "max", "min", "more"

// In display order: fired rules by contribution (largest first, ties in declaration order), then the
// multipliers that applied, then each section held at a limit. Labels point into `graph`. A lead's
// reasons are those of its own sections (its score); an account's, those of the account sections.
enum class ReasonScope { Lead, Account };
std::vector<Reason> reasons_of(const engine::Graph& graph, const engine::LeadRecord& record,
                               ReasonScope scope = ReasonScope::Lead);

// Keeps the first `max` reasons (0: all) and, when some are left out, ends with a More reason
// that counts them: "+40 Demo request; +20 Enterprise; (+3 more)".
void limit_reasons(std::vector<Reason>& reasons, std::size_t max);

// One reason as text: "+40 Demo request", "-10 Free-mail address", "x1.2 Core vertical",
// "interest capped at max 100", "fit raised to min 0".
std::string reason_text(const Reason& reason);
// The reasons cell of the CSV output: reason_text() of each, joined by "; ".
std::string reasons_text(const std::vector<Reason>& reasons);
// A JSON array: [{"kind":"rule","label":"Demo request","value":40}, ...].
void append_reasons_json(std::string& out, const std::vector<Reason>& reasons);

}  // namespace leadscore::jobs

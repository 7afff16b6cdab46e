#pragma once
// "Why is this lead not an MQL?" (or not "hot", or failing a gate): the parts of the condition that
// failed, by how much, and which missing values left a part unknown. Built from one evaluated lead.
#include <optional>
#include <string>
#include <vector>

#include "engine/exec/outcome.hpp"
#include "jobs/expression_text.hpp"

namespace leadscore::jobs {

struct ConditionPart {
  std::string condition;  // as written: `fit >= 40`, or a gate criterion's label
  std::int8_t truth = engine::kFalse;
  std::string detail;     // plain words: `fit = 35: 5 points short of 40`
  // For a comparison of numbers: the lead's value, the value compared with, and how far the lead is
  // from making it true (0 when it holds).
  std::optional<double> value, threshold, gap;
  std::vector<std::string> missing;  // fields whose missing value left the part unknown
  std::vector<ConditionPart> parts;  // a gate's criteria, or the alternatives of an `or`
};

struct WhyNot {
  std::string target;     // `mql`, `gate cpal`, `quadrant "hot"`
  std::string condition;  // the whole condition as written
  bool holds = false;     // the lead is that (nothing failed)
  std::string note;       // e.g. an earlier classify branch wins
  std::vector<ConditionPart> parts;  // the conjuncts of the condition
};

// `target`: "mql", a gate name, a classify value (`hot`) or `CLASSIFY=VALUE` when a value is in
// several classifies. nullopt with `error` (naming the choices) when there is no such target.
std::optional<WhyNot> why_not(const PreparedRun& run, const ExpressionText& text, const engine::LeadRecord& record,
                              const std::string& target, std::string& error);

std::string why_not_text(const WhyNot& w);

}  // namespace leadscore::jobs

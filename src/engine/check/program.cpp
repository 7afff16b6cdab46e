#include "engine/check/program.hpp"

#include <cmath>

#include <fmt/format.h>

namespace leadscore::ir {

const char* type_name(Type t) {
  switch (t) {
    case Type::Error: return "error";
    case Type::Bool: return "bool";
    case Type::Number: return "number";
    case Type::String: return "string";
    case Type::Instant: return "instant";
  }
  return "?";
}

const char* op_name(Op op) {
  switch (op) {
    case Op::Const: return "const";
    case Op::LeadField: return "field";
    case Op::EventField: return "event_field";
    case Op::SectionRef: return "section";
    case Op::GateRef: return "gate";
    case Op::ClassifyRef: return "classify";
    case Op::ScoreRef: return "score";
    case Op::MqlRef: return "mql";
    case Op::AggCount: return "count";
    case Op::AggExists: return "exists";
    case Op::AggSum: return "sum";
    case Op::AggDaysSinceLast: return "days_since_last";
    case Op::Not: return "not";
    case Op::And: return "and";
    case Op::Or: return "or";
    case Op::Eq: return "==";
    case Op::Ne: return "!=";
    case Op::Lt: return "<";
    case Op::Le: return "<=";
    case Op::Gt: return ">";
    case Op::Ge: return ">=";
    case Op::Between: return "between";
    case Op::InList: return "in";
    case Op::NotInList: return "not in";
    case Op::ContainsAny: return "contains any";
    case Op::Contains: return "contains";
    case Op::StartsWith: return "starts with";
    case Op::EndsWith: return "ends with";
    case Op::IsMissing: return "is missing";
    case Op::IsPresent: return "is present";
    case Op::Neg: return "neg";
    case Op::Add: return "+";
    case Op::Sub: return "-";
    case Op::Mul: return "*";
    case Op::Div: return "/";
    case Op::Domain: return "domain";
    case Op::Lower: return "lower";
    case Op::Upper: return "upper";
    case Op::Length: return "length";
    case Op::DaysSince: return "days_since";
    case Op::DayOfWeek: return "day_of_week";
    case Op::Hour: return "hour";
    case Op::Month: return "month";
    case Op::AccountField: return "account_field";
    case Op::AccountAgg: return "account_aggregate";
  }
  return "?";
}

std::string threshold_key(const std::string& score, Op op, double written) {
  const bool whole = written == static_cast<double>(static_cast<long long>(written)) && std::fabs(written) < 1e15;
  return whole ? fmt::format("{} {} {}", score, op_name(op), static_cast<long long>(written))
               : fmt::format("{} {} {}", score, op_name(op), written);
}

}  // namespace leadscore::ir

#include "engine/lint/score_ranges.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

namespace leadscore {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// a x b where 0 x infinity is 0 (no points, whatever the factor).
double times(double a, double b) { return a == 0 || b == 0 ? 0 : a * b; }

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "unbounded" : "-unbounded";
  return fmt::format("{}", std::round(v * 1000) / 1000);
}

// The smallest and largest product of any subset of the factors (1 for none).
std::pair<double, double> factor_range(const std::vector<ir::Multiplier>& multipliers) {
  bool all_positive = true;
  for (const auto& m : multipliers) all_positive = all_positive && m.factor > 0;
  if (all_positive) {
    double low = 1, high = 1;
    for (const auto& m : multipliers) (m.factor < 1 ? low : high) *= m.factor;
    return {low, high};
  }
  if (multipliers.size() > 16) return {-kInf, kInf};
  double low = kInf, high = -kInf;
  for (std::uint32_t subset = 0; subset < (1u << multipliers.size()); ++subset) {
    double product = 1;
    for (std::size_t i = 0; i < multipliers.size(); ++i)
      if (subset & (1u << i)) product *= multipliers[i].factor;
    low = std::min(low, product);
    high = std::max(high, product);
  }
  return {low, high};
}

enum class Verdict { Depends, Never, Always };

struct Reading {
  Verdict verdict = Verdict::Depends;
  std::string why;  // `fit is at most 100 (its max)`
};

// Why a range ends where it does, in words.
struct Bounds {
  ValueRange range;
  std::string low_why, high_why;
};

Bounds bounds_of(const ir::Program& program, std::int32_t section, const ScoringNumbers* numbers) {
  auto one = [&](std::size_t s) {
    const ir::Section& sec = program.sections[s];
    const auto* rules = numbers ? &numbers->rules[s] : nullptr;
    const auto* limits = numbers ? &numbers->limits[s] : nullptr;
    Bounds b;
    b.range = section_range(sec, rules, limits);
    const std::optional<double> max = limits ? limits->max : sec.max, min = limits ? limits->min : sec.min;
    const char* factor = sec.multipliers.empty() ? "" : " under its multipliers";
    b.high_why = max && b.range.high == *max ? fmt::format("its max {}", number(*max))
                                             : fmt::format("the sum of its positive points{}", factor);
    b.low_why = min && b.range.low == *min ? fmt::format("its min {}", number(*min))
                                           : fmt::format("the sum of its negative points{}", factor);
    return b;
  };
  if (section >= 0) return one(static_cast<std::size_t>(section));
  Bounds total;
  for (std::size_t s = 0; s < program.sections.size(); ++s) {
    if (program.sections[s].account) continue;  // the lead's score is its own sections'
    Bounds b = one(s);
    total.range.low += b.range.low;
    total.range.high += b.range.high;
  }
  total.low_why = "the sum of the sections' lowest values";
  total.high_why = "the sum of the sections' highest values";
  return total;
}

Reading read(ir::Op op, double t, const Bounds& b, const std::string& name) {
  const double lo = b.range.low, hi = b.range.high;
  auto at_most = [&] { return fmt::format("{} is at most {} ({})", name, number(hi), b.high_why); };
  auto at_least = [&] { return fmt::format("{} is at least {} ({})", name, number(lo), b.low_why); };
  switch (op) {
    case ir::Op::Ge:
      if (hi < t) return {Verdict::Never, at_most()};
      if (lo >= t) return {Verdict::Always, at_least()};
      break;
    case ir::Op::Gt:
      if (hi <= t) return {Verdict::Never, at_most()};
      if (lo > t) return {Verdict::Always, at_least()};
      break;
    case ir::Op::Le:
      if (lo > t) return {Verdict::Never, at_least()};
      if (hi <= t) return {Verdict::Always, at_most()};
      break;
    case ir::Op::Lt:
      if (lo >= t) return {Verdict::Never, at_least()};
      if (hi < t) return {Verdict::Always, at_most()};
      break;
    case ir::Op::Eq:
      if (t > hi) return {Verdict::Never, at_most()};
      if (t < lo) return {Verdict::Never, at_least()};
      break;
    default: break;
  }
  return {};
}

ir::Op mirrored(ir::Op op) {
  switch (op) {
    case ir::Op::Lt: return ir::Op::Gt;
    case ir::Op::Le: return ir::Op::Ge;
    case ir::Op::Gt: return ir::Op::Lt;
    case ir::Op::Ge: return ir::Op::Le;
    default: return op;
  }
}

// One score compared with one number: `fit >= 30` (the between bounds are two of these).
struct Comparison {
  std::int32_t section = -1;  // -1: score
  ir::Op op = ir::Op::Ge;
  double written = 0;
  bool half_of_between = false;  // `fit between 0 and 30` is not vacuous because one end is
};

std::vector<Comparison> comparisons_of(const ir::Program& program, const ir::Node& node) {
  auto at = [&](std::size_t k) -> const ir::Node& { return program.nodes[static_cast<std::size_t>(node.args[k])]; };
  auto score_of = [](const ir::Node& n) -> std::optional<std::int32_t> {
    if (n.op == ir::Op::SectionRef) return n.index;
    if (n.op == ir::Op::ScoreRef) return -1;
    return std::nullopt;
  };
  // A number as written: `30`, `-20` (a negated constant).
  auto number_of = [&](const ir::Node& n) -> std::optional<double> {
    if (n.op == ir::Op::Const && n.type == ir::Type::Number && !n.constant.missing) return n.constant.number;
    if (n.op == ir::Op::Neg) {
      const ir::Node& inner = program.nodes[static_cast<std::size_t>(n.args[0])];
      if (inner.op == ir::Op::Const && inner.type == ir::Type::Number && !inner.constant.missing) return -inner.constant.number;
    }
    return std::nullopt;
  };
  std::vector<Comparison> out;
  if (node.operand_type != ir::Type::Number) return out;
  switch (node.op) {
    case ir::Op::Between:
      if (auto s = score_of(at(0))) {
        if (auto lo = number_of(at(1))) out.push_back({*s, ir::Op::Ge, *lo, true});
        if (auto hi = number_of(at(2))) out.push_back({*s, ir::Op::Le, *hi, true});
      }
      break;
    case ir::Op::Eq: case ir::Op::Lt: case ir::Op::Le: case ir::Op::Gt: case ir::Op::Ge:
      if (auto s = score_of(at(0)); s && number_of(at(1))) out.push_back({*s, node.op, *number_of(at(1))});
      else if (auto s2 = score_of(at(1)); s2 && number_of(at(0))) out.push_back({*s2, mirrored(node.op), *number_of(at(0))});
      break;
    default: break;
  }
  return out;
}

}  // namespace

ValueRange section_range(const ir::Section& section, const std::vector<ScoringNumbers::Rule>* rules,
                         const ScoringNumbers::Limits* limits) {
  double low = 0, high = 0;
  for (std::size_t r = 0; r < section.rules.size(); ++r) {
    const ir::Rule& rule = section.rules[r];
    const double points = rules ? (*rules)[r].points : rule.points;
    const std::optional<double> cap = rules ? (*rules)[r].cap : rule.cap;
    if (points == 0) continue;
    // A when-rule adds its points once; an each-rule once per event, up to its `max`.
    const double most = !rule.each ? std::fabs(points) : cap ? *cap : kInf;
    (points > 0 ? high : low) += points > 0 ? most : -most;
  }
  const auto [f_low, f_high] = factor_range(section.multipliers);
  const double corners[] = {times(low, f_low), times(low, f_high), times(high, f_low), times(high, f_high)};
  double lo = *std::min_element(std::begin(corners), std::end(corners));
  double hi = *std::max_element(std::begin(corners), std::end(corners));
  const std::optional<double> max = limits ? limits->max : section.max, min = limits ? limits->min : section.min;
  // The value is the sum clamped to the limits (max first, then min), and clamping keeps the order.
  auto clamp = [&](double v) {
    if (max && v > *max) v = *max;
    if (min && v < *min) v = *min;
    return v;
  };
  return ValueRange{clamp(lo), clamp(hi)};
}

void lint_score_ranges(const ir::Program& program, const ScoringNumbers* numbers, Diagnostics& diags) {
  std::vector<Bounds> written(program.sections.size() + 1), adopted(program.sections.size() + 1);
  for (std::int32_t s = -1; s < static_cast<std::int32_t>(program.sections.size()); ++s) {
    written[static_cast<std::size_t>(s + 1)] = bounds_of(program, s, nullptr);
    if (numbers) adopted[static_cast<std::size_t>(s + 1)] = bounds_of(program, s, numbers);
  }
  for (const auto& node : program.nodes) {
    for (const Comparison& c : comparisons_of(program, node)) {
      const std::string name = c.section < 0 ? "score" : program.sections[static_cast<std::size_t>(c.section)].name;
      const std::string key = ir::threshold_key(name, c.op, c.written);
      Reading as_written = read(c.op, c.written, written[static_cast<std::size_t>(c.section + 1)], name);
      if (c.half_of_between && as_written.verdict == Verdict::Always) as_written = {};
      if (!numbers) {
        if (as_written.verdict == Verdict::Never)
          diags.warning(program.source, node.pos, Code::UnreachableThreshold, fmt::format("`{}` is never true: {}", key, as_written.why),
                        "a threshold beyond the score's range selects no lead; fix the number or the limits");
        else if (as_written.verdict == Verdict::Always)
          diags.warning(program.source, node.pos, Code::VacuousThreshold, fmt::format("`{}` is always true: {}", key, as_written.why),
                        "a threshold every lead passes filters nothing; fix the number or remove the comparison");
        continue;
      }
      if (as_written.verdict != Verdict::Depends) continue;  // already reported for the written points
      auto it = numbers->thresholds.find(key);
      const double value = it == numbers->thresholds.end() ? c.written : it->second;
      const Reading as_adopted = read(c.op, value, adopted[static_cast<std::size_t>(c.section + 1)], name);
      if (as_adopted.verdict == Verdict::Depends) continue;
      if (c.half_of_between && as_adopted.verdict == Verdict::Always) continue;
      const std::string shown = it == numbers->thresholds.end()
                                    ? fmt::format("`{}`", key)
                                    : fmt::format("`{}` (adopted for `{}`)", ir::threshold_key(name, c.op, value), key);
      diags.warning(program.source, node.pos,
                    as_adopted.verdict == Verdict::Never ? Code::UnreachableThreshold : Code::VacuousThreshold,
                    fmt::format("{}, {} is {} true: {}", numbers->source, shown,
                                as_adopted.verdict == Verdict::Never ? "never" : "always", as_adopted.why),
                    "re-run `leadscore calibrate` to adopt thresholds for the calibrated points, or remove the "
                    "`calibration` line");
    }
  }
}

}  // namespace leadscore

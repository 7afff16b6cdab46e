#include "engine/check/ruleset_hash.hpp"

#include <fmt/format.h>

#include "common/hash.hpp"

namespace leadscore {
namespace {

// Appends values with their lengths, so that no two programs serialise to the same bytes.
struct Canonical {
  std::string out;
  void text(std::string_view s) { (out += std::to_string(s.size()) + ':') += s; }
  void number(double v) { out += fmt::format("{};", v); }
  void integer(std::int64_t v) { out += std::to_string(v) + ';'; }
  void optional_number(const std::optional<double>& v) { v ? number(*v) : text("-"); }
};

void fields(Canonical& c, const std::vector<ir::Field>& fields) {
  c.integer(static_cast<std::int64_t>(fields.size()));
  for (const auto& f : fields) {
    c.text(f.name);
    c.integer(static_cast<std::int64_t>(f.type));
    c.text(f.column);
    c.integer(f.from_row_number);
  }
}

}  // namespace

std::string ruleset_hash(const ir::Program& p) {
  Canonical c;
  c.text("leadscore-ruleset/1");
  c.text(p.name);
  fields(c, p.lead_fields);
  c.integer(p.lead_id_field);
  c.integer(p.has_activity);
  fields(c, p.activity_fields);
  c.integer(p.activity_lead_field);
  c.integer(p.activity_time_field);
  c.integer(static_cast<std::int64_t>(p.lists.size()));
  for (const auto& list : p.lists) {
    c.text(list.name);
    c.integer(static_cast<std::int64_t>(list.entries.size()));
    for (const auto& e : list.entries) c.text(e);
  }
  c.integer(static_cast<std::int64_t>(p.nodes.size()));
  for (const auto& n : p.nodes) {
    c.integer(static_cast<std::int64_t>(n.op));
    c.integer(static_cast<std::int64_t>(n.type));
    c.integer(static_cast<std::int64_t>(n.operand_type));
    c.integer(static_cast<std::int64_t>(n.domain));
    for (ir::NodeId a : n.args) c.integer(a);
    c.integer(n.index);
    c.integer(n.constant.missing);
    c.number(n.constant.number);
    c.integer(n.constant.boolean);
    c.integer(n.constant.instant);
    c.text(n.constant.text);
  }
  c.integer(static_cast<std::int64_t>(p.aggregates.size()));
  for (const auto& a : p.aggregates) {
    c.integer(static_cast<std::int64_t>(a.kind));
    c.integer(a.filter);
    c.integer(a.within.value_or(-1));
    c.integer(a.sum_field);
    c.number(a.half_life);
  }
  c.integer(static_cast<std::int64_t>(p.sections.size()));
  for (const auto& s : p.sections) {
    c.text(s.name);
    c.optional_number(s.max);
    c.optional_number(s.min);
    c.integer(static_cast<std::int64_t>(s.rules.size()));
    for (const auto& r : s.rules) {  // points and cap left out: calibration replaces them
      c.text(r.label);
      c.integer(r.each);
      c.integer(r.condition);
      c.integer(r.aggregate);
    }
    c.integer(static_cast<std::int64_t>(s.multipliers.size()));
    for (const auto& m : s.multipliers) {
      c.text(m.label);
      c.integer(m.condition);
      c.number(m.factor);
    }
  }
  c.integer(static_cast<std::int64_t>(p.gates.size()));
  for (const auto& g : p.gates) {
    c.text(g.name);
    c.integer(static_cast<std::int64_t>(g.criteria.size()));
    for (const auto& k : g.criteria) {
      c.text(k.label);
      c.integer(k.labeled);
      c.integer(k.condition);
    }
  }
  c.integer(p.has_mql);
  c.integer(p.mql);
  c.integer(static_cast<std::int64_t>(p.classifies.size()));
  for (const auto& k : p.classifies) {
    c.text(k.name);
    c.integer(static_cast<std::int64_t>(k.branches.size()));
    for (const auto& b : k.branches) {
      c.text(b.value);
      c.integer(b.condition);
    }
  }
  if (p.account_key) {  // only then: the hashes of rulesets without accounts stay as they were
    c.text("accounts");
    c.integer(p.account_key->key);
    c.integer(p.account_key->except);
    fields(c, p.account_fields);
    c.integer(p.account_id_field);
    c.integer(static_cast<std::int64_t>(p.account_aggregates.size()));
    for (const auto& a : p.account_aggregates) {
      c.integer(static_cast<std::int64_t>(a.kind));
      c.integer(a.value);
      c.integer(a.filter);
      c.integer(a.top);
    }
    for (const auto& s : p.sections)
      for (const auto& r : s.rules) c.integer(r.leads_aggregate);
    c.integer(p.has_mqa);
    c.integer(p.mqa);
  }
  return fnv1a_hex(c.out);
}

}  // namespace leadscore

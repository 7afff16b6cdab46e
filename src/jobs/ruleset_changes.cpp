#include "jobs/ruleset_changes.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "format/expr_printer.hpp"
#include "io/number_format.hpp"

namespace leadscore::jobs {

namespace {

struct Entry {
  std::string kind, name;
  std::string scope;  // rules and multipliers: their section (a label is unique in the ruleset)
  std::string text;   // canonical; what is compared
  std::vector<std::string> entries;  // lists: compared as a set, whatever the spelling of the source
  std::string parent;  // key of the declaration that holds it
  SourcePos pos;
};

std::string number(const ast::Number& n) { return io::format_number(n.value); }
std::string expr(const ast::ExprPtr& e) { return e ? format::print_expr(*e) : ""; }

class Collector {
 public:
  explicit Collector(const RulesetVersion& version) : version_(version) {
    const ast::RulesFile& file = *version.file;
    if (file.ruleset) add("ruleset", "name", "", format::quote_string(file.ruleset->name), "", file.ruleset->name_pos);
    for (const auto& d : file.declarations) std::visit([&](const auto& decl) { collect(decl); }, d);
    attach_adopted();
  }
  std::vector<std::string> order;  // keys in declaration order
  std::map<std::string, Entry> entries;

 private:
  static std::string key(const std::string& kind, const std::string& name) { return kind + '\x1f' + name; }

  Entry& add(const std::string& kind, const std::string& name, const std::string& scope, std::string text,
             const std::string& parent, SourcePos pos) {
    std::string k = key(kind, name);
    if (!entries.count(k)) order.push_back(k);
    Entry& e = entries[k];
    e = Entry{kind, name, scope, std::move(text), {}, parent, pos};
    return e;
  }

  void collect(const ast::Schema& d) {
    const char* side = d.kind == ast::SchemaKind::Lead      ? "lead"
                       : d.kind == ast::SchemaKind::Account ? "account"
                                                            : "activity";
    for (const auto& f : d.fields) {
      std::string text = ast::field_type_name(f.type);
      if (f.from_row_number) text += " from row";
      else if (f.from && *f.from != f.name) text += " from " + format::quote_string(*f.from);
      add("field", fmt::format("{}.{}", side, f.name), "", text, "", f.pos);
    }
  }

  void collect(const ast::ListDecl& d) {
    std::string shown = d.inline_items ? format::print_list_ref(*d.inline_items) : "file " + format::quote_string(*d.file);
    Entry& e = add("list", d.name, "", "", "", d.name_pos);
    for (const auto& list : version_.program->lists)
      if (list.name == d.name) e.entries = list.entries;
    if (!d.inline_items) shown += fmt::format(" ({} entries)", e.entries.size());
    e.text = shown;
  }

  void collect(const ast::LetDecl& d) { add("let", d.name, "", expr(d.value), "", d.name_pos); }

  void collect(const ast::ScoreDecl& d) {
    const std::string name = d.account ? "account." + d.name : d.name;
    std::string limits;
    if (d.max) limits += "max " + number(*d.max);
    if (d.min) limits += (limits.empty() ? "min " : " min ") + number(*d.min);
    std::string section = key("section", name);
    add("section", name, "", limits.empty() ? "no limits" : limits, "", d.name_pos);
    for (const auto& item : d.items) {
      std::visit(
          [&](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, ast::WhenRule>) {
              add("rule", item.label, name, fmt::format("when {} points {}", expr(body.condition), number(body.points)),
                  section, item.label_pos);
            } else if constexpr (std::is_same_v<T, ast::EachRule>) {
              std::string text = "each activity";
              if (body.where) text += " where " + expr(body.where);
              if (body.within) text += " within " + body.within->text;
              text += " points " + number(body.points);
              if (body.max) text += " max " + number(*body.max);
              if (body.decay) text += " decay " + body.decay->text;
              add("rule", item.label, name, text, section, item.label_pos);
            } else {
              add("multiplier", item.label, name,
                  fmt::format("when {} by {}", expr(body.condition), number(body.factor)), section, item.label_pos);
            }
          },
          item.body);
    }
  }

  void collect(const ast::GateDecl& d) {
    const std::string name = d.account ? "account." + d.name : d.name;
    std::string gate = key("gate", name);
    add("gate", name, "", fmt::format("{} criteria", d.criteria.size()), "", d.name_pos);
    for (const auto& c : d.criteria) {
      std::string condition = expr(c.condition);
      add("criterion", fmt::format("{}: {}", name, c.label.value_or(condition)), "", condition, gate, c.pos);
    }
  }

  void collect(const ast::MqlDecl& d) {
    const char* word = d.account ? "mqa" : "mql";
    add(word, word, "", "when " + expr(d.condition), "", d.pos);
  }

  void collect(const ast::AccountKeyDecl& d) {
    add("account key", "account key", "", expr(d.key) + (d.except ? " except " + format::print_list_ref(*d.except) : ""),
        "", d.pos);
  }

  void collect(const ast::ClassifyDecl& d) {
    const std::string name = d.account ? "account." + d.name : d.name;
    std::string order_text;
    for (const auto& b : d.branches) order_text += (order_text.empty() ? "" : ", ") + format::quote_string(b.value);
    std::string classify = key("classify", name);
    add("classify", name, "", "branches in order: " + order_text, "", d.name_pos);
    for (const auto& b : d.branches)
      add("branch", fmt::format("{}: {}", name, b.value), "", b.condition ? "when " + expr(b.condition) : "otherwise",
          classify, b.value_pos);
  }

  void collect(const ast::CalibrationDecl& d) {
    std::string text = format::quote_string(d.path);
    text += version_.weights_hash.empty() ? " (weights file unreadable)" : " (weights hash " + version_.weights_hash + ")";
    add("calibration", "calibration", "", text, "", d.path_pos);
  }

  // Routes as rules are: each one's condition, queue, SLA and owner is what a reviewer compares.
  void collect(const ast::HandoffDecl& d) {
    for (const auto& r : d.routes) {
      std::string text = (r.condition ? "when " + expr(r.condition) : std::string("otherwise")) + " to " +
                         format::quote_string(r.queue);
      if (r.sla) text += " within " + r.sla->text;
      if (r.owner_field) text += " owner " + *r.owner_field;
      if (r.round_robin) text += " owner round robin";
      add("route", r.label, "", text, "", r.label_pos);
    }
    if (d.working_hours) add("working hours", "working hours", "", format::quote_string(*d.working_hours), "", d.working_hours_pos);
  }

  // An adopted number belongs to the item whose text holds it: the last one that starts before it
  // (items start at their label or name, which comes before their condition).
  void attach_adopted() {
    std::vector<std::pair<std::uint32_t, std::string>> starts;
    for (const auto& k : order) starts.emplace_back(entries.at(k).pos.offset, k);
    std::stable_sort(starts.begin(), starts.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::map<std::string, std::vector<std::string>> held;
    for (const auto& a : version_.adopted) {
      if (!a.section.empty()) {
        if (entries.count(key("section", a.section))) held[key("section", a.section)].push_back(a.text);
        continue;
      }
      auto after = std::upper_bound(starts.begin(), starts.end(), a.offset,
                                    [](std::uint32_t offset, const auto& s) { return offset < s.first; });
      if (after == starts.begin()) continue;
      held[std::prev(after)->second].push_back(a.text);
    }
    for (const auto& [k, texts] : held) {
      std::string note;
      for (const auto& t : texts) note += (note.empty() ? "" : ", ") + t;
      entries.at(k).text += " (calibrated: " + note + ")";
    }
  }

  void collect(const ast::OutputDecl& d) {
    for (const auto& r : d.renames) add("output name", r.column, "", format::quote_string(r.name), "", r.pos);
  }

  const RulesetVersion& version_;
};

std::string entry_list(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < 5; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > 5) out += fmt::format(", ... {} more", items.size() - 5);
  return out;
}

// "+2 (DE, FR), -1 (US)" when the entries differ as sets; empty when they are the same.
std::string list_detail(const std::vector<std::string>& old_entries, const std::vector<std::string>& new_entries) {
  std::set<std::string> a(old_entries.begin(), old_entries.end()), b(new_entries.begin(), new_entries.end());
  std::vector<std::string> added, removed;
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(), std::back_inserter(added));
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(removed));
  std::string out;
  if (!added.empty()) out += fmt::format("+{} ({})", added.size(), entry_list(added));
  if (!removed.empty()) out += fmt::format("{}-{} ({})", out.empty() ? "" : ", ", removed.size(), entry_list(removed));
  return out;
}

}  // namespace

std::vector<RulesetChange> ruleset_changes(const RulesetVersion& old_version, const RulesetVersion& new_version) {
  Collector a(old_version), b(new_version);
  std::vector<RulesetChange> changes;
  for (const auto& k : b.order) {
    const Entry& e = b.entries.at(k);
    auto it = a.entries.find(k);
    RulesetChange c{e.kind, e.name, "", "", e.text, "", e.pos.line, e.pos.column};
    if (it == a.entries.end()) {
      c.what = "added";
      changes.push_back(std::move(c));
      continue;
    }
    const Entry& o = it->second;
    c.old_text = o.text;
    if (e.kind == "list") {
      c.detail = list_detail(o.entries, e.entries);
      if (c.detail.empty()) continue;  // same entries, whether inline or from a file, however written
      c.what = "changed";
    } else if (o.scope != e.scope) {
      c.what = "moved";
      c.old_text = o.scope + ": " + o.text;
      c.new_text = e.scope + ": " + e.text;
    } else if (o.text != e.text) {
      c.what = "changed";
    } else {
      continue;
    }
    changes.push_back(std::move(c));
  }
  for (const auto& k : a.order) {
    if (b.entries.count(k)) continue;
    const Entry& o = a.entries.at(k);
    RulesetChange c{o.kind, o.name, "removed", o.text, "", "", 0, 0};
    if (auto parent = b.entries.find(o.parent); !o.parent.empty() && parent != b.entries.end())
      c.line = parent->second.pos.line, c.column = parent->second.pos.column;
    changes.push_back(std::move(c));
  }
  return changes;
}

std::string change_text(const RulesetChange& c) {
  std::string s = fmt::format("{} \"{}\" {}", c.kind, c.name, c.what);
  if (c.what == "added") s += ": " + c.new_text;
  else if (c.what == "removed") s += ": " + c.old_text;
  else if (!c.detail.empty()) s += ": " + c.detail;
  else s += ": " + c.old_text + " -> " + c.new_text;
  return s;
}

}  // namespace leadscore::jobs

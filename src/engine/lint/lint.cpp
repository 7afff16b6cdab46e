#include "engine/lint/lint.hpp"

#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <type_traits>
#include <unordered_map>

#include <fmt/format.h>

#include "engine/check/checker.hpp"
#include "engine/lint/interval.hpp"
#include "engine/lint/tier_overlaps.hpp"
#include "engine/lint/score_ranges.hpp"
#include "common/text.hpp"
#include "format/expr_printer.hpp"
#include "parser/parser.hpp"

namespace leadscore {
namespace {

using format::print_expr;
using lint::Interval;
constexpr int kMaxLetDepth = 64;  // the checker rejects cycles; this only bounds the walk

// Four half-lives in the half-life's own unit: `decay 30d` suggests `within 120d`.
std::string window_hint(const ast::Duration& half_life) {
  char unit = half_life.text.empty() ? 'd' : half_life.text.back();
  std::int64_t unit_seconds = unit == 'h' ? 3600 : unit == 'w' ? 604800 : 86400;
  return fmt::format("{}{}", 4 * (half_life.seconds / unit_seconds), unit);
}

// ---- constants ------------------------------------------------------------------------------------

class Linter;

// A conjunct of a condition's top-level `and` chain (lets expanded), with the position to report:
// its own position, or that of the let reference it came through.
struct Conjunct {
  const ast::Expr* expr;
  SourcePos pos;
};

// What one conjunct says about one value: a numeric range, or a string equality / inequality.
struct Constraint {
  std::string key;  // canonical text of the constrained value: `employees`, `count(activity ...)`
  bool numeric = true;
  Interval range;
  bool string_equal = true;  // for strings: == (true) or != (false)
  std::string text;          // the normalised string
};

class Linter {
 public:
  Linter(const ast::RulesFile& file, const ir::Program& program, Diagnostics& diags)
      : file_(file), program_(program), diags_(diags) {
    for (const auto& d : file.declarations) {
      if (auto* let = std::get_if<ast::LetDecl>(&d)) lets_.emplace(let->name, let);
      if (auto* list = std::get_if<ast::ListDecl>(&d)) lists_.emplace(list->name, list);
    }
  }

  void run() {
    for (const auto& d : file_.declarations) {
      std::visit([&](const auto& decl) { declaration(decl); }, d);
    }
    unused_names();
  }

 private:
  const ast::RulesFile& file_;
  const ir::Program& program_;
  Diagnostics& diags_;
  std::unordered_map<std::string, const ast::LetDecl*> lets_;
  std::unordered_map<std::string, const ast::ListDecl*> lists_;

  void warn(Code code, SourcePos pos, std::string message, std::string hint) {
    diags_.warning(file_.source, pos, code, std::move(message), std::move(hint));
  }

  const ast::Expr* let_value(const ast::Expr& e) const {
    auto* ref = std::get_if<ast::NameRef>(&e.node);
    if (!ref || ref->account) return nullptr;
    auto it = lets_.find(ref->name);
    return it == lets_.end() || !it->second->value ? nullptr : it->second->value.get();
  }

  // -- folding ------------------------------------------------------------------------------------

  std::optional<double> number(const ast::Expr& e, int depth = 0) const {
    if (depth > kMaxLetDepth) return std::nullopt;
    if (auto* n = std::get_if<ast::NumberLit>(&e.node)) return n->value;
    if (auto* u = std::get_if<ast::Unary>(&e.node); u && u->op == ast::UnaryOp::Negate) {
      auto v = number(*u->operand, depth + 1);
      if (v) return -*v;
      return std::nullopt;
    }
    if (auto* b = std::get_if<ast::Binary>(&e.node)) {
      if (b->op != ast::BinaryOp::Add && b->op != ast::BinaryOp::Sub && b->op != ast::BinaryOp::Mul &&
          b->op != ast::BinaryOp::Div)
        return std::nullopt;
      auto l = number(*b->lhs, depth + 1), r = number(*b->rhs, depth + 1);
      if (!l || !r) return std::nullopt;
      switch (b->op) {
        case ast::BinaryOp::Add: return *l + *r;
        case ast::BinaryOp::Sub: return *l - *r;
        case ast::BinaryOp::Mul: return *l * *r;
        default: if (*r == 0) return std::nullopt; return *l / *r;
      }
    }
    if (auto* v = let_value(e)) return number(*v, depth + 1);
    return std::nullopt;
  }

  static const ast::StringLit* string_literal(const ast::Expr& e) { return std::get_if<ast::StringLit>(&e.node); }

  void disjuncts(const ast::Expr& e, std::vector<const ast::Expr*>& out, int depth) const {
    if (auto* b = std::get_if<ast::Binary>(&e.node); b && b->op == ast::BinaryOp::Or && depth < kMaxLetDepth) {
      disjuncts(*b->lhs, out, depth + 1);
      disjuncts(*b->rhs, out, depth + 1);
    } else if (auto* v = let_value(e); v && depth < kMaxLetDepth) {
      disjuncts(*v, out, depth + 1);
    } else {
      out.push_back(&e);
    }
  }

  // The truth of a condition when it does not depend on the lead, in the language's three-valued
  // logic (unknown counts as "not constant").
  std::optional<bool> truth(const ast::Expr& e, int depth = 0) const {
    if (depth > kMaxLetDepth) return std::nullopt;
    if (auto* b = std::get_if<ast::BoolLit>(&e.node)) return b->value;
    if (auto* v = let_value(e)) return truth(*v, depth + 1);
    if (auto* u = std::get_if<ast::Unary>(&e.node); u && u->op == ast::UnaryOp::Not) {
      auto t = truth(*u->operand, depth + 1);
      if (t) return !*t;
      return std::nullopt;
    }
    if (auto* bw = std::get_if<ast::Between>(&e.node)) {
      auto v = number(*bw->value), lo = number(*bw->low), hi = number(*bw->high);
      if (v && lo && hi) return *lo <= *v && *v <= *hi;
      return std::nullopt;
    }
    auto* b = std::get_if<ast::Binary>(&e.node);
    if (!b) return std::nullopt;
    if (b->op == ast::BinaryOp::And || b->op == ast::BinaryOp::Or) {
      bool is_and = b->op == ast::BinaryOp::And;
      auto l = truth(*b->lhs, depth + 1), r = truth(*b->rhs, depth + 1);
      if ((l && *l != is_and) || (r && *r != is_and)) return !is_and;  // false and X, true or X
      if (l && r) return is_and;
      if (!is_and) {
        // `x is missing or x is present` holds for every lead.
        std::vector<const ast::Expr*> parts;
        disjuncts(e, parts, depth);
        std::set<std::string> missing, present;
        for (const auto* p : parts)
          if (auto* m = std::get_if<ast::MissingTest>(&p->node)) (m->present ? present : missing).insert(print_expr(*m->value));
        for (const auto& key : missing)
          if (present.count(key)) return true;
      }
      return std::nullopt;
    }
    auto l = number(*b->lhs), r = number(*b->rhs);
    if (l && r) {
      switch (b->op) {
        case ast::BinaryOp::Eq: return *l == *r;
        case ast::BinaryOp::Ne: return *l != *r;
        case ast::BinaryOp::Lt: return *l < *r;
        case ast::BinaryOp::Le: return *l <= *r;
        case ast::BinaryOp::Gt: return *l > *r;
        case ast::BinaryOp::Ge: return *l >= *r;
        default: return std::nullopt;
      }
    }
    auto* ls = string_literal(*b->lhs);
    auto* rs = string_literal(*b->rhs);
    if (ls && rs && (b->op == ast::BinaryOp::Eq || b->op == ast::BinaryOp::Ne))
      return (text::normalize(ls->value) == text::normalize(rs->value)) == (b->op == ast::BinaryOp::Eq);
    return std::nullopt;
  }

  // -- conjunctions and constraints ---------------------------------------------------------------

  void conjuncts(const ast::Expr& e, SourcePos report, bool via_let, std::vector<Conjunct>& out, int depth) const {
    if (auto* b = std::get_if<ast::Binary>(&e.node); b && b->op == ast::BinaryOp::And && depth < kMaxLetDepth) {
      conjuncts(*b->lhs, report, via_let, out, depth + 1);
      conjuncts(*b->rhs, report, via_let, out, depth + 1);
    } else if (auto* v = let_value(e); v && depth < kMaxLetDepth) {
      conjuncts(*v, via_let ? report : e.pos, true, out, depth + 1);
    } else {
      out.push_back(Conjunct{&e, via_let ? report : e.pos});
    }
  }

  std::vector<Conjunct> conjuncts_of(const ast::Expr& e) const {
    std::vector<Conjunct> out;
    conjuncts(e, e.pos, false, out, 0);
    return out;
  }

  std::optional<Constraint> constraint(const ast::Expr& e) const {
    if (auto* bw = std::get_if<ast::Between>(&e.node)) {
      auto lo = number(*bw->low), hi = number(*bw->high);
      if (!lo || !hi || number(*bw->value)) return std::nullopt;
      Constraint c;
      c.key = print_expr(*bw->value);
      c.range.lo = *lo;
      c.range.hi = *hi;
      return c;
    }
    auto* b = std::get_if<ast::Binary>(&e.node);
    if (!b) return std::nullopt;
    ast::BinaryOp op = b->op;
    const ast::Expr* value = b->lhs.get();
    const ast::Expr* bound = b->rhs.get();
    auto n = number(*bound);
    if (!n && number(*value)) {  // `5 < x` reads as `x > 5`
      std::swap(value, bound);
      n = number(*bound);
      switch (op) {
        case ast::BinaryOp::Lt: op = ast::BinaryOp::Gt; break;
        case ast::BinaryOp::Le: op = ast::BinaryOp::Ge; break;
        case ast::BinaryOp::Gt: op = ast::BinaryOp::Lt; break;
        case ast::BinaryOp::Ge: op = ast::BinaryOp::Le; break;
        default: break;
      }
    }
    Constraint c;
    if (n && !number(*value)) {
      c.key = print_expr(*value);
      switch (op) {
        case ast::BinaryOp::Eq: c.range.lo = c.range.hi = *n; return c;
        case ast::BinaryOp::Lt: c.range.hi = *n, c.range.hi_open = true; return c;
        case ast::BinaryOp::Le: c.range.hi = *n; return c;
        case ast::BinaryOp::Gt: c.range.lo = *n, c.range.lo_open = true; return c;
        case ast::BinaryOp::Ge: c.range.lo = *n; return c;
        default: return std::nullopt;
      }
    }
    if (op != ast::BinaryOp::Eq && op != ast::BinaryOp::Ne) return std::nullopt;
    const ast::StringLit* s = string_literal(*b->rhs);
    value = b->lhs.get();
    if (!s) s = string_literal(*b->lhs), value = b->rhs.get();
    if (!s || string_literal(*value)) return std::nullopt;
    c.numeric = false;
    c.key = print_expr(*value);
    c.string_equal = op == ast::BinaryOp::Eq;
    c.text = text::normalize(s->value);
    return c;
  }

  static bool conflict(const Constraint& a, const Constraint& b) {
    if (a.key != b.key || a.numeric != b.numeric) return false;
    if (a.numeric) return a.range.intersect(b.range).empty();
    if (a.string_equal && b.string_equal) return a.text != b.text;
    if (a.string_equal != b.string_equal) return a.text == b.text;
    return false;
  }

  // "rule "X" can never fire" when the condition is constant false or its conjunction contradicts
  // itself. `what` names the item: `rule "X"`, `gate cpal's criterion "Y"`.
  // Returns true when it warned (or, with emit = false, would have warned).
  bool never_true(const ast::Expr& condition, const std::string& what, const std::string& outcome, bool emit = true) {
    auto warn = [&](Code code, SourcePos pos, std::string message, std::string hint) {
      if (emit) this->warn(code, pos, std::move(message), std::move(hint));
    };
    if (auto t = truth(condition); t && !*t) {
      warn(Code::ImpossibleCondition, condition.pos,
           fmt::format("{} {}: its condition `{}` is always false", what, outcome, print_expr(condition)),
           "fix the condition or remove the item");
      return true;
    }
    std::vector<std::pair<Constraint, const Conjunct*>> seen;
    auto parts = conjuncts_of(condition);
    for (const auto& part : parts) {
      auto c = constraint(*part.expr);
      if (!c) continue;
      if (c->numeric && c->range.empty()) {
        auto* bw = std::get_if<ast::Between>(&part.expr->node);
        warn(Code::ImpossibleCondition, part.pos,
             fmt::format("{} {}: `{}` matches nothing", what, outcome, print_expr(*part.expr)),
             bw ? fmt::format("`between` needs the smaller bound first: `{} between {} and {}`", c->key,
                              format::print_expr(*bw->high), format::print_expr(*bw->low))
                : "fix the bounds");
        return true;
      }
      for (const auto& [earlier, where] : seen) {
        if (!conflict(earlier, *c)) continue;
        warn(Code::ImpossibleCondition, part.pos,
             fmt::format("{} {}: `{}` and `{}` cannot both be true", what, outcome, print_expr(*where->expr),
                         print_expr(*part.expr)),
             c->numeric ? "the two ranges do not overlap; did you mean `or`, or a different bound?"
                        : "a value cannot equal two different strings; did you mean `or`, or `in [...]`?");
        return true;
      }
      // Several bounds together may leave nothing even when no two conflict alone.
      if (c->numeric) {
        Interval all = c->range;
        std::vector<std::string> texts;
        for (const auto& [earlier, where] : seen)
          if (earlier.numeric && earlier.key == c->key) {
            all = all.intersect(earlier.range);
            texts.push_back(fmt::format("`{}`", print_expr(*where->expr)));
          }
        if (all.empty()) {
          texts.push_back(fmt::format("`{}`", print_expr(*part.expr)));
          warn(Code::ImpossibleCondition, part.pos,
               fmt::format("{} {}: {} leave no value of {}", what, outcome, fmt::join(texts, ", "), c->key),
               "the bounds on one value exclude each other");
          return true;
        }
      }
      seen.emplace_back(std::move(*c), &part);
    }
    return false;
  }

  // The numeric range a tier rule's condition selects: every conjunct bounds the same value.
  std::optional<Constraint> tier_range(const ast::Expr& condition) const {
    std::optional<Constraint> result;
    for (const auto& part : conjuncts_of(condition)) {
      auto c = constraint(*part.expr);
      if (!c || !c->numeric) return std::nullopt;
      if (!result) result = std::move(c);
      else if (result->key != c->key) return std::nullopt;
      else result->range = result->range.intersect(c->range);
    }
    return result;
  }

  // -- declarations -------------------------------------------------------------------------------

  void declaration(const ast::Schema&) {}
  void declaration(const ast::LetDecl&) {}
  void declaration(const ast::CalibrationDecl&) {}
  void declaration(const ast::HandoffDecl&) {}
  void declaration(const ast::OutputDecl&) {}
  void declaration(const ast::AccountKeyDecl&) {}

  void declaration(const ast::ListDecl& d) {
    if (d.inline_items) {
      std::unordered_map<std::string, std::size_t> first;
      for (std::size_t i = 0; i < d.inline_items->items.size(); ++i) {
        auto [it, inserted] = first.emplace(text::normalize(d.inline_items->items[i]), i);
        if (inserted) continue;
        const auto& at = d.inline_items->item_pos[it->second];
        warn(Code::DuplicateListEntry, d.inline_items->item_pos[i],
             fmt::format("list `{}` has {} twice (first at {}:{})", d.name, format::quote_string(d.inline_items->items[i]),
                         at.line, at.column),
             "entries compare ignoring case and surrounding spaces; remove the repeated one");
      }
      return;
    }
    if (!d.file) return;
    std::string path;
    for (const auto& list : program_.lists)
      if (list.name == d.name) path = list.file;
    if (path.empty()) return;
    std::string error;
    auto source = read_source_file(path, error);
    if (!source) return;
    std::unordered_map<std::string, std::uint32_t> first_line;
    std::size_t reported = 0, more = 0;
    for (std::uint32_t line = 1; line <= source->line_count(); ++line) {
      std::string entry(text::trim(source->line(line)));
      if (entry.empty() || entry.front() == '#') continue;
      auto [it, inserted] = first_line.emplace(text::normalize(entry), line);
      if (inserted) continue;
      if (reported++ >= 10) {
        ++more;
        continue;
      }
      warn(Code::DuplicateListEntry, d.name_pos,
           fmt::format("list `{}`: {} appears twice in {} (lines {} and {})", d.name, format::quote_string(entry), *d.file,
                       it->second, line),
           "entries compare ignoring case and surrounding spaces; remove the repeated line");
    }
    if (more)
      warn(Code::DuplicateListEntry, d.name_pos,
           fmt::format("list `{}`: {} more duplicate entries in {}", d.name, more, *d.file),
           "entries compare ignoring case and surrounding spaces; remove the repeated lines");
  }

  void declaration(const ast::ScoreDecl& d) {
    auto what_of = [](const ast::ScoreItem& item) {
      return fmt::format("{} {}", std::holds_alternative<ast::Multiply>(item.body) ? "multiply" : "rule",
                         format::quote_string(item.label));
    };
    // Tier rules first (positive points, one range on one value), so the overlaps are found in
    // one sorted pass rather than by comparing every pair.
    std::vector<lint::Tier> tiers;
    std::vector<const ast::ScoreItem*> tier_items;
    std::vector<std::ptrdiff_t> tier_of(d.items.size(), -1);
    std::vector<bool> fires(d.items.size(), true);  // what never_true said, so the second pass asks again only to warn
    for (std::size_t i = 0; i < d.items.size(); ++i) {
      auto* w = std::get_if<ast::WhenRule>(&d.items[i].body);
      if (!w || !w->condition) continue;
      if (never_true(*w->condition, what_of(d.items[i]), "can never fire", false)) {
        fires[i] = false;
        continue;
      }
      if (w->points.value <= 0) continue;
      auto range = tier_range(*w->condition);
      if (!range || range->range.empty()) continue;
      tier_of[i] = static_cast<std::ptrdiff_t>(tiers.size());
      tiers.push_back(lint::Tier{std::move(range->key), range->range});
      tier_items.push_back(&d.items[i]);
    }
    auto crossings = lint::first_crossing_tiers(tiers);
    for (std::size_t i = 0; i < d.items.size(); ++i) {
      const auto& item = d.items[i];
      std::string what = what_of(item);
      if (auto* w = std::get_if<ast::WhenRule>(&item.body)) {
        if (!w->condition) continue;
        if (!fires[i]) {
          never_true(*w->condition, what, "can never fire");
          continue;
        }
        if (tier_of[i] < 0) continue;
        const auto t = static_cast<std::size_t>(tier_of[i]);
        if (!crossings[t]) continue;
        const lint::Tier& earlier = tiers[*crossings[t]];
        const ast::ScoreItem& earlier_item = *tier_items[*crossings[t]];
        warn(Code::OverlappingTiers, w->condition->pos,
             fmt::format("{} overlaps rule {} (line {}): both add points when {}", what,
                         format::quote_string(earlier_item.label), earlier_item.label_pos.line,
                         earlier.range.intersect(tiers[t].range).describe(tiers[t].key)),
             "tiers usually exclude each other: make one range end where the other starts (`< 1000` / `>= 1000`)");
      } else if (auto* m = std::get_if<ast::Multiply>(&item.body)) {
        if (m->condition) never_true(*m->condition, what, "can never apply");
      } else if (auto* e = std::get_if<ast::EachRule>(&item.body)) {
        if (e->where) never_true(*e->where, what, "can never count an event");
        if (e->decay && e->within && e->decay->seconds > e->within->seconds)
          warn(Code::DecayLongerThanWindow, e->decay->pos,
               fmt::format("{}: half-life {} is longer than its window (within {})", what, e->decay->text, e->within->text),
               "events leave the window before losing half their weight; shorten the half-life or widen the window");
        if (e->decay && !e->within)
          warn(Code::DecayWithoutWindow, e->decay->pos,
               fmt::format("{} decays but has no `within`: every event of the lead's history counts", what),
               fmt::format("add a window to bound the history, e.g. `within {}`", window_hint(*e->decay)));
      }
    }
  }

  void declaration(const ast::GateDecl& d) {
    for (const auto& c : d.criteria) {
      if (!c.condition) continue;
      std::string what = c.label ? fmt::format("gate `{}`: criterion {}", d.name, format::quote_string(*c.label))
                                 : fmt::format("gate `{}`: criterion `{}`", d.name, print_expr(*c.condition));
      if (auto t = truth(*c.condition); t && *t) {
        warn(Code::AlwaysTrueCriterion, c.condition->pos, fmt::format("{} is always true", what),
             "a criterion that holds for every lead filters nothing; fix it or remove it");
        continue;
      }
      never_true(*c.condition, what, "can never be true (so the gate never is)");
    }
  }

  void declaration(const ast::MqlDecl& d) {
    if (d.condition) never_true(*d.condition, d.account ? "`mqa`" : "`mql`", "can never be true");
  }

  void declaration(const ast::ClassifyDecl& d) {
    // The first branch that is always true, and the first branch of each condition: a branch
    // after either can never be chosen.
    std::optional<std::size_t> always_true;
    std::unordered_map<std::string, std::size_t> first_with;
    std::vector<std::string> printed(d.branches.size());
    for (std::size_t i = 0; i < d.branches.size(); ++i) {
      const auto& b = d.branches[i];
      if (!b.condition) continue;
      printed[i] = print_expr(*b.condition);
      first_with.emplace(printed[i], i);
    }
    for (std::size_t i = 0; i < d.branches.size(); ++i) {
      const auto& b = d.branches[i];
      std::string what = fmt::format("classify `{}`: branch {}", d.name, format::quote_string(b.value));
      std::optional<std::size_t> same;
      if (b.condition)
        if (auto it = first_with.find(printed[i]); it != first_with.end() && it->second < i) same = it->second;
      if (always_true && *always_true < i && (!same || *always_true <= *same)) {
        const auto& earlier = d.branches[*always_true];
        warn(Code::UnreachableBranch, b.value_pos,
             fmt::format("{} can never be chosen: branch {} (line {}) before it is always true", what,
                         format::quote_string(earlier.value), earlier.value_pos.line),
             "the first true branch wins; fix the earlier condition or move this branch up");
      } else if (same) {
        const auto& earlier = d.branches[*same];
        warn(Code::UnreachableBranch, b.value_pos,
             fmt::format("{} can never be chosen: branch {} (line {}) has the same condition and comes first", what,
                         format::quote_string(earlier.value), earlier.value_pos.line),
             "the first true branch wins; change one of the two conditions");
      } else if (b.condition) {
        never_true(*b.condition, what, "can never be chosen");
      }
      if (!always_true && b.condition)
        if (auto t = truth(*b.condition); t && *t) always_true = i;
    }
  }

  // -- unused lists and lets ----------------------------------------------------------------------

  void references(const ast::Expr& e, std::vector<std::string>& names) const {
    std::visit(
        [&](const auto& n) {
          using T = std::decay_t<decltype(n)>;
          if constexpr (std::is_same_v<T, ast::NameRef>) {
            if (!n.account) names.push_back(n.name);
          } else if constexpr (std::is_same_v<T, ast::Unary>) {
            references(*n.operand, names);
          } else if constexpr (std::is_same_v<T, ast::Binary>) {
            references(*n.lhs, names);
            references(*n.rhs, names);
          } else if constexpr (std::is_same_v<T, ast::Between>) {
            references(*n.value, names);
            references(*n.low, names);
            references(*n.high, names);
          } else if constexpr (std::is_same_v<T, ast::InList> || std::is_same_v<T, ast::ContainsAny>) {
            references(*n.value, names);
            if (n.list.name) names.push_back(*n.list.name);
          } else if constexpr (std::is_same_v<T, ast::TextMatch>) {
            references(*n.value, names);
            references(*n.pattern, names);
          } else if constexpr (std::is_same_v<T, ast::MissingTest>) {
            references(*n.value, names);
          } else if constexpr (std::is_same_v<T, ast::Call>) {
            for (const auto& a : n.args) references(*a, names);
          } else if constexpr (std::is_same_v<T, ast::Aggregate>) {
            if (n.where) references(*n.where, names);
          } else if constexpr (std::is_same_v<T, ast::LeadsAggregate>) {
            if (n.value) references(*n.value, names);
            if (n.where) references(*n.where, names);
          }
        },
        e.node);
  }

  void unused_names() {
    // Roots: everything that produces an output column. Lets count as used only when a root
    // reaches them, so a let used only by an unused let is unused too.
    std::vector<std::string> pending;
    auto root = [&](const ast::ExprPtr& e) {
      if (e) references(*e, pending);
    };
    for (const auto& d : file_.declarations) {
      if (auto* s = std::get_if<ast::ScoreDecl>(&d)) {
        for (const auto& item : s->items) {
          if (auto* w = std::get_if<ast::WhenRule>(&item.body)) root(w->condition);
          if (auto* e = std::get_if<ast::EachRule>(&item.body)) root(e->where);
          if (auto* m = std::get_if<ast::Multiply>(&item.body)) root(m->condition);
        }
      } else if (auto* g = std::get_if<ast::GateDecl>(&d)) {
        for (const auto& c : g->criteria) root(c.condition);
      } else if (auto* m = std::get_if<ast::MqlDecl>(&d)) {
        root(m->condition);
      } else if (auto* c = std::get_if<ast::ClassifyDecl>(&d)) {
        for (const auto& b : c->branches) root(b.condition);
      } else if (auto* k = std::get_if<ast::AccountKeyDecl>(&d)) {
        root(k->key);
        if (k->except && k->except->name) pending.push_back(*k->except->name);
      } else if (auto* h = std::get_if<ast::HandoffDecl>(&d)) {
        for (const auto& r : h->routes) {
          root(r.condition);
          if (r.round_robin && r.round_robin->name) pending.push_back(*r.round_robin->name);
        }
        for (const auto& r : h->responses) root(r.condition);
      }
    }
    std::set<std::string> used;
    while (!pending.empty()) {
      std::string name = std::move(pending.back());
      pending.pop_back();
      if (!used.insert(name).second) continue;
      auto it = lets_.find(name);
      if (it != lets_.end() && it->second->value) references(*it->second->value, pending);
    }
    for (const auto& d : file_.declarations) {
      if (auto* let = std::get_if<ast::LetDecl>(&d); let && !used.count(let->name))
        warn(Code::UnusedLet, let->name_pos, fmt::format("let `{}` is never used", let->name),
             "no rule, multiplier, gate, mql or classify reaches it; use it or remove it");
      if (auto* list = std::get_if<ast::ListDecl>(&d); list && !used.count(list->name))
        warn(Code::UnusedList, list->name_pos, fmt::format("list `{}` is never used", list->name),
             "no rule, multiplier, gate, mql, classify or used let reads it; use it or remove it");
    }
  }
};

}  // namespace

void lint_program(const ast::RulesFile& file, const ir::Program& program, Diagnostics& diags) {
  Linter(file, program, diags).run();
  lint_score_ranges(program, nullptr, diags);
}

std::optional<ir::Program> load_and_lint_rules(const std::string& path, Diagnostics& diags) {
  std::string error;
  auto source = read_source_file(path, error);
  if (!source) return load_rules(path, diags);  // reports the read error the usual way
  std::size_t errors_before = diags.error_count();
  ast::RulesFile file = parse_rules(source, diags);
  if (diags.error_count() > errors_before) return std::nullopt;
  auto program = check_rules(file, diags);
  if (program) lint_program(file, *program, diags);
  return program;
}

}  // namespace leadscore

// Cycles between lets, sections, gates and classifies, reported with the names on the cycle.
#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "engine/check/internal/check_context.hpp"

namespace leadscore::check {
namespace {

// A name as written: `account.NAME` (account), or a bare name inside an aggregate over leads (lead).
struct NameUse {
  const std::string& name;
  bool account = false;    // `account.NAME`
  bool over_leads = false; // inside count(leads ...) and the like
};

// Calls `visit` for every lead-side and account name an expression refers to (activity filters excluded).
void for_each_name(const ast::Expr& e, const std::function<void(const NameUse&)>& visit, bool over_leads = false) {
  auto for_each = [&](const ast::Expr& inner) { for_each_name(inner, visit, over_leads); };
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::NameRef>) visit(NameUse{n.name, n.account, over_leads});
        else if constexpr (std::is_same_v<T, ast::LeadsAggregate>) {
          if (n.value) for_each_name(*n.value, visit, true);
          if (n.where) for_each_name(*n.where, visit, true);
        }
        else if constexpr (std::is_same_v<T, ast::Unary>) for_each(*n.operand);
        else if constexpr (std::is_same_v<T, ast::Binary>) {
          for_each(*n.lhs);
          for_each(*n.rhs);
        } else if constexpr (std::is_same_v<T, ast::Between>) {
          for_each(*n.value);
          for_each(*n.low);
          for_each(*n.high);
        } else if constexpr (std::is_same_v<T, ast::InList> || std::is_same_v<T, ast::ContainsAny> ||
                             std::is_same_v<T, ast::MissingTest>)
          for_each(*n.value);
        else if constexpr (std::is_same_v<T, ast::TextMatch>) {
          for_each(*n.value);
          for_each(*n.pattern);
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          for (const auto& a : n.args) for_each(*a);
        }
      },
      e.node);
}

template <typename T>
concept has_name = requires(const T& t) { t.name; t.name_pos; };

struct Entity {
  bool account = false;  // an account declaration: its bare names are account names first
  std::string name;
  NameKind kind;
  std::int32_t index;
  SourcePos pos;
  std::vector<const ast::Expr*> expressions;
  std::vector<std::size_t> deps;
  bool total_score = false;  // `score`, the sum of the lead sections: on a cycle like any declaration
};

// `score` depends on every lead section, so that a cycle through it shows it: `fit -> score -> fit`.
Entity total_score_entity(const std::vector<Entity>& entities) {
  Entity score{false, "score", NameKind::Section, -1, {}, {}, {}, true};
  for (std::size_t i = 0; i < entities.size(); ++i)
    if (entities[i].kind == NameKind::Section && !entities[i].account) score.deps.push_back(i);
  return score;
}

std::string cycle_hint(const std::vector<Entity>& entities, const std::vector<std::size_t>& cycle) {
  const bool through_score =
      std::any_of(cycle.begin(), cycle.end(), [&](std::size_t c) { return entities[c].total_score; });
  if (through_score)
    return "`score` is the sum of every section, so no section can depend on it, directly or through others";
  return "a let, section, gate, classify or mql cannot depend on itself, directly or through others";
}

}  // namespace

void report_cycles(Context& ctx) {
  std::vector<Entity> entities;
  for (const auto& decl : ctx.file.declarations) {
    std::visit(
        [&](const auto& d) {
          using T = std::decay_t<decltype(d)>;
          auto entity_of = [&](NameKind kind) -> Entity* {
            if constexpr (!has_name<T>) return nullptr; else {
            bool account = false;
            if constexpr (requires { d.account; }) account = d.account;
            const auto& names = account ? ctx.account_names : ctx.names;
            auto it = names.find(d.name);
            if (it == names.end() || it->second.kind != kind || it->second.pos != d.name_pos) return nullptr;
            entities.push_back(Entity{account, account ? "account." + d.name : d.name, kind, it->second.index,
                                      d.name_pos, {}, {}});
            return &entities.back();
            }
          };
          if constexpr (std::is_same_v<T, ast::LetDecl>) {
            if (auto* e = entity_of(NameKind::Let); e && d.value) e->expressions.push_back(d.value.get());
          } else if constexpr (std::is_same_v<T, ast::MqlDecl>) {
            if (d.account && d.condition && ctx.mqa_decl == &d)
              entities.push_back(Entity{true, "mqa", NameKind::Mqa, 0, d.pos, {d.condition.get()}, {}});
            if (!d.account && d.condition && ctx.mql_decl == &d)
              entities.push_back(Entity{false, "mql", NameKind::Mql, 0, d.pos, {d.condition.get()}, {}});
          } else if constexpr (std::is_same_v<T, ast::ScoreDecl>) {
            if (auto* e = entity_of(NameKind::Section))
              for (const auto& item : d.items) {
                if (auto* w = std::get_if<ast::WhenRule>(&item.body); w && w->condition)
                  e->expressions.push_back(w->condition.get());
                if (auto* m = std::get_if<ast::Multiply>(&item.body); m && m->condition)
                  e->expressions.push_back(m->condition.get());
              }
          } else if constexpr (std::is_same_v<T, ast::GateDecl>) {
            if (auto* e = entity_of(NameKind::Gate))
              for (const auto& c : d.criteria)
                if (c.condition) e->expressions.push_back(c.condition.get());
          } else if constexpr (std::is_same_v<T, ast::ClassifyDecl>) {
            if (auto* e = entity_of(NameKind::Classify))
              for (const auto& b : d.branches)
                if (b.condition) e->expressions.push_back(b.condition.get());
          }
        },
        decl);
  }

  // Last, so that a cycle through `score` is reported at a declaration of the file.
  const std::size_t total_score = entities.size();
  entities.push_back(total_score_entity(entities));
  auto find_entity = [&](NameKind kind, std::int32_t index) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < entities.size(); ++i)
      if (!entities[i].total_score && entities[i].kind == kind && entities[i].index == index) return i;
    return std::nullopt;
  };
  for (auto& entity : entities) {
    for (const ast::Expr* expr : entity.expressions)
      for_each_name(*expr, [&](const NameUse& use) {
        const bool account_scope = use.account || (entity.account && !use.over_leads);
        if (!use.account && use.name == "score") {
          entity.deps.push_back(total_score);
          return;
        }
        if (!use.account && use.name == "mql") {
          if (auto target = find_entity(NameKind::Mql, 0)) entity.deps.push_back(*target);
          return;
        }
        const NameEntry* found = nullptr;
        if (account_scope)
          if (auto it = ctx.account_names.find(use.name); it != ctx.account_names.end()) found = &it->second;
        if (!found && !use.account)
          if (auto it = ctx.names.find(use.name); it != ctx.names.end()) found = &it->second;
        if (!found) return;
        if (auto target = find_entity(found->kind, found->index)) entity.deps.push_back(*target);
      });
  }

  // Depth-first search in file order; the first entity of each cycle in file order is where it is reported.
  enum class Mark { White, Gray, Black };
  std::vector<Mark> mark(entities.size(), Mark::White);
  std::vector<std::size_t> stack;
  std::vector<bool> in_cycle(entities.size(), false);
  std::function<void(std::size_t)> dfs = [&](std::size_t v) {
    mark[v] = Mark::Gray;
    stack.push_back(v);
    for (std::size_t w : entities[v].deps) {
      if (mark[w] == Mark::Gray) {
        auto from = std::find(stack.begin(), stack.end(), w);
        std::vector<std::size_t> cycle(from, stack.end());
        bool known = std::any_of(cycle.begin(), cycle.end(), [&](std::size_t c) { return in_cycle[c]; });
        if (known) continue;
        auto first = std::min_element(cycle.begin(), cycle.end());
        std::rotate(cycle.begin(), first, cycle.end());
        std::string path;
        for (std::size_t c : cycle) path += entities[c].name + " -> ";
        path += entities[cycle.front()].name;
        ctx.error(entities[cycle.front()].pos, fmt::format("cycle between declarations: {}", path),
                  cycle_hint(entities, cycle));
        for (std::size_t c : cycle) in_cycle[c] = true;
      } else if (mark[w] == Mark::White) {
        dfs(w);
      }
    }
    stack.pop_back();
    mark[v] = Mark::Black;
  };
  for (std::size_t v = 0; v < entities.size(); ++v)
    if (mark[v] == Mark::White) dfs(v);

  for (std::size_t v = 0; v < entities.size(); ++v) {
    if (!in_cycle[v] || entities[v].total_score) continue;
    auto i = static_cast<std::size_t>(entities[v].index);
    switch (entities[v].kind) {
      case NameKind::Let: ctx.lets[i].in_cycle = true; break;
      case NameKind::Section: ctx.section_in_cycle[i] = true; break;
      case NameKind::Gate: ctx.gate_in_cycle[i] = true; break;
      case NameKind::Classify: ctx.classify_in_cycle[i] = true; break;
      case NameKind::Mqa: ctx.mqa_in_cycle = true; break;
      case NameKind::Mql: ctx.mql_in_cycle = true; break;
      default: break;
    }
  }
}

}  // namespace leadscore::check

// Cycles between lets, sections, gates and classifies, reported with the names on the cycle.
#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include "engine/check/internal/check_context.hpp"

namespace leadscore::check {
namespace {

// Calls `visit` for every lead-side name an expression refers to (activity filters excluded).
void for_each_name(const ast::Expr& e, const std::function<void(const std::string&)>& visit) {
  std::visit(
      [&](const auto& n) {
        using T = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<T, ast::NameRef>) visit(n.name);
        else if constexpr (std::is_same_v<T, ast::Unary>) for_each_name(*n.operand, visit);
        else if constexpr (std::is_same_v<T, ast::Binary>) {
          for_each_name(*n.lhs, visit);
          for_each_name(*n.rhs, visit);
        } else if constexpr (std::is_same_v<T, ast::Between>) {
          for_each_name(*n.value, visit);
          for_each_name(*n.low, visit);
          for_each_name(*n.high, visit);
        } else if constexpr (std::is_same_v<T, ast::InList> || std::is_same_v<T, ast::ContainsAny> ||
                             std::is_same_v<T, ast::MissingTest>)
          for_each_name(*n.value, visit);
        else if constexpr (std::is_same_v<T, ast::TextMatch>) {
          for_each_name(*n.value, visit);
          for_each_name(*n.pattern, visit);
        } else if constexpr (std::is_same_v<T, ast::Call>) {
          for (const auto& a : n.args) for_each_name(*a, visit);
        }
      },
      e.node);
}

template <typename T>
concept has_name = requires(const T& t) { t.name; t.name_pos; };

struct Entity {
  std::string name;
  NameKind kind;
  std::int32_t index;
  SourcePos pos;
  std::vector<const ast::Expr*> expressions;
  std::vector<std::size_t> deps;
};

}  // namespace

void report_cycles(Context& ctx) {
  std::vector<Entity> entities;
  for (const auto& decl : ctx.file.declarations) {
    std::visit(
        [&](const auto& d) {
          using T = std::decay_t<decltype(d)>;
          auto entity_of = [&](NameKind kind) -> Entity* {
            if constexpr (!has_name<T>) return nullptr; else {
            auto it = ctx.names.find(d.name);
            if (it == ctx.names.end() || it->second.kind != kind || it->second.pos != d.name_pos) return nullptr;
            entities.push_back(Entity{d.name, kind, it->second.index, d.name_pos, {}, {}});
            return &entities.back();
            }
          };
          if constexpr (std::is_same_v<T, ast::LetDecl>) {
            if (auto* e = entity_of(NameKind::Let); e && d.value) e->expressions.push_back(d.value.get());
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

  auto find_entity = [&](NameKind kind, std::int32_t index) -> std::optional<std::size_t> {
    for (std::size_t i = 0; i < entities.size(); ++i)
      if (entities[i].kind == kind && entities[i].index == index) return i;
    return std::nullopt;
  };
  for (auto& entity : entities) {
    for (const ast::Expr* expr : entity.expressions)
      for_each_name(*expr, [&](const std::string& name) {
        if (name == "score") {
          for (std::size_t i = 0; i < entities.size(); ++i)
            if (entities[i].kind == NameKind::Section) entity.deps.push_back(i);
          return;
        }
        auto it = ctx.names.find(name);
        if (it == ctx.names.end()) return;
        if (auto target = find_entity(it->second.kind, it->second.index)) entity.deps.push_back(*target);
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
                  "a let, section, gate or classify cannot depend on itself, directly or through others");
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
    if (!in_cycle[v]) continue;
    auto i = static_cast<std::size_t>(entities[v].index);
    switch (entities[v].kind) {
      case NameKind::Let: ctx.lets[i].in_cycle = true; break;
      case NameKind::Section: ctx.section_in_cycle[i] = true; break;
      case NameKind::Gate: ctx.gate_in_cycle[i] = true; break;
      case NameKind::Classify: ctx.classify_in_cycle[i] = true; break;
      default: break;
    }
  }
}

}  // namespace leadscore::check

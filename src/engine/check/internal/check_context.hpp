#pragma once
// State shared by the checker's passes (declarations, cycles, expressions).
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/diagnostics.hpp"
#include "engine/check/program.hpp"
#include "parser/ast.hpp"

namespace leadscore::check {

enum class NameKind { Field, List, Let, Section, Gate, Classify, Mqa, Mql };
const char* name_kind_word(NameKind k);

struct NameEntry {
  NameKind kind;
  std::int32_t index;  // into the program's vector (or the let table)
  SourcePos pos;
};

struct LetState {
  const ast::LetDecl* decl = nullptr;
  ir::NodeId node = ir::kNoNode;
  bool resolving = false;
  bool in_cycle = false;
  bool used = false;
};

struct Context {
  const ast::RulesFile& file;
  Diagnostics& diags;
  ir::Program& program;

  std::unordered_map<std::string, NameEntry> names;           // lead-side names
  std::unordered_map<std::string, std::int32_t> activity_names;  // activity fields
  std::vector<LetState> lets;
  std::vector<bool> section_in_cycle, gate_in_cycle, classify_in_cycle;
  std::vector<bool> list_used;

  // Accounts: account fields, sections, gates, classifies and `mqa`, by name (without `account.`).
  std::unordered_map<std::string, NameEntry> account_names;
  const ast::MqlDecl* mqa_decl = nullptr;
  ir::NodeId mqa_node = ir::kNoNode;
  bool mqa_resolving = false;
  bool mqa_in_cycle = false;
  int leads_aggregate_depth = 0;  // > 0 while typing the inside of count(leads ...) and the like
  bool in_account_key = false;    // while typing `account key EXPR`
  const ast::MqlDecl* mql_decl = nullptr;  // the lead's `mql when ...`, which `mql` in an expression reads
  bool mql_in_cycle = false;

  void error(SourcePos pos, std::string message, std::string hint = {}) {
    diags.error(file.source, pos, std::move(message), std::move(hint));
  }
  void warning(SourcePos pos, Code code, std::string message, std::string hint = {}) {
    diags.warning(file.source, pos, code, std::move(message), std::move(hint));
  }
  ir::NodeId add(ir::Node node) {
    program.nodes.push_back(std::move(node));
    return static_cast<ir::NodeId>(program.nodes.size() - 1);
  }
  ir::NodeId error_node(SourcePos pos) {
    ir::Node n;
    n.type = ir::Type::Error;
    n.pos = pos;
    n.constant.missing = true;
    return add(std::move(n));
  }
  const ir::Node& node(ir::NodeId id) const { return program.nodes[static_cast<std::size_t>(id)]; }
  // Labels, names, classify values and list entries end up in CSV, Markdown, HTML and CI
  // annotations: a control character (a line break, a tab, NUL, ...) in one is an error at `pos`
  // (the string's opening quote); `what` names it ("rule label"). False when there is one.
  bool refuse_control_characters(std::string_view text, SourcePos pos, const char* what);
  std::vector<std::string> lead_side_names() const;
  std::vector<std::string> activity_field_names() const;
  std::vector<std::string> account_side_names() const;
};

// Finds cycles among lets, sections, gates, classifies, mql and mqa; reports each once and marks its members.
void report_cycles(Context& ctx);

// Types one expression. Event-domain expressions (activity filters) see only activity fields.
ir::NodeId check_expression(Context& ctx, const ast::Expr& expr, ir::Domain domain);
// Types an expression that must be a condition (bool); `what` names the place for the message.
ir::NodeId check_condition(Context& ctx, const ast::Expr& expr, ir::Domain domain, const char* what);

}  // namespace leadscore::check

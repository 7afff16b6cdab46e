#pragma once
// The stack the AST builder works on while PEGTL matches: each grammar rule with a builder opens a
// frame at its first token; on success its builder turns the values its children pushed into one
// node, on failure they are dropped, so backtracking never leaves half-built nodes behind.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/diagnostics.hpp"
#include "parser/ast.hpp"

namespace leadscore::parser_internal {

struct ExprValue {
  ast::ExprPtr expr;
  std::uint32_t height = 1;       // nesting below, bounded by kMaxNestingDepth (a chain counts once)
  std::uint32_t tree_height = 1;  // levels of the tree itself, bounded by kMaxTreeHeight
  std::uint8_t chain_level = 0;   // precedence level of the chain this node ends (0: none)
  std::uint32_t chain_operators = 0;  // operators in that chain, bounded by kMaxChainLength
};
struct Text {
  std::string value;
  ast::Pos pos;
};
struct Tag {  // a keyword whose presence or position matters (`activity`, `row`, `present`, ...)
  ast::Pos pos;
};
struct FieldTypeValue {
  ast::FieldType type;
  ast::Pos pos;
};
struct ZoneValue {  // `zone "UTC"` of a schema field
  std::string value;
  ast::Pos pos;
};
struct SchemaKindValue {
  ast::SchemaKind kind;
  ast::Pos pos;
};
struct Limit {  // `max N` / `min N` of a score section
  bool is_max;
  ast::Number number;
};
struct ItemBody {
  std::variant<ast::WhenRule, ast::EachRule, ast::Multiply> body;
};

using Value = std::variant<ExprValue, Text, Tag, FieldTypeValue, ZoneValue, SchemaKindValue, Limit, ItemBody, ast::Number,
                           ast::Duration, ast::ListRef, ast::SchemaField, ast::ScoreItem, ast::GateCriterion,
                           ast::ClassifyBranch, ast::Route, ast::Response, ast::Target, ast::OutputRename>;

struct Frame {
  std::size_t mark;     // values.size() when the rule started
  std::uint32_t begin;  // byte offset of the rule's first token
  bool builds_node;     // false for frames kept only to place a must<> point's error
};

// A syntax error: a must<> point that failed, or a limit the grammar cannot express (nesting,
// number range). `message` may hold the placeholders {line} and {token}.
struct SyntaxError {
  std::uint32_t offset;
  std::string message;
  const char* opening_note = nullptr;  // a note at the construct still open, when it is the culprit
  const char* hint = nullptr;          // the `= hint:` line: the correct form, as an example
};

class BuildState {
 public:
  BuildState(const SourceFilePtr& source, Diagnostics& diags, ast::RulesFile& file)
      : source(source), diags(diags), file(file), text_begin(source->text().data()) {}

  ast::Pos pos(std::uint32_t offset) const { return source->position_of(offset); }
  std::string_view text(std::uint32_t begin, std::uint32_t end) const { return {text_begin + begin, end - begin}; }
  template <typename T> T take(std::size_t index) { return std::move(std::get<T>(values.at(index))); }
  template <typename T> bool holds(std::size_t index) const {
    return index < values.size() && std::holds_alternative<T>(values[index]);
  }
  // The innermost construct still open, e.g. the `score` section whose `}` is missing.
  const Frame* innermost_node() const {
    for (auto it = frames.rbegin(); it != frames.rend(); ++it)
      if (it->builds_node) return &*it;
    return nullptr;
  }
  void drop_from(std::size_t mark) { values.erase(values.begin() + static_cast<std::ptrdiff_t>(mark), values.end()); }
  // After a syntax error: forget everything of the declaration that failed.
  void reset() {
    values.clear();
    frames.clear();
    expression_depth = 0;
  }

  SourceFilePtr source;
  Diagnostics& diags;
  ast::RulesFile& file;
  const char* text_begin;
  std::vector<Value> values;
  std::vector<Frame> frames;
  std::size_t expression_depth = 0;
};

}  // namespace leadscore::parser_internal

#pragma once
// The untyped syntax tree of a .rules file. Every node carries the source position of its first
// token. Produced by parse_rules() (parser.hpp); nothing outside src/parser/ sees PEGTL types.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/source.hpp"

namespace leadscore::ast {

using Pos = SourcePos;

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Duration {
  std::int64_t seconds = 0;  // 4h = 14400, 30d = 2592000, 2w = 1209600
  std::string text;          // as written: "30d"
  Pos pos;
};

struct Number {
  double value = 0;  // suffixes and underscores applied: 2.5k = 2500
  std::string text;  // as written: "2.5k"
  Pos pos;
};

// ---- expressions -------------------------------------------------------------------------------

struct NumberLit { double value = 0; std::string text; };
struct StringLit { std::string value; };  // escapes resolved
struct BoolLit { bool value = false; };   // `true` / `false` (a project addition to the contract)
struct NameRef { std::string name; };     // a field, let, list, section, gate, classify or `score`

enum class UnaryOp { Not, Negate };
struct Unary { UnaryOp op; ExprPtr operand; };

enum class BinaryOp { Or, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div };
struct Binary { BinaryOp op; ExprPtr lhs; ExprPtr rhs; Pos op_pos; };

struct Between { ExprPtr value; ExprPtr low; ExprPtr high; };

// The right side of `in`, `not in`, `contains any`: a list name or an inline list.
struct ListRef {
  std::optional<std::string> name;          // set for `in icp_countries`
  std::vector<std::string> items;           // set for `in ["US", "CA"]` (escapes resolved)
  std::vector<Pos> item_pos;                // position of each inline item
  Pos pos;                                  // the name, or the opening '['
};
struct InList { ExprPtr value; ListRef list; bool negated = false; };  // `in` / `not in`
struct ContainsAny { ExprPtr value; ListRef list; };

enum class TextOp { Contains, StartsWith, EndsWith };
struct TextMatch { TextOp op; ExprPtr value; ExprPtr pattern; };

struct MissingTest { ExprPtr value; bool present = false; };  // `is missing` / `is present`

struct Call { std::string function; Pos function_pos; std::vector<ExprPtr> args; };

enum class AggregateKind { Count, Exists, Sum, DaysSinceLast };
// count(activity [where C] [within D]), exists(...), sum(activity.FIELD ...), days_since_last(activity [where C])
struct Aggregate {
  AggregateKind kind;
  std::string sum_field;  // FIELD of sum(activity.FIELD ...)
  Pos sum_field_pos;
  ExprPtr where;          // may be null
  std::optional<Duration> within;
};

struct Expr {
  Pos pos;  // first token of the expression (for Binary: the left operand's first token)
  std::variant<NumberLit, StringLit, BoolLit, NameRef, Unary, Binary, Between, InList, ContainsAny,
               TextMatch, MissingTest, Call, Aggregate>
      node;
};

// ---- declarations -------------------------------------------------------------------------------

enum class FieldType { Id, String, Int, Number, Bool, Date, Timestamp };

struct SchemaField {
  std::string name;
  Pos pos;
  FieldType type = FieldType::String;
  Pos type_pos;
  std::optional<std::string> from;  // CSV header when it differs from the name: `from "Lead ID"`
  bool from_row_number = false;     // `from row`: the data row's number (1 = first row after the header)
  Pos from_pos;
  std::optional<std::string> zone;  // `zone "UTC"`: the zone of timestamps written without one
  Pos zone_pos;
};

enum class SchemaKind { Lead, Activity };
struct Schema {
  SchemaKind kind = SchemaKind::Lead;
  Pos pos;       // the `schema` keyword
  Pos kind_pos;  // `lead` / `activity`
  std::vector<SchemaField> fields;
};

struct Ruleset {
  std::string name;
  Pos name_pos;
  Number version;
  Pos pos;  // the `ruleset` keyword
};

struct ListDecl {
  std::string name;
  Pos name_pos;
  Pos pos;  // the `list` keyword
  // Exactly one of these: inline entries, or a file path relative to the rules file.
  std::optional<ListRef> inline_items;
  std::optional<std::string> file;
  Pos file_pos;
};

struct LetDecl {
  std::string name;
  Pos name_pos;
  Pos pos;
  ExprPtr value;
};

// `rule "LABEL" when CONDITION points P`
struct WhenRule {
  ExprPtr condition;
  Number points;
};
// `rule "LABEL" each activity [where C] [within D] points P [max M] [decay H]`
struct EachRule {
  ExprPtr where;  // may be null
  std::optional<Duration> within;
  Number points;
  std::optional<Number> max;
  std::optional<Duration> decay;
  Pos activity_pos;
};
// `multiply "LABEL" when CONDITION by F`
struct Multiply {
  ExprPtr condition;
  Number factor;
};

struct ScoreItem {
  std::string label;
  Pos label_pos;  // the opening quote of the label
  Pos pos;        // the `rule` / `multiply` keyword
  std::variant<WhenRule, EachRule, Multiply> body;
};

struct ScoreDecl {
  std::string name;
  Pos name_pos;
  Pos pos;
  std::optional<Number> max;
  std::optional<Number> min;
  std::vector<ScoreItem> items;
};

struct GateCriterion {
  std::optional<std::string> label;  // `"ICP country": cond`; unlabeled criteria have none
  Pos label_pos;
  Pos pos;  // first token of the criterion
  ExprPtr condition;
};

struct GateDecl {
  std::string name;
  Pos name_pos;
  Pos pos;
  std::vector<GateCriterion> criteria;
};

struct MqlDecl {
  Pos pos;
  ExprPtr condition;
};

struct ClassifyBranch {
  std::string value;
  Pos value_pos;
  ExprPtr condition;  // null for `otherwise`
  Pos otherwise_pos;
};

struct ClassifyDecl {
  std::string name;
  Pos name_pos;
  Pos pos;
  std::vector<ClassifyBranch> branches;
};

// `calibration "weights/acme.yaml"`: calibrated points to use instead of the written ones.
struct CalibrationDecl {
  std::string path;
  Pos path_pos;
  Pos pos;
};

using Declaration = std::variant<Schema, ListDecl, LetDecl, ScoreDecl, GateDecl, MqlDecl, ClassifyDecl,
                                 CalibrationDecl>;

// A comment, kept so the formatter can put it back.
struct Comment {
  Pos pos;
  std::string text;  // from '#' to the end of the line, without the line end
};

struct RulesFile {
  SourceFilePtr source;
  std::optional<Ruleset> ruleset;
  std::vector<Declaration> declarations;  // in file order
  std::vector<Comment> comments;
};

const char* field_type_name(FieldType t);

}  // namespace leadscore::ast

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
// A field, let, list, section, gate, classify or `score`; `account.NAME` (account = true) names a value
// of the lead's account.
struct NameRef {
  std::string name;
  bool account = false;
  Pos pos = {};  // the name (or `account`) as written: a parenthesized name's Expr starts at the `(`
};

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

// Over the leads of an account (account rules only): count(leads [where C]), exists(leads [where C]),
// distinct / max / min / sum / avg (VALUE of leads [where C]), top(K, VALUE of leads [where C]).
enum class LeadsAggregateKind { Count, Exists, Distinct, Max, Min, Sum, Avg, Top };
struct LeadsAggregate {
  LeadsAggregateKind kind;
  ExprPtr value;  // null for count and exists
  ExprPtr where;  // may be null
  std::optional<Number> top;  // K of top(K, ...)
};

struct Expr {
  Pos pos;  // first token of the expression (for Binary: the left operand's first token)
  std::variant<NumberLit, StringLit, BoolLit, NameRef, Unary, Binary, Between, InList, ContainsAny,
               TextMatch, MissingTest, Call, Aggregate, LeadsAggregate>
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

enum class SchemaKind { Lead, Activity, Account };
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
  bool leads = false;  // `each lead where C ...` (account sections): one per matching lead of the account
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
  bool account = false;  // `account score NAME { ... }`: pos is the `account` keyword
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
  bool account = false;
  std::vector<GateCriterion> criteria;
};

struct MqlDecl {
  Pos pos;
  ExprPtr condition;
  bool account = false;  // `mqa when C`: the marketing-qualified account
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
  bool account = false;
  std::vector<ClassifyBranch> branches;
};

// `calibration "weights/acme.yaml"`: calibrated points to use instead of the written ones.
struct CalibrationDecl {
  std::string path;
  Pos path_pos;
  Pos pos;
};

// `route "LABEL" (when CONDITION | otherwise) to "QUEUE" [within SLA] [owner FIELD | owner round robin LIST]`
struct Route {
  std::string label;
  Pos label_pos;
  Pos pos;            // the `route` keyword
  ExprPtr condition;  // null for `otherwise`
  Pos otherwise_pos;
  std::string queue;
  Pos queue_pos;
  std::optional<Duration> sla;
  std::optional<std::string> owner_field;  // `owner account_owner`
  Pos owner_pos;
  std::optional<ListRef> round_robin;      // `owner round robin sdr_team` / `[...]`
};

// `response activity [where C]` or `response when C [at FIELD]`: what counts as a sales response.
struct Response {
  Pos pos;
  bool activity = false;
  ExprPtr condition;  // the `where` filter (may be null) or the lead condition
  std::optional<std::string> at_field;
  Pos at_pos;
};

// `target METRIC >= N[%]` / `<=`
struct Target {
  std::string metric;
  Pos pos;           // the metric's name
  bool at_least = true;
  Number value;
  bool percent = false;
};

struct HandoffDecl {
  Pos pos;
  std::vector<Route> routes;
  std::vector<Response> responses;
  std::optional<std::string> working_hours;  // `working hours "Mon-Fri 09:00-17:00 UTC+01:00"`
  Pos working_hours_pos;                     // the quoted text
  std::vector<Target> targets;
};

// `output { COLUMN as "NAME" ... }`: CRM field names for output columns.
struct OutputRename {
  std::string column;
  Pos pos;
  std::string name;
  Pos name_pos;
};
struct OutputDecl {
  Pos pos;
  std::vector<OutputRename> renames;
};

// `account key EXPR [except LIST]`: what ties a lead to its account (a lead field such as account_id,
// or an expression such as domain(email)); leads whose key is missing, empty or in the list stand alone.
struct AccountKeyDecl {
  Pos pos;  // the `account` keyword
  ExprPtr key;
  std::optional<ListRef> except;
};

using Declaration = std::variant<Schema, ListDecl, LetDecl, ScoreDecl, GateDecl, MqlDecl, ClassifyDecl,
                                 CalibrationDecl, HandoffDecl, OutputDecl, AccountKeyDecl>;

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

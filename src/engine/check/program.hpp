#pragma once
// The checked program (typed IR): every name resolved, every expression typed, lets inlined.
// Produced by check_rules() (checker.hpp) and consumed by the compiler (graph.hpp).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/source.hpp"
#include "parser/ast.hpp"

namespace leadscore::ir {

// The largest magnitude of written points, `by` factors and section or rule `max`/`min` (and of
// calibrated points): 1B. Larger ones cannot be right, and their sums could overflow.
inline constexpr double kMaxScoreNumber = 1e9;

enum class Type : std::uint8_t { Error, Bool, Number, String, Instant };
const char* type_name(Type t);

// Expression operators. Comparisons carry the operand type in Node::operand_type.
enum class Op : std::uint8_t {
  Const,
  LeadField,    // index = lead field
  EventField,   // index = activity field (only inside `where` filters)
  SectionRef,   // index = section
  GateRef,      // index = gate
  ClassifyRef,  // index = classify
  ScoreRef,     // the sum of all sections
  MqlRef,       // the lead's `mql`: true or false, never missing
  AggCount,     // index = aggregate (Count): number, never missing
  AggExists,    // index = aggregate (Count): bool, never missing
  AggSum,       // index = aggregate (Sum): number, never missing
  AggDaysSinceLast,  // index = aggregate (LastTime): number, missing without a matching event
  Not, And, Or,
  Eq, Ne, Lt, Le, Gt, Ge,
  Between,      // args: value, low, high
  InList,       // index = list; arg: value
  NotInList,
  ContainsAny,
  Contains, StartsWith, EndsWith,  // args: text, pattern
  IsMissing, IsPresent,
  Neg, Add, Sub, Mul, Div,
  Domain, Lower, Upper, Length, DaysSince,
  DayOfWeek, Hour, Month,  // of an instant, in UTC: 1 (Monday) to 7, 0 to 23, 1 to 12
  AccountField,  // index = account field: the value of the lead's account (missing without one)
  AccountAgg,    // index = account aggregate: its value for the lead's account (Exists: bool)
};
const char* op_name(Op op);

// How weights files and warnings name a comparison of a score with a number: `fit >= 30`,
// `score < 12.5` (`score` is the name of the whole score).
std::string threshold_key(const std::string& score, Op op, double written);

using NodeId = std::int32_t;
inline constexpr NodeId kNoNode = -1;

struct Constant {
  bool missing = false;
  double number = 0;
  bool boolean = false;
  std::int64_t instant = 0;  // microseconds since the epoch, UTC
  std::string text;
  friend bool operator==(const Constant&, const Constant&) = default;
};

// Account: the expressions of account sections, gates, classifies and `mqa`. They are evaluated
// per lead like the rest, but see only the account's fields, account results and aggregates over the
// account's leads, so every lead of an account gets the same value.
enum class Domain : std::uint8_t { Lead, Event, Account };

struct Node {
  Op op = Op::Const;
  Type type = Type::Error;
  Type operand_type = Type::Error;  // for comparisons: the type both sides share
  Domain domain = Domain::Lead;
  SourcePos pos;
  std::array<NodeId, 3> args{kNoNode, kNoNode, kNoNode};
  std::int32_t index = -1;
  Constant constant;
};

struct Field {
  std::string name;
  ast::FieldType type = ast::FieldType::String;
  std::string column;  // CSV header to read
  bool from_row_number = false;
  SourcePos pos;
  // A timestamp field's `zone "..."`: seconds east of UTC of its values written without a zone.
  std::optional<std::int32_t> zone;
};

struct List {
  std::string name;      // empty for an inline list
  std::vector<std::string> entries;  // as written (trimmed)
  SourcePos pos;
  std::string file;      // the list file's path when loaded from a file
};

// FirstSince: the earliest matching event at or after a per-lead instant (a sales response since the
// lead entered its route; the instant comes from the previous run, see LeadTable::since).
enum class AggregateKind : std::uint8_t { Count, Sum, LastTime, DecaySum, FirstSince };

// One per-lead accumulator filled by the streaming pass over activity events.
struct Aggregate {
  AggregateKind kind = AggregateKind::Count;
  NodeId filter = kNoNode;            // event-domain bool node; kNoNode = every event
  std::optional<std::int64_t> within; // microseconds
  std::int32_t sum_field = -1;        // activity field for Sum
  double half_life = 0;               // microseconds, for DecaySum
  std::string within_text, half_life_text;  // as written (`14d`), for explanations
  // The same accumulator whatever the spelling (`14d` and `2w`).
  friend bool operator==(const Aggregate& a, const Aggregate& b) {
    return a.kind == b.kind && a.filter == b.filter && a.within == b.within && a.sum_field == b.sum_field &&
           a.half_life == b.half_life;
  }
};

struct Rule {
  std::string label;
  SourcePos label_pos;
  SourcePos pos;
  bool each = false;
  NodeId condition = kNoNode;  // when-rule
  std::int32_t aggregate = -1; // each-rule: Count or DecaySum aggregate
  double points = 0;
  std::optional<double> cap;   // each-rule `max M` (M > 0)
  std::int32_t leads_aggregate = -1;  // `each lead where C` (account sections): a Count account aggregate
};

struct Multiplier {
  std::string label;
  SourcePos label_pos;
  SourcePos pos;
  NodeId condition = kNoNode;
  double factor = 1;
};

// Account sections, gates and classifies are named `account.NAME` (their own namespace, so an
// account section may share a lead section's name) and flagged `account`.
struct Section {
  bool account = false;
  std::string name;
  SourcePos pos;
  std::optional<double> max;
  std::optional<double> min;
  std::vector<Rule> rules;
  std::vector<Multiplier> multipliers;
};

struct Criterion {
  std::string label;  // written label, or the condition's source text when unlabeled
  bool labeled = false;
  SourcePos pos;
  NodeId condition = kNoNode;
};

struct Gate {
  bool account = false;
  std::string name;
  SourcePos pos;
  std::vector<Criterion> criteria;
};

struct Branch {
  std::string value;
  SourcePos pos;
  NodeId condition = kNoNode;  // kNoNode = otherwise
};

struct Classify {
  bool account = false;
  std::string name;
  SourcePos pos;
  std::vector<Branch> branches;
};

// ---- handoff: routing, service levels and targets ----

struct Route {
  std::string label;
  SourcePos pos;       // the label
  std::string queue;
  NodeId condition = kNoNode;  // kNoNode = otherwise
  std::optional<std::int64_t> sla_seconds;  // `within 4h`
  char sla_unit = 'h';                      // as written: h, d or w (working days with working hours)
  std::int64_t sla_count = 0;               // the number written: 4 of `4h`
  std::string sla_text;
  std::int32_t owner_field = -1;            // `owner FIELD`: a lead field
  std::vector<std::string> round_robin;     // `owner round robin [...]`: owners in turn
};

// What counts as a sales response: matching events (an aggregate of kind FirstSince), or a lead
// condition, responded at a date/timestamp field when given.
struct Response {
  SourcePos pos;
  std::int32_t aggregate = -1;  // `response activity [where C]`
  NodeId condition = kNoNode;   // `response when C`
  std::int32_t at_field = -1;   // `at FIELD`
};

// `working hours "Mon-Fri 09:00-17:00 UTC+01:00"`: the SLA clock runs only inside them.
struct WorkingHours {
  std::uint8_t days = 0;  // bit 0 = Monday ... bit 6 = Sunday
  std::int32_t start_minute = 0, end_minute = 0;  // minutes after local midnight, start < end
  std::int32_t utc_offset_minutes = 0;
  std::string text;
};

enum class TargetMetric : std::uint8_t { Acceptance, Rejection, SlaMet, MqlToWon };
struct Target {
  TargetMetric metric = TargetMetric::Acceptance;
  std::string name;  // as written: acceptance, rejection, sla_met, mql_to_won
  bool at_least = true;
  double value = 0;  // a share: 70% = 0.7
  std::string text;  // as written: ">= 70%"
  SourcePos pos;
};

struct Handoff {
  SourcePos pos;
  std::vector<Route> routes;
  std::vector<Response> responses;
  std::optional<WorkingHours> hours;
  std::vector<Target> targets;
};

// `output { COLUMN as "NAME" }`
struct OutputName {
  std::string column;
  std::string name;
  SourcePos pos;
};

// One aggregate over the leads of an account: `value` and `filter` are lead-domain nodes.
enum class LeadsAggregateKind : std::uint8_t { Count, Exists, Distinct, Max, Min, Sum, Avg, Top };
struct AccountAggregate {
  LeadsAggregateKind kind = LeadsAggregateKind::Count;
  NodeId value = kNoNode;   // null for Count and Exists
  NodeId filter = kNoNode;  // `where`; kNoNode = every lead of the account
  std::int32_t top = 0;     // K of top(K, ...)
  SourcePos pos;
  friend bool operator==(const AccountAggregate& a, const AccountAggregate& b) {
    return a.kind == b.kind && a.value == b.value && a.filter == b.filter && a.top == b.top;
  }
};

// `account key EXPR [except LIST]`.
struct AccountKey {
  NodeId key = kNoNode;      // lead-domain text
  std::int32_t except = -1;  // list of keys that never group
  bool domain_key = false;   // the key is `domain(...)`: well-known free-mail domains never group either
  SourcePos pos;
};

struct Program {
  SourceFilePtr source;
  std::string name;
  std::string version;
  std::string content_hash;  // FNV-1a 64 of the rules text and its list files, hex
  std::string rules_hash;    // the ruleset's identity for weights files (ruleset_hash.hpp)

  std::vector<Field> lead_fields;
  std::int32_t lead_id_field = -1;
  std::vector<Field> activity_fields;
  bool has_activity = false;
  std::int32_t activity_lead_field = -1;
  std::int32_t activity_time_field = -1;

  std::vector<List> lists;  // named lists first, then inline lists
  std::vector<Node> nodes;  // expression arena; args always point to smaller ids
  std::vector<Aggregate> aggregates;
  std::vector<Section> sections;
  std::vector<Gate> gates;
  NodeId mql = kNoNode;
  bool has_mql = false;
  std::vector<Classify> classifies;
  std::optional<std::string> calibration_path;  // resolved relative to the rules file
  SourcePos calibration_pos;
  std::optional<Handoff> handoff;
  std::vector<OutputName> output_names;

  // Accounts (docs/accounts.md): all empty without an `account key`.
  std::optional<AccountKey> account_key;
  std::vector<Field> account_fields;  // `schema account`, read from --accounts
  std::int32_t account_id_field = -1;
  bool has_account_schema = false;
  std::vector<AccountAggregate> account_aggregates;
  NodeId mqa = kNoNode;
  bool has_mqa = false;
};

}  // namespace leadscore::ir

#pragma once
// What a marketer reads when a rules file does not parse. Each must<> point of the grammar has
// exactly one message here; must_if<> makes a missing message a compile error.
// Placeholders filled in by the parser: {line} = the line where the unclosed construct opened,
// {token} = the word at the error position.
#include "grammar/rules_grammar.hpp"

namespace leadscore::grammar {

template <typename Rule> inline constexpr const char* error_message = nullptr;

// lexical
template <> inline constexpr auto error_message<unknown_escape_error> =
    "unknown escape in a string: use \\\" for a quote, \\\\ for a backslash, \\n or \\t";
template <> inline constexpr auto error_message<string_close> =
    "unterminated string: the closing `\"` is missing on this line";
template <> inline constexpr auto error_message<reserved_word_error> =
    "`{token}` is a reserved word; choose another name";
template <> inline constexpr auto error_message<chained_comparison_error> =
    "comparisons do not chain: join them with `and` (a < b and b < c) or group one in parentheses ((a > 1) == b)";
template <> inline constexpr auto error_message<each_only_option_error> =
    "`{token}` only applies to `each` rules, which add points per event: rule \"LABEL\" each activity where ... "
    "points P max M decay 30d";
template <> inline constexpr auto error_message<between_parens_error> =
    "`between` takes its two values without parentheses: A and B";
template <> inline constexpr auto error_message<single_equals_error> =
    "use `==` to compare values (a single `=` only appears in `let` and `list`)";

// top level
template <> inline constexpr auto error_message<declaration> =
    "expected a declaration: `ruleset`, `schema`, `list`, `let`, `score`, `gate`, `mql`, `classify`, "
    "`calibration`, `handoff`, `output`, `account` or `mqa`";
template <> inline constexpr auto error_message<ruleset_name> =
    "expected the ruleset's name in quotes after `ruleset`, e.g. ruleset \"acme-b2b\" version 1";
template <> inline constexpr auto error_message<ruleset_version_keyword> =
    "expected `version` after the ruleset's name, e.g. ruleset \"acme-b2b\" version 1";
template <> inline constexpr auto error_message<ruleset_version> = "expected a version number after `version`";

// schema
template <> inline constexpr auto error_message<schema_kind> = "expected `lead`, `activity` or `account` after `schema`";
template <> inline constexpr auto error_message<schema_open> = "expected `{` to start the schema's fields";
template <> inline constexpr auto error_message<field_colon> =
    "expected `:` after the field's name, e.g. employees: int";
template <> inline constexpr auto error_message<field_type> =
    "expected a field type after `:`: id, string, int, number, bool, date or timestamp";
template <> inline constexpr auto error_message<field_source> =
    "expected a column header in quotes or `row` after `from`, e.g. from \"Lead ID\"";
template <> inline constexpr auto error_message<zone_name> =
    "expected a zone in quotes after `zone`, e.g. zone \"UTC\" or zone \"+02:00\"";
template <> inline constexpr auto error_message<schema_close> =
    "expected `}` to close the schema opened at line {line} (each field is written NAME: TYPE)";

// list, let, calibration
template <> inline constexpr auto error_message<list_decl_name> =
    "expected a name after `list`, e.g. list icp_countries = [\"US\", \"CA\"]";
template <> inline constexpr auto error_message<list_equals> = "expected `=` after the list's name";
template <> inline constexpr auto error_message<list_value> =
    "expected `[` or `file` after `=`, e.g. [\"US\", \"CA\"] or file \"lists/icp.txt\"";
template <> inline constexpr auto error_message<list_path> =
    "expected a file path in quotes after `file`, e.g. file \"lists/icp.txt\"";
template <> inline constexpr auto error_message<inline_list_rest> =
    "expected a string in quotes or `]` after `[`, e.g. [\"US\", \"CA\"]";
template <> inline constexpr auto error_message<inline_list_end> =
    "expected `]` to close the list opened at line {line} (entries are strings in quotes separated by `,`)";
template <> inline constexpr auto error_message<let_name> = "expected a name after `let`, e.g. let big = employees >= 500";
template <> inline constexpr auto error_message<let_equals> = "expected `=` after the name in `let`";
template <> inline constexpr auto error_message<let_value> = "expected a value or condition after `=`";
template <> inline constexpr auto error_message<calibration_path> =
    "expected a file path in quotes after `calibration`, e.g. calibration \"weights/acme.yaml\"";

// score sections
template <> inline constexpr auto error_message<score_name> = "expected the section's name after `score`, e.g. score fit {";
template <> inline constexpr auto error_message<score_max_value> = "expected a number after `max`";
template <> inline constexpr auto error_message<score_min_value> = "expected a number after `min`";
template <> inline constexpr auto error_message<score_open> =
    "expected `{` to start the section's rules (optionally after `max N` and `min N`)";
template <> inline constexpr auto error_message<rule_label> =
    "expected a string label after `rule`, e.g. rule \"Demo request\"";
template <> inline constexpr auto error_message<rule_body> = "expected `when` or `each` after the rule's label";
template <> inline constexpr auto error_message<rule_condition> = "expected a condition after `when`";
template <> inline constexpr auto error_message<rule_points_keyword> = "expected `points` after the rule's condition";
template <> inline constexpr auto error_message<rule_points> = "expected a number after `points`";
template <> inline constexpr auto error_message<each_activity> =
    "expected `activity` after `each` (or `lead` in an account section: each lead where ...)";
template <> inline constexpr auto error_message<each_points_keyword> =
    "expected `points` after `each activity` (and its optional `where` and `within`)";
template <> inline constexpr auto error_message<each_max_value> = "expected a number after `max`";
template <> inline constexpr auto error_message<decay_duration> =
    "expected a half-life after `decay`, e.g. 30d (h = hours, d = days, w = weeks)";
template <> inline constexpr auto error_message<multiply_label> =
    "expected a string label after `multiply`, e.g. multiply \"Core vertical\"";
template <> inline constexpr auto error_message<multiply_when> = "expected `when` after the multiplier's label";
template <> inline constexpr auto error_message<multiply_condition> = "expected a condition after `when`";
template <> inline constexpr auto error_message<multiply_by> = "expected `by` after the multiplier's condition";
template <> inline constexpr auto error_message<multiply_factor> = "expected a number after `by`";
template <> inline constexpr auto error_message<score_close> =
    "expected `}` to close the `score` section opened at line {line}";

// gates, mql, classify
template <> inline constexpr auto error_message<gate_name> = "expected the gate's name after `gate`, e.g. gate cpal {";
template <> inline constexpr auto error_message<gate_open> = "expected `{` after the gate's name";
template <> inline constexpr auto error_message<criterion_condition> = "expected a condition after the criterion's label";
template <> inline constexpr auto error_message<gate_close> = "expected `}` to close the gate opened at line {line}";
template <> inline constexpr auto error_message<mql_when> = "expected `when` after `mql`, e.g. mql when fit >= 40";
template <> inline constexpr auto error_message<mql_condition> = "expected a condition after `when`";
template <> inline constexpr auto error_message<classify_name> =
    "expected a name after `classify`, e.g. classify quadrant {";
template <> inline constexpr auto error_message<classify_open> = "expected `{` after the classify's name";
template <> inline constexpr auto error_message<branch_body> = "expected `when` or `otherwise` after the branch's value";
template <> inline constexpr auto error_message<branch_condition> = "expected a condition after `when`";
template <> inline constexpr auto error_message<classify_close> =
    "expected `}` to close the classify opened at line {line} (each branch is \"VALUE\" when CONDITION)";

// handoff and output
template <> inline constexpr auto error_message<handoff_open> =
    "expected `{` after `handoff`: its items are `route`, `response`, `working hours` and `target`";
template <> inline constexpr auto error_message<handoff_close> =
    "expected `}` to close the handoff block opened at line {line} (items: `route`, `response`, `working hours`, "
    "`target`)";
template <> inline constexpr auto error_message<route_label> =
    "expected the route's label in quotes after `route`, e.g. route \"SDR call\" when quadrant == \"hot\" to \"sdr\"";
template <> inline constexpr auto error_message<route_match> = "expected `when CONDITION` or `otherwise` after the route's label";
template <> inline constexpr auto error_message<route_condition> = "expected a condition after `when`";
template <> inline constexpr auto error_message<route_to> =
    "expected `to \"QUEUE\"` after the route's condition, e.g. to \"sdr\"";
template <> inline constexpr auto error_message<route_queue> = "expected the queue's name in quotes after `to`";
template <> inline constexpr auto error_message<route_sla> =
    "expected the service-level time after `within`, e.g. 4h (h = hours, d = days, w = weeks)";
template <> inline constexpr auto error_message<route_owner_value> =
    "expected a lead field or `round robin [\"NAME\", ...]` after `owner`";
template <> inline constexpr auto error_message<round_robin_list> =
    "expected a list's name or an inline list after `round robin`, e.g. [\"ana\", \"ben\"]";
template <> inline constexpr auto error_message<response_body> =
    "expected `activity [where CONDITION]` or `when CONDITION [at FIELD]` after `response`";
template <> inline constexpr auto error_message<response_condition> = "expected a condition after `when`";
template <> inline constexpr auto error_message<response_at_field> =
    "expected a lead field (a date or timestamp) after `at`";
template <> inline constexpr auto error_message<working_hours_keyword> = "expected `hours` after `working`";
template <> inline constexpr auto error_message<working_hours_text> =
    "expected the working hours in quotes, e.g. working hours \"Mon-Fri 09:00-17:00 UTC+01:00\"";
template <> inline constexpr auto error_message<target_metric> =
    "expected a metric after `target`: acceptance, rejection, sla_met or mql_to_won";
template <> inline constexpr auto error_message<target_operator> = "expected `>=` or `<=` after the target's metric";
template <> inline constexpr auto error_message<target_value> = "expected a number after the operator, e.g. 70%";
template <> inline constexpr auto error_message<output_open> =
    "expected `{` after `output`, e.g. output { score as \"Lead_Score__c\" }";
template <> inline constexpr auto error_message<output_as> =
    "expected `as \"NAME\"` after the output column, e.g. score as \"Lead_Score__c\"";
template <> inline constexpr auto error_message<output_header> = "expected the column's new name in quotes after `as`";
template <> inline constexpr auto error_message<output_close> =
    "expected `}` to close the output block opened at line {line} (each line is COLUMN as \"NAME\")";

// expressions
template <> inline constexpr auto error_message<paren_expression> = "expected a value or condition after `(`";
template <> inline constexpr auto error_message<paren_close> = "expected `)` to close the `(` opened at line {line}";
template <> inline constexpr auto error_message<call_next_argument> = "expected an argument after `,`";
template <> inline constexpr auto error_message<call_close> =
    "expected `)` to close the function call opened at line {line}";
template <> inline constexpr auto error_message<where_condition> = "expected a condition after `where`";
template <> inline constexpr auto error_message<within_duration> =
    "expected a duration after `within`, e.g. 30d (h = hours, d = days, w = weeks)";
template <> inline constexpr auto error_message<aggregate_close> =
    "expected `)` to close the aggregate opened at line {line} (only `where` and `within` may follow `activity`)";
template <> inline constexpr auto error_message<sum_dot> = "expected `.FIELD` after `sum(activity`, e.g. sum(activity.amount)";
template <> inline constexpr auto error_message<sum_field> = "expected an activity field's name after `activity.`";
template <> inline constexpr auto error_message<negate_operand> = "expected a value after `-`";
template <> inline constexpr auto error_message<mul_operand> = "expected a value after `*`";
template <> inline constexpr auto error_message<div_operand> = "expected a value after `/`";
template <> inline constexpr auto error_message<add_operand> = "expected a value after `+`";
template <> inline constexpr auto error_message<sub_operand> = "expected a value after `-`";
template <> inline constexpr auto error_message<compare_operand<op_eq>> = "expected a value after `==`";
template <> inline constexpr auto error_message<compare_operand<op_ne>> = "expected a value after `!=`";
template <> inline constexpr auto error_message<compare_operand<op_lt>> = "expected a value after `<`";
template <> inline constexpr auto error_message<compare_operand<op_le>> = "expected a value after `<=`";
template <> inline constexpr auto error_message<compare_operand<op_gt>> = "expected a value after `>`";
template <> inline constexpr auto error_message<compare_operand<op_ge>> = "expected a value after `>=`";
template <> inline constexpr auto error_message<between_low> = "expected a value after `between`";
template <> inline constexpr auto error_message<between_and> = "expected `and` after the first value of `between`";
template <> inline constexpr auto error_message<between_high> = "expected a value after `and`";
template <> inline constexpr auto error_message<in_list> =
    "expected a list's name or an inline list like [\"US\", \"CA\"]";
template <> inline constexpr auto error_message<contains_operand> = "expected a value after `contains`";
template <> inline constexpr auto error_message<starts_with_keyword> = "expected `with` after `starts`";
template <> inline constexpr auto error_message<ends_with_keyword> = "expected `with` after `ends`";
template <> inline constexpr auto error_message<text_operand> = "expected a value after `with`";
template <> inline constexpr auto error_message<missing_or_present> = "expected `missing` or `present` after `is`";
template <> inline constexpr auto error_message<not_operand> = "expected a condition after `not`";
template <> inline constexpr auto error_message<and_operand> = "expected a condition after `and`";
template <> inline constexpr auto error_message<or_operand> = "expected a condition after `or`";

// A second caret for the errors about an unclosed construct: where it was opened (Lua's "to close
// '(' at line 9"), shown as a note under the error.
template <typename Rule> inline constexpr const char* opening_note = nullptr;
template <> inline constexpr auto opening_note<schema_close> = "the schema opened here";
template <> inline constexpr auto opening_note<inline_list_end> = "this `[` is never closed";
template <> inline constexpr auto opening_note<score_close> = "the `score` section opened here";
template <> inline constexpr auto opening_note<gate_close> = "the gate opened here";
template <> inline constexpr auto opening_note<classify_close> = "the classify opened here";
template <> inline constexpr auto opening_note<paren_close> = "this `(` is never closed";
template <> inline constexpr auto opening_note<call_close> = "the function call opened here";
template <> inline constexpr auto opening_note<aggregate_close> = "the aggregate opened here";

// Messages the parser composes after the grammar gave up, from what stands at the error.
// A string closed too early: `rule "Demo when country == "US" points 5` fails at `US`, but the
// missing quote is the label's. {column} = where the string actually closed.
inline constexpr const char* runaway_string_message =
    "unterminated string: its closing `\"` is missing, so the string runs on to the `\"` at column {column}";
inline constexpr const char* runaway_string_note = "the string ends here, and the rest of the line is read as rules";
inline constexpr const char* runaway_string_hint = "add the closing `\"` where the text ends";
// A word where a declaration is expected that is close to a declaration keyword. {suggestion}.
inline constexpr const char* misspelt_declaration_message = "`{token}` is not a declaration; did you mean `{suggestion}`?";
inline constexpr const char* misspelt_declaration_hint =
    "a declaration starts with `ruleset`, `schema`, `list`, `let`, `score`, `gate`, `mql`, `classify` or "
    "`calibration`";

// A malformed number where a value was expected: `10m`, `1e5`, `.5`. {number}, {what}.
inline constexpr const char* malformed_number_message = "malformed number `{number}`: {what}";

struct error_messages {
  template <typename Rule> static constexpr auto message = error_message<Rule>;
};

// accounts
template <> inline constexpr auto error_message<account_member> =
    "expected the name of an account section, gate, classify or field after `account.`, e.g. account.fit";
template <> inline constexpr auto error_message<leads_close> =
    "expected `)` to close the aggregate over leads, e.g. count(leads where interest >= 20)";
template <> inline constexpr auto error_message<leads_of> =
    "expected `of leads` after the value, e.g. max(interest of leads)";
template <> inline constexpr auto error_message<leads_after_of> = "expected `leads` after `of`, e.g. max(interest of leads)";
template <> inline constexpr auto error_message<top_comma> =
    "expected `,` after the number of leads, e.g. top(3, interest of leads)";
template <> inline constexpr auto error_message<account_body> =
    "expected `key`, `score`, `gate` or `classify` after `account`, e.g. account score engagement {";
template <> inline constexpr auto error_message<account_key_value> =
    "expected the account key after `account key`: a lead field or an expression, e.g. account key domain(email)";
template <> inline constexpr auto error_message<account_key_except_list> =
    "expected a list name or an inline list after `except`, e.g. except free_mail";
template <> inline constexpr auto error_message<mqa_when> = "expected `when` after `mqa`, e.g. mqa when engagement >= 50";
template <> inline constexpr auto error_message<mqa_condition> = "expected a condition after `mqa when`";


// ---- hints ---------------------------------------------------------------------------------------
// The `= hint:` line under the caret: the correct form, as an example. Every rule with a message has
// one (build_control static_asserts it), so no syntax error comes without a hint.
template <typename Rule> inline constexpr const char* error_hint = nullptr;

// lexical
template <> inline constexpr auto error_hint<unknown_escape_error> = "e.g. \"say \\\"hi\\\"\" or \"C:\\\\data\"";
template <> inline constexpr auto error_hint<string_close> = "close the string on the same line, e.g. rule \"Demo request\"";
template <> inline constexpr auto error_hint<reserved_word_error> =
    "add a word to it, e.g. `{token}_value` or `lead_{token}`";
template <> inline constexpr auto error_hint<chained_comparison_error> =
    "for a range, write employees between 200 and 4_999";
template <> inline constexpr auto error_hint<each_only_option_error> =
    "a `when` rule adds its points once; to add them per event, write the rule with `each activity`";
template <> inline constexpr auto error_hint<single_equals_error> = "e.g. country == \"US\"";
template <> inline constexpr auto error_hint<between_parens_error> =
    "write the two values without parentheses, e.g. employees between 200 and 4_999";

// top level
template <> inline constexpr auto error_hint<declaration> =
    "every top-level line starts a declaration, e.g. let big = employees >= 500; rules go inside a section: "
    "score fit { rule \"Big\" when big points 10 }";
template <> inline constexpr auto error_hint<ruleset_name> = "e.g. ruleset \"acme-b2b\" version 1";
template <> inline constexpr auto error_hint<ruleset_version_keyword> = "e.g. ruleset \"acme-b2b\" version 1";
template <> inline constexpr auto error_hint<ruleset_version> = "a whole number in digits, e.g. version 7";

// schema
template <> inline constexpr auto error_hint<schema_kind> = "e.g. schema lead { lead_id: id }";
template <> inline constexpr auto error_hint<schema_open> = "e.g. schema lead { lead_id: id }";
template <> inline constexpr auto error_hint<field_colon> = "e.g. employees: int from \"Number of Employees\"";
template <> inline constexpr auto error_hint<field_type> = "e.g. employees: int";
template <> inline constexpr auto error_hint<field_source> = "e.g. employees: int from \"Number of Employees\"";
template <> inline constexpr auto error_hint<zone_name> = "e.g. last_seen: timestamp zone \"UTC\"";
template <> inline constexpr auto error_hint<schema_close> =
    "add `}` after the last field; each field is on its own line, e.g. employees: int";

// list, let, calibration
template <> inline constexpr auto error_hint<list_decl_name> = "e.g. list icp_countries = [\"US\", \"CA\"]";
template <> inline constexpr auto error_hint<list_equals> = "e.g. list icp_countries = [\"US\", \"CA\"]";
template <> inline constexpr auto error_hint<list_value> =
    "e.g. list icp_countries = [\"US\", \"CA\"] or list free_mail = file \"lists/free_mail.txt\"";
template <> inline constexpr auto error_hint<list_path> = "e.g. list free_mail = file \"lists/free_mail.txt\"";
template <> inline constexpr auto error_hint<inline_list_rest> = "put each entry in quotes, e.g. [\"US\", \"CA\"]";
template <> inline constexpr auto error_hint<inline_list_end> = "e.g. [\"US\", \"CA\"]";
template <> inline constexpr auto error_hint<let_name> = "e.g. let big = employees >= 500";
template <> inline constexpr auto error_hint<let_equals> = "e.g. let big = employees >= 500";
template <> inline constexpr auto error_hint<let_value> = "e.g. let big = employees >= 500";
template <> inline constexpr auto error_hint<calibration_path> = "e.g. calibration \"weights/acme.yaml\"";

// score sections
template <> inline constexpr auto error_hint<score_name> = "e.g. score fit max 100 { rule \"Big\" when employees >= 500 points 10 }";
template <> inline constexpr auto error_hint<score_max_value> = "e.g. score fit max 100 {";
template <> inline constexpr auto error_hint<score_min_value> = "e.g. score fit max 100 min 0 {";
template <> inline constexpr auto error_hint<score_open> = "e.g. score fit max 100 min 0 {";
template <> inline constexpr auto error_hint<rule_label> = "e.g. rule \"Demo request\" when demo_requested points 20";
template <> inline constexpr auto error_hint<rule_body> =
    "e.g. rule \"Big\" when employees >= 500 points 10, or rule \"Visits\" each activity where event == \"visit\" "
    "points 2";
template <> inline constexpr auto error_hint<rule_condition> = "e.g. rule \"Big\" when employees >= 500 points 10";
template <> inline constexpr auto error_hint<rule_points_keyword> = "e.g. rule \"Big\" when employees >= 500 points 10";
template <> inline constexpr auto error_hint<rule_points> = "a number, e.g. points 10 or points -5";
template <> inline constexpr auto error_hint<each_activity> = "e.g. rule \"Visits\" each activity where event == \"visit\" points 2";
template <> inline constexpr auto error_hint<each_points_keyword> =
    "e.g. rule \"Visits\" each activity where event == \"visit\" within 30d points 2";
template <> inline constexpr auto error_hint<each_max_value> = "e.g. points 2 max 10";
template <> inline constexpr auto error_hint<decay_duration> = "e.g. points 2 decay 30d";
template <> inline constexpr auto error_hint<multiply_label> = "e.g. multiply \"Core vertical\" when industry in core by 1.2";
template <> inline constexpr auto error_hint<multiply_when> = "e.g. multiply \"Core vertical\" when industry in core by 1.2";
template <> inline constexpr auto error_hint<multiply_condition> =
    "e.g. multiply \"Core vertical\" when industry in core by 1.2";
template <> inline constexpr auto error_hint<multiply_by> = "e.g. multiply \"Core vertical\" when industry in core by 1.2";
template <> inline constexpr auto error_hint<multiply_factor> = "a number, e.g. by 1.2 or by 0.5";
template <> inline constexpr auto error_hint<score_close> =
    "add `}` after the section's last rule; a section holds only `rule` and `multiply` lines";

// gates, mql, classify
template <> inline constexpr auto error_hint<gate_name> = "e.g. gate cpal { \"Big\": employees >= 200 }";
template <> inline constexpr auto error_hint<gate_open> = "e.g. gate cpal { \"Big\": employees >= 200 }";
template <> inline constexpr auto error_hint<criterion_condition> = "e.g. \"Big\": employees >= 200";
template <> inline constexpr auto error_hint<gate_close> =
    "add `}` after the last criterion; each is a condition, optionally labelled: \"Big\": employees >= 200";
template <> inline constexpr auto error_hint<mql_when> = "e.g. mql when fit >= 40 and interest >= 30";
template <> inline constexpr auto error_hint<mql_condition> = "e.g. mql when fit >= 40 and interest >= 30";
template <> inline constexpr auto error_hint<classify_name> = "e.g. classify quadrant { \"hot\" when fit >= 40 \"cold\" otherwise }";
template <> inline constexpr auto error_hint<classify_open> = "e.g. classify quadrant { \"hot\" when fit >= 40 \"cold\" otherwise }";
template <> inline constexpr auto error_hint<branch_body> = "e.g. \"hot\" when fit >= 40, or \"cold\" otherwise";
template <> inline constexpr auto error_hint<branch_condition> = "e.g. \"hot\" when fit >= 40";
template <> inline constexpr auto error_hint<classify_close> =
    "add `}` after the last branch; put the value in quotes, e.g. \"hot\" when fit >= 40";

// handoff and output
template <> inline constexpr auto error_hint<handoff_open> = "e.g. handoff { route \"Nurture\" otherwise to \"marketing\" }";
template <> inline constexpr auto error_hint<handoff_close> =
    "add `}` after the last item, e.g. route \"Nurture\" otherwise to \"marketing\"";
template <> inline constexpr auto error_hint<route_label> = "e.g. route \"SDR call\" when quadrant == \"hot\" to \"sdr\"";
template <> inline constexpr auto error_hint<route_match> =
    "e.g. route \"SDR call\" when quadrant == \"hot\" to \"sdr\", or route \"Nurture\" otherwise to \"marketing\"";
template <> inline constexpr auto error_hint<route_condition> = "e.g. route \"SDR call\" when quadrant == \"hot\" to \"sdr\"";
template <> inline constexpr auto error_hint<route_to> = "e.g. route \"SDR call\" when quadrant == \"hot\" to \"sdr\"";
template <> inline constexpr auto error_hint<route_queue> = "e.g. to \"sdr\"";
template <> inline constexpr auto error_hint<route_sla> = "e.g. to \"sdr\" within 4h";
template <> inline constexpr auto error_hint<route_owner_value> = "e.g. owner account_owner, or owner round robin reps";
template <> inline constexpr auto error_hint<round_robin_list> = "e.g. owner round robin [\"ana\", \"bo\"]";
template <> inline constexpr auto error_hint<response_body> =
    "e.g. response activity where type == \"call\", or response when status == \"Working\" at status_at";
template <> inline constexpr auto error_hint<response_condition> = "e.g. response when status == \"Working\" at status_at";
template <> inline constexpr auto error_hint<response_at_field> = "e.g. response when status == \"Working\" at status_at";
template <> inline constexpr auto error_hint<working_hours_keyword> = "e.g. working hours \"Mon-Fri 09:00-17:00 UTC+01:00\"";
template <> inline constexpr auto error_hint<working_hours_text> = "e.g. working hours \"Mon-Fri 09:00-17:00 UTC+01:00\"";
template <> inline constexpr auto error_hint<target_metric> = "e.g. target acceptance >= 70%";
template <> inline constexpr auto error_hint<target_operator> = "e.g. target acceptance >= 70% or target rejection <= 15%";
template <> inline constexpr auto error_hint<target_value> = "e.g. target acceptance >= 70%";
template <> inline constexpr auto error_hint<output_open> = "e.g. output { score as \"Lead_Score__c\" }";
template <> inline constexpr auto error_hint<output_as> = "e.g. output { score as \"Lead_Score__c\" }";
template <> inline constexpr auto error_hint<output_header> = "e.g. score as \"Lead_Score__c\"";
template <> inline constexpr auto error_hint<output_close> =
    "add `}` after the last column, e.g. output { score as \"Lead_Score__c\" }";

// expressions
template <> inline constexpr auto error_hint<paren_expression> = "e.g. (a or b) and c";
template <> inline constexpr auto error_hint<paren_close> = "add `)` where the group ends, e.g. (a or b) and c";
template <> inline constexpr auto error_hint<call_next_argument> = "e.g. f(a, b), with no `,` after the last argument";
template <> inline constexpr auto error_hint<call_close> = "separate arguments with `,`, e.g. domain(email)";
template <> inline constexpr auto error_hint<where_condition> = "e.g. count(activity where event == \"visit\" within 30d)";
template <> inline constexpr auto error_hint<within_duration> = "a whole number and a unit, e.g. within 30d";
template <> inline constexpr auto error_hint<aggregate_close> =
    "e.g. count(activity where event == \"visit\" within 30d): `where` first, then `within`";
template <> inline constexpr auto error_hint<sum_dot> = "e.g. sum(activity.amount where event == \"order\")";
template <> inline constexpr auto error_hint<sum_field> = "e.g. sum(activity.amount)";
template <> inline constexpr auto error_hint<negate_operand> = "e.g. -3 or -fit";
template <> inline constexpr auto error_hint<mul_operand> = "e.g. fit * 2";
template <> inline constexpr auto error_hint<div_operand> = "e.g. annual_revenue / employees";
template <> inline constexpr auto error_hint<add_operand> = "e.g. fit + interest";
template <> inline constexpr auto error_hint<sub_operand> = "e.g. fit - 10";
template <> inline constexpr auto error_hint<compare_operand<op_eq>> = "e.g. country == \"US\"";
template <> inline constexpr auto error_hint<compare_operand<op_ne>> = "e.g. plan != \"free\"";
template <> inline constexpr auto error_hint<compare_operand<op_lt>> = "e.g. employees < 50";
template <> inline constexpr auto error_hint<compare_operand<op_le>> = "e.g. employees <= 50";
template <> inline constexpr auto error_hint<compare_operand<op_gt>> =
    "a number, field or expression, e.g. employees > 500 (a rule ends with `points N`: when employees > 500 points 5)";
template <> inline constexpr auto error_hint<compare_operand<op_ge>> = "e.g. employees >= 200";
template <> inline constexpr auto error_hint<between_low> = "e.g. employees between 200 and 4_999";
template <> inline constexpr auto error_hint<between_and> =
    "e.g. employees between 200 and 4_999 (two values joined by `and`, without parentheses)";
template <> inline constexpr auto error_hint<between_high> = "e.g. employees between 200 and 4_999";
template <> inline constexpr auto error_hint<in_list> = "e.g. country in icp_countries, or country in [\"US\", \"CA\"]";
template <> inline constexpr auto error_hint<contains_operand> = "e.g. title contains \"vp\"";
template <> inline constexpr auto error_hint<starts_with_keyword> = "e.g. url starts with \"/careers\"";
template <> inline constexpr auto error_hint<ends_with_keyword> = "e.g. email ends with \".edu\"";
template <> inline constexpr auto error_hint<text_operand> = "e.g. url starts with \"/careers\"";
template <> inline constexpr auto error_hint<missing_or_present> = "e.g. annual_revenue is missing";
template <> inline constexpr auto error_hint<not_operand> = "e.g. not is_agency";
template <> inline constexpr auto error_hint<and_operand> = "e.g. icp_country and not is_agency";
template <> inline constexpr auto error_hint<or_operand> = "e.g. country == \"US\" or country == \"CA\"";

// accounts
template <> inline constexpr auto error_hint<account_member> = "e.g. account.fit >= 40";
template <> inline constexpr auto error_hint<leads_close> = "e.g. count(leads where interest >= 20)";
template <> inline constexpr auto error_hint<leads_of> = "e.g. max(interest of leads where fit >= 40)";
template <> inline constexpr auto error_hint<leads_after_of> = "e.g. max(interest of leads)";
template <> inline constexpr auto error_hint<top_comma> = "e.g. top(3, interest of leads)";
template <> inline constexpr auto error_hint<account_body> =
    "e.g. account key domain(email), or account score engagement { ... }";
template <> inline constexpr auto error_hint<account_key_value> = "e.g. account key account_id";
template <> inline constexpr auto error_hint<account_key_except_list> =
    "e.g. account key domain(email) except internal_domains";
template <> inline constexpr auto error_hint<mqa_when> = "e.g. mqa when engagement >= 50";
template <> inline constexpr auto error_hint<mqa_condition> = "e.g. mqa when engagement >= 50";

// The hints of the errors the builders raise.
inline constexpr const char* number_too_large_hint = "a number must be below 10^308 (1 followed by 308 digits); check for pasted digits";
inline constexpr const char* duration_too_long_hint = "use at most 36525d; a year is 365d or 52w";
inline constexpr const char* expression_too_deep_hint = "name parts of it with `let`, e.g. let big = employees >= 500, and use the names";

}  // namespace leadscore::grammar

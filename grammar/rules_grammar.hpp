#pragma once
// The .rules language (the contract: ../shared/design/language.md; our additions: docs/language.md) as PEGTL 3.2.7 rules.
// Every token swallows the blanks and comments after it, so a failing rule stands on the next real
// token: that is where errors are reported. Rules whose failure is an error (the must<> points) have
// a message in error_messages.hpp; nothing else does.
#include <tao/pegtl.hpp>

namespace leadscore::grammar {

namespace pegtl = tao::pegtl;
using namespace pegtl;  // the combinators: seq, sor, star, opt, must, if_must, ...

// ---- lexical ------------------------------------------------------------------------------------

struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};
struct skip : star<sor<ascii::space, comment>> {};
template <typename Rule> struct token : seq<Rule, skip> {};

struct identifier_start : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct identifier_char : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};
template <char... Cs> struct word : seq<string<Cs...>, not_at<identifier_char>> {};

struct kw_ruleset : TAO_PEGTL_STRING("ruleset") {};
struct kw_version : TAO_PEGTL_STRING("version") {};
struct kw_schema : TAO_PEGTL_STRING("schema") {};
struct kw_list : TAO_PEGTL_STRING("list") {};
struct kw_file : TAO_PEGTL_STRING("file") {};
struct kw_let : TAO_PEGTL_STRING("let") {};
struct kw_score : TAO_PEGTL_STRING("score") {};
struct kw_max : TAO_PEGTL_STRING("max") {};
struct kw_min : TAO_PEGTL_STRING("min") {};
struct kw_rule : TAO_PEGTL_STRING("rule") {};
struct kw_when : TAO_PEGTL_STRING("when") {};
struct kw_points : TAO_PEGTL_STRING("points") {};
struct kw_each : TAO_PEGTL_STRING("each") {};
struct kw_activity : TAO_PEGTL_STRING("activity") {};
struct kw_where : TAO_PEGTL_STRING("where") {};
struct kw_within : TAO_PEGTL_STRING("within") {};
struct kw_decay : TAO_PEGTL_STRING("decay") {};
struct kw_multiply : TAO_PEGTL_STRING("multiply") {};
struct kw_by : TAO_PEGTL_STRING("by") {};
struct kw_gate : TAO_PEGTL_STRING("gate") {};
struct kw_mql : TAO_PEGTL_STRING("mql") {};
struct kw_classify : TAO_PEGTL_STRING("classify") {};
struct kw_otherwise : TAO_PEGTL_STRING("otherwise") {};
struct kw_and : TAO_PEGTL_STRING("and") {};
struct kw_or : TAO_PEGTL_STRING("or") {};
struct kw_not : TAO_PEGTL_STRING("not") {};
struct kw_in : TAO_PEGTL_STRING("in") {};
struct kw_contains : TAO_PEGTL_STRING("contains") {};
struct kw_any : TAO_PEGTL_STRING("any") {};
struct kw_starts : TAO_PEGTL_STRING("starts") {};
struct kw_ends : TAO_PEGTL_STRING("ends") {};
struct kw_with : TAO_PEGTL_STRING("with") {};
struct kw_is : TAO_PEGTL_STRING("is") {};
struct kw_missing : TAO_PEGTL_STRING("missing") {};
struct kw_present : TAO_PEGTL_STRING("present") {};
struct kw_between : TAO_PEGTL_STRING("between") {};
struct kw_true : TAO_PEGTL_STRING("true") {};
struct kw_false : TAO_PEGTL_STRING("false") {};
struct kw_calibration : TAO_PEGTL_STRING("calibration") {};
struct kw_row : TAO_PEGTL_STRING("row") {};
// Account words are not reserved (a lead field may be called `account` or `leads`): they only mean
// something at their place, e.g. `account.fit` or `count(leads where ...)`.
struct kw_account : TAO_PEGTL_STRING("account") {};
struct kw_leads : TAO_PEGTL_STRING("leads") {};
struct kw_of : TAO_PEGTL_STRING("of") {};

// A keyword is a whole word: `points` but not `pointsx`.
template <typename Spelling> struct keyword : seq<Spelling, not_at<identifier_char>> {};
template <typename Spelling> struct key : token<keyword<Spelling>> {};
template <typename... Spellings> struct any_keyword : sor<keyword<Spellings>...> {};

struct reserved_word
    : any_keyword<kw_ruleset, kw_version, kw_schema, kw_list, kw_file, kw_let, kw_score, kw_max, kw_min,
                  kw_rule, kw_when, kw_points, kw_each, kw_activity, kw_where, kw_within, kw_decay,
                  kw_multiply, kw_by, kw_gate, kw_mql, kw_classify, kw_otherwise, kw_and, kw_or, kw_not,
                  kw_in, kw_contains, kw_any, kw_starts, kw_ends, kw_with, kw_is, kw_missing, kw_present,
                  kw_between, kw_true, kw_false, kw_calibration, kw_row> {};

struct name : seq<not_at<reserved_word>, identifier_start, star<identifier_char>> {};
struct name_token : token<name> {};
// Raised where a declaration's name is expected but a reserved word stands.
struct reserved_word_error : success {};  // only raised, never matched: carries the message
struct reserved_word_as_name : seq<at<reserved_word>, raise<reserved_word_error>> {};
struct declared_name : sor<reserved_word_as_name, name_token> {};

struct digits : seq<digit, star<opt<one<'_'>>, digit>> {};
struct number_suffix : one<'k', 'M', 'B'> {};
struct number : seq<digits, opt<one<'.'>, digits>, opt<number_suffix>, not_at<identifier_char>> {};
struct number_token : token<number> {};
struct signed_number : seq<opt<one<'-'>>, number> {};
struct signed_number_token : token<signed_number> {};
struct duration_unit : one<'h', 'd', 'w'> {};
struct duration : seq<plus<digit>, duration_unit, not_at<identifier_char>> {};
struct duration_token : token<duration> {};

struct escape_char : one<'"', '\\', 'n', 't'> {};
struct valid_escape : seq<one<'\\'>, escape_char> {};
struct unknown_escape_error : success {};
struct escape : sor<valid_escape, seq<at<one<'\\'>>, raise<unknown_escape_error>>> {};
struct string_char : sor<escape, not_one<'"', '\\', '\n', '\r'>> {};
struct string_close : one<'"'> {};
struct string_literal : seq<one<'"'>, star<string_char>, must<string_close>> {};
struct string_token : token<string_literal> {};

template <char C> struct punct : token<one<C>> {};
struct colon : punct<':'> {};
struct equals : seq<one<'='>, not_at<one<'='>>, skip> {};
struct comma : punct<','> {};
struct open_brace : punct<'{'> {};
struct close_brace : punct<'}'> {};
struct open_paren : punct<'('> {};
struct close_paren : punct<')'> {};
struct open_bracket : punct<'['> {};
struct close_bracket : punct<']'> {};

// ---- expressions --------------------------------------------------------------------------------

struct or_expr;
struct expression : seq<or_expr> {};

struct inline_list_entry : string_token {};
struct inline_list_end : close_bracket {};
struct inline_list_rest
    : sor<close_bracket, seq<inline_list_entry, star<comma, inline_list_entry>, opt<comma>, must<inline_list_end>>> {};
struct inline_list : if_must<open_bracket, inline_list_rest> {};
struct list_name_ref : name_token {};
struct list_ref : sor<inline_list, list_name_ref> {};

struct paren_expression : expression {};
struct paren_close : close_paren {};
struct paren_expr : if_must<open_paren, paren_expression, paren_close> {};

struct bool_literal : sor<key<kw_true>, key<kw_false>> {};
struct number_literal : number_token {};
struct string_expr : string_token {};
struct score_ref : key<kw_score> {};  // the sum of all sections: `score` is usable as a name
struct mql_ref : key<kw_mql> {};      // the lead's `mql` (true or false), e.g. in a route or classify condition
struct name_ref : name_token {};

struct where_condition : expression {};
struct aggregate_where : if_must<key<kw_where>, where_condition> {};
struct within_duration : duration_token {};
struct aggregate_within : if_must<key<kw_within>, within_duration> {};
struct aggregate_filters : seq<opt<aggregate_where>, opt<aggregate_within>> {};
struct aggregate_close : close_paren {};
template <typename Name>
struct aggregate_start : seq<keyword<Name>, skip, one<'('>, skip, key<kw_activity>> {};
struct kw_count : TAO_PEGTL_STRING("count") {};
struct kw_exists : TAO_PEGTL_STRING("exists") {};
struct kw_sum : TAO_PEGTL_STRING("sum") {};
struct kw_days_since_last : TAO_PEGTL_STRING("days_since_last") {};
struct sum_dot : punct<'.'> {};
struct sum_field : declared_name {};
struct count_aggregate : seq<aggregate_start<kw_count>, aggregate_filters, must<aggregate_close>> {};
struct exists_aggregate : seq<aggregate_start<kw_exists>, aggregate_filters, must<aggregate_close>> {};
struct sum_aggregate
    : seq<aggregate_start<kw_sum>, must<sum_dot, sum_field>, aggregate_filters, must<aggregate_close>> {};
struct days_since_last_aggregate
    : seq<aggregate_start<kw_days_since_last>, aggregate_filters, must<aggregate_close>> {};
struct aggregate : sor<count_aggregate, exists_aggregate, sum_aggregate, days_since_last_aggregate> {};

struct call_first_argument : expression {};
struct call_next_argument : expression {};
struct call_arguments : opt<call_first_argument, star<comma, must<call_next_argument>>> {};
struct call_close : close_paren {};
struct function_name : name_token {};
struct call : seq<function_name, open_paren, call_arguments, must<call_close>> {};

// `account.fit`: in a lead rule, a value of the lead's account (a section, gate, classify, field or mqa).
struct account_member : name_token {};
struct account_ref : seq<keyword<kw_account>, skip, one<'.'>, skip, must<account_member>> {};

// Aggregates over the leads of an account (account rules only):
//   count(leads [where C])  exists(leads [where C])
//   distinct(X of leads [where C])  max(...)  min(...)  sum(...)  avg(...)  top(K, X of leads [where C])
struct leads_word : key<kw_leads> {};
struct leads_where : if_must<key<kw_where>, where_condition> {};
struct leads_close : close_paren {};
struct leads_tail : seq<opt<leads_where>, must<leads_close>> {};
template <typename Name>
struct leads_open : seq<keyword<Name>, skip, one<'('>, skip> {};
struct lead_value : expression {};
struct leads_after_of : key<kw_leads> {};
struct leads_of : seq<key<kw_of>, must<leads_after_of>> {};
struct kw_distinct : TAO_PEGTL_STRING("distinct") {};
struct kw_avg : TAO_PEGTL_STRING("avg") {};
struct kw_top : TAO_PEGTL_STRING("top") {};
struct count_leads : seq<leads_open<kw_count>, leads_word, leads_tail> {};
struct exists_leads : seq<leads_open<kw_exists>, leads_word, leads_tail> {};
template <typename Name>
struct value_of_leads : seq<leads_open<Name>, not_at<keyword<kw_activity>>, lead_value, must<leads_of>, leads_tail> {};
struct distinct_leads : value_of_leads<kw_distinct> {};
struct max_leads : value_of_leads<kw_max> {};
struct min_leads : value_of_leads<kw_min> {};
struct sum_leads : value_of_leads<kw_sum> {};
struct avg_leads : value_of_leads<kw_avg> {};
struct top_count : number_token {};
struct top_comma : comma {};
struct top_leads : seq<leads_open<kw_top>, top_count, must<top_comma>, lead_value, must<leads_of>, leads_tail> {};
struct leads_aggregate
    : sor<count_leads, exists_leads, distinct_leads, max_leads, min_leads, sum_leads, avg_leads, top_leads> {};

struct primary
    : sor<paren_expr, number_literal, string_expr, bool_literal, score_ref, mql_ref, aggregate, leads_aggregate,
          account_ref, call, name_ref> {};

struct minus : seq<one<'-'>, skip> {};
struct negate_operand : primary {};
struct negation : seq<plus<minus>, must<negate_operand>> {};
struct unary : sor<negation, primary> {};

struct mul_operand : unary {};
struct div_operand : unary {};
struct mul_tail : if_must<punct<'*'>, mul_operand> {};
struct div_tail : if_must<punct<'/'>, div_operand> {};
struct multiplicative : seq<unary, star<sor<mul_tail, div_tail>>> {};

struct add_operand : multiplicative {};
struct sub_operand : multiplicative {};
struct add_tail : if_must<punct<'+'>, add_operand> {};
struct sub_tail : if_must<punct<'-'>, sub_operand> {};
struct additive : seq<multiplicative, star<sor<add_tail, sub_tail>>> {};

template <typename Operator> struct compare_operand : additive {};
template <typename Operator> struct compare_tail : if_must<token<Operator>, compare_operand<Operator>> {};
struct op_eq : string<'=', '='> {};
struct op_ne : string<'!', '='> {};
struct op_le : string<'<', '='> {};
struct op_lt : one<'<'> {};
struct op_ge : string<'>', '='> {};
struct op_gt : one<'>'> {};
struct between_and : key<kw_and> {};
struct between_high : additive {};
// `n between (1 and 2)`: the parenthesised pair would parse as one value, and the error would
// stand at the next line. Seen at the `(` (a number or a name, then `and` or `,`), raised there.
struct between_parens_error : success {};
struct between_parens_pair
    : seq<one<'('>, star<ascii::blank>, opt<one<'-'>>, plus<sor<identifier_char, one<'.'>>>, star<ascii::blank>,
          sor<keyword<kw_and>, one<','>>> {};
struct between_in_parens : seq<at<between_parens_pair>, raise<between_parens_error>> {};
struct between_low : seq<opt<between_in_parens>, additive> {};
struct between_tail : if_must<key<kw_between>, between_low, between_and, between_high> {};
struct in_list : list_ref {};
struct in_tail : if_must<key<kw_in>, in_list> {};
struct not_in_tail : if_must<seq<key<kw_not>, key<kw_in>>, in_list> {};
struct contains_any_tail : if_must<seq<key<kw_contains>, key<kw_any>>, in_list> {};
struct contains_operand : additive {};
struct contains_tail : if_must<key<kw_contains>, contains_operand> {};
struct starts_with_keyword : key<kw_with> {};
struct text_operand : additive {};
struct starts_with_tail : if_must<key<kw_starts>, starts_with_keyword, text_operand> {};
struct ends_with_keyword : key<kw_with> {};
struct ends_with_tail : if_must<key<kw_ends>, ends_with_keyword, text_operand> {};
struct is_missing : key<kw_missing> {};
struct is_present : key<kw_present> {};
struct missing_or_present : sor<is_missing, is_present> {};
struct is_tail : if_must<key<kw_is>, missing_or_present> {};
// `x = 5` is a common slip for `x == 5`: say so instead of failing later.
struct single_equals : seq<one<'='>, not_at<one<'='>>> {};
struct single_equals_error : success {};
struct single_equals_in_condition : seq<at<single_equals>, raise<single_equals_error>> {};
struct comparison_tail
    : sor<compare_tail<op_eq>, compare_tail<op_ne>, compare_tail<op_le>, compare_tail<op_lt>,
          compare_tail<op_ge>, compare_tail<op_gt>, between_tail, in_tail, not_in_tail, contains_any_tail,
          contains_tail, starts_with_tail, ends_with_tail, is_tail, single_equals_in_condition> {};
// `a < b < c`, `n > 1 == b`: comparisons do not chain; say so instead of failing later.
struct comparison_operator : sor<op_eq, op_ne, op_le, op_lt, op_ge, op_gt> {};
struct chained_comparison_error : success {};
struct chained_comparison : seq<at<comparison_operator>, raise<chained_comparison_error>> {};
struct comparison : seq<additive, opt<comparison_tail, opt<chained_comparison>>> {};

struct not_prefix : key<kw_not> {};
struct not_operand : comparison {};
struct negated : seq<plus<not_prefix>, must<not_operand>> {};
struct not_expr : sor<negated, comparison> {};

struct and_operand : not_expr {};
struct and_tail : if_must<key<kw_and>, and_operand> {};
struct and_expr : seq<not_expr, star<and_tail>> {};

struct or_operand : and_expr {};
struct or_tail : if_must<key<kw_or>, or_operand> {};
struct or_expr : seq<and_expr, star<or_tail>> {};

// ---- declarations -------------------------------------------------------------------------------

struct ruleset_name : string_token {};
struct ruleset_version_keyword : key<kw_version> {};
struct ruleset_version : number_token {};
struct ruleset_decl : if_must<key<kw_ruleset>, ruleset_name, ruleset_version_keyword, ruleset_version> {};

struct kw_lead : TAO_PEGTL_STRING("lead") {};
struct schema_lead : key<kw_lead> {};
struct schema_activity : key<kw_activity> {};
struct schema_account : key<kw_account> {};
struct schema_kind : sor<schema_lead, schema_activity, schema_account> {};
struct schema_open : open_brace {};
struct field_name : sor<seq<at<reserved_word, skip, one<':'>>, raise<reserved_word_error>>, name_token> {};
struct field_colon : colon {};
template <typename Spelling> struct type_word : token<keyword<Spelling>> {};
struct field_type
    : sor<type_word<TAO_PEGTL_STRING("id")>, type_word<TAO_PEGTL_STRING("string")>,
          type_word<TAO_PEGTL_STRING("int")>, type_word<TAO_PEGTL_STRING("number")>,
          type_word<TAO_PEGTL_STRING("bool")>, type_word<TAO_PEGTL_STRING("date")>,
          type_word<TAO_PEGTL_STRING("timestamp")>> {};
struct kw_from : TAO_PEGTL_STRING("from") {};
struct from_row : key<kw_row> {};
struct from_header : string_token {};
struct field_source : sor<from_header, from_row> {};
// `from` is not reserved: a field may be called `from`, so `from` followed by `:` starts a field.
struct field_from : if_must<seq<keyword<kw_from>, skip, not_at<one<':'>>>, field_source> {};
// `zone "UTC"` / `zone "+02:00"` on a timestamp field: the zone of its values written without one.
// Not reserved either.
struct kw_zone : TAO_PEGTL_STRING("zone") {};
struct zone_name : string_token {};
struct field_zone : if_must<seq<keyword<kw_zone>, skip, not_at<one<':'>>>, zone_name> {};
struct schema_field
    : seq<field_name, must<field_colon>, must<field_type>, sor<seq<field_from, opt<field_zone>>,
                                                             seq<field_zone, opt<field_from>>, success>> {};
struct schema_close : close_brace {};
struct schema_decl
    : seq<key<kw_schema>, must<schema_kind, schema_open>, star<schema_field>, must<schema_close>> {};

struct list_decl_name : declared_name {};
struct list_equals : equals {};
struct list_path : string_token {};
struct list_file : if_must<key<kw_file>, list_path> {};
struct list_value : sor<inline_list, list_file> {};
struct list_decl : if_must<key<kw_list>, list_decl_name, list_equals, list_value> {};

struct let_name : declared_name {};
struct let_equals : equals {};
struct let_value : expression {};
struct let_decl : if_must<key<kw_let>, let_name, let_equals, let_value> {};

struct score_name : declared_name {};
struct score_max_value : signed_number_token {};
struct score_min_value : signed_number_token {};
struct score_max : if_must<key<kw_max>, score_max_value> {};
struct score_min : if_must<key<kw_min>, score_min_value> {};
struct score_open : open_brace {};

struct rule_label : string_token {};
struct rule_condition : expression {};
struct rule_points_keyword : key<kw_points> {};
struct rule_points : signed_number_token {};
// `max` and `decay` after a `when` rule or a multiplier: they belong to `each` rules.
struct each_only_option_error : success {};
struct each_only_option : seq<at<sor<keyword<kw_max>, keyword<kw_decay>>>, raise<each_only_option_error>> {};
struct when_rule
    : seq<if_must<key<kw_when>, rule_condition, rule_points_keyword, rule_points>, opt<each_only_option>> {};
struct each_activity_word : key<kw_activity> {};
struct kw_lead_word : TAO_PEGTL_STRING("lead") {};
struct each_lead_word : key<kw_lead_word> {};  // account sections: `each lead where C points P [max M]`
struct each_activity : sor<each_activity_word, each_lead_word> {};
struct each_where : if_must<key<kw_where>, where_condition> {};
struct each_within : if_must<key<kw_within>, within_duration> {};
struct each_points_keyword : key<kw_points> {};
struct each_max_value : signed_number_token {};
struct each_max : if_must<key<kw_max>, each_max_value> {};
struct decay_duration : duration_token {};
struct each_decay : if_must<key<kw_decay>, decay_duration> {};
struct each_rule
    : seq<key<kw_each>, must<each_activity>, opt<each_where>, opt<each_within>, must<each_points_keyword, rule_points>,
          opt<each_max>, opt<each_decay>> {};
struct rule_body : sor<when_rule, each_rule> {};
struct rule_item : if_must<key<kw_rule>, rule_label, rule_body> {};

struct multiply_label : string_token {};
struct multiply_when : key<kw_when> {};
struct multiply_condition : expression {};
struct multiply_by : key<kw_by> {};
struct multiply_factor : signed_number_token {};
struct multiply_item
    : seq<if_must<key<kw_multiply>, multiply_label, multiply_when, multiply_condition, multiply_by, multiply_factor>,
          opt<each_only_option>> {};
struct score_item : sor<rule_item, multiply_item> {};
struct score_close : close_brace {};
struct score_decl
    : seq<key<kw_score>, must<score_name>, opt<score_max>, opt<score_min>, must<score_open>, star<score_item>,
          must<score_close>> {};

struct gate_name : declared_name {};
struct gate_open : open_brace {};
struct criterion_label : seq<string_token, colon> {};
struct criterion_condition : expression {};
struct labeled_criterion : if_must<criterion_label, criterion_condition> {};
struct gate_criterion : sor<labeled_criterion, expression> {};
struct gate_close : close_brace {};
struct gate_decl
    : seq<key<kw_gate>, must<gate_name, gate_open>, star<gate_criterion>, must<gate_close>> {};

struct mql_when : key<kw_when> {};
struct mql_condition : expression {};
struct mql_decl : if_must<key<kw_mql>, mql_when, mql_condition> {};

struct classify_name : declared_name {};
struct classify_open : open_brace {};
struct branch_condition : expression {};
struct branch_when : if_must<key<kw_when>, branch_condition> {};
struct branch_otherwise : key<kw_otherwise> {};
struct branch_body : sor<branch_when, branch_otherwise> {};
struct classify_branch : if_must<string_token, branch_body> {};
struct classify_close : close_brace {};
struct classify_decl
    : seq<key<kw_classify>, must<classify_name, classify_open>, star<classify_branch>, must<classify_close>> {};

struct calibration_path : string_token {};
struct calibration_decl : if_must<key<kw_calibration>, calibration_path> {};

// ---- handoff: routes, SLAs, what counts as a sales response, working hours, targets -------------
// Its words (`handoff`, `route`, `to`, `owner`, `round robin`, `response`, `at`, `working hours`,
// `target`) are not reserved: they only mean something at their place in the block.

struct kw_handoff : TAO_PEGTL_STRING("handoff") {};
struct kw_route : TAO_PEGTL_STRING("route") {};
struct kw_to : TAO_PEGTL_STRING("to") {};
struct kw_owner : TAO_PEGTL_STRING("owner") {};
struct kw_round : TAO_PEGTL_STRING("round") {};
struct kw_robin : TAO_PEGTL_STRING("robin") {};
struct kw_response : TAO_PEGTL_STRING("response") {};
struct kw_at : TAO_PEGTL_STRING("at") {};
struct kw_working : TAO_PEGTL_STRING("working") {};
struct kw_hours : TAO_PEGTL_STRING("hours") {};
struct kw_target : TAO_PEGTL_STRING("target") {};

struct route_label : string_token {};
struct route_condition : expression {};
struct route_when : if_must<key<kw_when>, route_condition> {};
struct route_otherwise : key<kw_otherwise> {};
struct route_match : sor<route_when, route_otherwise> {};
struct route_to : key<kw_to> {};
struct route_queue : string_token {};
struct route_sla : duration_token {};
struct route_within : if_must<key<kw_within>, route_sla> {};
struct round_robin_list : list_ref {};
struct owner_round_robin : if_must<seq<key<kw_round>, key<kw_robin>>, round_robin_list> {};
struct owner_field : name_token {};
struct route_owner_value : sor<owner_round_robin, owner_field> {};
struct route_owner : if_must<key<kw_owner>, route_owner_value> {};
struct route_item
    : seq<if_must<key<kw_route>, route_label, route_match, route_to, route_queue>, opt<route_within>, opt<route_owner>> {};

struct response_where : if_must<key<kw_where>, where_condition> {};
struct response_activity : seq<key<kw_activity>, opt<response_where>> {};
struct response_condition : expression {};
struct response_at_field : name_token {};
struct response_at : if_must<key<kw_at>, response_at_field> {};
struct response_when : seq<if_must<key<kw_when>, response_condition>, opt<response_at>> {};
struct response_body : sor<response_activity, response_when> {};
struct response_item : if_must<key<kw_response>, response_body> {};

struct working_hours_keyword : key<kw_hours> {};
struct working_hours_text : string_token {};
struct working_hours_item : if_must<key<kw_working>, working_hours_keyword, working_hours_text> {};

struct target_metric : name_token {};
struct target_at_least : token<op_ge> {};
struct target_at_most : token<op_le> {};
struct target_operator : sor<target_at_least, target_at_most> {};
struct target_value : number_token {};
struct target_percent : punct<'%'> {};
struct target_item : seq<if_must<key<kw_target>, target_metric, target_operator, target_value>, opt<target_percent>> {};

struct handoff_open : open_brace {};
struct handoff_item : sor<route_item, response_item, working_hours_item, target_item> {};
struct handoff_close : close_brace {};
struct handoff_decl : seq<key<kw_handoff>, must<handoff_open>, star<handoff_item>, must<handoff_close>> {};

// ---- output: CRM field names for output columns ------------------------------------------------
// The column may be a reserved word (`score`, `mql`): any identifier is accepted here.

struct kw_output : TAO_PEGTL_STRING("output") {};
struct kw_as : TAO_PEGTL_STRING("as") {};
struct output_column_name : seq<identifier_start, star<identifier_char>> {};
struct output_column : token<output_column_name> {};
struct output_as : key<kw_as> {};
struct output_header : string_token {};
struct output_rename : if_must<output_column, output_as, output_header> {};
struct output_open : open_brace {};
struct output_close : close_brace {};
struct output_decl : seq<key<kw_output>, must<output_open>, star<output_rename>, must<output_close>> {};

// ---- accounts: the key that ties a lead to its account, account sections, gates, classify, mqa ---

struct kw_key : TAO_PEGTL_STRING("key") {};
struct kw_except : TAO_PEGTL_STRING("except") {};
struct kw_mqa : TAO_PEGTL_STRING("mqa") {};
struct account_key_value : expression {};
struct account_key_except_list : list_ref {};
struct account_key_except : if_must<key<kw_except>, account_key_except_list> {};
struct account_key_decl : seq<key<kw_key>, must<account_key_value>, opt<account_key_except>> {};
struct account_body : sor<account_key_decl, score_decl, gate_decl, classify_decl> {};
struct account_decl : seq<keyword<kw_account>, skip, not_at<one<'.'>>, must<account_body>> {};
struct mqa_when : key<kw_when> {};
struct mqa_condition : expression {};
struct mqa_decl : seq<keyword<kw_mqa>, skip, must<mqa_when, mqa_condition>> {};

struct declaration
    : sor<ruleset_decl, schema_decl, list_decl, let_decl, score_decl, gate_decl, mql_decl, classify_decl,
          calibration_decl, handoff_decl, output_decl, account_decl, mqa_decl> {};
struct utf8_bom : string<'\xEF', '\xBB', '\xBF'> {};
struct declarations : seq<skip, until<eof, must<declaration>>> {};
struct rules_file : seq<opt<utf8_bom>, declarations> {};

}  // namespace leadscore::grammar

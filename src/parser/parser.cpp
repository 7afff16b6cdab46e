#include "parser/parser.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "parser/internal/allow_directives.hpp"
#include "parser/internal/build_control.hpp"
#include "parser/internal/encoding_check.hpp"
#include "parser/internal/error_hints.hpp"
#include "parser/internal/recovery.hpp"

namespace leadscore {
namespace {

namespace pegtl = tao::pegtl;
using parser_internal::BuildState;

std::string identifier_at(std::string_view text, std::size_t offset) {
  std::size_t end = offset;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
  return std::string(text.substr(offset, end - offset));
}

void replace_all(std::string& message, std::string_view placeholder, const std::string& value) {
  for (std::size_t at = message.find(placeholder); at != std::string::npos; at = message.find(placeholder, at))
    message.replace(at, placeholder.size(), value), at += value.size();
}

// "expected a value after `>`", "expected a number after `points`", "expected a condition after `when`", ...
bool expects_a_value(std::string_view message) {
  for (std::string_view start : {"expected a value", "expected a number", "expected a condition"})
    if (message.starts_with(start)) return true;
  return false;
}

struct FoundError {
  std::uint32_t offset;
  std::string message;
  std::string hint;
  std::vector<std::pair<std::uint32_t, std::string>> notes;  // offset, message
};

// Fills in the placeholders of a message and takes a second look at what stands at the error;
// the state still holds the frames open at the error.
FoundError describe(const BuildState& state, const parser_internal::SyntaxError& error) {
  const std::string& text = state.source->text();
  FoundError found{error.offset, error.message, error.hint ? error.hint : "", {}};
  std::string token = identifier_at(text, error.offset);
  if (auto runaway = parser_internal::runaway_string(text, error.offset)) {
    found.offset = static_cast<std::uint32_t>(runaway->open);
    found.message = grammar::runaway_string_message;
    const auto close = static_cast<std::uint32_t>(runaway->close);
    replace_all(found.message, "{column}", std::to_string(state.pos(close).column));
    found.hint = grammar::runaway_string_hint;
    found.notes.emplace_back(static_cast<std::uint32_t>(runaway->close), grammar::runaway_string_note);
    return found;
  }
  if (expects_a_value(error.message)) {
    if (auto number = parser_internal::malformed_number(text, error.offset)) {
      found.message = grammar::malformed_number_message;
      replace_all(found.message, "{number}", number->token);
      replace_all(found.message, "{what}", number->what);
      found.hint = std::move(number->hint);
      return found;
    }
  }
  if (error.message == grammar::error_message<grammar::declaration>) {
    if (auto keyword = parser_internal::declaration_keyword_for(token)) {
      found.message = grammar::misspelt_declaration_message;
      replace_all(found.message, "{suggestion}", *keyword);
      found.hint = grammar::misspelt_declaration_hint;
    }
  }
  if (const auto* opening = state.innermost_node()) {
    replace_all(found.message, "{line}", std::to_string(state.pos(opening->begin).line));
    if (error.opening_note) found.notes.emplace_back(opening->begin, error.opening_note);
  }
  replace_all(found.message, "{token}", token);
  replace_all(found.hint, "{token}", token);
  return found;
}

// Parses declarations from `start` to the end; returns the first syntax error, if any.
std::optional<FoundError> parse_from(std::size_t start, BuildState& state) {
  const std::string& text = state.source->text();
  pegtl::memory_input in(text.data() + start, text.data() + text.size(), state.source->path());
  try {
    if (start == 0)
      pegtl::parse<grammar::rules_file, pegtl::nothing, parser_internal::build_control>(in, state);
    else
      pegtl::parse<grammar::declarations, pegtl::nothing, parser_internal::build_control>(in, state);
    return std::nullopt;
  } catch (const parser_internal::SyntaxError& e) {
    return describe(state, e);
  }
}

}  // namespace

ast::RulesFile parse_rules(const SourceFilePtr& source, Diagnostics& diags) {
  ast::RulesFile file;
  file.source = source;
  if (!source) return file;
  std::vector<std::uint32_t> bad_lines = parser_internal::report_encoding_errors(source, diags);
  BuildState state(source, diags, file);
  std::size_t start = 0;
  while (auto error = parse_from(start, state)) {
    SourcePos pos = source->position_of(error->offset);
    // A line with a bad byte already has its error; what the grammar says about it would only repeat it.
    if (std::find(bad_lines.begin(), bad_lines.end(), pos.line) == bad_lines.end()) {
      Diagnostic d{Severity::Error, source, {}, pos, std::move(error->message), std::move(error->hint),
                   Code::SyntaxError};
      for (auto& [offset, message] : error->notes) d.notes.push_back({source->position_of(offset), std::move(message)});
      diags.add(std::move(d));
    }
    state.reset();
    auto resume = parser_internal::resume_after_error(source->text(), error->offset, start);
    if (!resume) break;
    start = *resume;
  }
  parser_internal::register_allow_directives(file, diags);
  return file;
}

bool is_name(std::string_view text) {
  pegtl::memory_input in(text.data(), text.data() + text.size(), "");
  return pegtl::parse<pegtl::seq<grammar::name, pegtl::eof>>(in);
}

bool is_reserved_word(std::string_view text) {
  pegtl::memory_input in(text.data(), text.data() + text.size(), "");
  return pegtl::parse<pegtl::seq<grammar::reserved_word, pegtl::eof>>(in);
}

}  // namespace leadscore

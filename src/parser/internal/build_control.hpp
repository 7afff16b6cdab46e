#pragma once
// The PEGTL control that runs the builders, counts expression nesting and turns failed must<>
// points into SyntaxError. Messages come from grammar/error_messages.hpp through must_if<>, so a
// must<> point without a message does not compile.
#include <string>

#include "grammar/error_messages.hpp"
#include "parser/internal/declaration_builders.hpp"
#include "parser/internal/expression_builders.hpp"

namespace leadscore::parser_internal {

// Errors that belong at the opening of the construct (the string's opening quote), not where the
// parser gave up (the end of the line).
template <typename Rule> inline constexpr bool reported_at_opening = false;
template <> inline constexpr bool reported_at_opening<grammar::string_close> = true;

template <typename Rule>
struct build_control : tao::pegtl::must_if<grammar::error_messages>::template control<Rule> {
  using base = typename tao::pegtl::must_if<grammar::error_messages>::template control<Rule>;
  static constexpr bool counts_depth = std::is_same_v<Rule, grammar::or_expr>;
  static constexpr bool has_message = grammar::error_message<Rule> != nullptr;
  // A rule with a message fails where it started, however far it got before failing.
  static constexpr bool has_frame = has_builder<Rule> || has_message;

  template <typename ParseInput> static std::uint32_t offset(const ParseInput& in, const BuildState& s) {
    return static_cast<std::uint32_t>(in.current() - s.text_begin);
  }

  template <typename ParseInput> static void start(const ParseInput& in, BuildState& s) {
    if constexpr (counts_depth) {
      if (++s.expression_depth > kMaxNestingDepth)
        throw SyntaxError{offset(in, s),
                          "expressions nested too deeply (limit " + std::to_string(kMaxNestingDepth) + ")", nullptr,
                          grammar::expression_too_deep_hint};
    }
    if constexpr (has_frame) s.frames.push_back(Frame{s.values.size(), offset(in, s), has_builder<Rule>});
  }

  template <typename ParseInput> static void success(const ParseInput& in, BuildState& s) {
    if constexpr (counts_depth) --s.expression_depth;
    if constexpr (has_frame) {
      Frame frame = s.frames.back();
      s.frames.pop_back();
      if constexpr (has_builder<Rule>) builder<Rule>::build(s, frame, offset(in, s));
    }
  }

  template <typename ParseInput> static void failure(const ParseInput&, BuildState& s) {
    if constexpr (counts_depth) --s.expression_depth;
    if constexpr (has_frame) {
      Frame frame = s.frames.back();
      s.drop_from(frame.mark);
      s.frames.pop_back();
      if constexpr (has_message) throw_error(s, frame.begin);
    }
  }

  // Reached through raise<Rule> (which consumes nothing) and through must<> of a rule without a
  // message, where must_if's static_assert stops the build.
  template <typename ParseInput> [[noreturn]] static void raise(const ParseInput& in, BuildState& s) {
    if constexpr (has_message)
      throw_error(s, offset(in, s));
    else
      base::raise(in, s);
  }

 private:
  [[noreturn]] static void throw_error(const BuildState& s, std::uint32_t at) {
    if constexpr (reported_at_opening<Rule>) {
      if (const Frame* opening = s.innermost_node()) at = opening->begin;
    }
    static_assert(grammar::error_hint<Rule> != nullptr, "every syntax error has a hint: add error_hint<Rule>");
    throw SyntaxError{at, grammar::error_message<Rule>, grammar::opening_note<Rule>, grammar::error_hint<Rule>};
  }
};

}  // namespace leadscore::parser_internal

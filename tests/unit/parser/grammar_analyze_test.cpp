// PEGTL's static analysis of the grammar: no rule can loop without consuming input.
#include <doctest/doctest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/rules_grammar.hpp"

TEST_CASE("grammar: analyze finds no problems") {
  CHECK(tao::pegtl::analyze<leadscore::grammar::rules_file>(1) == 0);
}

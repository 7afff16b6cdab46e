// libFuzzer target: the rule-test YAML loader (parse_test_file) against a fixed program, the
// b2b-saas example with its lists inline (so rules/examples/b2b-saas.test.yaml is a seed). Oracle: no
// crash, no exception, no UB; a file or case that is refused has an error, and every diagnostic has
// a message and a position inside the file; accepted cases are complete (a cell per field, an id,
// a time on every event, expectations in their output's form).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "common/diagnostics.hpp"
#include "io/value_parse.hpp"
#include "jobs/rule_tests.hpp"
#include "tests/fuzz/support.hpp"

namespace {

using leadscore::jobs::Expectation;

const char* const kRules = R"rules(ruleset "b2b-saas" version 3
schema lead {
  lead_id:        id
  email:          string
  company:        string
  title:          string
  country:        string  # ISO code: "US", "GB", ...
  industry:       string
  employees:      int     from "Employees"
  annual_revenue: number  from "Annual Revenue (USD)"
  is_agency:      bool
  email_verified: bool
  created_at:     date
}
schema activity {
  lead_id:     id
  type:        string
  occurred_at: timestamp
  url:         string
}
list icp_countries  = ["US", "CA", "GB", "IE", "DE", "AT", "CH", "FR", "NL", "BE", "SE", "DK", "NO", "FI", "AU", "NZ"]
list decision_roles = ["chief", "ceo", "cfo", "cmo", "founder", "president", "vp", "vice president", "head of", "director", "general manager", "managing partner"]
list free_mail      = ["gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "hotmail.com", "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com", "me.com", "gmx.de", "gmx.net", "web.de", "proton.me", "protonmail.com", "mail.com", "yandex.ru"]
list disposable     = ["mailinator.com", "guerrillamail.com", "10minutemail.com", "tempmail.com", "temp-mail.org", "trashmail.com", "yopmail.com", "sharklasers.com", "getnada.com", "dispostable.com"]
list junior_words   = ["intern", "student", "trainee", "assistant", "apprentice"]
list core_verticals = ["Software", "Financial Services", "Insurance"]
let icp_country     = country in icp_countries
let decision_maker  = title contains any decision_roles
let company_address = domain(email) not in free_mail and domain(email) not in disposable
let verifiable      = email_verified and company_address
score fit max 100 min -50 {
  rule "ICP country"           when icp_country                                      points 15
  rule "Enterprise (1000+)"    when employees >= 1000                                points 20
  rule "Mid-market (100-999)"  when employees between 100 and 999                    points 15
  rule "Small (20-99)"         when employees between 20 and 99                      points 5
  rule "$10M+ revenue"         when annual_revenue >= 10M                            points 10
  rule "$100M+ revenue"        when annual_revenue >= 100M                           points 5
  rule "Decision maker"        when decision_maker                                   points 20
  rule "Manager (influencer)"  when title contains "manager" and not decision_maker  points 8
  rule "Junior title"          when title contains any junior_words                  points -20
  rule "Agency or reseller"    when is_agency                                        points -30
  rule "Free-mail address"     when domain(email) in free_mail                       points -10
  rule "Disposable address"    when domain(email) in disposable                      points -40
  multiply "Core vertical"     when industry in core_verticals                       by 1.2
}
score interest max 100 min -40 {
  rule "Demo request (30d)"         when exists(activity where type == "demo_request" within 30d)      points 40
  rule "Contact sales (30d)"        when exists(activity where type == "contact_sales" within 30d)     points 30
  rule "Pricing page 2+ (14d)"      when count(activity where type == "pricing_view" within 14d) >= 2  points 15
  rule "Pricing page (30d)"         when exists(activity where type == "pricing_view" within 30d)      points 5
  rule "Webinar attended"           each activity where type == "webinar_attended" within 90d          points 8 max 16
  rule "Content download"           each activity where type == "content_download" within 90d          points 4 max 12 decay 30d
  rule "E-mail click"               each activity where type == "email_click" within 30d               points 2 max 10
  rule "Web visits"                 each activity where type == "page_view" within 30d                 points 1 max 10 decay 14d
  rule "Job seeker (careers page)"  when exists(activity where url starts with "/careers" within 30d)  points -15
  rule "Unsubscribed"               when exists(activity where type == "unsubscribe")                  points -25
  rule "Gone quiet (60d)"           when not exists(activity within 60d)                               points -10
}
gate cpal {
  "Country in our ICP":   icp_country
  "Not an agency":        not is_agency
  "Revenue $10M or more": annual_revenue >= 10M
  "Decision-making role": decision_maker
  "Verifiable human":     verifiable
}
mql when cpal and fit >= 50 and interest >= 35
classify quadrant {
  "hot"     when fit >= 50 and interest >= 35
  "nurture" when fit >= 50
  "fan"     when interest >= 35
  "drop"    otherwise
}
)rules";

void check_position(const std::string& text, leadscore::SourcePos pos, const std::string& message) {
  FUZZ_CHECK(pos.line >= 1 && pos.column >= 1, "diagnostic without a position: {}", message);
  // yaml-cpp counts positions in its own re-encoding of input that is not UTF-8 (NUL bytes make it
  // guess UTF-16 or UTF-32), and marks an error at the end of the input one byte past it.
  if (text.find('\0') != std::string::npos || !leadscore::fuzz::valid_utf8(text)) return;
  FUZZ_CHECK(pos.line <= leadscore::fuzz::line_count(text) + 1 && pos.offset <= text.size() + 1,
             "position {}:{} (offset {}) is outside the {}-byte file: {}", pos.line, pos.column, pos.offset,
             text.size(), message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const leadscore::fuzz::CompiledRules rules = leadscore::fuzz::compile_rules(kRules);
  const auto& program = rules.program;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto file = std::make_shared<leadscore::SourceFile>("fuzz.test.yaml", text);
  leadscore::Diagnostics diags;
  leadscore::jobs::TestFile tests;
  const bool parsed = leadscore::jobs::parse_test_file(file, program, diags, tests);
  FUZZ_CHECK(parsed || diags.has_errors(), "the file was refused without an error");
  for (const auto& d : diags.items()) {
    FUZZ_CHECK(!d.message.empty(), "a diagnostic without a message");
    check_position(text, d.pos, d.message);
    leadscore::render_text(d);
    leadscore::render_github(d);
  }
  for (const auto& test : tests.cases) {
    FUZZ_CHECK(test.valid || diags.has_errors(), "case \"{}\" is invalid without an error", test.name);
    FUZZ_CHECK(!test.name.empty(), "a case without a name");
    check_position(text, test.pos, test.name);
    if (!test.valid) continue;
    FUZZ_CHECK(test.lead.size() == program.lead_fields.size(), "case \"{}\": {} lead cells", test.name,
               test.lead.size());
    FUZZ_CHECK(!test.lead[static_cast<std::size_t>(program.lead_id_field)].empty(), "case \"{}\" has no lead id",
               test.name);
    for (const auto& event : test.events) {
      FUZZ_CHECK(event.size() == program.activity_fields.size(), "case \"{}\": an event with {} cells", test.name,
                 event.size());
      FUZZ_CHECK(!event[static_cast<std::size_t>(program.activity_time_field)].empty(),
                 "case \"{}\": an event without a time", test.name);
    }
    for (const auto& e : test.expectations) {
      check_position(text, e.pos, e.key);
      switch (e.kind) {
        case Expectation::Kind::Section:
        case Expectation::Kind::Score:
          FUZZ_CHECK(leadscore::io::parse_number(e.expected).has_value(), "case \"{}\": {} expects \"{}\"",
                     test.name, e.key, e.expected);
          break;
        case Expectation::Kind::Gate:
        case Expectation::Kind::Mql:
          FUZZ_CHECK(e.expected == "true" || e.expected == "false", "case \"{}\": {} expects \"{}\"", test.name,
                     e.key, e.expected);
          break;
        default: break;
      }
    }
  }
  return 0;
}

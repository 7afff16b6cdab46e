#include "calibrate/suggestion_summary.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/escape.hpp"
#include "io/number_format.hpp"

namespace leadscore::calibrate {

namespace {

constexpr const char* kFormat = "leadscore suggestions 1";

double finite(double v) { return std::isfinite(v) ? v : 0; }
std::string pct(double v) { return std::isfinite(v) ? fmt::format("{:.1f}%", 100 * v) : "n/a"; }

}  // namespace

std::string suggestion_summary_json(const SuggestionSummary& s) {
  nlohmann::ordered_json j;
  j["format"] = kFormat;
  j["ruleset"] = s.ruleset;
  j["parts"] = {{"fit", s.fit}, {"validation", s.validation}, {"test", s.test}, {"folds", s.folds}};
  j["base_rate"] = finite(s.base_rate);
  j["validation_auc"] = {{"before", finite(s.validation_before)}, {"after", finite(s.validation_after)}};
  j["test_auc"] = {{"before", finite(s.test_before)}, {"after", finite(s.test_after)}};
  j["rules"] = nlohmann::ordered_json::array();
  for (const auto& r : s.rules) {
    const auto& e = r.evidence;
    j["rules"].push_back({{"label", r.label},
                          {"condition", r.condition},
                          {"points", finite(r.points)},
                          {"matched", e.matched},
                          {"won", e.won},
                          {"close_rate", finite(e.close_rate)},
                          {"interval", {finite(e.wilson.low), finite(e.wilson.high)}},
                          {"lift", finite(e.lift)},
                          {"validation_auc_gain", finite(r.validation_gain)}});
  }
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

bool read_suggestion_summary(const std::string& path, SuggestionSummary& s, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fmt::format("cannot read {}", path);
    return false;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    const auto j = nlohmann::json::parse(text.str());
    if (!j.is_object() || j.value("format", "") != kFormat) {
      error = fmt::format("{} is not a summary written by `leadscore suggest --summary-out`", path);
      return false;
    }
    s.ruleset = j.at("ruleset").get<std::string>();
    s.fit = j.at("parts").at("fit").get<std::uint64_t>();
    s.validation = j.at("parts").at("validation").get<std::uint64_t>();
    s.folds = j.at("parts").value("folds", std::uint64_t{0});  // not in summaries written before folds
    s.test = j.at("parts").at("test").get<std::uint64_t>();
    s.base_rate = j.at("base_rate").get<double>();
    s.validation_before = j.at("validation_auc").at("before").get<double>();
    s.validation_after = j.at("validation_auc").at("after").get<double>();
    s.test_before = j.at("test_auc").at("before").get<double>();
    s.test_after = j.at("test_auc").at("after").get<double>();
    s.rules.clear();
    for (const auto& r : j.at("rules")) {
      SuggestedRule rule;
      rule.label = r.at("label").get<std::string>();
      rule.condition = r.at("condition").get<std::string>();
      rule.points = r.at("points").get<double>();
      rule.evidence.label = rule.label;
      rule.evidence.matched = r.at("matched").get<std::uint64_t>();
      rule.evidence.won = r.at("won").get<std::uint64_t>();
      rule.evidence.close_rate = r.at("close_rate").get<double>();
      rule.evidence.wilson.low = r.at("interval").at(0).get<double>();
      rule.evidence.wilson.high = r.at("interval").at(1).get<double>();
      rule.evidence.lift = r.at("lift").get<double>();
      rule.validation_gain = r.at("validation_auc_gain").get<double>();
      s.rules.push_back(std::move(rule));
    }
  } catch (const nlohmann::json::exception& ex) {
    error = fmt::format("{}: not a readable suggestions summary ({})", path, ex.what());
    return false;
  }
  return true;
}

std::string suggestions_html(const SuggestionSummary& s) {
  std::string h = "<h2>Suggested rules</h2>\n";
  if (s.folds)
    h += fmt::format(
        "<p>From <code>leadscore suggest</code> for <code>{}</code>: found on the {} closed leads of the training part "
        "(base close rate {}), each kept because it raised the AUC of leads it was not fitted on ({}-fold "
        "cross-validation: {:.4f} before, {:.4f} after). ",
        html_text(s.ruleset), s.fit, pct(s.base_rate), s.folds, s.validation_before, s.validation_after);
  else
    h += fmt::format(
        "<p>From <code>leadscore suggest</code> for <code>{}</code>: found on the {} oldest closed leads (base close "
        "rate {}), each kept because it raised the AUC of the {} newer ones (validation: {:.4f} before, {:.4f} "
        "after). ",
        html_text(s.ruleset), s.fit, pct(s.base_rate), s.validation, s.validation_before, s.validation_after);
  h += fmt::format("Test AUC on the {} newest leads, which had no say: <b>{:.4f}</b> with the rules as they are, "
                   "<b>{:.4f}</b> with these added.</p>\n",
                   s.test, s.test_before, s.test_after);
  if (s.rules.empty()) return h + "<p>No rule was worth adding.</p>\n";
  h += "<table id=\"suggestions\"><tr><th class=\"l\">condition</th><th>points</th><th>matched</th><th>won</th>"
       "<th>close rate</th><th>95% interval</th><th>lift</th><th>held-out AUC</th></tr>\n";
  for (const auto& r : s.rules) {
    const auto& e = r.evidence;
    h += fmt::format("<tr><td class=\"l\"><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                     "<td>{} to {}</td><td>{:.2f}</td><td>+{:.4f}</td></tr>\n",
                     html_text(r.condition), io::format_number(r.points), e.matched, e.won, pct(e.close_rate),
                     pct(e.wilson.low), pct(e.wilson.high), e.lift, r.validation_gain);
  }
  return h + "</table>\n";
}

}  // namespace leadscore::calibrate

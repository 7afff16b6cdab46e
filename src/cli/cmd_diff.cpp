// `leadscore diff OLD NEW --leads F [--activities F] --as-of T ...`: what a rules change does to real leads.
#include <cstdio>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "jobs/diff.hpp"

namespace leadscore::cli {

int cmd_diff(const Args& raw) {
  // --fail-if may be repeated: collect its values before the generic parser keeps only the last.
  Args rest;
  std::vector<std::string> fail_if;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] == "--fail-if" && i + 1 < raw.size()) fail_if.push_back(raw[++i]);
    else if (raw[i].rfind("--fail-if=", 0) == 0) fail_if.push_back(raw[i].substr(10));
    else rest.push_back(raw[i]);
  }
  ParsedArgs args;
  std::string error;
  if (!args.parse(rest, {"--leads", "--activities", "--as-of", "--delimiter", "--format", "--top", "--fail-if"},
                  {"--allow-other-ruleset"}, error)) {
    fmt::print(stderr, "leadscore diff: {}\n", error);
    return 2;
  }
  auto usage = [](const std::string& message) {
    fmt::print(stderr, "leadscore diff: {} (see `leadscore help diff`)\n", message);
    return 2;
  };
  if (args.has("--fail-if")) return usage("option --fail-if needs a value");
  jobs::DiffRequest request;
  if (args.positionals().size() != 2) return usage("name two rules files: OLD NEW (a path or git:REF:PATH)");
  request.old_rules = args.positionals()[0];
  request.new_rules = args.positionals()[1];
  request.allow_other_ruleset = args.has("--allow-other-ruleset");
  auto leads = args.get("--leads");
  auto as_of = args.get("--as-of");
  if (!leads) return usage("--leads FILE is required");
  if (!as_of) return usage("--as-of INSTANT is required, e.g. --as-of 2026-11-01T00:00:00Z");
  request.leads = *leads;
  request.activities = args.get("--activities");
  if (!parse_as_of(*as_of, request.as_of, error)) return usage(error);
  if (auto d = args.get("--delimiter"); d && !parse_delimiter(*d, request.read.delimiter, error)) return usage(error);
  std::string format = args.get("--format").value_or("text");
  if (format == "markdown") request.format = jobs::DiffFormat::Markdown;
  else if (format == "json") request.format = jobs::DiffFormat::Json;
  else if (format == "github") request.format = jobs::DiffFormat::Github;
  else if (format != "text") return usage(fmt::format("--format takes text, markdown, json or github, not \"{}\"", format));
  if (auto t = args.get("--top")) {
    try {
      request.top = static_cast<std::size_t>(std::stoul(*t));
    } catch (...) {
      return usage("--top takes a number of leads");
    }
  }
  for (const auto& text : fail_if) {
    jobs::FailIf f;
    if (!jobs::parse_fail_if(text, f, error)) return usage(error);
    request.fail_if.push_back(f);
  }
  std::string out, err;
  int status = jobs::run_diff(request, out, err);
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
  std::fputs(err.c_str(), stderr);
  return status;
}

}  // namespace leadscore::cli

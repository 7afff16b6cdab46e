// `leadscore check RULES...`
#include <cstdio>

#include <fmt/format.h>

#include "build_info.hpp"
#include "common/sarif.hpp"
#include "jobs/weights_check.hpp"
#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "engine/check/checker.hpp"
#include "engine/lint/lint.hpp"

namespace leadscore::cli {

int cmd_check(const Args& raw) {
  ParsedArgs args;
  std::string error;
  if (!args.parse(raw, {"--format"}, {"--warnings-as-errors"}, error)) {
    fmt::print(stderr, "leadscore check: {}\n", error);
    return 2;
  }
  std::string format = args.get("--format").value_or("text");
  if (format != "text" && format != "json" && format != "github" && format != "sarif") {
    fmt::print(stderr, "leadscore check: --format takes text, json, github or sarif, not \"{}\"\n", format);
    return 2;
  }
  if (args.positionals().empty()) {
    fmt::print(stderr, "leadscore check: name at least one rules file\n");
    return 2;
  }
  Diagnostics diags;
  for (const auto& path : args.positionals()) {
    Diagnostics file_diags;
    auto program = load_and_lint_rules(path, file_diags);
    if (program) jobs::check_weights(*program, file_diags);
    for (auto& d : file_diags.sorted()) diags.add(std::move(d));
  }
  std::string out;
  if (format == "json") {
    out = render_json_array(diags.items());
  } else if (format == "sarif") {
    out = render_sarif(diags.items(), build_info::version);
  } else {
    for (const auto& d : diags.items())
      if (!d.silenced) out += format == "github" ? render_github(d) : render_text(d);
    if (format == "text" && (diags.error_count() || diags.warning_count() || diags.silenced_count()))
      out += fmt::format("{} error{}, {} warning{}{}\n", diags.error_count(), diags.error_count() == 1 ? "" : "s",
                         diags.warning_count(), diags.warning_count() == 1 ? "" : "s",
                         diags.silenced_count() ? fmt::format(" ({} silenced)", diags.silenced_count()) : "");
  }
  std::fputs(out.c_str(), stdout);
  if (diags.has_errors()) return 1;
  if (args.has("--warnings-as-errors") && diags.warning_count() > 0) return 1;
  return 0;
}

}  // namespace leadscore::cli

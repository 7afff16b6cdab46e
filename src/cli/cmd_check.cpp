// `leadscore check RULES...`
#include <cstdint>
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

namespace {

int run_check(const ParsedArgs& args) {
  const std::string format = args.get("--format").value_or("text");
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

}  // namespace

const CommandSpec& check_command() {
  static const CommandSpec spec{
      .name = "check",
      .summary = "compile rules files and report errors with file:line:col",
      .synopsis = {},
      .positionals = {.synopsis = "RULES...", .kind = OptionKind::InputPath, .min = 1, .max = SIZE_MAX,
                      .count_error = "name at least one rules file", .described = "the rules file"},
      .options =
          {
              choice("--format", "text|json|github|sarif",
                     "text: GCC-style diagnostics with the source line and a caret (default)\n"
                     "json: one JSON array of {file,line,column,severity,code,message,hint,notes}\n"
                     "github: GitHub Actions annotations (::error file=...,line=...,col=...::...)\n"
                     "sarif: a SARIF 2.1.0 log for code-scanning tools"),
              flag("--warnings-as-errors", "exit 1 when there is any warning"),
          },
      .description = R"(Compiles each rules file and reports every problem found as
  PATH:LINE:COL: error: MESSAGE
with the source line and a caret under the column (warnings the same way, with their code:
`... [unused-list]`). `# leadscore: allow CODE` on or above a line silences one warning there;
`# leadscore: allow-file CODE` before the first declaration silences it for the file.
)",
      .epilogue = "Exit status: 0 every file compiles (warnings allowed), 1 some file has an error, 2 usage error.\n",
      .run = run_check,
  };
  return spec;
}

}  // namespace leadscore::cli

// `leadscore fmt [--check] [--stdout] RULES...`
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "format/formatter.hpp"
#include "io/atomic_file.hpp"

namespace leadscore::cli {

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// The first changed stretch of lines, as a unified-diff hunk of at most `limit` lines a side,
// with up to two lines of context: enough to see what `fmt` would do without a diff tool.
std::string diff_excerpt(const std::string& path, std::string_view before, std::string_view after) {
  constexpr std::size_t limit = 8, context = 2;
  auto old_lines = split_lines(before), new_lines = split_lines(after);
  std::size_t prefix = 0;
  while (prefix < old_lines.size() && prefix < new_lines.size() && old_lines[prefix] == new_lines[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < old_lines.size() - prefix && suffix < new_lines.size() - prefix &&
         old_lines[old_lines.size() - 1 - suffix] == new_lines[new_lines.size() - 1 - suffix])
    ++suffix;
  std::size_t old_end = old_lines.size() - suffix, new_end = new_lines.size() - suffix;
  if (prefix == old_end && prefix == new_end) {  // only line ends or a byte order mark differ
    return fmt::format("--- {}\n+++ {} (formatted)\n  (line ends, byte order mark or final newline only)\n", path, path);
  }
  // Formatting mostly rewrites lines one for one: when it did, stop at the first unchanged line.
  if (old_end - prefix == new_end - prefix) {
    std::size_t end = prefix;
    while (end < old_end && old_lines[end] != new_lines[end]) ++end;
    old_end = new_end = end;
  }
  std::size_t from = prefix > context ? prefix - context : 0;
  std::size_t old_shown = std::min(old_end, prefix + limit), new_shown = std::min(new_end, prefix + limit);
  std::string out = fmt::format("--- {}\n+++ {} (formatted)\n@@ -{},{} +{},{} @@\n", path, path, from + 1,
                                old_end - from, from + 1, new_end - from);
  for (std::size_t i = from; i < prefix; ++i) out += fmt::format(" {}\n", old_lines[i]);
  for (std::size_t i = prefix; i < old_shown; ++i) out += fmt::format("-{}\n", old_lines[i]);
  if (old_shown < old_end) out += fmt::format("-... ({} more lines)\n", old_end - old_shown);
  for (std::size_t i = prefix; i < new_shown; ++i) out += fmt::format("+{}\n", new_lines[i]);
  if (new_shown < new_end) out += fmt::format("+... ({} more lines)\n", new_end - new_shown);
  return out;
}

int run_fmt(const ParsedArgs& args) {
  std::string error;
  bool check = args.has("--check"), to_stdout = args.has("--stdout");
  if (check && to_stdout) {
    fmt::print(stderr, "leadscore fmt: --check and --stdout do not go together\n");
    return 2;
  }
  int status = 0;
  std::size_t unformatted = 0, rewritten = 0;
  for (const auto& path : args.positionals()) {
    // Rewriting in place replaces the file: a FIFO or a device (`<(git show ...)`) would be replaced by a
    // regular file, or the read would wait for a writer that never comes.
    std::error_code ec;
    if (!to_stdout && !check && std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
      fmt::print(stderr, "leadscore fmt: {} is not a regular file, so it cannot be rewritten in place; use --stdout or "
                         "--check\n", path);
      status = 1;
      continue;
    }
    auto source = read_source_file(path, error);
    if (!source) {
      fmt::print(stderr, "{}: error: cannot read rules file: {}\n", path, error);
      status = 1;
      continue;
    }
    Diagnostics diags;
    auto formatted = format::format_source(source, diags);
    if (!formatted) {
      std::string out;
      for (const auto& d : diags.sorted()) out += render_text(d);
      out += fmt::format("{}: not formatted: fix the errors above first\n", path);
      std::fputs(out.c_str(), stderr);
      status = 1;
      continue;
    }
    if (to_stdout) {
      std::fputs(formatted->c_str(), stdout);
      continue;
    }
    if (*formatted == source->text()) continue;
    if (check) {
      ++unformatted;
      std::fputs(fmt::format("{}: not formatted\n{}", path, diff_excerpt(path, source->text(), *formatted)).c_str(),
                 stdout);
      status = 1;
      continue;
    }
    io::AtomicFileWriter writer;
    if (!writer.open(path, error) || !writer.write(*formatted) || !writer.commit(error)) {
      fmt::print(stderr, "leadscore fmt: {}\n", error.empty() ? fmt::format("cannot write {}", path) : error);
      status = 1;
      continue;
    }
    ++rewritten;
    fmt::print("formatted {}\n", path);
  }
  if (check && unformatted)
    fmt::print("{} of {} file{} not formatted; run `leadscore fmt FILE...` to fix\n", unformatted,
               args.positionals().size(), args.positionals().size() == 1 ? "" : "s");
  return status;
}

}  // namespace

const CommandSpec& fmt_command() {
  static const CommandSpec spec{
      .name = "fmt",
      .summary = "rewrite rules files in the canonical layout (--check for CI)",
      .synopsis = {},
      // Rules files are rewritten in place by design, so they are inputs only in the overlap check.
      .positionals = {.synopsis = "RULES...", .kind = OptionKind::InputPath, .min = 1, .max = SIZE_MAX,
                      .count_error = "name at least one rules file", .described = "the rules file"},
      .options =
          {
              flag("--check", "change nothing; list the files that are not formatted with an excerpt of the change"),
              flag("--stdout", "print the formatted text instead of rewriting the file"),
          },
      .description = R"(Rewrites each rules file in the one canonical layout: two-space indentation, score items in
aligned columns (label, condition, points), schema fields, list/let `=`, gate labels and
classify values aligned, one space around operators, only the parentheses needed (plus those
around an `and` inside an `or`). Comments and the blank lines between declarations are kept;
numbers and durations are kept as written. The result always parses to the same rules, and
formatting twice changes nothing. Files are replaced atomically, keeping their permissions.
See docs/formatting.md.
)",
      .epilogue = R"(A file with syntax errors is reported with its diagnostics and left untouched.
Exit status: 0 every file is (now) formatted; 1 a file is not formatted (--check), has syntax
errors or cannot be written; 2 usage error.
)",
      .run = run_fmt,
  };
  return spec;
}

}  // namespace leadscore::cli

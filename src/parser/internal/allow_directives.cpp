#include "parser/internal/allow_directives.hpp"

#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "common/suggest.hpp"
#include "common/text.hpp"

namespace leadscore::parser_internal {
namespace {

constexpr std::uint32_t kNoLine = std::numeric_limits<std::uint32_t>::max();

bool is_code_line(std::string_view line) {
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
  line = text::trim(line);
  return !line.empty() && line.front() != '#';
}

// The first line holding code at or after `from`; kNoLine when there is none.
std::uint32_t code_line_from(const SourceFile& source, std::uint32_t from) {
  for (std::uint32_t line = from; line <= source.line_count(); ++line)
    if (is_code_line(source.line(line))) return line;
  return kNoLine;
}

struct Invalid {
  SourcePos pos;
  std::string message, hint;
};

std::vector<std::string> warning_slugs() {
  std::vector<std::string> out;
  for (const auto& info : all_codes())
    if (info.warning) out.emplace_back(info.slug);
  return out;
}

}  // namespace

void register_allow_directives(const ast::RulesFile& file, Diagnostics& diags) {
  if (!file.source) return;
  const SourceFile& source = *file.source;
  const std::uint32_t first_code = code_line_from(source, 1);
  std::vector<Invalid> invalid;
  for (const auto& comment : file.comments) {
    std::string_view text = comment.text;
    std::size_t at = text.find_first_not_of(" \t", 1);  // after '#'
    if (at == std::string_view::npos || text.substr(at, 10) != "leadscore:") continue;
    at = text.find_first_not_of(" \t", at + 10);
    auto column_of = [&](std::size_t offset) { return source.position_of(comment.pos.offset + offset); };
    std::size_t word_end = at == std::string_view::npos ? text.size() : text.find_first_of(" \t", at);
    if (word_end == std::string_view::npos) word_end = text.size();
    std::string_view word = at == std::string_view::npos ? std::string_view{} : text.substr(at, word_end - at);
    if (word != "allow" && word != "allow-file") {
      invalid.push_back({column_of(at == std::string_view::npos ? text.size() : at),
                         fmt::format("unknown directive `{}` after `leadscore:`", word),
                         "write `# leadscore: allow CODE` for one line or `# leadscore: allow-file CODE` at the top"});
      continue;
    }
    const bool whole_file = word == "allow-file";
    std::size_t codes_end = text.find(" -- ", word_end);
    std::string reason = codes_end == std::string_view::npos ? "" : std::string(text::trim(text.substr(codes_end + 4)));
    if (codes_end == std::string_view::npos) codes_end = text.size();

    std::uint32_t line = comment.pos.line;
    if (whole_file) {
      if (comment.pos.line > first_code) {
        invalid.push_back({column_of(at), fmt::format("`allow-file` works only before the first declaration (line {})",
                                                      first_code),
                           "move the comment to the top of the file, or use `allow` on the line itself"});
        continue;
      }
      line = 0;
    } else if (text::trim(source.line_before(comment.pos)).empty()) {
      line = code_line_from(source, comment.pos.line + 1);  // a comment alone covers the next line of code
    }

    std::size_t named = 0;
    for (std::size_t i = word_end; i < codes_end;) {
      if (text[i] == ' ' || text[i] == '\t' || text[i] == ',') {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (end < codes_end && text[end] != ' ' && text[end] != '\t' && text[end] != ',') ++end;
      std::string slug(text.substr(i, end - i));
      ++named;
      auto code = code_named(slug);
      if (!code) {
        auto near = closest_match(slug, warning_slugs());
        invalid.push_back({column_of(i),
                           fmt::format("unknown warning code `{}`{}", slug,
                                       near ? fmt::format("; did you mean `{}`?", *near) : std::string{}),
                           "docs/warnings.md lists every code"});
      } else if (!code_info(*code).warning) {
        invalid.push_back({column_of(i), fmt::format("`{}` is an error, which cannot be silenced", slug),
                           "fix the error instead"});
      } else if (line != kNoLine) {
        diags.allow(source.path(), line, *code, reason);
      }
      i = end;
    }
    if (named == 0)
      invalid.push_back({column_of(word_end), fmt::format("`{}` names no warning code", word),
                         fmt::format("e.g. `# leadscore: {} unused-list`", word)});
  }
  for (auto& i : invalid)
    diags.warning(file.source, i.pos, Code::InvalidAllow, std::move(i.message), std::move(i.hint));
}

}  // namespace leadscore::parser_internal

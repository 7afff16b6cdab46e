#include "common/sarif.hpp"

#include <nlohmann/json.hpp>

namespace leadscore {
namespace {

using Json = nlohmann::ordered_json;

const char* level(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

// SARIF counts columns in Unicode code points (columnKind); ours count bytes.
std::uint32_t code_point_column(const SourceFilePtr& file, SourcePos pos) {
  if (!file || pos.line == 0 || pos.line > file->line_count() || pos.column == 0) return pos.column;
  std::string_view line = file->line(pos.line);
  std::uint32_t column = 1;
  for (std::size_t i = 0; i + 1 < pos.column && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
  return column;
}

Json physical_location(const Diagnostic& d, SourcePos pos) {
  Json location{{"artifactLocation", {{"uri", path_to_uri(d.path)}}}};
  if (pos.line > 0) {
    Json region{{"startLine", pos.line}};
    if (pos.column > 0) region["startColumn"] = code_point_column(d.file, pos);
    location["region"] = std::move(region);
  }
  return location;
}

Json rule(const CodeInfo& info) {
  return Json{{"id", info.slug},
              {"shortDescription", {{"text", info.summary}}},
              {"fullDescription", {{"text", info.help}}},
              {"help",
               {{"text", std::string(info.help) + " See docs/warnings.md#" + std::string(info.slug) + "."},
                {"markdown", std::string(info.help) + "\n\nSee [docs/warnings.md](docs/warnings.md#" +
                                 std::string(info.slug) + ")."}}},
              {"defaultConfiguration", {{"level", info.warning ? "warning" : "error"}}}};
}

Json result(const Diagnostic& d, Code fallback) {
  Code code = d.code.value_or(d.severity == Severity::Error ? fallback : Code::InvalidRules);
  std::string text = d.message;
  if (!d.hint.empty()) text += "\nhint: " + d.hint;
  Json r{{"ruleId", code_info(code).slug},
         {"ruleIndex", static_cast<int>(code)},
         {"level", level(d.severity)},
         {"message", {{"text", text}}}};
  if (!d.path.empty()) r["locations"] = Json::array({{{"physicalLocation", physical_location(d, d.pos)}}});
  if (!d.notes.empty() && !d.path.empty()) {
    Json related = Json::array();
    for (std::size_t i = 0; i < d.notes.size(); ++i)
      related.push_back({{"id", i + 1},
                         {"physicalLocation", physical_location(d, d.notes[i].pos)},
                         {"message", {{"text", d.notes[i].message}}}});
    r["relatedLocations"] = std::move(related);
  }
  if (d.silenced) {
    Json suppression{{"kind", "inSource"}};
    if (!d.silence_reason.empty()) suppression["justification"] = d.silence_reason;
    r["suppressions"] = Json::array({std::move(suppression)});
  }
  return r;
}

}  // namespace

std::string path_to_uri(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = !path.empty() && path.front() == '/' ? "file://" : "";
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    bool plain = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' ||
                 c == '.' || c == '_' || c == '~' || c == '/';
    if (plain) out += c;
    else out += {'%', kHex[u >> 4], kHex[u & 15]};
  }
  return out;
}

std::string render_sarif(const std::vector<Diagnostic>& diagnostics, std::string_view tool_version, Code fallback) {
  Json rules = Json::array();
  for (const auto& info : all_codes()) rules.push_back(rule(info));
  Json results = Json::array();
  for (const auto& d : diagnostics) results.push_back(result(d, fallback));
  Json log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
           {"version", "2.1.0"},
           {"runs",
            Json::array({{{"tool",
                           {{"driver",
                             {{"name", "leadscore"},
                              {"version", tool_version},
                              {"rules", std::move(rules)}}}}},
                          {"columnKind", "unicodeCodePoints"},
                          {"results", std::move(results)}}})}};
  return log.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace leadscore

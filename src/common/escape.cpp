#include "common/escape.hpp"

#include <fmt/format.h>

namespace leadscore {
namespace {

bool is_c0_or_del(unsigned char c) { return c < 0x20 || c == 0x7F; }

std::string github_escape(std::string_view text, bool property) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      case ':': out += property ? "%3A" : ":"; break;
      case ',': out += property ? "%2C" : ","; break;
      default:
        if (is_c0_or_del(static_cast<unsigned char>(c)) && c != '\t')
          out += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
        else
          out += c;
    }
  }
  return out;
}

}  // namespace

std::string github_data(std::string_view text) { return github_escape(text, false); }
std::string github_property(std::string_view text) { return github_escape(text, true); }

std::string markdown_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // CRLF: one space
    if (c == '\n' || c == '\r') out += ' ';
    else if (c == '|' || c == '\\' || c == '`') (out += '\\') += c;
    else if (i == 0 && (c == '#' || c == '<')) (out += '\\') += c;
    else if (is_c0_or_del(static_cast<unsigned char>(c)) && c != '\t') out += ' ';
    else out += c;
  }
  return out;
}

std::string html_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (!is_c0_or_del(static_cast<unsigned char>(c)) || c == '\t' || c == '\n' || c == '\r') out += c;
    }
  }
  return out;
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (is_c0_or_del(static_cast<unsigned char>(c))) out += fmt::format("\\x{:02X}", static_cast<unsigned char>(c));
        else out += c;
    }
  }
  return out;
}

bool find_control_character(std::string_view text, std::size_t& at) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    const bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    if (is_c0_or_del(c) || c1) {
      at = i;
      return true;
    }
  }
  return false;
}

std::string without_nul(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\0') out += "\\x00";
    else out += c;
  }
  return out;
}

}  // namespace leadscore

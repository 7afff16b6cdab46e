#include "format/formatter.hpp"

#include <algorithm>
#include <type_traits>

#include <fmt/format.h>

#include "common/text.hpp"
#include "format/expr_printer.hpp"
#include "parser/ast_dump.hpp"
#include "parser/parser.hpp"

namespace leadscore::format {
namespace {

// One output line of code: a declaration, a block's item, or a block's closing brace. Comments
// and blank lines are hung on anchors by source position.
struct Anchor {
  std::uint32_t offset = 0;  // first token in the source
  std::uint32_t line = 0;
  int indent = 0;            // levels of two spaces
  bool opens_block = false;  // the line ends with `{`
  bool closes_block = false;
  std::string code;
  std::vector<const ast::Comment*> leading;   // full-line comments before it
  // Full-line comments between its first and last token (it was written over several lines):
  // printed just above it, after the leading ones, so they stay with it.
  std::vector<const ast::Comment*> inner;
  std::vector<const ast::Comment*> trailing;  // comments after code on its lines
  // Full-line comments right under the trailing one, in its column: they continue it.
  std::vector<const ast::Comment*> continued;
  // For list/let `=` alignment: the text before ` = ` and after it.
  enum class Kind { Other, List, Let } kind = Kind::Other;
  std::string name, value;
};

bool blank(std::string_view line) {
  if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

// Widths and columns count characters (UTF-8 code points), as editors show them, not bytes.
std::size_t width_of(std::string_view text) { return text::utf8_length(text); }

std::string pad(std::string text, std::size_t width) {
  std::size_t current = width_of(text);
  if (current < width) text.append(width - current, ' ');
  return text;
}

const char* type_text(ast::FieldType t) { return ast::field_type_name(t); }

class Formatter {
 public:
  explicit Formatter(const ast::RulesFile& file) : file_(file), source_(*file.source) {}

  std::string run() {
    build_anchors();
    align_list_let_runs();
    attach_comments();
    return emit();
  }

 private:
  const ast::RulesFile& file_;
  const SourceFile& source_;
  std::vector<Anchor> anchors_;
  std::vector<const ast::Comment*> file_end_comments_;

  Anchor& add(SourcePos pos, int indent, std::string code) {
    Anchor a;
    a.offset = pos.offset;
    a.line = pos.line;
    a.indent = indent;
    a.code = std::move(code);
    anchors_.push_back(std::move(a));
    return anchors_.back();
  }

  // The `}` closing a block: the first brace after `from` outside strings and comments (braces
  // occur nowhere else in the language).
  SourcePos close_brace_after(std::uint32_t from) const {
    const std::string& text = source_.text();
    for (std::size_t i = from; i < text.size(); ++i) {
      char c = text[i];
      if (c == '"') {
        for (++i; i < text.size() && text[i] != '"'; ++i)
          if (text[i] == '\\') ++i;
      } else if (c == '#') {
        while (i < text.size() && text[i] != '\n') ++i;
      } else if (c == '}') {
        return source_.position_of(i);
      }
    }
    return source_.position_of(text.size());
  }

  void close_block(std::uint32_t last_offset) { add(close_brace_after(last_offset), 0, "}").closes_block = true; }

  // -- declarations -------------------------------------------------------------------------------

  void build_anchors() {
    std::vector<std::pair<std::uint32_t, const ast::Declaration*>> order;
    for (const auto& d : file_.declarations)
      order.emplace_back(std::visit([](const auto& decl) { return decl.pos.offset; }, d), &d);
    bool ruleset_done = !file_.ruleset;
    for (const auto& [offset, decl] : order) {
      if (!ruleset_done && file_.ruleset->pos.offset < offset) ruleset(), ruleset_done = true;
      std::visit([&](const auto& d) { declaration(d); }, *decl);
    }
    if (!ruleset_done) ruleset();
  }

  void ruleset() {
    const auto& r = *file_.ruleset;
    add(r.pos, 0, fmt::format("ruleset {} version {}", quote_string(r.name), r.version.text));
  }

  void declaration(const ast::Schema& d) {
    add(d.pos, 0, fmt::format("schema {} {{", d.kind == ast::SchemaKind::Lead      ? "lead"
                                    : d.kind == ast::SchemaKind::Account ? "account"
                                                                         : "activity")).opens_block = true;
    std::size_t name_width = 0, type_width = 0;
    for (const auto& f : d.fields) {
      name_width = std::max(name_width, width_of(f.name) + 1);
      type_width = std::max(type_width, width_of(type_text(f.type)));
    }
    for (const auto& f : d.fields) {
      std::string code = pad(f.name + ":", name_width + 1) + type_text(f.type);
      if (f.from_row_number) code = pad(code, name_width + 1 + type_width + 2) + "from row";
      else if (f.from) code = pad(code, name_width + 1 + type_width + 2) + "from " + quote_string(*f.from);
      if (f.zone)
        code = (f.from || f.from_row_number ? code + " " : pad(code, name_width + 1 + type_width + 2)) + "zone " +
               quote_string(*f.zone);
      add(f.pos, 1, std::move(code));
    }
    close_block(d.fields.empty() ? d.pos.offset : d.fields.back().pos.offset);
  }

  void declaration(const ast::ListDecl& d) {
    auto& a = add(d.pos, 0, "");
    a.kind = Anchor::Kind::List;
    a.name = "list " + d.name;
    a.value = d.inline_items ? print_list_ref(*d.inline_items) : "file " + quote_string(d.file.value_or(""));
  }

  void declaration(const ast::LetDecl& d) {
    auto& a = add(d.pos, 0, "");
    a.kind = Anchor::Kind::Let;
    a.name = "let " + d.name;
    a.value = d.value ? print_expr(*d.value) : "";
  }

  void declaration(const ast::ScoreDecl& d) {
    std::string header = (d.account ? "account score " : "score ") + d.name;
    if (d.max) header += " max " + d.max->text;
    if (d.min) header += " min " + d.min->text;
    add(d.pos, 0, header + " {").opens_block = true;

    // Three columns: `rule "LABEL"`, the condition (`when C` / `each activity ...`), the points.
    struct Parts {
      std::string head, body, tail;
      std::size_t aligned_tail = 0;  // `points P` / `by F`: what must fit; `max` and `decay` may run on
    };
    std::vector<Parts> parts;
    for (const auto& item : d.items) {
      Parts p;
      std::visit(
          [&](const auto& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, ast::WhenRule>) {
              p.head = "rule " + quote_string(item.label);
              p.body = "when " + (body.condition ? print_expr(*body.condition) : "");
              p.tail = "points " + body.points.text;
            } else if constexpr (std::is_same_v<T, ast::EachRule>) {
              p.head = "rule " + quote_string(item.label);
              p.body = body.leads ? "each lead" : "each activity";
              if (body.where) p.body += " where " + print_expr(*body.where);
              if (body.within) p.body += " within " + body.within->text;
              p.tail = "points " + body.points.text;
              p.aligned_tail = width_of(p.tail);
              if (body.max) p.tail += " max " + body.max->text;
              if (body.decay) p.tail += " decay " + body.decay->text;
            } else {
              p.head = "multiply " + quote_string(item.label);
              p.body = "when " + (body.condition ? print_expr(*body.condition) : "");
              p.tail = "by " + body.factor.text;
            }
          },
          item.body);
      parts.push_back(std::move(p));
    }
    // Pad every item to common columns unless that takes a line past the width; then leave the
    // item with the longest head and condition unpadded and try again.
    std::vector<bool> aligned(parts.size(), true);
    std::size_t head_width = 0, body_width = 0;
    for (;;) {
      head_width = body_width = 0;
      for (std::size_t i = 0; i < parts.size(); ++i)
        if (aligned[i]) {
          head_width = std::max(head_width, width_of(parts[i].head));
          body_width = std::max(body_width, width_of(parts[i].body));
        }
      std::size_t worst = parts.size(), worst_length = 0;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        if (!aligned[i]) continue;
        std::size_t tail = parts[i].aligned_tail ? parts[i].aligned_tail : width_of(parts[i].tail);
        if (2 + head_width + 2 + body_width + 2 + tail <= kMaxAlignedWidth) continue;
        std::size_t length = width_of(parts[i].head) + width_of(parts[i].body);
        if (worst == parts.size() || length >= worst_length) worst = i, worst_length = length;
      }
      if (worst == parts.size()) break;
      aligned[worst] = false;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto& p = parts[i];
      std::string code = aligned[i] ? pad(p.head, head_width + 2) + pad(p.body, body_width + 2) + p.tail
                                    : p.head + " " + p.body + " " + p.tail;
      add(d.items[i].pos, 1, std::move(code));
    }
    close_block(d.items.empty() ? d.pos.offset : d.items.back().pos.offset);
  }

  void declaration(const ast::GateDecl& d) {
    add(d.pos, 0, fmt::format("{}gate {} {{", d.account ? "account " : "", d.name)).opens_block = true;
    std::size_t width = 0;
    for (const auto& c : d.criteria)
      if (c.label) width = std::max(width, width_of(quote_string(*c.label)) + 1);
    for (const auto& c : d.criteria) {
      std::string condition = c.condition ? print_expr(*c.condition) : "";
      add(c.pos, 1, c.label ? pad(quote_string(*c.label) + ":", width + 1) + condition : condition);
    }
    close_block(d.criteria.empty() ? d.pos.offset : d.criteria.back().pos.offset);
  }

  void declaration(const ast::MqlDecl& d) {
    add(d.pos, 0, (d.account ? "mqa when " : "mql when ") + (d.condition ? print_expr(*d.condition) : ""));
  }

  void declaration(const ast::AccountKeyDecl& d) {
    std::string line = "account key " + (d.key ? print_expr(*d.key) : "");
    if (d.except) line += " except " + print_list_ref(*d.except);
    add(d.pos, 0, std::move(line));
  }

  void declaration(const ast::ClassifyDecl& d) {
    add(d.pos, 0, fmt::format("{}classify {} {{", d.account ? "account " : "", d.name)).opens_block = true;
    std::size_t width = 0;
    for (const auto& b : d.branches) width = std::max(width, width_of(quote_string(b.value)));
    for (const auto& b : d.branches) {
      std::string rest = b.condition ? "when " + print_expr(*b.condition) : "otherwise";
      add(b.value_pos, 1, pad(quote_string(b.value), width + 1) + rest);
    }
    close_block(d.branches.empty() ? d.pos.offset : d.branches.back().value_pos.offset);
  }

  void declaration(const ast::CalibrationDecl& d) { add(d.pos, 0, "calibration " + quote_string(d.path)); }

  // Items keep their order in the file; routes align their label and condition in columns.
  void declaration(const ast::HandoffDecl& d) {
    add(d.pos, 0, "handoff {").opens_block = true;
    std::size_t head_width = 0, body_width = 0;
    auto head = [](const ast::Route& r) { return "route " + quote_string(r.label); };
    auto body = [](const ast::Route& r) { return r.condition ? "when " + print_expr(*r.condition) : std::string("otherwise"); };
    for (const auto& r : d.routes) {
      head_width = std::max(head_width, width_of(head(r)));
      body_width = std::max(body_width, width_of(body(r)));
    }
    std::vector<std::pair<SourcePos, std::string>> items;
    for (const auto& r : d.routes) {
      std::string tail = "to " + quote_string(r.queue);
      if (r.sla) tail += " within " + r.sla->text;
      if (r.owner_field) tail += " owner " + *r.owner_field;
      if (r.round_robin) tail += " owner round robin " + print_list_ref(*r.round_robin);
      std::string code = 2 + head_width + 2 + body_width + 2 + width_of(tail) <= kMaxAlignedWidth
                             ? pad(head(r), head_width + 2) + pad(body(r), body_width + 2) + tail
                             : head(r) + " " + body(r) + " " + tail;
      items.emplace_back(r.pos, std::move(code));
    }
    for (const auto& r : d.responses) {
      std::string code = r.activity ? "response activity" : "response when";
      if (r.condition) code += (r.activity ? " where " : " ") + print_expr(*r.condition);
      if (r.at_field) code += " at " + *r.at_field;
      items.emplace_back(r.pos, std::move(code));
    }
    if (d.working_hours) items.emplace_back(d.working_hours_pos, "working hours " + quote_string(*d.working_hours));
    for (const auto& t : d.targets)
      items.emplace_back(t.pos, fmt::format("target {} {} {}{}", t.metric, t.at_least ? ">=" : "<=", t.value.text,
                                            t.percent ? "%" : ""));
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first.offset < b.first.offset; });
    for (auto& [pos, code] : items) add(pos, 1, std::move(code));
    close_block(items.empty() ? d.pos.offset : items.back().first.offset);
  }

  void declaration(const ast::OutputDecl& d) {
    add(d.pos, 0, "output {").opens_block = true;
    std::size_t width = 0;
    for (const auto& r : d.renames) width = std::max(width, width_of(r.column));
    for (const auto& r : d.renames) add(r.pos, 1, pad(r.column, width + 1) + "as " + quote_string(r.name));
    close_block(d.renames.empty() ? d.pos.offset : d.renames.back().pos.offset);
  }

  // -- layout -------------------------------------------------------------------------------------

  bool blank_line_before(std::uint32_t line) const { return line > 1 && blank(source_.line(line - 1)); }

  bool blank_line_between(std::uint32_t from_line, std::uint32_t to_line) const {
    for (std::uint32_t l = from_line + 1; l < to_line; ++l)
      if (blank(source_.line(l))) return true;
    return false;
  }

  // Consecutive `list` (or `let`) declarations with no blank line between them align their `=`.
  void align_list_let_runs() {
    std::size_t i = 0;
    while (i < anchors_.size()) {
      if (anchors_[i].kind == Anchor::Kind::Other) {
        ++i;
        continue;
      }
      std::size_t j = i + 1;
      while (j < anchors_.size() && anchors_[j].kind == anchors_[i].kind &&
             !blank_line_between(anchors_[j - 1].line, anchors_[j].line))
        ++j;
      std::size_t width = 0;
      for (std::size_t k = i; k < j; ++k) width = std::max(width, width_of(anchors_[k].name));
      for (std::size_t k = i; k < j; ++k) anchors_[k].code = pad(anchors_[k].name, width) + " = " + anchors_[k].value;
      i = j;
    }
  }

  bool full_line(const ast::Comment& c) const {
    return blank(source_.line_before(c.pos));
  }

  // Whether code follows the full-line comment `c` before `limit` (skipping blanks and comments):
  // then the comment sits inside the item that started before it.
  bool code_follows(const ast::Comment& c, std::size_t limit) const {
    const std::string& text = source_.text();
    std::size_t i = c.pos.offset;
    for (; i < limit; ++i) {
      char ch = text[i];
      if (ch == '#') {
        while (i < limit && text[i] != '\n') ++i;
      } else if (ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n' && ch != '\f') {
        return true;
      }
    }
    return false;
  }

  void attach_comments() {
    Anchor* continuing = nullptr;  // the anchor whose end-of-line comment the previous comment was
    const ast::Comment* previous = nullptr;
    for (const auto& c : file_.comments) {
      bool continues = continuing && previous && full_line(c) && c.pos.line == previous->pos.line + 1 &&
                       c.pos.column == previous->pos.column;
      previous = &c;
      if (continues) {
        continuing->continued.push_back(&c);
        continue;
      }
      continuing = nullptr;
      // The last anchor starting before the comment, and the first starting after it.
      auto after = std::upper_bound(anchors_.begin(), anchors_.end(), c.pos.offset,
                                    [](std::uint32_t offset, const Anchor& a) { return offset < a.offset; });
      std::size_t next_offset = after == anchors_.end() ? source_.text().size() : after->offset;
      if (!full_line(c) && after != anchors_.begin()) {
        std::prev(after)->trailing.push_back(&c);
        if (std::prev(after)->trailing.size() == 1) continuing = &*std::prev(after);
      } else if (after != anchors_.begin() && code_follows(c, next_offset)) {
        std::prev(after)->inner.push_back(&c);
      } else if (after != anchors_.end()) {
        after->leading.push_back(&c);
      } else {
        file_end_comments_.push_back(&c);
      }
    }
    // A multi-line item can have several end-of-line comments: the first stays on the item's line,
    // the others become full-line comments before the next line (where they would attach anyway).
    for (std::size_t i = 0; i < anchors_.size(); ++i) {
      auto& a = anchors_[i];
      if (a.trailing.size() < 2) continue;
      std::vector<const ast::Comment*> extra(a.trailing.begin() + 1, a.trailing.end());
      extra.insert(extra.end(), a.continued.begin(), a.continued.end());
      std::sort(extra.begin(), extra.end(), [](auto* x, auto* y) { return x->pos.offset < y->pos.offset; });
      a.trailing.resize(1);
      a.continued.clear();
      auto& into = i + 1 < anchors_.size() ? anchors_[i + 1].leading : file_end_comments_;
      into.insert(into.begin(), extra.begin(), extra.end());
    }
  }

  static std::string indent(int levels) { return std::string(static_cast<std::size_t>(levels) * 2, ' '); }

  std::string emit() {
    // End-of-line comments that were aligned (same source column) on successive commented lines
    // stay aligned: two spaces after the longest line of the run.
    std::vector<std::size_t> comment_column(anchors_.size(), 0);
    for (std::size_t i = 0; i < anchors_.size();) {
      if (anchors_[i].trailing.empty()) {
        ++i;
        continue;
      }
      std::uint32_t column = anchors_[i].trailing[0]->pos.column;
      std::vector<std::size_t> run;
      std::size_t j = i;
      for (; j < anchors_.size(); ++j) {
        if (anchors_[j].trailing.empty()) continue;
        if (anchors_[j].trailing[0]->pos.column != column) break;
        run.push_back(j);
      }
      std::size_t width = 0;
      for (auto k : run) width = std::max(width, indent(anchors_[k].indent).size() + width_of(anchors_[k].code));
      for (auto k : run) comment_column[k] = width + 2;
      i = j;
    }

    std::string out;
    bool blank_allowed = false;  // not at the top of the file or of a block
    auto line = [&](bool blank_before, const std::string& text) {
      if (blank_before && blank_allowed) out += '\n';
      out += text;
      out += '\n';
      blank_allowed = true;
    };
    for (std::size_t i = 0; i < anchors_.size(); ++i) {
      const auto& a = anchors_[i];
      int comment_indent = a.closes_block ? a.indent + 1 : a.indent;
      for (const auto* c : a.leading) line(blank_line_before(c->pos.line), indent(comment_indent) + c->text);
      if (a.closes_block) blank_allowed = false;
      // The blank line before the item goes before its inner comments, which stay glued to it.
      bool blank_before_code = blank_line_before(a.line);
      for (const auto* c : a.inner) {
        line(blank_before_code, indent(a.indent) + c->text);
        blank_before_code = false;
      }
      std::string text = indent(a.indent) + a.code;
      if (!a.trailing.empty()) text = pad(text, comment_column[i]) + a.trailing[0]->text;
      line(blank_before_code, text);
      for (const auto* c : a.continued) line(false, std::string(comment_column[i], ' ') + c->text);
      if (a.opens_block) blank_allowed = false;
    }
    for (const auto* c : file_end_comments_) line(blank_line_before(c->pos.line), c->text);
    return out;
  }
};

}  // namespace

std::string format_rules(const ast::RulesFile& file) { return Formatter(file).run(); }

std::optional<std::string> format_source(const SourceFilePtr& source, Diagnostics& diags) {
  std::size_t errors_before = diags.error_count();
  ast::RulesFile file = parse_rules(source, diags);
  if (diags.error_count() > errors_before) return std::nullopt;
  std::string text = format_rules(file);
  // Never write something that means anything else: the result must parse to the same tree.
  auto formatted = std::make_shared<SourceFile>(source->path(), text);
  Diagnostics again;
  ast::RulesFile reparsed = parse_rules(formatted, again);
  if (again.has_errors() || ast::dump(reparsed) != ast::dump(file)) {
    diags.error(source, {}, "internal error: the formatted text would not mean the same as the file; left unchanged",
                "please report this file to the leadscore maintainers");
    return std::nullopt;
  }
  return text;
}

}  // namespace leadscore::format

#include "calibrate/weights.hpp"

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "io/atomic_file.hpp"

namespace leadscore::calibrate {

double Weights::p_close(double score) const {
  const double eta = platt_a * score + platt_b;
  if (eta >= 0) return 1.0 / (1.0 + std::exp(-eta));
  const double e = std::exp(eta);
  return e / (1.0 + e);
}

std::optional<double> Weights::revenue_for(std::string_view source) const {
  for (const auto& s : revenue_by_source)
    if (s.source == source) return s.average;
  return revenue_average;
}

const RuleWeight* Weights::find(std::string_view label) const {
  for (const auto& r : rules)
    if (r.label == label) return &r;
  return nullptr;
}

const AdoptedThreshold* Weights::find_threshold(std::string_view key) const {
  if (!adopted) return nullptr;
  for (const auto& t : adopted->thresholds)
    if (t.key == key) return &t;
  return nullptr;
}

const AdoptedLimit* Weights::find_limit(std::string_view section, std::string_view kind) const {
  if (!adopted) return nullptr;
  for (const auto& l : adopted->limits)
    if (l.section == section && l.kind == kind) return &l;
  return nullptr;
}

namespace {

// Shortest text that reads back as the same double; YAML's spellings of the non-finite values.
std::string number_text(double v) {
  if (std::isnan(v)) return ".nan";
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  if (v == 0) return "0";
  return fmt::format("{}", v);
}

class Writer {
 public:
  Writer() { out_.SetIndent(2); }
  YAML::Emitter& e() { return out_; }
  void key(const char* k) { out_ << YAML::Key << k << YAML::Value; }
  void text(const char* k, const std::string& v) {
    key(k);
    out_ << YAML::DoubleQuoted << v;
  }
  void num(const char* k, double v) {
    key(k);
    out_ << number_text(v);
  }
  void count(const char* k, std::uint64_t v) {
    key(k);
    out_ << v;
  }
  void flag(const char* k, bool v) {
    key(k);
    out_ << YAML::TrueFalseBool << v;
  }
  std::string str() const { return out_.c_str(); }

 private:
  YAML::Emitter out_;
};

void write_selection(Writer& w, const char* name, const SelectionQuality& q) {
  w.key(name);
  w.e() << YAML::Flow << YAML::BeginMap;
  w.count("selected", q.selected);
  w.count("won", q.true_positives);
  w.num("precision", q.precision);
  w.num("recall", q.recall);
  w.num("volume", q.volume_share);
  w.e() << YAML::EndMap;
}

void write_backtest(Writer& w, const char* name, const ModelBacktest& b) {
  w.key(name);
  w.e() << YAML::BeginMap;
  w.num("auc", b.auc);
  w.num("brier", b.brier);
  w.num("log_loss", b.log_loss);
  if (b.has_mql) write_selection(w, "mql", b.mql);
  write_selection(w, "top_at_mql_volume", b.top_volume);
  w.key("lift_by_decile");
  w.e() << YAML::BeginSeq;
  for (const auto& d : b.deciles) {
    w.e() << YAML::Flow << YAML::BeginMap;
    w.count("decile", static_cast<std::uint64_t>(d.decile));
    w.count("leads", d.count);
    w.count("won", d.positives);
    w.num("rate", d.rate);
    w.num("lift", d.lift);
    w.num("capture", d.cumulative_capture);
    w.num("min_score", d.min_score);
    w.num("max_score", d.max_score);
    w.e() << YAML::EndMap;
  }
  w.e() << YAML::EndSeq;
  w.key("reliability");
  w.e() << YAML::BeginSeq;
  for (const auto& r : b.reliability) {
    w.e() << YAML::Flow << YAML::BeginMap;
    w.count("leads", r.count);
    w.num("predicted", r.mean_predicted);
    w.num("observed", r.observed_rate);
    w.num("min_predicted", r.min_predicted);
    w.num("max_predicted", r.max_predicted);
    w.e() << YAML::EndMap;
  }
  w.e() << YAML::EndSeq;
  w.key("score_histogram");
  w.e() << YAML::BeginSeq;
  for (const auto& h : b.histogram) {
    w.e() << YAML::Flow << YAML::BeginMap;
    w.num("low", h.low);
    w.num("high", h.high);
    w.count("won", h.won);
    w.count("lost", h.lost);
    w.e() << YAML::EndMap;
  }
  w.e() << YAML::EndSeq;
  w.e() << YAML::EndMap;
}

void write_walk_forward(Writer& w, const WalkForwardBacktest& b) {
  w.key("walk_forward");
  w.e() << YAML::BeginMap;
  w.count("leads", b.leads);
  w.count("won", b.won);
  w.num("written_chunk_auc", b.written_chunk_auc);
  w.num("calibrated_chunk_auc", b.calibrated_chunk_auc);
  write_backtest(w, "written", b.written);
  write_backtest(w, "calibrated", b.calibrated);
  w.key("chunks");
  w.e() << YAML::BeginSeq;
  for (const auto& c : b.chunks) {
    w.e() << YAML::Flow << YAML::BeginMap;
    w.text("first", c.first);
    w.text("last", c.last);
    w.count("leads", c.leads);
    w.count("won", c.won);
    w.count("fit_leads", c.fit_leads);
    w.count("curve_leads", c.curve_leads);
    w.count("late_outcomes", c.late_outcomes);
    w.flag("scored", c.scored);
    w.num("written_predicted", c.written_predicted);
    w.num("calibrated_predicted", c.calibrated_predicted);
    w.num("written_auc", c.written_auc);
    w.num("calibrated_auc", c.calibrated_auc);
    w.e() << YAML::EndMap;
  }
  w.e() << YAML::EndSeq;
  w.e() << YAML::EndMap;
}

// A window of 0 leads means "every older closed lead".
void write_window(Writer& w, const char* name, std::uint64_t window) {
  if (window == 0) w.text(name, "all");
  else w.count(name, window);
}

void write_split(Writer& w, const char* name, const SplitPart& p) {
  w.key(name);
  w.e() << YAML::Flow << YAML::BeginMap;
  w.count("leads", p.leads);
  w.count("won", p.won);
  w.text("first", p.first);
  w.text("last", p.last);
  w.e() << YAML::EndMap;
}

void write_adoption(Writer& w, const Adoption& a) {
  auto& e = w.e();
  w.key("adopted");
  e << YAML::BeginMap;
  w.text("policy", a.policy);
  w.count("leads", a.leads);
  w.num("auc_tolerance", a.auc_tolerance);
  w.key("limits");
  e << YAML::BeginSeq;
  for (const auto& l : a.limits) {
    e << YAML::Flow << YAML::BeginMap;
    w.text("section", l.section);
    w.text("kind", l.kind);
    w.num("written", l.written);
    w.num("adopted", l.adopted);
    w.num("written_share", l.written_share);
    w.num("adopted_share", l.adopted_share);
    w.num("same_share", l.same_share);
    w.num("same_share_cost", l.same_share_cost);
    w.num("auc_cost", l.auc_cost);
    w.flag("widened", l.widened);
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
  w.key("thresholds");
  e << YAML::BeginSeq;
  for (const auto& t : a.thresholds) {
    e << YAML::Flow << YAML::BeginMap;
    w.text("key", t.key);
    w.text("score", t.score);
    w.text("op", t.op);
    w.num("written", t.written);
    w.num("adopted", t.adopted);
    w.num("written_share", t.written_share);
    w.num("adopted_share", t.adopted_share);
    w.text("used_in", t.used_in);
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
  w.key("kept");
  e << YAML::BeginSeq;
  for (const auto& k : a.kept) e << YAML::DoubleQuoted << k;
  e << YAML::EndSeq;
  w.key("outputs");
  e << YAML::BeginSeq;
  for (const auto& o : a.outputs) {
    e << YAML::Flow << YAML::BeginMap;
    w.text("name", o.name);
    w.num("written", o.written);
    w.num("adopted", o.adopted);
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
  e << YAML::EndMap;
}

}  // namespace

std::string weights_to_yaml(const Weights& x) {
  Writer w;
  auto& e = w.e();
  e << YAML::Comment("leadscore calibrated weights: written by `leadscore calibrate`, read by `score` when the rules "
                     "declare `calibration \"PATH\"`. Regenerate rather than edit.");
  e << YAML::BeginMap;
  w.text("format", x.format);
  w.text("ruleset", x.ruleset);
  w.text("ruleset_version", x.ruleset_version);
  w.text("rules_hash", x.rules_hash);
  w.text("created_by", x.created_by);
  w.key("warnings");
  e << YAML::BeginSeq;
  for (const auto& warning : x.warnings) {
    e << YAML::Flow << YAML::BeginMap;
    w.text("kind", warning.kind);
    w.text("message", warning.message);
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;

  w.key("method");
  e << YAML::BeginMap;
  w.text("weights", x.method);
  w.text("each_rules", x.each_feature);
  w.num("pdo", x.pdo);
  w.num("l2", x.l2);
  w.count("min_support", x.min_support);
  w.num("test_fraction", x.test_fraction);
  if (x.walk_forward) {
    w.count("refit_every", x.walk_forward->refit_every);
    write_window(w, "refit_window", x.walk_forward->window);
    write_window(w, "curve_window", x.walk_forward->curve_window);
  }
  e << YAML::EndMap;

  w.key("data");
  e << YAML::BeginMap;
  w.key("inputs");
  e << YAML::BeginSeq;
  for (const auto& f : x.inputs) {
    e << YAML::Flow << YAML::BeginMap;
    w.text("role", f.role);
    w.text("path", f.path);
    w.text("fnv1a", f.fnv1a);
    w.count("rows", f.rows);
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
  w.text("outcomes", x.outcome_source);
  w.text("point_in_time", x.point_in_time);
  w.text("time_order", x.time_order);
  w.count("leads", x.leads);
  w.count("closed", x.closed);
  w.count("won", x.won);
  w.count("lost", x.lost);
  w.count("open", x.open);
  w.count("excluded", x.excluded);
  w.key("exclusions");
  e << YAML::BeginSeq;
  for (const auto& s : x.exclusions) e << YAML::DoubleQuoted << s;
  e << YAML::EndSeq;
  write_split(w, "train", x.train);
  w.count("train_late_outcomes", x.train_late_outcomes);
  write_split(w, "test", x.test);
  if (x.final_fit) write_split(w, "final_fit", *x.final_fit);
  if (x.final_curve) write_split(w, "final_curve", *x.final_curve);
  e << YAML::EndMap;

  w.key("scorecard");
  e << YAML::BeginMap;
  w.num("base_rate", x.base_rate);
  w.text("base_rate_window", x.base_rate_window);
  w.num("points_per_log_odds", x.factor);
  w.num("intercept", x.intercept);
  e << YAML::EndMap;

  w.key("probability");
  e << YAML::BeginMap;
  w.text("use", x.probability_method);
  w.key("platt");
  e << YAML::Flow << YAML::BeginMap;
  w.num("a", x.platt_a);
  w.num("b", x.platt_b);
  e << YAML::EndMap;
  w.key("isotonic");
  e << YAML::BeginSeq;
  for (std::size_t i = 0; i < x.isotonic.values.size(); ++i) {
    e << YAML::Flow << YAML::BeginMap;
    w.num("from_score", x.isotonic.thresholds[i]);
    w.num("p", x.isotonic.values[i]);
    w.count("leads", x.isotonic.counts[i]);
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
  e << YAML::EndMap;

  w.key("revenue");
  e << YAML::BeginMap;
  if (x.source_field) w.text("source_field", *x.source_field);
  w.count("won", x.revenue_won);
  if (x.revenue_average) w.num("average", *x.revenue_average);
  w.key("by_source");
  e << YAML::BeginSeq;
  for (const auto& s : x.revenue_by_source) {
    e << YAML::Flow << YAML::BeginMap;
    w.text("source", s.source);
    w.count("won", s.won);
    w.num("average", s.average);
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
  e << YAML::EndMap;

  w.key("rules");
  e << YAML::BeginSeq;
  for (const auto& r : x.rules) {
    e << YAML::BeginMap;
    w.text("label", r.label);
    w.text("section", r.section);
    w.text("kind", r.each ? "each" : "when");
    w.num("points", r.points);
    if (r.cap) w.num("max", *r.cap);
    w.num("written_points", r.written_points);
    if (r.written_cap) w.num("written_max", *r.written_cap);
    w.text("status", r.status);
    w.num("log_odds", r.log_odds);
    const auto& ev = r.evidence;
    w.key("evidence");
    e << YAML::Flow << YAML::BeginMap;
    w.count("matched", ev.matched);
    w.count("won", ev.won);
    w.num("close_rate", ev.close_rate);
    w.num("base_rate", ev.base_rate);
    w.num("lift", ev.lift);
    w.num("low95", ev.wilson.low);
    w.num("high95", ev.wilson.high);
    w.flag("significant", ev.significant);
    w.flag("low_support", ev.low_support);
    e << YAML::EndMap;
    e << YAML::EndMap;
  }
  e << YAML::EndSeq;
  if (x.adopted) write_adoption(w, *x.adopted);

  if (x.has_backtest) {
    w.key("backtest");
    e << YAML::BeginMap;
    write_backtest(w, "written", x.written);
    write_backtest(w, "calibrated", x.calibrated);
    w.num("calibrated_unlimited_auc", x.calibrated_unlimited_auc);
    if (x.baseline) {
      w.text("baseline_model", x.baseline_description);
      write_backtest(w, "baseline", *x.baseline);
    }
    if (x.walk_forward) write_walk_forward(w, *x.walk_forward);
    e << YAML::EndMap;
  }
  e << YAML::EndMap;
  std::string out = w.str();
  out += '\n';
  return out;
}

namespace {

struct Reader {
  std::string path;
  std::string where;  // key being read, for the error message

  const YAML::Node need(const YAML::Node& map, const char* key) {
    where = key;
    if (!map.IsMap() || !map[key]) throw YAML::Exception(YAML::Mark::null_mark(), fmt::format("missing key `{}`", key));
    return map[key];
  }
  static double num(const YAML::Node& n) { return n.as<double>(); }
  static std::uint64_t count(const YAML::Node& n) { return n.as<std::uint64_t>(); }
};

SelectionQuality read_selection(Reader& r, const YAML::Node& n) {
  SelectionQuality q;
  q.selected = Reader::count(r.need(n, "selected"));
  q.true_positives = Reader::count(r.need(n, "won"));
  q.precision = Reader::num(r.need(n, "precision"));
  q.recall = Reader::num(r.need(n, "recall"));
  q.volume_share = Reader::num(r.need(n, "volume"));
  return q;
}

ModelBacktest read_backtest(Reader& r, const YAML::Node& n) {
  ModelBacktest b;
  b.auc = Reader::num(r.need(n, "auc"));
  b.brier = Reader::num(r.need(n, "brier"));
  b.log_loss = Reader::num(r.need(n, "log_loss"));
  if (n["mql"]) {
    b.has_mql = true;
    b.mql = read_selection(r, n["mql"]);
  }
  b.top_volume = read_selection(r, r.need(n, "top_at_mql_volume"));
  for (const auto& d : r.need(n, "lift_by_decile")) {
    DecileRow row;
    row.decile = static_cast<int>(Reader::count(r.need(d, "decile")));
    row.count = Reader::count(r.need(d, "leads"));
    row.positives = Reader::count(r.need(d, "won"));
    row.rate = Reader::num(r.need(d, "rate"));
    row.lift = Reader::num(r.need(d, "lift"));
    row.cumulative_capture = Reader::num(r.need(d, "capture"));
    row.min_score = Reader::num(r.need(d, "min_score"));
    row.max_score = Reader::num(r.need(d, "max_score"));
    b.deciles.push_back(row);
  }
  for (const auto& d : r.need(n, "reliability")) {
    ReliabilityBin bin;
    bin.count = Reader::count(r.need(d, "leads"));
    bin.mean_predicted = Reader::num(r.need(d, "predicted"));
    bin.observed_rate = Reader::num(r.need(d, "observed"));
    bin.min_predicted = Reader::num(r.need(d, "min_predicted"));
    bin.max_predicted = Reader::num(r.need(d, "max_predicted"));
    b.reliability.push_back(bin);
  }
  for (const auto& d : r.need(n, "score_histogram")) {
    HistogramBin h;
    h.low = Reader::num(r.need(d, "low"));
    h.high = Reader::num(r.need(d, "high"));
    h.won = Reader::count(r.need(d, "won"));
    h.lost = Reader::count(r.need(d, "lost"));
    b.histogram.push_back(h);
  }
  return b;
}

std::uint64_t read_window(Reader& r, const YAML::Node& n, const char* key) {
  const auto v = r.need(n, key);
  return v.as<std::string>() == "all" ? 0 : Reader::count(v);
}

WalkForwardBacktest read_walk_forward(Reader& r, const YAML::Node& method, const YAML::Node& n) {
  WalkForwardBacktest b;
  b.refit_every = Reader::count(r.need(method, "refit_every"));
  b.window = read_window(r, method, "refit_window");
  b.curve_window = read_window(r, method, "curve_window");
  b.leads = Reader::count(r.need(n, "leads"));
  b.won = Reader::count(r.need(n, "won"));
  b.written_chunk_auc = Reader::num(r.need(n, "written_chunk_auc"));
  b.calibrated_chunk_auc = Reader::num(r.need(n, "calibrated_chunk_auc"));
  b.written = read_backtest(r, r.need(n, "written"));
  b.calibrated = read_backtest(r, r.need(n, "calibrated"));
  for (const auto& c : r.need(n, "chunks")) {
    WalkForwardChunkRow row;
    row.first = r.need(c, "first").as<std::string>();
    row.last = r.need(c, "last").as<std::string>();
    row.leads = Reader::count(r.need(c, "leads"));
    row.won = Reader::count(r.need(c, "won"));
    row.fit_leads = Reader::count(r.need(c, "fit_leads"));
    row.curve_leads = Reader::count(r.need(c, "curve_leads"));
    if (c["late_outcomes"]) row.late_outcomes = Reader::count(c["late_outcomes"]);
    row.scored = r.need(c, "scored").as<bool>();
    row.written_predicted = Reader::num(r.need(c, "written_predicted"));
    row.calibrated_predicted = Reader::num(r.need(c, "calibrated_predicted"));
    row.written_auc = Reader::num(r.need(c, "written_auc"));
    row.calibrated_auc = Reader::num(r.need(c, "calibrated_auc"));
    b.chunks.push_back(row);
  }
  return b;
}

Adoption read_adoption(Reader& r, const YAML::Node& n) {
  Adoption a;
  a.policy = r.need(n, "policy").as<std::string>();
  a.leads = Reader::count(r.need(n, "leads"));
  a.auc_tolerance = Reader::num(r.need(n, "auc_tolerance"));
  for (const auto& l : r.need(n, "limits")) {
    AdoptedLimit x;
    x.section = r.need(l, "section").as<std::string>();
    x.kind = r.need(l, "kind").as<std::string>();
    if (x.kind != "max" && x.kind != "min")
      throw YAML::Exception(YAML::Mark::null_mark(), fmt::format("limit kind \"{}\" is not max or min", x.kind));
    x.written = Reader::num(r.need(l, "written"));
    x.adopted = Reader::num(r.need(l, "adopted"));
    x.written_share = Reader::num(r.need(l, "written_share"));
    x.adopted_share = Reader::num(r.need(l, "adopted_share"));
    x.same_share = Reader::num(r.need(l, "same_share"));
    x.same_share_cost = Reader::num(r.need(l, "same_share_cost"));
    x.auc_cost = Reader::num(r.need(l, "auc_cost"));
    x.widened = r.need(l, "widened").as<bool>();
    if (!std::isfinite(x.adopted))
      throw YAML::Exception(YAML::Mark::null_mark(), fmt::format("the adopted {} of {} is not a number", x.kind, x.section));
    a.limits.push_back(std::move(x));
  }
  for (const auto& t : r.need(n, "thresholds")) {
    AdoptedThreshold x;
    x.key = r.need(t, "key").as<std::string>();
    x.score = r.need(t, "score").as<std::string>();
    x.op = r.need(t, "op").as<std::string>();
    x.written = Reader::num(r.need(t, "written"));
    x.adopted = Reader::num(r.need(t, "adopted"));
    x.written_share = Reader::num(r.need(t, "written_share"));
    x.adopted_share = Reader::num(r.need(t, "adopted_share"));
    x.used_in = r.need(t, "used_in").as<std::string>();
    if (!std::isfinite(x.adopted))
      throw YAML::Exception(YAML::Mark::null_mark(), fmt::format("the adopted value of `{}` is not a number", x.key));
    a.thresholds.push_back(std::move(x));
  }
  for (const auto& k : r.need(n, "kept")) a.kept.push_back(k.as<std::string>());
  for (const auto& o : r.need(n, "outputs"))
    a.outputs.push_back(OutputShare{r.need(o, "name").as<std::string>(), Reader::num(r.need(o, "written")),
                                    Reader::num(r.need(o, "adopted"))});
  return a;
}

SplitPart read_split(Reader& r, const YAML::Node& n) {
  SplitPart p;
  p.leads = Reader::count(r.need(n, "leads"));
  p.won = Reader::count(r.need(n, "won"));
  p.first = r.need(n, "first").as<std::string>();
  p.last = r.need(n, "last").as<std::string>();
  return p;
}

}  // namespace

bool weights_from_yaml(const std::string& text, const std::string& path, Weights& x, std::string& error) {
  Reader r{path, {}};
  try {
    YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) {
      error = fmt::format("{}: not a leadscore weights file (expected a YAML map)", path);
      return false;
    }
    x = Weights{};
    x.format = r.need(root, "format").as<std::string>();
    if (x.format != kWeightsFormat && x.format != kWeightsFormatV1) {
      error = fmt::format("{}: format \"{}\" is not {} (or {})", path, x.format, kWeightsFormat, kWeightsFormatV1);
      return false;
    }
    x.ruleset = r.need(root, "ruleset").as<std::string>();
    x.ruleset_version = r.need(root, "ruleset_version").as<std::string>();
    x.rules_hash = r.need(root, "rules_hash").as<std::string>();
    x.created_by = r.need(root, "created_by").as<std::string>();
    for (const auto& s : r.need(root, "warnings")) {
      if (s.IsScalar()) x.warnings.push_back(WeightsWarning{"other", s.as<std::string>()});  // version 1
      else x.warnings.push_back(WeightsWarning{r.need(s, "kind").as<std::string>(), r.need(s, "message").as<std::string>()});
    }

    const auto method = r.need(root, "method");
    x.method = r.need(method, "weights").as<std::string>();
    x.each_feature = r.need(method, "each_rules").as<std::string>();
    x.pdo = Reader::num(r.need(method, "pdo"));
    x.l2 = Reader::num(r.need(method, "l2"));
    x.min_support = Reader::count(r.need(method, "min_support"));
    x.test_fraction = Reader::num(r.need(method, "test_fraction"));

    const auto data = r.need(root, "data");
    for (const auto& f : r.need(data, "inputs"))
      x.inputs.push_back(InputFile{r.need(f, "role").as<std::string>(), r.need(f, "path").as<std::string>(),
                                   r.need(f, "fnv1a").as<std::string>(), Reader::count(r.need(f, "rows"))});
    x.outcome_source = r.need(data, "outcomes").as<std::string>();
    x.point_in_time = r.need(data, "point_in_time").as<std::string>();
    x.time_order = r.need(data, "time_order").as<std::string>();
    x.leads = Reader::count(r.need(data, "leads"));
    x.closed = Reader::count(r.need(data, "closed"));
    x.won = Reader::count(r.need(data, "won"));
    x.lost = Reader::count(r.need(data, "lost"));
    x.open = Reader::count(r.need(data, "open"));
    x.excluded = Reader::count(r.need(data, "excluded"));
    for (const auto& s : r.need(data, "exclusions")) x.exclusions.push_back(s.as<std::string>());
    x.train = read_split(r, r.need(data, "train"));
    if (data["train_late_outcomes"]) x.train_late_outcomes = Reader::count(data["train_late_outcomes"]);
    x.test = read_split(r, r.need(data, "test"));
    if (data["final_fit"]) x.final_fit = read_split(r, data["final_fit"]);
    if (data["final_curve"]) x.final_curve = read_split(r, data["final_curve"]);

    const auto card = r.need(root, "scorecard");
    x.base_rate = Reader::num(r.need(card, "base_rate"));
    if (card["base_rate_window"]) x.base_rate_window = card["base_rate_window"].as<std::string>();
    x.factor = Reader::num(r.need(card, "points_per_log_odds"));
    x.intercept = Reader::num(r.need(card, "intercept"));

    const auto prob = r.need(root, "probability");
    x.probability_method = r.need(prob, "use").as<std::string>();
    if (x.probability_method != "platt") {
      error = fmt::format("{}: probability.use \"{}\" is not supported (platt)", path, x.probability_method);
      return false;
    }
    const auto platt = r.need(prob, "platt");
    x.platt_a = Reader::num(r.need(platt, "a"));
    x.platt_b = Reader::num(r.need(platt, "b"));
    if (!std::isfinite(x.platt_a) || !std::isfinite(x.platt_b)) {  // p_close would be `nan` for every lead
      error = fmt::format("{}: probability.platt a and b must be finite numbers (a: {}, b: {}); re-run `leadscore "
                          "calibrate`", path, r.need(platt, "a").as<std::string>(), r.need(platt, "b").as<std::string>());
      return false;
    }
    for (const auto& s : r.need(prob, "isotonic")) {
      x.isotonic.thresholds.push_back(Reader::num(r.need(s, "from_score")));
      x.isotonic.values.push_back(Reader::num(r.need(s, "p")));
      x.isotonic.counts.push_back(Reader::count(r.need(s, "leads")));
    }

    const auto revenue = r.need(root, "revenue");
    if (revenue["source_field"]) x.source_field = revenue["source_field"].as<std::string>();
    x.revenue_won = Reader::count(r.need(revenue, "won"));
    if (revenue["average"]) x.revenue_average = Reader::num(revenue["average"]);
    for (const auto& s : r.need(revenue, "by_source"))
      x.revenue_by_source.push_back(SourceRevenue{r.need(s, "source").as<std::string>(), Reader::count(r.need(s, "won")),
                                                  Reader::num(r.need(s, "average"))});

    for (const auto& n : r.need(root, "rules")) {
      RuleWeight rule;
      rule.label = r.need(n, "label").as<std::string>();
      rule.section = r.need(n, "section").as<std::string>();
      std::string kind = r.need(n, "kind").as<std::string>();
      if (kind != "each" && kind != "when") {
        error = fmt::format("{}: rule \"{}\": kind \"{}\" is not when or each", path, rule.label, kind);
        return false;
      }
      rule.each = kind == "each";
      rule.points = Reader::num(r.need(n, "points"));
      // At most 1B in magnitude, as written points are (the rules checker's limit).
      if (!std::isfinite(rule.points) || std::fabs(rule.points) > 1e9) {
        error = fmt::format("{}: rule \"{}\": points must be a finite number of at most 1B in magnitude", path,
                            rule.label);
        return false;
      }
      if (n["max"]) rule.cap = Reader::num(n["max"]);
      if (rule.cap && !(*rule.cap > 0 && *rule.cap <= 1e9)) {
        error = fmt::format("{}: rule \"{}\": max must be a positive number of at most 1B", path, rule.label);
        return false;
      }
      rule.written_points = Reader::num(r.need(n, "written_points"));
      if (n["written_max"]) rule.written_cap = Reader::num(n["written_max"]);
      rule.status = r.need(n, "status").as<std::string>();
      rule.log_odds = Reader::num(r.need(n, "log_odds"));
      const auto ev = r.need(n, "evidence");
      rule.evidence.label = rule.label;
      rule.evidence.matched = Reader::count(r.need(ev, "matched"));
      rule.evidence.won = Reader::count(r.need(ev, "won"));
      rule.evidence.close_rate = Reader::num(r.need(ev, "close_rate"));
      rule.evidence.base_rate = Reader::num(r.need(ev, "base_rate"));
      rule.evidence.lift = Reader::num(r.need(ev, "lift"));
      rule.evidence.wilson.low = Reader::num(r.need(ev, "low95"));
      rule.evidence.wilson.high = Reader::num(r.need(ev, "high95"));
      rule.evidence.significant = r.need(ev, "significant").as<bool>();
      rule.evidence.low_support = r.need(ev, "low_support").as<bool>();
      x.rules.push_back(std::move(rule));
    }

    if (root["adopted"]) x.adopted = read_adoption(r, root["adopted"]);

    if (root["backtest"]) {
      x.has_backtest = true;
      const auto bt = root["backtest"];
      x.written = read_backtest(r, r.need(bt, "written"));
      x.calibrated = read_backtest(r, r.need(bt, "calibrated"));
      x.calibrated_unlimited_auc = bt["calibrated_unlimited_auc"] ? Reader::num(bt["calibrated_unlimited_auc"])
                                                                   : std::numeric_limits<double>::quiet_NaN();
      if (bt["baseline"]) {
        x.baseline = read_backtest(r, bt["baseline"]);
        x.baseline_description = r.need(bt, "baseline_model").as<std::string>();
      }
      if (bt["walk_forward"]) x.walk_forward = read_walk_forward(r, method, bt["walk_forward"]);
    }
  } catch (const YAML::Exception& ex) {
    error = fmt::format("{}: not a valid weights file: {}{}", path, ex.msg,
                        r.where.empty() ? "" : fmt::format(" (near `{}`)", r.where));
    return false;
  }
  return true;
}

bool read_weights(const std::string& path, Weights& weights, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = fmt::format("cannot read calibration weights {}", path);
    return false;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return weights_from_yaml(buffer.str(), path, weights, error);
}

bool write_weights(const Weights& weights, const std::string& path, std::string& error) {
  io::AtomicFileWriter out;
  if (!out.open(path, error)) return false;
  if (!out.write(weights_to_yaml(weights))) {
    error = fmt::format("cannot write {}", path);
    return false;
  }
  return out.commit(error);
}

}  // namespace leadscore::calibrate

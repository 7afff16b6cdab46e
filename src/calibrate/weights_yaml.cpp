// The weights file's YAML: every key is named once, in a `describe` per type that both directions
// share. Reading goes through yaml-cpp's `YAML::convert<T>` (one constrained specialisation for
// every described type); writing goes through a `YAML::Emitter`, which keeps the file's look (text
// double-quoted, shortest round-tripping numbers, one flow map per table row) that a Node could not.
#include <cmath>
#include <concepts>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "calibrate/weights.hpp"

namespace leadscore::calibrate {
namespace {

// A value that does not read: `path` is where in the file (`rules[2].evidence.lift`).
struct FieldError : std::runtime_error {
  FieldError(std::string where, const std::string& message) : std::runtime_error(message), path(std::move(where)) {}
  std::string path;
};

// A file that reads but cannot be used (a non-finite curve, points beyond the checker's limits).
struct Refusal : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// `where.inner`, or `where[3].inner` for a list element.
std::string join_path(const std::string& where, const std::string& inner) {
  if (inner.empty()) return where;
  return inner.front() == '[' ? where + inner : fmt::format("{}.{}", where, inner);
}

// `Like<T> auto& x` accepts a T and a const T: one describe serves the writer and the reader.
template <class X, class T>
concept Like = std::same_as<std::remove_const_t<X>, T>;

// Shortest text that reads back as the same double; YAML's spellings of the non-finite values.
std::string number_text(double v) {
  if (std::isnan(v)) return ".nan";
  if (std::isinf(v)) return v > 0 ? ".inf" : "-.inf";
  if (v == 0) return "0";
  return fmt::format("{}", v);
}

// One step of the isotonic curve as the file lists it (the model keeps three parallel columns).
struct IsotonicStep {
  double from_score = 0, p = 0;
  std::uint64_t leads = 0;
};

std::vector<IsotonicStep> steps_of(const IsotonicModel& m) {
  std::vector<IsotonicStep> steps;
  for (std::size_t i = 0; i < m.values.size(); ++i) steps.push_back({m.thresholds[i], m.values[i], m.counts[i]});
  return steps;
}

IsotonicModel model_of(const std::vector<IsotonicStep>& steps) {
  IsotonicModel m;
  for (const auto& s : steps) {
    m.thresholds.push_back(s.from_score);
    m.values.push_back(s.p);
    m.counts.push_back(s.leads);
  }
  return m;
}

// ---- The keys, once per type. `io` is a MapWriter or a MapReader. ----

template <class Io>
void describe(Io& io, Like<SelectionQuality> auto& q) {
  io.flow();
  io.field("selected", q.selected);
  io.field("won", q.true_positives);
  io.field("precision", q.precision);
  io.field("recall", q.recall);
  io.field("volume", q.volume_share);
}

template <class Io>
void describe(Io& io, Like<DecileRow> auto& d) {
  io.flow();
  io.field("decile", d.decile);
  io.field("leads", d.count);
  io.field("won", d.positives);
  io.field("rate", d.rate);
  io.field("lift", d.lift);
  io.field("capture", d.cumulative_capture);
  io.field("min_score", d.min_score);
  io.field("max_score", d.max_score);
}

template <class Io>
void describe(Io& io, Like<ReliabilityBin> auto& r) {
  io.flow();
  io.field("leads", r.count);
  io.field("predicted", r.mean_predicted);
  io.field("observed", r.observed_rate);
  io.field("min_predicted", r.min_predicted);
  io.field("max_predicted", r.max_predicted);
}

template <class Io>
void describe(Io& io, Like<HistogramBin> auto& h) {
  io.flow();
  io.field("low", h.low);
  io.field("high", h.high);
  io.field("won", h.won);
  io.field("lost", h.lost);
}

template <class Io>
void describe(Io& io, Like<ModelBacktest> auto& b) {
  io.field("auc", b.auc);
  io.field("brier", b.brier);
  io.field("log_loss", b.log_loss);
  io.flagged("mql", b.has_mql, b.mql);
  io.field("top_at_mql_volume", b.top_volume);
  io.field("lift_by_decile", b.deciles);
  io.field("reliability", b.reliability);
  io.field("score_histogram", b.histogram);
}

template <class Io>
void describe(Io& io, Like<WalkForwardChunkRow> auto& c) {
  io.flow();
  io.field("first", c.first);
  io.field("last", c.last);
  io.field("leads", c.leads);
  io.field("won", c.won);
  io.field("fit_leads", c.fit_leads);
  io.field("curve_leads", c.curve_leads);
  io.defaulted("late_outcomes", c.late_outcomes, std::uint64_t{0});  // not in version 1
  io.field("scored", c.scored);
  io.field("written_predicted", c.written_predicted);
  io.field("calibrated_predicted", c.calibrated_predicted);
  io.field("written_auc", c.written_auc);
  io.field("calibrated_auc", c.calibrated_auc);
}

// The refit settings of a walk-forward backtest are under `method`; see describe(Weights).
template <class Io>
void describe(Io& io, Like<WalkForwardBacktest> auto& b) {
  io.field("leads", b.leads);
  io.field("won", b.won);
  io.field("written_chunk_auc", b.written_chunk_auc);
  io.field("calibrated_chunk_auc", b.calibrated_chunk_auc);
  io.field("written", b.written);
  io.field("calibrated", b.calibrated);
  io.field("chunks", b.chunks);
}

template <class Io>
void describe(Io& io, Like<SplitPart> auto& p) {
  io.flow();
  io.field("leads", p.leads);
  io.field("won", p.won);
  io.field("first", p.first);
  io.field("last", p.last);
}

template <class Io>
void describe(Io& io, Like<AdoptedLimit> auto& l) {
  io.flow();
  io.field("section", l.section);
  io.field("kind", l.kind);
  io.field("written", l.written);
  io.field("adopted", l.adopted);
  io.field("written_share", l.written_share);
  io.field("adopted_share", l.adopted_share);
  io.field("same_share", l.same_share);
  io.field("same_share_cost", l.same_share_cost);
  io.field("auc_cost", l.auc_cost);
  io.field("widened", l.widened);
}

template <class Io>
void describe(Io& io, Like<AdoptedThreshold> auto& t) {
  io.flow();
  io.field("key", t.key);
  io.field("score", t.score);
  io.field("op", t.op);
  io.field("written", t.written);
  io.field("adopted", t.adopted);
  io.field("written_share", t.written_share);
  io.field("adopted_share", t.adopted_share);
  io.field("used_in", t.used_in);
}

template <class Io>
void describe(Io& io, Like<OutputShare> auto& o) {
  io.flow();
  io.field("name", o.name);
  io.field("written", o.written);
  io.field("adopted", o.adopted);
}

template <class Io>
void describe(Io& io, Like<Adoption> auto& a) {
  io.field("policy", a.policy);
  io.field("leads", a.leads);
  io.field("auc_tolerance", a.auc_tolerance);
  io.field("limits", a.limits);
  io.field("thresholds", a.thresholds);
  io.field("kept", a.kept);
  io.field("outputs", a.outputs);
}

template <class Io>
void describe(Io& io, Like<WeightsWarning> auto& w) {
  if constexpr (Io::reading) {
    if (io.legacy_text(w.message)) {  // version 1: a warning is its message
      w.kind = "other";
      return;
    }
  }
  io.flow();
  io.field("kind", w.kind);
  io.field("message", w.message);
}

template <class Io>
void describe(Io& io, Like<InputFile> auto& f) {
  io.flow();
  io.field("role", f.role);
  io.field("path", f.path);
  io.field("fnv1a", f.fnv1a);
  io.field("rows", f.rows);
}

template <class Io>
void describe(Io& io, Like<IsotonicStep> auto& s) {
  io.flow();
  io.field("from_score", s.from_score);
  io.field("p", s.p);
  io.field("leads", s.leads);
}

template <class Io>
void describe(Io& io, Like<SourceRevenue> auto& s) {
  io.flow();
  io.field("source", s.source);
  io.field("won", s.won);
  io.field("average", s.average);
}

template <class Io>
void describe(Io& io, Like<RuleEvidence> auto& e) {
  io.flow();
  io.field("matched", e.matched);
  io.field("won", e.won);
  io.field("close_rate", e.close_rate);
  io.field("base_rate", e.base_rate);
  io.field("lift", e.lift);
  io.field("low95", e.wilson.low);
  io.field("high95", e.wilson.high);
  io.field("significant", e.significant);
  io.field("low_support", e.low_support);
}

template <class Io>
void describe(Io& io, Like<RuleWeight> auto& r) {
  io.field("label", r.label);
  io.field("section", r.section);
  io.choice("kind", r.each, "each", "when");
  io.field("points", r.points);
  io.optional("max", r.cap);
  io.field("written_points", r.written_points);
  io.optional("written_max", r.written_cap);
  io.field("status", r.status);
  io.field("log_odds", r.log_odds);
  io.field("evidence", r.evidence);
  if constexpr (Io::reading) r.evidence.label = r.label;
}

template <class Io>
void describe(Io& io, Like<AccountCalibration> auto& a) {
  io.field("outcomes", a.outcomes);
  io.field("lead_outcomes", a.lead_outcomes);
  io.field("accounts", a.accounts);
  io.field("rows", a.rows);
  io.field("closed", a.closed);
  io.field("won", a.won);
  io.field("lost", a.lost);
  io.field("open", a.open);
  io.field("excluded", a.excluded);
  io.field("exclusions", a.exclusions);
  io.field("time_order", a.time_order);
  io.field("train", a.train);
  io.field("test", a.test);
  io.field("base_rate", a.base_rate);
  io.field("intercept", a.intercept);
  io.field("has_backtest", a.has_backtest);
  io.field("written_auc", a.written_auc);
  io.field("calibrated_auc", a.calibrated_auc);
}

template <class Io>
void describe(Io& io, Like<Weights> auto& x) {
  io.field("format", x.format);
  io.field("ruleset", x.ruleset);
  io.field("ruleset_version", x.ruleset_version);
  io.field("rules_hash", x.rules_hash);
  io.field("created_by", x.created_by);
  io.field("warnings", x.warnings);
  io.section("method", [&](auto& m) {
    m.field("weights", x.method);
    m.field("each_rules", x.each_feature);
    m.field("pdo", x.pdo);
    m.field("l2", x.l2);
    m.field("min_support", x.min_support);
    m.field("test_fraction", x.test_fraction);
    if (m.engage("refit_every", x.walk_forward)) {
      m.field("refit_every", x.walk_forward->refit_every);
      m.window("refit_window", x.walk_forward->window);
      m.window("curve_window", x.walk_forward->curve_window);
    }
  });
  io.section("data", [&](auto& d) {
    d.field("inputs", x.inputs);
    d.field("outcomes", x.outcome_source);
    d.field("point_in_time", x.point_in_time);
    d.field("time_order", x.time_order);
    d.field("leads", x.leads);
    d.field("closed", x.closed);
    d.field("won", x.won);
    d.field("lost", x.lost);
    d.field("open", x.open);
    d.field("excluded", x.excluded);
    d.field("exclusions", x.exclusions);
    d.field("train", x.train);
    d.defaulted("train_late_outcomes", x.train_late_outcomes, std::uint64_t{0});  // not in version 1
    d.field("test", x.test);
    d.optional("final_fit", x.final_fit);
    d.optional("final_curve", x.final_curve);
  });
  io.section("scorecard", [&](auto& s) {
    s.field("base_rate", x.base_rate);
    s.defaulted("base_rate_window", x.base_rate_window, std::string());
    s.field("points_per_log_odds", x.factor);
    s.field("intercept", x.intercept);
  });
  io.section("probability", [&](auto& p) {
    p.field("use", x.probability_method);
    p.section("platt", [&](auto& platt) {
      platt.flow();
      platt.field("a", x.platt_a);
      platt.field("b", x.platt_b);
    });
    if constexpr (Io::reading) {
      std::vector<IsotonicStep> steps;
      p.field("isotonic", steps);
      x.isotonic = model_of(steps);
    } else {
      p.field("isotonic", steps_of(x.isotonic));
    }
  });
  io.section("revenue", [&](auto& r) {
    r.optional("source_field", x.source_field);
    r.field("won", x.revenue_won);
    r.optional("average", x.revenue_average);
    r.field("by_source", x.revenue_by_source);
  });
  io.field("rules", x.rules);
  io.optional("accounts", x.accounts);
  io.optional("adopted", x.adopted);
  io.optional_section("backtest", x.has_backtest, [&](auto& b) {
    b.field("written", x.written);
    b.field("calibrated", x.calibrated);
    b.defaulted("calibrated_unlimited_auc", x.calibrated_unlimited_auc, std::numeric_limits<double>::quiet_NaN());
    if (b.engage("baseline", x.baseline)) {
      b.field("baseline_model", x.baseline_description);
      b.field("baseline", *x.baseline);
    }
    if (x.walk_forward) b.field("walk_forward", *x.walk_forward);
  });
}

// ---- Writing: a map on an emitter. ----

// Opens its map at the first key, so that describe() can ask for a flow map before it.
class MapWriter {
 public:
  static constexpr bool reading = false;
  explicit MapWriter(YAML::Emitter& out) : out_(out) {}
  MapWriter(const MapWriter&) = delete;
  MapWriter& operator=(const MapWriter&) = delete;

  void flow() { flow_ = true; }
  void close() {
    open();
    out_ << YAML::EndMap;
  }

  void field(const char* key, const std::string& v) { value_of(key) << YAML::DoubleQuoted << v; }
  void field(const char* key, double v) { value_of(key) << number_text(v); }
  void field(const char* key, std::uint64_t v) { value_of(key) << v; }
  void field(const char* key, int v) { value_of(key) << v; }
  void field(const char* key, bool v) { value_of(key) << YAML::TrueFalseBool << v; }
  template <class T>
  void field(const char* key, const std::vector<T>& items) {
    value_of(key) << YAML::BeginSeq;
    for (const auto& item : items) element(item);
    out_ << YAML::EndSeq;
  }
  template <class T>
  void field(const char* key, const T& value) {
    value_of(key);
    element(value);
  }
  template <class T>
  void optional(const char* key, const std::optional<T>& value) {
    if (value) field(key, *value);
  }
  template <class T>
  void defaulted(const char* key, const T& value, const T&) {
    field(key, value);
  }
  template <class T>
  void flagged(const char* key, bool present, const T& value) {
    if (present) field(key, value);
  }
  template <class T>
  bool engage(const char*, const std::optional<T>& value) {
    return value.has_value();
  }
  void choice(const char* key, bool value, const char* if_true, const char* if_false) {
    field(key, std::string(value ? if_true : if_false));
  }
  void window(const char* key, std::uint64_t leads) {  // 0 leads: every older closed lead
    if (leads == 0) field(key, std::string("all"));
    else field(key, leads);
  }
  template <class Describe>
  void section(const char* key, Describe&& describe_section) {
    value_of(key);
    MapWriter inner(out_);
    describe_section(inner);
    inner.close();
  }
  template <class Describe>
  void optional_section(const char* key, bool present, Describe&& describe_section) {
    if (present) section(key, std::forward<Describe>(describe_section));
  }

 private:
  void open() {
    if (open_) return;
    if (flow_) out_ << YAML::Flow;
    out_ << YAML::BeginMap;
    open_ = true;
  }
  YAML::Emitter& value_of(const char* key) {
    open();
    return out_ << YAML::Key << key << YAML::Value;
  }
  void element(const std::string& text) { out_ << YAML::DoubleQuoted << text; }
  template <class T>
  void element(const T& value) {
    MapWriter inner(out_);
    describe(inner, value);
    inner.close();
  }

  YAML::Emitter& out_;
  bool flow_ = false, open_ = false;
};

// ---- Reading: a map node. Lists read their elements through YAML::convert<T>. ----

class MapReader;
template <class T>
concept Described = requires(MapReader& reader, T& value) { describe(reader, value); };

// Fills what it reads in place: a value the file leaves out keeps what the caller set.
class MapReader {
 public:
  static constexpr bool reading = true;
  explicit MapReader(const YAML::Node& node) : node_(node) {}

  void flow() {}
  template <class T>
  void field(const char* key, T& value) {
    read_into(key, need(key), value);
  }
  template <class T>
  void optional(const char* key, std::optional<T>& value) {
    if (!has(key)) return;
    value.emplace();
    read_into(key, node_[key], *value);
  }
  template <class T>
  void defaulted(const char* key, T& value, const T& fallback) {
    if (has(key)) read_into(key, node_[key], value);
    else value = fallback;
  }
  template <class T>
  void flagged(const char* key, bool& present, T& value) {
    present = has(key);
    if (present) read_into(key, node_[key], value);
  }
  template <class T>
  bool engage(const char* key, std::optional<T>& value) {
    if (has(key) && !value) value.emplace();
    return value.has_value();
  }
  void choice(const char* key, bool& value, const char* if_true, const char* if_false) {
    std::string text;
    field(key, text);
    if (text != if_true && text != if_false)
      throw FieldError(key, fmt::format("\"{}\" is not {} or {}", text, if_false, if_true));
    value = text == if_true;
  }
  void window(const char* key, std::uint64_t& leads) {
    const YAML::Node n = need(key);
    if (n.IsScalar() && n.Scalar() == "all") leads = 0;
    else read_into(key, n, leads);
  }
  bool legacy_text(std::string& text) {
    if (!node_.IsScalar()) return false;
    text = node_.Scalar();
    return true;
  }
  template <class Describe>
  void section(const char* key, Describe&& describe_section) {
    const YAML::Node n = need(key);
    within(key, [&] {
      MapReader inner(n);
      describe_section(inner);
    });
  }
  template <class Describe>
  void optional_section(const char* key, bool& present, Describe&& describe_section) {
    present = has(key);
    if (present) section(key, std::forward<Describe>(describe_section));
  }

 private:
  bool has(const char* key) const { return node_.IsMap() && node_[key]; }
  YAML::Node need(const char* key) const {
    if (!node_.IsMap()) throw FieldError("", "expected a map of keys");
    if (!has(key)) throw FieldError(key, fmt::format("missing key `{}`", key));
    return node_[key];
  }
  // Runs `read`; an error inside it gets `where` in front of its path.
  template <class Read>
  static void within(const std::string& where, Read&& read) {
    try {
      read();
    } catch (const FieldError& e) {
      throw FieldError(join_path(where, e.path), e.what());
    } catch (const YAML::Exception& e) {
      throw FieldError(where, e.msg);
    }
  }
  template <class T>
  static void read_into(const char* key, const YAML::Node& n, T& value) {
    within(key, [&] {
      if constexpr (Described<T>) {
        MapReader inner(n);
        describe(inner, value);
      } else {
        try {
          value = n.template as<T>();
        } catch (const YAML::BadConversion&) {
          throw FieldError("", fmt::format("{} is not {}", shown(n), expected<T>()));
        }
      }
    });
  }
  static std::string shown(const YAML::Node& n) {
    if (n.IsScalar()) return fmt::format("\"{}\"", n.Scalar());
    return n.IsSequence() ? "a list" : n.IsMap() ? "a map" : "an empty value";
  }
  template <class T>
  static const char* expected() {
    if constexpr (std::is_same_v<T, bool>) return "true or false";
    else if constexpr (std::is_floating_point_v<T>) return "a number";
    else if constexpr (std::is_unsigned_v<T>) return "a whole number of 0 or more";
    else if constexpr (std::is_integral_v<T>) return "a whole number";
    else return "text";
  }
  template <class T>
  static void read_into(const char* key, const YAML::Node& n, std::vector<T>& items) {
    within(key, [&] {
      if (!n.IsSequence()) throw FieldError("", "expected a list");
      items.clear();
      for (std::size_t i = 0; i < n.size(); ++i)
        within(fmt::format("[{}]", i), [&] { items.push_back(n[i].template as<T>()); });
    });
  }

  const YAML::Node node_;
};

// Version 1 and 2 files; anything the model cannot use is refused with the reason.
void validate(const Weights& x) {
  if (x.format != kWeightsFormat && x.format != kWeightsFormatV1)
    throw Refusal(fmt::format("format \"{}\" is not {} (or {})", x.format, kWeightsFormat, kWeightsFormatV1));
  if (x.probability_method != "platt")
    throw Refusal(fmt::format("probability.use \"{}\" is not supported (platt)", x.probability_method));
  if (!std::isfinite(x.platt_a) || !std::isfinite(x.platt_b))  // p_close would be `nan` for every lead
    throw Refusal(fmt::format("probability.platt a and b must be finite numbers (a: {}, b: {}); re-run `leadscore "
                              "calibrate`", number_text(x.platt_a), number_text(x.platt_b)));
  for (const auto& rule : x.rules) {
    // At most 1B in magnitude, as written points are (the rules checker's limit).
    if (!std::isfinite(rule.points) || std::fabs(rule.points) > 1e9)
      throw Refusal(fmt::format("rule \"{}\": points must be a finite number of at most 1B in magnitude", rule.label));
    if (rule.cap && !(*rule.cap > 0 && *rule.cap <= 1e9))
      throw Refusal(fmt::format("rule \"{}\": max must be a positive number of at most 1B", rule.label));
  }
  if (!x.adopted) return;
  for (const auto& l : x.adopted->limits) {
    if (l.kind != "max" && l.kind != "min") throw Refusal(fmt::format("limit kind \"{}\" is not max or min", l.kind));
    if (!std::isfinite(l.adopted))
      throw Refusal(fmt::format("the adopted {} of {} is not a number", l.kind, l.section));
  }
  for (const auto& t : x.adopted->thresholds)
    if (!std::isfinite(t.adopted)) throw Refusal(fmt::format("the adopted value of `{}` is not a number", t.key));
}

}  // namespace
}  // namespace leadscore::calibrate

namespace YAML {
// Every type with a describe() reads from a node as a map of its keys (as list elements do).
template <leadscore::calibrate::Described T>
struct convert<T> {
  static bool decode(const Node& node, T& value) {
    leadscore::calibrate::MapReader reader(node);
    describe(reader, value);
    return true;
  }
};
}  // namespace YAML

namespace leadscore::calibrate {

std::string weights_to_yaml(const Weights& weights) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::Comment("leadscore calibrated weights: written by `leadscore calibrate`, read by `score` when the "
                       "rules declare `calibration \"PATH\"`. Regenerate rather than edit.");
  MapWriter writer(out);
  describe(writer, weights);
  writer.close();
  std::string text = out.c_str();
  text += '\n';
  return text;
}

bool weights_from_yaml(const std::string& text, const std::string& path, Weights& weights, std::string& error) {
  try {
    const YAML::Node root = YAML::Load(text);
    if (!root.IsMap()) {
      error = fmt::format("{}: not a leadscore weights file (expected a YAML map)", path);
      return false;
    }
    Weights read;
    // The format first: another format's missing keys would hide that it is not a weights file.
    if (root["format"] && root["format"].IsScalar() && root["format"].Scalar() != kWeightsFormat &&
        root["format"].Scalar() != kWeightsFormatV1) {
      read.format = root["format"].Scalar();
      validate(read);
    }
    MapReader reader(root);
    describe(reader, read);
    validate(read);
    weights = std::move(read);
    return true;
  } catch (const Refusal& e) {
    error = fmt::format("{}: {}", path, e.what());
  } catch (const FieldError& e) {
    error = fmt::format("{}: not a valid weights file: {}{}", path, e.what(),
                        e.path.empty() ? "" : fmt::format(" (at `{}`)", e.path));
  } catch (const YAML::Exception& e) {
    error = fmt::format("{}: not a valid weights file: {}", path, e.msg);
  }
  return false;
}

}  // namespace leadscore::calibrate

#include "engine/load/event_stream.hpp"

#include <algorithm>
#include <functional>
#include <optional>

#include <fmt/format.h>

#include "common/hash.hpp"
#include "common/utf8.hpp"
#include "engine/load/cell_parse.hpp"
#include "engine/exec/string_dictionary.hpp"
#include "io/csv_reader.hpp"
#include "io/file_parts.hpp"
#include "io/value_parse.hpp"

namespace leadscore::engine {

void EventStats::add(const EventStats& o) {
  read += o.read;
  used += o.used;
  unknown_lead += o.unknown_lead;
  malformed += o.malformed;
  bad_time += o.bad_time;
  not_before_as_of += o.not_before_as_of;
  newest = std::max(newest, o.newest);
  if (unparseable.size() < o.unparseable.size()) unparseable.resize(o.unparseable.size(), 0);
  for (std::size_t i = 0; i < o.unparseable.size(); ++i) unparseable[i] += o.unparseable[i];
  if (unparseable_example.size() < o.unparseable_example.size()) unparseable_example.resize(o.unparseable_example.size());
  for (std::size_t i = 0; i < o.unparseable_example.size(); ++i)
    if (unparseable_example[i].empty()) unparseable_example[i] = o.unparseable_example[i];
  if (invalid_text.size() < o.invalid_text.size()) invalid_text.resize(o.invalid_text.size(), 0);
  for (std::size_t i = 0; i < o.invalid_text.size(); ++i) invalid_text[i] += o.invalid_text[i];
}

namespace {

constexpr std::int32_t kNoField = -1;     // a node over constants only
constexpr std::int32_t kManyFields = -2;  // a node over several fields, or over the as-of instant

// Which single activity field each event node depends on, if any.
std::vector<std::int32_t> field_dependencies(const Graph& graph) {
  std::vector<std::int32_t> dep(graph.event_nodes.size(), kNoField);
  for (std::size_t n = 0; n < graph.event_nodes.size(); ++n) {
    const Node& node = graph.event_nodes[n];
    std::int32_t d = kNoField;
    if (node.op == Op::EventField) d = node.index;
    if (node.op == Op::DaysSince) d = kManyFields;
    for (NodeIndex a : node.args) {
      if (a == kNone) continue;
      std::int32_t ad = dep[static_cast<std::size_t>(a)];
      if (ad == kNoField) continue;
      d = (d == kNoField || d == ad) ? ad : kManyFields;
    }
    dep[n] = d;
  }
  return dep;
}

void mark_reachable(const Graph& graph, NodeIndex n, std::vector<std::uint8_t>& mask) {
  if (n == kNone || mask[static_cast<std::size_t>(n)]) return;
  mask[static_cast<std::size_t>(n)] = 1;
  for (NodeIndex a : graph.event_nodes[static_cast<std::size_t>(n)].args) mark_reachable(graph, a, mask);
}

// How the filters are evaluated: a filter over one text field is computed once per distinct value of
// that field and looked up per event; any other filter is evaluated per event.
struct FilterPlan {
  std::vector<std::int32_t> cached_field;             // by slot: text field whose values key the cache, or -1
  std::vector<std::vector<std::uint8_t>> field_mask;  // by field: nodes to evaluate per distinct value
  std::vector<std::uint8_t> per_event_mask;           // nodes of the filters evaluated per event
  std::vector<std::uint8_t> per_event_field;          // by field: read by a filter evaluated per event
  bool any_per_event = false;
  // The text field that caches the most filters (usually the activity type) picks, per distinct
  // value, the slots an event feeds: those slots are folded in one pass over the events.
  std::int32_t key_field = -1;
  std::vector<std::uint32_t> keyed_slots;   // cached on key_field, or without a filter
  std::vector<std::uint32_t> looped_slots;  // every other slot, folded one slot at a time

  FilterPlan(const ir::Program& program, const Graph& graph) {
    auto dep = field_dependencies(graph);
    cached_field.assign(graph.slots.size(), -1);
    field_mask.assign(program.activity_fields.size(), std::vector<std::uint8_t>(graph.event_nodes.size(), 0));
    per_event_mask.assign(graph.event_nodes.size(), 0);
    for (std::size_t s = 0; s < graph.slots.size(); ++s) {
      NodeIndex filter = graph.slots[s].filter;
      if (filter == kNone) continue;
      std::int32_t f = dep[static_cast<std::size_t>(filter)];
      bool text = f >= 0 && column_type(program.activity_fields[static_cast<std::size_t>(f)].type) == ir::Type::String;
      if (text) {
        cached_field[s] = f;
        mark_reachable(graph, filter, field_mask[static_cast<std::size_t>(f)]);
      } else {
        mark_reachable(graph, filter, per_event_mask);
        any_per_event = true;
      }
    }
    per_event_field.assign(program.activity_fields.size(), 0);
    for (std::size_t n = 0; n < graph.event_nodes.size(); ++n)
      if (per_event_mask[n] && graph.event_nodes[n].op == Op::EventField)
        per_event_field[static_cast<std::size_t>(graph.event_nodes[n].index)] = 1;
    std::vector<std::size_t> cached_per_field(program.activity_fields.size(), 0);
    for (std::int32_t f : cached_field)
      if (f >= 0) ++cached_per_field[static_cast<std::size_t>(f)];
    auto most = std::max_element(cached_per_field.begin(), cached_per_field.end());
    if (most != cached_per_field.end() && *most > 0) key_field = static_cast<std::int32_t>(most - cached_per_field.begin());
    for (std::size_t s = 0; s < graph.slots.size(); ++s) {
      bool keyed = key_field >= 0 && (cached_field[s] == key_field || graph.slots[s].filter == kNone);
      (keyed ? keyed_slots : looped_slots).push_back(static_cast<std::uint32_t>(s));
    }
  }
};

// Reads events into batches, evaluates the filters and folds them into the per-lead aggregates.
class EventFolder {
 public:
  EventFolder(const ir::Program& program, const Graph& graph, const FilterPlan& plan, const LeadTable& leads,
              const std::vector<std::int32_t>& position, std::size_t header_fields, AggregateState& aggregates,
              EventStats& stats)
      : program_(program), graph_(graph), plan_(plan), leads_(leads), position_(position),
        header_fields_(header_fields), aggregates_(aggregates), stats_(stats), state_(graph, true),
        timestamps_(program.activity_fields[static_cast<std::size_t>(program.activity_time_field)].zone) {
    const auto& fields = program.activity_fields;
    columns_.resize(fields.size());
    dictionaries_.resize(fields.size());
    codes_.resize(fields.size());
    computed_.assign(fields.size(), 0);
    lead_field_ = static_cast<std::size_t>(program.activity_lead_field);
    time_field_ = static_cast<std::size_t>(program.activity_time_field);
    lead_cell_ = static_cast<std::size_t>(position[lead_field_]);
    time_cell_ = static_cast<std::size_t>(position[time_field_]);
    for (std::size_t f = 0; f < fields.size(); ++f) {
      if (!graph.activity_field_used[f]) continue;
      columns_[f].reset(column_type(fields[f].type), kBatchSize);
      if (columns_[f].type == ir::Type::String) {
        text_cells_.push_back(TextCell{f, static_cast<std::size_t>(position[f]), plan.per_event_field[f] != 0});
        codes_[f].resize(kBatchSize);
      } else {
        typed_fields_.push_back(f);
      }
    }
    cache_.resize(graph.slots.size());
    pass_.resize(graph.slots.size());
    gathered_.resize(graph.slots.size());
    for (const std::uint32_t s : plan.looped_slots)  // keyed slots are folded without a pass array
      if (plan.cached_field[s] >= 0) gathered_[s].resize(kBatchSize);
    lead_.resize(kBatchSize);
    folded_.resize(kBatchSize);
    time_status_.resize(kBatchSize);
    id_start_.resize(kBatchSize + 1);
    key_.resize(kBatchSize);
    time_.resize(kBatchSize);
    as_of_.resize(kBatchSize);
    since_.resize(kBatchSize);
    valid_.assign(kBatchSize, 1);
    dictionary_valid_.resize(kBatchSize);
    stats_.unparseable.assign(fields.size(), 0);
    stats_.invalid_text.assign(fields.size(), 0);
    for (const std::uint32_t s : plan.looped_slots) looped_reach_ = std::max(looped_reach_, reach_of(graph.slots[s]));
    if (std::adjacent_find(leads.as_of.begin(), leads.as_of.end(), std::not_equal_to<>()) == leads.as_of.end() &&
        !leads.as_of.empty())
      uniform_as_of_ = leads.as_of.front();
  }

  void consume(const io::CsvRecord& record) {
    ++stats_.read;
    if (record.malformed || record.fields.size() != header_fields_) {
      ++stats_.malformed;
      return;
    }
    if (rows_ == 0) start_batch();
    const std::size_t row = rows_;
    const std::string_view* const cells = record.fields.data();
    std::string_view id = io::trim_blanks(cells[lead_cell_]);
    if (leads_.index.numbered()) {
      // The number is all a lookup needs. An id that is the leads' prefix and digits is valid text
      // as it is; any other is cleaned first, as a lead id was when it was read.
      std::uint64_t key = leads_.index.key_of(id);
      if (key == LeadIndex::kNoKey) key = leads_.index.key_of(clean_text(id, lead_field_, repaired_id_));
      key_[row] = key;
    } else {
      id = clean_text(id, lead_field_, repaired_id_);
      id_start_[row] = static_cast<std::uint32_t>(ids_.size());  // hashed when the batch is resolved
      ids_.append(id);
    }
    const auto time = timestamps_.parse(cells[time_cell_]);
    time_[row] = time.value;
    for (const TextCell& text : text_cells_) {
      // A cell already in the dictionary was checked as text when it went in (its keys are valid
      // UTF-8, and blank cells are all the empty key): only new values are checked and repaired.
      std::string_view cell = cells[text.cell];
      StringDictionary& dictionary = dictionaries_[text.field];
      std::uint32_t code = dictionary.find(cell);
      bool present = !cell.empty();
      if (code == StringDictionary::kAbsent) {
        cell = clean_text(cell, text.field, repaired_);
        present = !io::trim_blanks(cell).empty();
        code = dictionary.code_of(present ? cell : std::string_view{});
      }
      codes_[text.field][row] = code;
      if (!text.per_event) continue;  // its filters are looked up by code
      columns_[text.field].str[row] = dictionary.value(code);
      columns_[text.field].valid[row] = present;
    }
    for (std::size_t f : typed_fields_) {
      const std::string_view cell = cells[static_cast<std::size_t>(position_[f])];
      if (!store_cell(program_.activity_fields[f].type, cell, columns_[f], row, arena_, program_.activity_fields[f].zone)) {
        ++stats_.unparseable[f];
        note_unparseable(f, cell);
      }
    }
    // Stored last: a 1-byte store may alias any member, which the stores above would then reload.
    time_status_[row] = time.status;
    if (time.unparseable()) note_unparseable(time_field_, cells[time_cell_]);
    if (++rows_ == kBatchSize) flush();
  }

  // The first unparseable value of each field, for the summary (counted where the event is dropped or used).
  void note_unparseable(std::size_t field, std::string_view cell) {
    if (stats_.unparseable_example.size() < program_.activity_fields.size())
      stats_.unparseable_example.resize(program_.activity_fields.size());
    if (stats_.unparseable_example[field].empty()) stats_.unparseable_example[field] = io::trim_blanks(cell);
  }

  // Finds each event's lead, several lookups in flight at once (the id index and the per-lead
  // accumulators are far larger than the caches), drops events the run never sees, and lists the
  // events left to fold in folded_ (the first folded_count_).
  // With numbered ids and one as-of instant, an event's lead only needs to exist (one bit) to be
  // counted: its row is looked up only when the event can count in some slot, about half of them.
  void resolve_leads() {
    constexpr std::size_t kAhead = 8;
    // Held in locals: the stores below (8-byte times and counts) may alias the members they come from.
    const std::size_t rows = rows_;
    const bool uniform = uniform_as_of_.has_value();
    const std::int64_t uniform_as_of = uniform ? *uniform_as_of_ : 0;
    std::uint64_t unknown = 0, bad_time = 0, unparseable_time = 0, not_before = 0, used = 0;
    std::int64_t newest = stats_.newest;
    const bool numbered = leads_.index.numbered();
    const bool lazy = numbered && uniform;
    id_start_[rows] = static_cast<std::uint32_t>(ids_.size());
    auto id_of = [&](std::size_t i) {
      return numbered ? std::string_view{}
                      : std::string_view(ids_.data() + id_start_[i], id_start_[i + 1] - id_start_[i]);
    };
    if (!numbered)
      for (std::size_t i = 0; i < rows; ++i) key_[i] = leads_.index.key_of(id_of(i));
    if (!lazy)
      for (std::size_t i = 0; i < rows && i < kAhead; ++i) leads_.index.prefetch(key_[i]);
    auto set_lead = [&](std::size_t i, std::int32_t lead) {
      lead_[i] = lead;
      if (!leads_.since.empty()) since_[i] = leads_.since[static_cast<std::size_t>(lead)];
    };
    std::size_t folded = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      lead_[i] = -1;
      std::int32_t lead = -1;
      if (lazy) {
        if (!leads_.index.has_key(key_[i])) {
          ++unknown;
          continue;
        }
      } else {
        if (i + kAhead < rows) leads_.index.prefetch(key_[i + kAhead]);
        lead = leads_.index.find(id_of(i), key_[i]);
        if (lead < 0) {
          ++unknown;
          continue;
        }
      }
      if (time_status_[i] != io::CellStatus::value) {
        ++bad_time;
        unparseable_time += time_status_[i] == io::CellStatus::unparseable ? 1 : 0;
        continue;
      }
      const std::int64_t as_of = uniform ? uniform_as_of : leads_.as_of[static_cast<std::size_t>(lead)];
      if (time_[i] >= as_of) {
        ++not_before;
        continue;
      }
      ++used;
      newest = std::max(newest, time_[i]);
      as_of_[i] = as_of;
      folded_[folded] = static_cast<std::uint32_t>(i);  // kept when it reaches: half do, unpredictably
      const bool reach = reaches(i);
      folded += reach ? 1 : 0;
      if (lazy) continue;
      set_lead(i, lead);
      if (reach) aggregates_.prefetch(static_cast<std::size_t>(lead));
    }
    stats_.unknown_lead += unknown;
    stats_.bad_time += bad_time;
    stats_.unparseable[time_field_] += unparseable_time;
    stats_.not_before_as_of += not_before;
    stats_.used += used;
    stats_.newest = newest;
    folded_count_ = folded;
    if (!lazy) return;
    for (std::size_t k = 0; k < folded && k < kAhead; ++k) leads_.index.prefetch(key_[folded_[k]]);
    for (std::size_t k = 0; k < folded; ++k) {
      if (k + kAhead < folded) leads_.index.prefetch(key_[folded_[k + kAhead]]);
      const std::size_t i = folded_[k];
      const std::int32_t lead = leads_.index.find(id_of(i), key_[i]);
      set_lead(i, lead);
      aggregates_.prefetch(static_cast<std::size_t>(lead));
    }
  }

  void flush() {
    if (rows_ == 0) return;
    for (const TextCell& text : text_cells_) evaluate_new_values(text.field);
    if (plan_.key_field >= 0) extend_slot_lists();
    resolve_leads();
    BatchInput input;
    input.rows = rows_;
    input.as_of = as_of_.data();
    input.fields.resize(columns_.size());
    for (std::size_t f = 0; f < columns_.size(); ++f)
      if (columns_[f].type != ir::Type::Error) input.fields[f] = columns_[f].view();
    if (plan_.any_per_event) evaluate(graph_, input, state_, &plan_.per_event_mask);
    for (const std::uint32_t s : plan_.looped_slots) {
      NodeIndex filter = graph_.slots[s].filter;
      std::int32_t f = plan_.cached_field[s];
      if (filter == kNone) {
        pass_[s] = nullptr;
      } else if (f < 0) {
        pass_[s] = state_.view(filter).truth;
      } else {
        const auto& cache = cache_[s];
        const auto& codes = codes_[static_cast<std::size_t>(f)];
        for (std::size_t i = 0; i < rows_; ++i) gathered_[s][i] = cache[codes[i]];
        pass_[s] = gathered_[s].data();
      }
    }
    EventBatch batch{rows_, lead_.data(), time_.data(), as_of_.data(), leads_.since.empty() ? nullptr : since_.data(),
                     folded_.data(), folded_count_};
    if (plan_.key_field >= 0) {
      KeyedSlots keyed{codes_[static_cast<std::size_t>(plan_.key_field)].data(), slot_first_.data(), slot_list_.data()};
      fold_events_keyed(graph_, batch, input, keyed, aggregates_);
    }
    fold_events(graph_, batch, input, plan_.looped_slots, pass_, aggregates_);
    rows_ = 0;
    ids_.clear();
    arena_.reset();
  }

 private:
  // A text cell as used: repaired (into `scratch`, and counted) when not valid UTF-8 or holding NUL.
  std::string_view clean_text(std::string_view cell, std::size_t field, std::string& scratch) {
    if (clean_utf8(cell)) return cell;
    ++stats_.invalid_text[field];
    scratch = repair_utf8(cell);
    return scratch;
  }

  const ir::Program& program_;
  const Graph& graph_;
  const FilterPlan& plan_;
  const LeadTable& leads_;
  const std::vector<std::int32_t>& position_;
  std::size_t header_fields_;
  AggregateState& aggregates_;
  EventStats& stats_;
  BatchState state_;
  std::vector<Column> columns_;
  std::vector<std::size_t> typed_fields_;
  std::size_t lead_field_ = 0, time_field_ = 0;  // activity fields
  std::size_t lead_cell_ = 0, time_cell_ = 0;    // where they are in a record
  struct TextCell {
    std::size_t field;  // activity field
    std::size_t cell;   // where it is in a record
    bool per_event;     // read by a filter evaluated per event, not only through its code
  };
  std::vector<TextCell> text_cells_;
  std::vector<StringDictionary> dictionaries_;
  std::vector<std::vector<std::uint32_t>> codes_;       // by field, per event of the batch
  std::vector<std::size_t> computed_;                   // by field: dictionary values already evaluated
  std::vector<std::vector<std::int8_t>> cache_;         // by slot: filter result per dictionary value
  std::vector<const std::int8_t*> pass_;
  std::vector<std::vector<std::int8_t>> gathered_;
  std::vector<std::uint32_t> slot_first_{0};  // by key field value: where its slots start in slot_list_
  std::vector<std::uint32_t> slot_list_;      // the keyed slots each key field value feeds
  std::vector<std::int64_t> reach_;           // by key field value: the widest window of its slots
  static constexpr std::int64_t kForever = INT64_MAX, kNever = INT64_MIN;
  std::int64_t looped_reach_ = kNever;        // the widest window of the looped slots
  std::vector<std::int32_t> lead_;           // by event: its lead, or -1 when it is not folded
  std::vector<std::uint32_t> folded_;        // the events to fold: of a known lead, and reaching some slot
  std::size_t folded_count_ = 0;
  std::vector<std::int64_t> time_, as_of_, since_;
  std::vector<io::CellStatus> time_status_;
  std::string repaired_id_, repaired_;     // repaired text cells of the current event
  std::string ids_;                       // the batch's lead ids, back to back
  std::vector<std::uint32_t> id_start_;   // where each event's id starts in ids_ (one extra at the end)
  std::vector<std::uint64_t> key_;  // LeadIndex::key_of each event's lead id
  std::vector<std::uint8_t> valid_, dictionary_valid_;
  StringArena arena_;
  io::TimestampParser timestamps_;
  std::size_t rows_ = 0;
  std::optional<std::int64_t> uniform_as_of_;  // set when every lead has the same as-of instant

  // High-cardinality text fields are forgotten between batches so memory stays bounded.
  void start_batch() {
    for (const TextCell& text : text_cells_) {
      const std::size_t f = text.field;
      if (dictionaries_[f].size() < StringDictionary::kResetSize) continue;
      dictionaries_[f].clear();
      computed_[f] = 0;
      if (static_cast<std::int32_t>(f) == plan_.key_field) {
        slot_first_.assign(1, 0);
        slot_list_.clear();
        reach_.clear();
      }
      for (std::size_t s = 0; s < graph_.slots.size(); ++s)
        if (plan_.cached_field[s] == static_cast<std::int32_t>(f)) cache_[s].clear();
    }
  }

  // Lists the keyed slots fed by the key field's values whose filters were just evaluated, and how
  // far back each value's slots (and the looped ones) reach.
  void extend_slot_lists() {
    const auto key_field = static_cast<std::size_t>(plan_.key_field);
    for (std::size_t code = slot_first_.size() - 1; code < computed_[key_field]; ++code) {
      std::int64_t reach = looped_reach_;
      for (const std::uint32_t s : plan_.keyed_slots)
        if (graph_.slots[s].filter == kNone || cache_[s][code] == kTrue) {
          slot_list_.push_back(s);
          reach = std::max(reach, reach_of(graph_.slots[s]));
        }
      slot_first_.push_back(static_cast<std::uint32_t>(slot_list_.size()));
      reach_.push_back(reach);
    }
  }

  // How long before its as-of instant an event can still count in `slot`.
  static std::int64_t reach_of(const SlotPlan& slot) { return slot.within ? *slot.within : kForever; }

  // Whether event i (of a known lead, before its as-of) can count in any slot: when not, its lead's
  // accumulator row is not fetched (fold_one skips it by the same windows).
  bool reaches(std::size_t i) const {
    const std::int64_t reach =
        plan_.key_field >= 0 ? reach_[codes_[static_cast<std::size_t>(plan_.key_field)][i]] : looped_reach_;
    const bool forever = reach == kForever, never = reach == kNever;
    const std::int64_t earliest = forever || never ? 0 : as_of_[i] - reach;  // selects, not branches
    return forever | (!never & (time_[i] >= earliest));
  }

  // Runs the filters over field f's values seen for the first time in this batch.
  void evaluate_new_values(std::size_t f) {
    const auto& values = dictionaries_[f].values();
    bool cached = false;
    for (std::size_t s = 0; s < graph_.slots.size(); ++s) cached |= plan_.cached_field[s] == static_cast<std::int32_t>(f);
    if (!cached) return;
    while (computed_[f] < values.size()) {
      std::size_t first = computed_[f];
      std::size_t rows = std::min(kBatchSize, values.size() - first);
      for (std::size_t i = 0; i < rows; ++i) dictionary_valid_[i] = !values[first + i].empty();
      BatchInput input;
      input.rows = rows;
      input.as_of = as_of_.data();
      input.fields.resize(columns_.size());
      ColumnView view;
      view.str = values.data() + first;
      view.valid = dictionary_valid_.data();
      input.fields[f] = view;
      evaluate(graph_, input, state_, &plan_.field_mask[f]);
      for (std::size_t s = 0; s < graph_.slots.size(); ++s) {
        if (plan_.cached_field[s] != static_cast<std::int32_t>(f)) continue;
        const std::int8_t* truth = state_.view(graph_.slots[s].filter).truth;
        cache_[s].insert(cache_[s].end(), truth, truth + rows);
      }
      computed_[f] += rows;
    }
  }
};

struct EventPart {
  AggregateState aggregates;
  std::vector<DeferredSum> sums;  // of a part after the first: added after the parts before it
  EventStats stats;
  std::uint64_t end_offset = 0;
  std::string error;
};

}  // namespace

bool aggregate_events(const ir::Program& program, const Graph& graph, const std::string& path,
                      const ReadOptions& options, const LeadTable& leads, int threads, AggregateState& aggregates,
                      EventStats& stats, std::string& error) {
  io::CsvReader header_reader(options.delimiter);
  if (!header_reader.open(path, error)) return false;
  io::CsvRecord header;
  if (!header_reader.next(header)) {
    error = header_reader.error().empty() ? fmt::format("{}: the file is empty (a header row is required)", path)
                                          : header_reader.error();
    return false;
  }
  const auto& fields = program.activity_fields;
  std::vector<std::string> wanted(fields.size()), names(fields.size());
  for (std::size_t f = 0; f < fields.size(); ++f) {
    names[f] = fields[f].name;
    wanted[f] = fields[f].column;  // every declared column must be present; only used ones are parsed
  }
  std::vector<std::int32_t> position;
  if (!map_columns(header.fields, wanted, names, path, position, error)) return false;
  const std::size_t header_fields = header.fields.size();
  const std::uint64_t data_start = header_reader.end_offset();
  const FilterPlan plan(program, graph);

  auto read_part = [&](std::uint64_t begin, std::uint64_t end, AggregateState& into, EventStats& part_stats,
                       std::uint64_t& end_offset, std::string& part_error) {
    io::CsvReader reader(options.delimiter);
    if (!reader.open_range(path, begin, end, 0, part_error)) return;
    EventFolder folder(program, graph, plan, leads, position, header_fields, into, part_stats);
    io::CsvRecord record;
    while (reader.next(record)) folder.consume(record);
    folder.flush();
    if (!reader.error().empty()) part_error = reader.error();
    end_offset = reader.end_offset();
  };

  std::vector<std::uint64_t> cuts;
  if (!io::split_data(path, data_start, static_cast<std::size_t>(std::max(1, threads)), cuts, error)) return false;
  if (cuts.size() > 2) {
    // Part 0 folds straight into `aggregates`; the others into their own, added afterwards with
    // each thread taking a range of leads. Their sums are added last, part after part, so that each
    // lead's events are added in file order, as one thread would.
    std::vector<EventPart> parts(cuts.size() - 1);
    for (std::size_t p = 1; p < parts.size(); ++p) {
      parts[p].aggregates.init(graph, leads.rows);
      parts[p].aggregates.defer_sums(&parts[p].sums);
    }
    io::run_ranges(parts.size(), [&](std::size_t p) {
      AggregateState& into = p == 0 ? aggregates : parts[p].aggregates;
      read_part(cuts[p], cuts[p + 1], into, parts[p].stats, parts[p].end_offset, parts[p].error);
    });
    bool exact = false;
    if (!io::check_ranges(parts, cuts, exact, error)) return false;
    if (exact) {
      io::run_ranges(parts.size(), [&](std::size_t t) {
        const std::size_t first = leads.rows * t / parts.size(), end = leads.rows * (t + 1) / parts.size();
        for (std::size_t p = 1; p < parts.size(); ++p) aggregates.merge_from(parts[p].aggregates, first, end);
        for (std::size_t p = 1; p < parts.size(); ++p) aggregates.add_deferred(parts[p].sums, first, end);
      });
      for (auto& part : parts) stats.add(part.stats);
      return true;
    }
    aggregates.init(graph, leads.rows);  // a cut fell inside a quoted field: start again in one pass
  }
  std::uint64_t end_offset = 0;
  read_part(data_start, UINT64_MAX, aggregates, stats, end_offset, error);
  return error.empty();
}

}  // namespace leadscore::engine

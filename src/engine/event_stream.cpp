#include "engine/event_stream.hpp"

#include <fmt/format.h>

#include "engine/cell_parse.hpp"
#include "io/csv_reader.hpp"
#include "io/value_parse.hpp"

namespace leadscore::engine {

void EventStats::add(const EventStats& o) {
  read += o.read;
  used += o.used;
  unknown_lead += o.unknown_lead;
  malformed += o.malformed;
  bad_time += o.bad_time;
  not_before_as_of += o.not_before_as_of;
  if (unparseable.size() < o.unparseable.size()) unparseable.resize(o.unparseable.size(), 0);
  for (std::size_t i = 0; i < o.unparseable.size(); ++i) unparseable[i] += o.unparseable[i];
}

namespace {

// Reads events from an open reader into batches, evaluates the filters and folds them.
class EventFolder {
 public:
  EventFolder(const ir::Program& program, const Graph& graph, const LeadTable& leads,
              const std::vector<std::int32_t>& position, std::size_t header_fields, AggregateState& aggregates,
              EventStats& stats)
      : program_(program), graph_(graph), leads_(leads), position_(position), header_fields_(header_fields),
        aggregates_(aggregates), stats_(stats), filters_(graph, true) {
    const auto& fields = program.activity_fields;
    columns_.resize(fields.size());
    for (std::size_t f = 0; f < fields.size(); ++f)
      if (graph.activity_field_used[f]) {
        columns_[f].reset(column_type(fields[f].type), kBatchSize);
        used_.push_back(f);
      }
    lead_.resize(kBatchSize);
    time_.resize(kBatchSize);
    as_of_.resize(kBatchSize);
    stats_.unparseable.assign(fields.size(), 0);
  }

  void consume(const io::CsvRecord& record) {
    ++stats_.read;
    if (record.malformed || record.fields.size() != header_fields_) {
      ++stats_.malformed;
      return;
    }
    auto lead_field = static_cast<std::size_t>(program_.activity_lead_field);
    std::string_view id = io::trim_blanks(record.fields[static_cast<std::size_t>(position_[lead_field])]);
    std::int32_t lead = leads_.index.find(id);
    if (lead < 0) {
      ++stats_.unknown_lead;
      return;
    }
    auto time_field = static_cast<std::size_t>(program_.activity_time_field);
    auto time = io::parse_timestamp(record.fields[static_cast<std::size_t>(position_[time_field])]);
    if (!time.has_value()) {
      ++stats_.bad_time;
      if (time.unparseable()) ++stats_.unparseable[time_field];
      return;
    }
    std::int64_t as_of = leads_.as_of[static_cast<std::size_t>(lead)];
    if (time.value >= as_of) {
      ++stats_.not_before_as_of;
      return;
    }
    ++stats_.used;
    lead_[rows_] = lead;
    time_[rows_] = time.value;
    as_of_[rows_] = as_of;
    for (std::size_t f : used_) {
      if (!store_cell(program_.activity_fields[f].type, record.fields[static_cast<std::size_t>(position_[f])],
                      columns_[f], rows_, arena_))
        ++stats_.unparseable[f];
    }
    if (++rows_ == kBatchSize) flush();
  }

  void flush() {
    if (rows_ == 0) return;
    BatchInput input;
    input.rows = rows_;
    input.as_of = as_of_.data();
    input.fields.resize(columns_.size());
    for (std::size_t f : used_) input.fields[f] = columns_[f].view();
    if (!graph_.event_nodes.empty()) evaluate(graph_, true, input, filters_);
    EventBatch batch{rows_, lead_.data(), time_.data(), leads_.as_of.data()};
    fold_events(graph_, batch, input, filters_, aggregates_);
    rows_ = 0;
    arena_.reset();
  }

 private:
  const ir::Program& program_;
  const Graph& graph_;
  const LeadTable& leads_;
  const std::vector<std::int32_t>& position_;
  std::size_t header_fields_;
  AggregateState& aggregates_;
  EventStats& stats_;
  BatchState filters_;
  std::vector<Column> columns_;
  std::vector<std::size_t> used_;
  std::vector<std::int32_t> lead_;
  std::vector<std::int64_t> time_, as_of_;
  StringArena arena_;
  std::size_t rows_ = 0;
};

}  // namespace

bool aggregate_events(const ir::Program& program, const Graph& graph, const std::string& path,
                      const ReadOptions& options, const LeadTable& leads, int threads, AggregateState& aggregates,
                      EventStats& stats, std::string& error) {
  (void)threads;
  io::CsvReader reader(options.delimiter);
  if (!reader.open(path, error)) return false;
  io::CsvRecord record;
  if (!reader.next(record)) {
    error = reader.error().empty() ? fmt::format("{}: the file is empty (a header row is required)", path)
                                   : reader.error();
    return false;
  }
  const auto& fields = program.activity_fields;
  std::vector<std::string> wanted(fields.size()), names(fields.size());
  for (std::size_t f = 0; f < fields.size(); ++f) {
    names[f] = fields[f].name;
    bool needed = static_cast<std::int32_t>(f) == program.activity_lead_field ||
                  static_cast<std::int32_t>(f) == program.activity_time_field || graph.activity_field_used[f];
    if (needed) wanted[f] = fields[f].column;
  }
  std::vector<std::int32_t> position;
  if (!map_columns(record.fields, wanted, names, path, position, error)) return false;
  EventFolder folder(program, graph, leads, position, record.fields.size(), aggregates, stats);
  while (reader.next(record)) folder.consume(record);
  folder.flush();
  if (!reader.error().empty()) {
    error = reader.error();
    return false;
  }
  return true;
}

}  // namespace leadscore::engine

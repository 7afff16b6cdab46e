#pragma once
// Typed column batches with validity: the data the evaluator's kernels run over.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "engine/check/program.hpp"

namespace leadscore::engine {

inline constexpr std::size_t kBatchSize = 2048;

// Three-valued truth: a bool column stores one of these per row (no separate validity).
inline constexpr std::int8_t kFalse = 0;
inline constexpr std::int8_t kTrue = 1;
inline constexpr std::int8_t kUnknown = 2;

// A non-owning view of one column from some row on. Number, instant and text columns use `valid`
// (1 = present); bool columns use `truth`.
struct ColumnView {
  const double* num = nullptr;
  const std::int64_t* time = nullptr;
  const std::string_view* str = nullptr;
  const std::int8_t* truth = nullptr;
  const std::uint8_t* valid = nullptr;
};

// Writable pointers into an owning column, for the kernels' loops. A store through a vector of
// 1-byte cells (truth, valid) may alias anything, the vectors' own data pointers included, so a loop
// that writes `column.truth[i]` reloads every pointer on every row and is never vectorised; a loop
// over a span held in locals is.
struct ColumnSpan {
  double* num = nullptr;
  std::int64_t* time = nullptr;
  std::string_view* str = nullptr;
  std::int8_t* truth = nullptr;
  std::uint8_t* valid = nullptr;
};

// An owning typed column.
struct Column {
  ir::Type type = ir::Type::Error;
  std::vector<double> num;
  std::vector<std::int64_t> time;
  std::vector<std::string_view> str;
  std::vector<std::int8_t> truth;
  std::vector<std::uint8_t> valid;

  void reset(ir::Type t, std::size_t rows);
  // Grows to `rows` rows, the new ones missing (unknown for a bool column), or shrinks to them.
  void resize(std::size_t rows);
  void reserve(std::size_t rows);
  ColumnView view(std::size_t from = 0) const;
  ColumnSpan span() { return {num.data(), time.data(), str.data(), truth.data(), valid.data()}; }
};

// Row `at` of `to` takes row `row` of `from` (a column of the same type).
inline void copy_cell(Column& to, std::size_t at, const Column& from, std::size_t row) {
  switch (to.type) {
    case ir::Type::Number: to.num[at] = from.num[row]; break;
    case ir::Type::Instant: to.time[at] = from.time[row]; break;
    case ir::Type::String: to.str[at] = from.str[row]; break;
    case ir::Type::Bool: to.truth[at] = from.truth[row]; return;
    case ir::Type::Error: return;
  }
  to.valid[at] = from.valid[row];
}

// Row `at` of `to` becomes missing (unknown for a bool column).
inline void set_missing(Column& to, std::size_t at) {
  if (to.type == ir::Type::Bool) to.truth[at] = kUnknown;
  else if (to.type != ir::Type::Error) to.valid[at] = 0;
}

// Bump allocator for text made at run time (copied cells, lower()/domain() results).
class StringArena {
 public:
  std::string_view store(std::string_view text);
  char* allocate(std::size_t size);
  void reset();  // keeps the first chunk for reuse

 private:
  std::vector<std::unique_ptr<char[]>> chunks_;
  std::vector<std::size_t> sizes_;
  std::size_t used_ = 0;
};

}  // namespace leadscore::engine

#include "engine/exec/columns.hpp"

#include <algorithm>
#include <cstring>

namespace leadscore::engine {

void Column::reset(ir::Type t, std::size_t rows) {
  type = t;
  num.clear();
  time.clear();
  str.clear();
  truth.clear();
  valid.clear();
  switch (t) {
    case ir::Type::Number: num.assign(rows, 0); break;
    case ir::Type::Instant: time.assign(rows, 0); break;
    case ir::Type::String: str.assign(rows, {}); break;
    case ir::Type::Bool: truth.assign(rows, kUnknown); break;
    case ir::Type::Error: break;
  }
  if (t != ir::Type::Bool) valid.assign(rows, 0);
}

void Column::resize(std::size_t rows) {
  switch (type) {
    case ir::Type::Number: num.resize(rows, 0); break;
    case ir::Type::Instant: time.resize(rows, 0); break;
    case ir::Type::String: str.resize(rows); break;
    case ir::Type::Bool: truth.resize(rows, kUnknown); return;
    case ir::Type::Error: return;
  }
  valid.resize(rows, 0);
}

void Column::reserve(std::size_t rows) {
  switch (type) {
    case ir::Type::Number: num.reserve(rows); break;
    case ir::Type::Instant: time.reserve(rows); break;
    case ir::Type::String: str.reserve(rows); break;
    case ir::Type::Bool: truth.reserve(rows); return;
    case ir::Type::Error: return;
  }
  valid.reserve(rows);
}

ColumnView Column::view(std::size_t from) const {
  ColumnView v;
  if (!num.empty()) v.num = num.data() + from;
  if (!time.empty()) v.time = time.data() + from;
  if (!str.empty()) v.str = str.data() + from;
  if (!truth.empty()) v.truth = truth.data() + from;
  if (!valid.empty()) v.valid = valid.data() + from;
  return v;
}

char* StringArena::allocate(std::size_t size) {
  if (chunks_.empty() || used_ + size > sizes_.back()) {
    std::size_t chunk = std::max<std::size_t>(size, 1 << 20);
    chunks_.push_back(std::make_unique_for_overwrite<char[]>(chunk));
    sizes_.push_back(chunk);
    used_ = 0;
  }
  char* out = chunks_.back().get() + used_;
  used_ += size;
  return out;
}

std::string_view StringArena::store(std::string_view text) {
  if (text.empty()) return {};
  char* p = allocate(text.size());
  std::memcpy(p, text.data(), text.size());
  return {p, text.size()};
}

void StringArena::reset() {
  if (chunks_.size() > 1) {
    chunks_.resize(1);
    sizes_.resize(1);
  }
  used_ = 0;
}

}  // namespace leadscore::engine

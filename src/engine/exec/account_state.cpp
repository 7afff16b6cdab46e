#include "engine/exec/account_state.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include <fmt/format.h>

#include "common/text.hpp"
#include "engine/exec/evaluator.hpp"

namespace leadscore::engine {

namespace {

using AggKind = ir::LeadsAggregateKind;

constexpr std::array<std::string_view, 32> kFreeMail = {
    "gmail.com",      "googlemail.com", "yahoo.com",    "yahoo.co.uk", "ymail.com",      "hotmail.com",
    "hotmail.co.uk",  "outlook.com",    "live.com",     "msn.com",     "aol.com",        "icloud.com",
    "me.com",         "mac.com",        "proton.me",    "protonmail.com", "gmx.com",     "gmx.de",
    "gmx.net",        "web.de",         "mail.com",     "yandex.com",  "yandex.ru",      "mail.ru",
    "qq.com",         "163.com",        "126.com",      "zoho.com",    "mailinator.com", "guerrillamail.com",
    "10minutemail.com", "tempmail.com"};

Type value_type(const Graph& graph, NodeIndex node) {
  return node == kNone ? Type::Error : graph.lead_nodes[static_cast<std::size_t>(node)].type;
}

Type result_type(const Graph& graph, const AccountAggregatePlan& plan) {
  switch (plan.kind) {
    case AggKind::Exists: return Type::Bool;
    case AggKind::Max:
    case AggKind::Min: return value_type(graph, plan.value);
    default: return Type::Number;
  }
}

// The value of one lead as a number (numbers and instants), or nothing when missing.
bool number_at(const ColumnView& v, Type type, std::size_t i, double& out) {
  if (!v.valid[i]) return false;
  out = type == Type::Instant ? static_cast<double>(v.time[i]) : v.num[i];
  return true;
}

// FNV-1a 64 over trimmed, ASCII-lower-cased text: equal for values the language calls equal.
std::uint64_t folded_hash(std::string_view text) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : text::trim(text)) {
    h ^= static_cast<unsigned char>(text::ascii_lower(c));
    h *= 1099511628211ULL;
  }
  return h;
}

// The hash of one lead's value for `distinct`, or nothing when it is missing.
bool distinct_hash(const ColumnView& v, Type type, std::size_t i, std::uint64_t& out) {
  if (type == Type::Bool || type == Type::Error || !v.valid[i]) return false;
  if (type == Type::String) {
    out = folded_hash(v.str[i]);
    return true;
  }
  std::uint64_t bits = 0;
  if (type == Type::Number) {
    const double x = v.num[i] == 0 ? 0.0 : v.num[i];  // -0 and 0 are one value
    std::memcpy(&bits, &x, sizeof bits);
  } else {
    std::memcpy(&bits, &v.time[i], sizeof bits);
  }
  out = bits * 0x9E3779B97F4A7C15ULL;
  return true;
}

}  // namespace

bool is_free_mail_domain(std::string_view domain) {
  const std::string d = text::normalize(domain);
  return std::find(kFreeMail.begin(), kFreeMail.end(), d) != kFreeMail.end();
}

AccountBuilder::AccountBuilder(const Graph& graph, std::size_t leads) : graph_(graph) {
  state_.group.assign(leads, -1);
}

void AccountBuilder::add_keys(const BatchState& batch, std::size_t first, std::size_t rows) {
  const ColumnView& key = batch.view(graph_.account_key);
  const StringSet* except =
      graph_.account_key_except >= 0 ? &graph_.lists[static_cast<std::size_t>(graph_.account_key_except)] : nullptr;
  for (std::size_t i = 0; i < rows; ++i) {
    const std::string_view k = key.valid[i] ? text::trim(key.str[i]) : std::string_view{};
    if (k.empty()) {
      ++state_.leads_without_key;
      continue;
    }
    if ((except && except->contains(k)) || (graph_.account_domain_key && is_free_mail_domain(k))) {
      ++state_.leads_excluded;
      continue;
    }
    const std::uint32_t account = account_of_key_.code_of(k);
    if (account == state_.keys.size()) state_.keys.emplace_back(k);
    state_.group[first + i] = static_cast<std::int32_t>(account);
  }
}

void AccountBuilder::group(const std::vector<std::string_view>* file_ids, const std::vector<Column>* file_fields) {
  state_.accounts = state_.keys.size();
  auto next = static_cast<std::int32_t>(state_.accounts);
  for (auto& g : state_.group)
    if (g < 0) g = next++;
  state_.groups = static_cast<std::size_t>(next);
  state_.leads_in.assign(state_.groups, 0);
  for (auto g : state_.group) ++state_.leads_in[static_cast<std::size_t>(g)];

  state_.file_row.assign(state_.accounts, -1);
  state_.fields.resize(graph_.account_field_used.size());
  if (file_ids) {
    std::vector<bool> used_row(file_ids->size(), false);
    for (std::size_t r = 0; r < file_ids->size(); ++r) {
      const std::uint32_t account = account_of_key_.find(text::trim((*file_ids)[r]));
      if (account == StringDictionary::kAbsent) continue;
      state_.file_row[account] = static_cast<std::int32_t>(r);
      used_row[r] = true;
    }
    state_.file_accounts_without_leads = static_cast<std::uint64_t>(std::count(used_row.begin(), used_row.end(), false));
    state_.accounts_not_in_file = static_cast<std::uint64_t>(std::count(state_.file_row.begin(), state_.file_row.end(), -1));
  }
  for (std::size_t f = 0; f < state_.fields.size(); ++f) {
    if (!file_fields || (*file_fields)[f].type == Type::Error) continue;
    const Column& from = (*file_fields)[f];
    Column& to = state_.fields[f];
    to.reset(from.type, state_.groups);
    for (std::size_t g = 0; g < state_.groups; ++g) {
      const std::int32_t row = g < state_.accounts ? state_.file_row[g] : -1;
      if (row < 0) set_missing(to, g);
      else copy_cell(to, g, from, static_cast<std::size_t>(row));
    }
  }
  const std::size_t n = graph_.account_aggregates.size();
  numbers_.assign(n, std::vector<double>(state_.groups, 0.0));
  seen_.assign(n, std::vector<std::uint32_t>(state_.groups, 0));
  top_.assign(n, {});
  distinct_.assign(n, {});
  for (std::size_t a = 0; a < n; ++a) {
    const auto& plan = graph_.account_aggregates[a];
    if (plan.kind == AggKind::Max) std::fill(numbers_[a].begin(), numbers_[a].end(), -std::numeric_limits<double>::infinity());
    if (plan.kind == AggKind::Min) std::fill(numbers_[a].begin(), numbers_[a].end(), std::numeric_limits<double>::infinity());
    if (plan.kind == AggKind::Top) top_[a].assign(state_.groups, {});
  }
}

void AccountBuilder::add_inputs(const BatchState& batch, std::size_t first, std::size_t rows) {
  for (std::size_t a = 0; a < graph_.account_aggregates.size(); ++a) {
    const auto& plan = graph_.account_aggregates[a];
    const std::int8_t* pass = plan.filter == kNone ? nullptr : batch.view(plan.filter).truth;
    const Type type = value_type(graph_, plan.value);
    const ColumnView value = plan.value == kNone ? ColumnView{} : batch.view(plan.value);
    auto& numbers = numbers_[a];
    auto& seen = seen_[a];
    for (std::size_t i = 0; i < rows; ++i) {
      if (pass && pass[i] != kTrue) continue;
      const auto g = static_cast<std::size_t>(state_.group[first + i]);
      double x = 0;
      switch (plan.kind) {
        case AggKind::Count:
        case AggKind::Exists: numbers[g] += 1; break;
        case AggKind::Distinct: {
          std::uint64_t h = 0;
          if (distinct_hash(value, type, i, h)) distinct_[a].emplace_back(static_cast<std::uint32_t>(g), h);
          break;
        }
        case AggKind::Max:
          if (number_at(value, type, i, x)) numbers[g] = std::max(numbers[g], x), ++seen[g];
          break;
        case AggKind::Min:
          if (number_at(value, type, i, x)) numbers[g] = std::min(numbers[g], x), ++seen[g];
          break;
        case AggKind::Sum:
        case AggKind::Avg:
          if (number_at(value, type, i, x)) numbers[g] += x, ++seen[g];
          break;
        case AggKind::Top:
          if (number_at(value, type, i, x)) {
            auto& best = top_[a][g];  // a min-heap of the k largest
            if (best.size() < static_cast<std::size_t>(plan.top)) {
              best.push_back(x);
              std::push_heap(best.begin(), best.end(), std::greater<>());
            } else if (x > best.front()) {
              std::pop_heap(best.begin(), best.end(), std::greater<>());
              best.back() = x;
              std::push_heap(best.begin(), best.end(), std::greater<>());
            }
          }
          break;
      }
    }
  }
}

AccountState AccountBuilder::finish() {
  state_.values.resize(graph_.account_aggregates.size());
  for (std::size_t a = 0; a < graph_.account_aggregates.size(); ++a) {
    const auto& plan = graph_.account_aggregates[a];
    Column& out = state_.values[a];
    out.reset(result_type(graph_, plan), state_.groups);
    const auto& numbers = numbers_[a];
    const auto& seen = seen_[a];
    for (std::size_t g = 0; g < state_.groups; ++g) {
      switch (plan.kind) {
        case AggKind::Count: out.num[g] = numbers[g]; out.valid[g] = 1; break;
        case AggKind::Exists: out.truth[g] = numbers[g] > 0 ? kTrue : kFalse; break;
        case AggKind::Sum: out.num[g] = numbers[g]; out.valid[g] = 1; break;
        case AggKind::Avg:
          out.valid[g] = seen[g] > 0;
          out.num[g] = seen[g] > 0 ? numbers[g] / seen[g] : 0.0;
          break;
        case AggKind::Max:
        case AggKind::Min:
          out.valid[g] = seen[g] > 0;
          if (out.type == Type::Instant) out.time[g] = seen[g] > 0 ? static_cast<std::int64_t>(numbers[g]) : 0;
          else out.num[g] = seen[g] > 0 ? numbers[g] : 0.0;
          break;
        case AggKind::Top: {
          double sum = 0;
          for (double x : top_[a][g]) sum += x;
          out.num[g] = sum;
          out.valid[g] = 1;
          break;
        }
        case AggKind::Distinct: out.num[g] = 0; out.valid[g] = 1; break;
      }
    }
    if (plan.kind == AggKind::Distinct) {
      auto& seen_values = distinct_[a];
      std::sort(seen_values.begin(), seen_values.end());
      const auto end = std::unique(seen_values.begin(), seen_values.end());
      for (auto it = seen_values.begin(); it != end; ++it) out.num[it->first] += 1;
    }
  }
  numbers_.clear();
  seen_.clear();
  top_.clear();
  distinct_.clear();
  return std::move(state_);
}

}  // namespace leadscore::engine

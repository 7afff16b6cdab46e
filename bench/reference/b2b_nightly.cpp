// The b2b-nightly job (../../../shared/bench/WORKLOAD.md) written by hand for this one ruleset: the
// single-purpose program that issue 17 measures leadscore against ("how close is the general engine
// to the limit"). It maps both files, parses each line once in a tight loop, keeps one row of nine
// counters per lead, and writes the same scores.csv as leadscore and the DuckDB reference.
//
//   b2b_nightly_reference LEADS.csv ACTIVITIES.csv OUT.csv [--as-of 2026-11-01T00:00:00Z] [--threads N]
//
// What it may assume, as a hand-written job would: the columns of the workload (found by header
// name), ISO dates and timestamps, `true`/`false` booleans. What it may not: the shape of lead ids
// (any text; a hash table maps them), the order of rows, clean quoting (RFC 4180 is parsed).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cctype>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "b2b_nightly_reference: %s\n", message.c_str());
  std::exit(1);
}

struct MappedFile {
  const char* data = nullptr;
  std::size_t size = 0;
  explicit MappedFile(const char* path) {
    const int fd = ::open(path, O_RDONLY);
    if (fd < 0) die(std::string("cannot open ") + path);
    struct stat st {};
    ::fstat(fd, &st);
    size = static_cast<std::size_t>(st.st_size);
    if (size > 0) {
      void* p = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p == MAP_FAILED) die(std::string("cannot map ") + path);
      ::madvise(p, size, MADV_SEQUENTIAL);
      data = static_cast<const char*>(p);
    }
    ::close(fd);
  }
  std::string_view view() const { return {data, size}; }
};

// One CSV record's fields, RFC 4180: a quoted field may hold commas, newlines and doubled quotes
// (unescaped into `scratch`). Returns the position after the record's newline.
struct Record {
  std::array<std::string_view, 16> field{};
  std::size_t count = 0;
  std::string scratch[16];
};

std::size_t parse_record(std::string_view text, std::size_t at, Record& r) {
  r.count = 0;
  for (;;) {
    std::string_view value;
    if (at < text.size() && text[at] == '"') {
      std::string& out = r.scratch[std::min<std::size_t>(r.count, 15)];
      out.clear();
      ++at;
      bool plain = true;
      std::size_t start = at;
      for (;;) {
        const std::size_t quote = text.find('"', at);
        if (quote == std::string_view::npos) die("unterminated quoted field");
        if (quote + 1 < text.size() && text[quote + 1] == '"') {
          out.append(text.data() + at, quote + 1 - at);
          at = quote + 2;
          plain = false;
          continue;
        }
        if (plain) value = text.substr(start, quote - start);
        else value = (out.append(text.data() + at, quote - at), std::string_view(out));
        at = quote + 1;
        break;
      }
    } else {
      std::size_t end = at;
      while (end < text.size() && text[end] != ',' && text[end] != '\n') ++end;
      value = text.substr(at, end - at);
      if (!value.empty() && value.back() == '\r') value.remove_suffix(1);
      at = end;
    }
    if (r.count < r.field.size()) r.field[r.count] = value;
    ++r.count;
    if (at >= text.size()) return at;
    if (text[at] == ',') {
      ++at;
      continue;
    }
    if (text[at] == '\r') ++at;
    return at + 1;  // '\n'
  }
}

std::size_t column(const Record& header, std::string_view name) {
  for (std::size_t i = 0; i < header.count && i < header.field.size(); ++i)
    if (header.field[i] == name) return i;
  die("no column " + std::string(name));
}

// Seconds since 1970 of `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SSZ`; nullopt when it is neither.
std::optional<std::int64_t> epoch_seconds(std::string_view t) {
  auto num = [&](std::size_t at, std::size_t len) {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() != 10 && t.size() != 20) return std::nullopt;
  const int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31 || t[4] != '-' || t[7] != '-') return std::nullopt;
  int hh = 0, mm = 0, ss = 0;
  if (t.size() == 20) {
    hh = num(11, 2), mm = num(14, 2), ss = num(17, 2);
    if (t[10] != 'T' || t[19] != 'Z' || hh < 0 || mm < 0 || ss < 0) return std::nullopt;
  }
  // Days from civil (Howard Hinnant's algorithm).
  const int yy = y - (m <= 2);
  const int era = (yy >= 0 ? yy : yy - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(yy - era * 400);
  const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + static_cast<std::int64_t>(doe) - 719468;
  return days * 86400 + hh * 3600 + mm * 60 + ss;
}

// Open addressing; a slot holds the id's hash, the lead and (up to 19 bytes) the id itself, so a
// lookup costs one cache line: no pointer to chase into the leads file and no memcmp call.
class IdTable {
 public:
  static constexpr std::uint32_t kEmpty = 0xffffffffu;

  explicit IdTable(std::size_t expected) {
    std::size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
  }
  // False when the id is already there (the first row wins, as in leadscore).
  bool insert(std::string_view id, std::uint32_t lead, const std::vector<std::string_view>& ids) {
    const std::uint64_t h = hash(id);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.lead == kEmpty) {
        s.hash = h;
        s.lead = lead;
        s.length = id.size() <= sizeof s.key ? static_cast<std::uint8_t>(id.size()) : kLong;
        if (s.length != kLong) std::memcpy(s.key, id.data(), id.size());
        return true;
      }
      if (s.hash == h && same(s, id, ids)) return false;
    }
  }
  std::uint32_t find(std::string_view id, std::uint64_t h, const std::vector<std::string_view>& ids) const {
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.lead == kEmpty || (s.hash == h && same(s, id, ids))) return s.lead;
    }
  }

  void prefetch(std::uint64_t h) const { __builtin_prefetch(&slots_[h & mask_]); }
  static std::uint64_t hash(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h ^ (h >> 29);
  }
 private:
  static constexpr std::uint8_t kLong = 0xff;  // the id is longer than `key`: compare with ids[lead]
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t lead = kEmpty;
    std::uint8_t length = 0;
    char key[19] = {};
  };
  static_assert(sizeof(Slot) == 32);

  static bool same(const Slot& s, std::string_view id, const std::vector<std::string_view>& ids) {
    if (s.length == kLong) return ids[s.lead] == id;
    if (s.length != id.size()) return false;
    for (std::size_t i = 0; i < id.size(); ++i)
      if (s.key[i] != id[i]) return false;
    return true;
  }
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

bool contains_lower(std::string_view lowered, std::string_view word) { return lowered.find(word) != std::string_view::npos; }

struct Lead {
  std::int16_t fit = 0;
  bool cpal = false;
};

Lead score_fit(const Record& r, const std::array<std::size_t, 8>& col) {
  static const std::array<std::string_view, 12> icp = {"US", "CA", "GB", "IE", "DE", "FR", "NL", "SE", "DK", "NO", "AU", "NZ"};
  static const std::array<std::string_view, 8> decision = {"vp",    "vice president", "director", "head of",
                                                            "chief", "founder",        "owner",    "president"};
  static const std::array<std::string_view, 4> free_mail = {"gmail.com", "yahoo.com", "hotmail.com", "outlook.com"};
  const auto [c_email, c_country, c_industry, c_employees, c_revenue, c_title, c_agency, c_verified] = col;
  auto f = [&](std::size_t c) { return c < r.count ? r.field[c] : std::string_view(); };
  int fit = 0;
  const std::string_view country = f(c_country);
  const bool icp_country = std::find(icp.begin(), icp.end(), country) != icp.end();
  if (icp_country) fit += 15;
  if (const auto e = f(c_employees); !e.empty()) {
    long long n = 0;
    if (std::from_chars(e.data(), e.data() + e.size(), n).ec == std::errc()) {
      if (n >= 5000) fit += 20;
      else if (n >= 200) fit += 10;
    }
  }
  const std::string_view industry = f(c_industry);
  if (industry == "Financial Services" || industry == "Banking" || industry == "Insurance") fit += 10;
  else if (industry == "Software") fit += 8;
  static std::string lowered;
  const std::string_view title = f(c_title);
  lowered.assign(title);
  for (char& ch : lowered) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const std::string_view lt(lowered);
  bool decision_maker = false;
  for (auto w : decision) decision_maker = decision_maker || contains_lower(lt, w);
  if (decision_maker) fit += 15;
  if (contains_lower(lt, "intern") || contains_lower(lt, "student")) fit -= 20;
  const std::string_view agency = f(c_agency);
  if (agency == "true") fit -= 30;
  bool revenue10m = false;
  if (const auto v = f(c_revenue); !v.empty()) {
    double x = 0;
    revenue10m = std::from_chars(v.data(), v.data() + v.size(), x).ec == std::errc() && x >= 10'000'000;
  }
  if (revenue10m) fit += 10;
  if (const auto email = f(c_email); !email.empty()) {
    const std::string_view domain = email.substr(email.rfind('@') + 1);
    char d[64];
    if (domain.size() <= sizeof d) {
      for (std::size_t i = 0; i < domain.size(); ++i) d[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(domain[i])));
      const std::string_view dl(d, domain.size());
      if (std::find(free_mail.begin(), free_mail.end(), dl) != free_mail.end()) fit -= 10;
    }
  }
  const bool cpal = icp_country && agency == "false" && revenue10m && decision_maker && f(c_verified) == "true";
  return {static_cast<std::int16_t>(fit), cpal};
}

// Per lead: demo30, pricing14, page30, web90, wp90, click30, careers30, unsub (ever), any60.
enum Counter { kDemo30, kPricing14, kPage30, kWeb90, kWp90, kClick30, kCareers30, kUnsub, kAny60, kCounters };
using Counts = std::array<std::uint32_t, kCounters>;

struct Windows {
  std::int64_t as_of, d14, d30, d60, d90;
};

// A timestamp as the workload writes them (`2026-10-02T00:00:00Z`): fixed width, so text order is
// time order and the window bounds compare as text, without converting each event's time.
bool iso_shaped(std::string_view t) {
  return t.size() == 20 && t[4] == '-' && t[7] == '-' && t[10] == 'T' && t[13] == ':' && t[16] == ':' && t[19] == 'Z';
}

std::string iso_text(std::int64_t seconds) {
  const std::int64_t days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400;
  const std::int64_t rest = seconds - days * 86400;
  // Civil from days (Howard Hinnant's algorithm).
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char out[128];  // room for any int64 the format could print
  std::snprintf(out, sizeof out, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
  return out;
}

// The window bounds as text, and the same time as seconds for the other spellings.
struct TextWindows {
  std::string as_of, d14, d30, d60, d90;
  explicit TextWindows(const Windows& w)
      : as_of(iso_text(w.as_of)), d14(iso_text(w.d14)), d30(iso_text(w.d30)), d60(iso_text(w.d60)), d90(iso_text(w.d90)) {}
};

// Which counters an event adds to, from its type and time alone (0: none, the lead need not be found).
// `T` is seconds, or the fixed-width text of the workload's timestamps.
template <class T>
unsigned counters_of(std::string_view type, const T& t, const T& as_of, const T& d14, const T& d30, const T& d60,
                     const T& d90) {
  if (!(t < as_of)) return 0;
  unsigned bits = t >= d60 ? 1u << kAny60 : 0u;
  switch (type.size()) {
    case 9:
      if (type == "page_view" && t >= d30) bits |= 1u << kPage30;
      break;
    case 11:
      if (type == "email_click" && t >= d30) bits |= 1u << kClick30;
      else if (type == "unsubscribe") bits |= 1u << kUnsub;
      break;
    case 12:
      if (type == "demo_request" && t >= d30) bits |= 1u << kDemo30;
      else if (type == "pricing_view" && t >= d14) bits |= 1u << kPricing14;
      else if (type == "careers_view" && t >= d30) bits |= 1u << kCareers30;
      break;
    case 16:
      if (type == "webinar_attended" && t >= d90) bits |= 1u << kWeb90;
      break;
    case 19:
      if (type == "whitepaper_download" && t >= d90) bits |= 1u << kWp90;
      break;
    default:
      break;
  }
  return bits;
}

unsigned counters_of(std::string_view type, std::string_view at, const Windows& w, const TextWindows& tw) {
  if (iso_shaped(at)) {
    return counters_of<std::string_view>(type, at, tw.as_of, tw.d14, tw.d30, tw.d60, tw.d90);
  }
  const auto t = epoch_seconds(at);
  return t ? counters_of<std::int64_t>(type, *t, w.as_of, w.d14, w.d30, w.d60, w.d90) : 0u;
}

// Splits a line without quotes at its commas; false when the line has a quote (parse it in full).
bool split_plain_line(std::string_view line, Record& r) {
  if (std::memchr(line.data(), '"', line.size())) return false;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  r.count = 0;
  for (;;) {
    const void* comma = std::memchr(line.data(), ',', line.size());
    const std::size_t len = comma ? static_cast<std::size_t>(static_cast<const char*>(comma) - line.data()) : line.size();
    if (r.count < r.field.size()) r.field[r.count] = line.substr(0, len);
    ++r.count;
    if (!comma) return true;
    line.remove_prefix(len + 1);
  }
}

// Events are handled kBatch at a time: parse and hash them all, prefetch their table slots, then
// find the leads and prefetch their counter rows, then count. The random reads of the table and the
// counters overlap instead of waiting one after another (the loop is memory-bound otherwise).
void count_events(std::string_view text, std::size_t begin, std::size_t end, const std::array<std::size_t, 3>& col,
                  const IdTable& table, const std::vector<std::string_view>& ids, const Windows& w,
                  std::vector<Counts>& counts) {
  constexpr std::size_t kBatch = 32;
  struct Pending {
    std::string id;  // a copy: the record's fields are reused by the next parse
    std::uint64_t hash = 0;
    unsigned bits = 0;
    std::uint32_t lead = 0;
  };
  std::array<Pending, kBatch> batch;
  Record r;
  const TextWindows tw(w);
  const auto [c_lead, c_type, c_at] = col;
  const std::size_t needed = std::max({c_lead, c_type, c_at});
  for (std::size_t at = begin; at < end;) {
    std::size_t n = 0;
    while (n < kBatch && at < end) {
      const void* nl = std::memchr(text.data() + at, '\n', end - at);
      const std::size_t line_end = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) : end;
      if (split_plain_line(text.substr(at, line_end - at), r)) at = line_end + 1;
      else at = parse_record(text, at, r);
      if (r.count <= needed) continue;
      const unsigned bits = counters_of(r.field[c_type], r.field[c_at], w, tw);
      if (bits == 0) continue;
      Pending& p = batch[n++];
      p.id.assign(r.field[c_lead]);
      p.hash = IdTable::hash(p.id);
      p.bits = bits;
      table.prefetch(p.hash);
    }
    for (std::size_t i = 0; i < n; ++i) {
      batch[i].lead = table.find(batch[i].id, batch[i].hash, ids);
      if (batch[i].lead != IdTable::kEmpty) __builtin_prefetch(&counts[batch[i].lead], 1);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (batch[i].lead == IdTable::kEmpty) continue;  // an orphan event
      Counts& c = counts[batch[i].lead];
      for (unsigned bits = batch[i].bits; bits; bits &= bits - 1) ++c[static_cast<std::size_t>(__builtin_ctz(bits))];
    }
  }
}

int interest_of(const Counts& c) {
  int v = 0;
  if (c[kDemo30] >= 1) v += 40;
  if (c[kPricing14] >= 2) v += 15;
  if (c[kPage30] > 15) v += 10;
  v += 5 * static_cast<int>(std::min<std::uint32_t>(c[kWeb90], 3));
  v += 3 * static_cast<int>(std::min<std::uint32_t>(c[kWp90], 3));
  if (c[kClick30] >= 3) v += 5;
  if (c[kCareers30] >= 1) v -= 15;
  if (c[kUnsub] >= 1) v -= 25;
  if (c[kAny60] == 0) v -= 10;
  return v;
}

// Split [begin, end) into `parts` ranges that start at a line start (records are one line each in
// this workload's activities file: no quoted newlines).
std::vector<std::size_t> line_cuts(std::string_view text, std::size_t begin, std::size_t end, int parts) {
  std::vector<std::size_t> cuts{begin};
  for (int p = 1; p < parts; ++p) {
    std::size_t at = begin + (end - begin) * static_cast<std::size_t>(p) / static_cast<std::size_t>(parts);
    at = std::max(at, cuts.back());
    const std::size_t nl = text.find('\n', at);
    cuts.push_back(nl == std::string_view::npos ? end : nl + 1);
  }
  cuts.push_back(end);
  return cuts;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::string as_of_text = "2026-11-01T00:00:00Z";
  int threads = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--as-of" && i + 1 < argc) as_of_text = argv[++i];
    else if (a == "--threads" && i + 1 < argc) threads = std::max(1, std::atoi(argv[++i]));
    else positional.push_back(a);
  }
  if (positional.size() != 3) die("usage: b2b_nightly_reference LEADS.csv ACTIVITIES.csv OUT.csv [--as-of T] [--threads N]");
  const auto as_of = epoch_seconds(as_of_text);
  if (!as_of) die("--as-of takes YYYY-MM-DDTHH:MM:SSZ");
  const Windows windows{*as_of, *as_of - 14 * 86400, *as_of - 30 * 86400, *as_of - 60 * 86400, *as_of - 90 * 86400};

  // Leads: fit and cpal as each row is read.
  const MappedFile leads_file(positional[0].c_str());
  const std::string_view leads_text = leads_file.view();
  Record header;
  std::size_t at = parse_record(leads_text, 0, header);
  const std::size_t c_id = column(header, "lead_id");
  const std::array<std::size_t, 8> lead_cols = {column(header, "email"),          column(header, "country"),
                                                column(header, "industry"),       column(header, "employees"),
                                                column(header, "annual_revenue"), column(header, "title"),
                                                column(header, "is_agency"),      column(header, "email_verified")};
  const std::size_t newlines = static_cast<std::size_t>(std::count(leads_text.begin(), leads_text.end(), '\n'));
  std::vector<std::string_view> ids;
  std::vector<Lead> leads;
  std::deque<std::string> unescaped_ids;  // ids with doubled quotes: not views into the file
  ids.reserve(newlines);
  leads.reserve(newlines);
  IdTable table(newlines);
  Record r;
  while (at < leads_text.size()) {
    at = parse_record(leads_text, at, r);
    if (r.count <= c_id || r.field[c_id].empty()) continue;
    std::string_view id = r.field[c_id];
    if (id.data() < leads_text.data() || id.data() >= leads_text.data() + leads_text.size())
      id = unescaped_ids.emplace_back(id);  // unescaped into the record's scratch: keep a copy
    if (!table.insert(id, static_cast<std::uint32_t>(ids.size()), ids)) continue;  // a duplicate id
    ids.push_back(id);
    leads.push_back(score_fit(r, lead_cols));
  }

  // Activities: one row of counters per lead and thread, summed at the end.
  const MappedFile acts_file(positional[1].c_str());
  const std::string_view acts_text = acts_file.view();
  Record acts_header;
  const std::size_t body = parse_record(acts_text, 0, acts_header);
  const std::array<std::size_t, 3> act_cols = {column(acts_header, "lead_id"), column(acts_header, "type"),
                                               column(acts_header, "occurred_at")};
  const auto cuts = line_cuts(acts_text, body, acts_text.size(), threads);
  std::vector<std::vector<Counts>> counts(static_cast<std::size_t>(threads), std::vector<Counts>(ids.size(), Counts{}));
  {
    std::vector<std::thread> pool;
    for (int p = 1; p < threads; ++p)
      pool.emplace_back([&, p] {
        count_events(acts_text, cuts[static_cast<std::size_t>(p)], cuts[static_cast<std::size_t>(p) + 1], act_cols,
                     table, ids, windows, counts[static_cast<std::size_t>(p)]);
      });
    count_events(acts_text, cuts[0], cuts[1], act_cols, table, ids, windows, counts[0]);
    for (auto& t : pool) t.join();
  }
  for (std::size_t p = 1; p < counts.size(); ++p)
    for (std::size_t l = 0; l < ids.size(); ++l)
      for (int k = 0; k < kCounters; ++k) counts[0][l][static_cast<std::size_t>(k)] += counts[p][l][static_cast<std::size_t>(k)];

  // Output, in input order.
  std::string out = "lead_id,fit,interest,score,cpal,mql,quadrant\n";
  out.reserve(ids.size() * 40);
  char number[16];
  auto put = [&](int v) {
    auto [end, ec] = std::to_chars(number, number + sizeof number, v);
    out.append(number, static_cast<std::size_t>(end - number));
  };
  for (std::size_t l = 0; l < ids.size(); ++l) {
    const int fit = leads[l].fit, interest = interest_of(counts[0][l]);
    const bool hot_fit = fit >= 40, hot_interest = interest >= 30;
    out += ids[l];  // ids of this workload need no quoting
    out += ',';
    put(fit);
    out += ',';
    put(interest);
    out += ',';
    put(fit + interest);
    out += leads[l].cpal ? ",true," : ",false,";
    out += leads[l].cpal && hot_fit && hot_interest ? "true," : "false,";
    out += hot_fit && hot_interest ? "hot\n" : hot_fit ? "nurture\n" : hot_interest ? "fan\n" : "drop\n";
  }
  std::FILE* f = std::fopen(positional[2].c_str(), "wb");
  if (!f || std::fwrite(out.data(), 1, out.size(), f) != out.size() || std::fclose(f) != 0)
    die("cannot write " + positional[2]);
  return 0;
}

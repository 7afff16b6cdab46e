// gen_b2b_nightly: deterministic data generator for the "b2b-nightly" benchmark workload
// (see ../shared/bench/WORKLOAD.md and ../bench/README.md).
//
//   gen_b2b_nightly --leads N [--seed S] [--accounts] --out DIR
//
// writes DIR/leads.csv and DIR/activities.csv. --accounts adds an account_id column (A + 8 digits)
// as the last column of leads.csv, for account-based scoring: about 5 leads per account on average
// (Poisson-like counts, and 1% of the accounts with ~55 leads each), ~8% of leads with an empty
// account_id. It draws from its own PRNG stream, so every other byte is the same as without it. The same N and seed give byte-identical files on
// every platform: the PRNG is our own (splitmix64 + xoshiro256**), integers are drawn without the
// standard library's distributions, and the only floating-point work is +, -, *, / and our own
// exp() (no libm transcendental whose last bit may differ between C libraries).
//
// What the files hold beyond WORKLOAD.md, on purpose (both engines must agree on all of it):
// - events exactly on the 14/30/60/90/180-day window boundaries (included) and one second outside;
// - events at and after the as-of instant 2026-11-01T00:00:00Z (never seen by any rule);
// - ~0.5% orphan events (lead ids not in leads.csv);
// - employees exactly 199/200/4999/5000 and revenue exactly 9999999.99/10000000/10000000.01;
// - titles that need RFC 4180 quoting (commas, one with doubled quotes), non-ASCII titles, and
//   substring traps ("International ..." contains "intern", "Product Owner" contains "owner");
// - ~1% empty titles, mixed-case e-mail addresses; url empty for most email_open events.
// Never emitted: emails without '@', values with leading/trailing spaces, empty lead_id/type/
// occurred_at, quoted empty cells.

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")  // no FMA: results must not depend on the target CPU
#endif

namespace {

using u64 = std::uint64_t;
using u32 = std::uint32_t;
__extension__ using u128 = unsigned __int128;

// ---------------------------------------------------------------- PRNG (fixed algorithms)
u64 splitmix64(u64& x) {
  u64 z = (x += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

struct Rng {  // xoshiro256**
  u64 s[4];
  explicit Rng(u64 seed) {
    for (auto& w : s) w = splitmix64(seed);
  }
  static u64 rotl(u64 x, int k) { return (x << k) | (x >> (64 - k)); }
  u64 next() {
    const u64 r = rotl(s[1] * 5, 7) * 9;
    const u64 t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return r;
  }
  // uniform in [0, n) (Lemire's multiply-high; the bias is < n / 2^64)
  u64 below(u64 n) { return static_cast<u64>((static_cast<u128>(next()) * n) >> 64); }
  u64 range(u64 lo, u64 hi) { return lo + below(hi - lo + 1); }  // inclusive
  double uni() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  bool chance(u32 per_million) { return below(1000000) < per_million; }
  // approximately standard normal: Irwin-Hall sum of 12 uniforms (exact IEEE arithmetic)
  double normal() {
    double s = 0;
    for (int i = 0; i < 12; ++i) s += uni();
    return s - 6.0;
  }
};

// exp() with only +, -, *, / and ldexp: bit-identical everywhere (IEEE doubles, no contraction).
double det_exp(double x) {
  constexpr double ln2 = 0.693147180559945309417232121458;
  const double k = std::floor(x / ln2 + 0.5);
  const double r = x - k * ln2;  // |r| <= ~0.35
  double p = 1.0, term = 1.0;
  for (int i = 1; i <= 16; ++i) {
    term = term * r / i;
    p = p + term;
  }
  return std::ldexp(p, static_cast<int>(k));
}

// ---------------------------------------------------------------- weighted choice
struct Weighted {
  std::vector<std::string_view> values;
  std::vector<u32> cum;
  Weighted(std::initializer_list<std::pair<std::string_view, u32>> items) {
    u32 t = 0;
    for (auto& [v, w] : items) {
      values.push_back(v);
      cum.push_back(t += w);
    }
  }
  std::size_t pick_index(Rng& r) const {
    const u64 x = r.below(cum.back());
    std::size_t i = 0;
    while (cum[i] <= x) ++i;
    return i;
  }
  std::string_view pick(Rng& r) const { return values[pick_index(r)]; }
};

// ---------------------------------------------------------------- output buffer
class Out {
 public:
  explicit Out(const std::filesystem::path& p) : path_(p.string()) {
    f_ = std::fopen(path_.c_str(), "wb");
    if (!f_) fail("cannot create");
    buf_.reserve(kCap + 4096);
  }
  ~Out() {
    if (f_) std::fclose(f_);
  }
  std::string& buf() { return buf_; }
  void maybe_flush() {
    if (buf_.size() >= kCap) flush();
  }
  void flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) fail("cannot write");
    bytes_ += buf_.size();
    buf_.clear();
  }
  u64 close() {
    flush();
    if (std::fclose(f_) != 0) fail("cannot close");
    f_ = nullptr;
    return bytes_;
  }

 private:
  static constexpr std::size_t kCap = std::size_t{8} << 20;
  [[noreturn]] void fail(const char* what) {
    fmt::print(stderr, "gen_b2b_nightly: {} {}: {}\n", what, path_, std::strerror(errno));
    std::exit(1);
  }
  std::string path_;
  std::FILE* f_ = nullptr;
  std::string buf_;
  u64 bytes_ = 0;
};

void put_uint(std::string& b, u64 v) {
  char tmp[24];
  auto [end, ec] = std::to_chars(tmp, tmp + sizeof tmp, v);
  b.append(tmp, end);
}
void put_padded(std::string& b, u64 v, int width) {
  char tmp[24];
  int n = 0;
  do {
    tmp[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  for (int i = n; i < width; ++i) b.push_back('0');
  while (n) b.push_back(tmp[--n]);
}
void put_lead_id(std::string& b, u64 id) {
  b.push_back('L');
  put_padded(b, id, 8);
}
void put_csv(std::string& b, std::string_view s) {  // RFC 4180: quote only when needed
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    b.append(s);
    return;
  }
  b.push_back('"');
  for (char c : s) {
    if (c == '"') b.push_back('"');
    b.push_back(c);
  }
  b.push_back('"');
}

// ---------------------------------------------------------------- calendar (proleptic Gregorian, UTC)
struct Civil {
  int y;
  unsigned m, d;
};
Civil civil_from_days(std::int64_t z) {  // H. Hinnant's algorithm
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), m, d};
}
void put_date(std::string& b, std::int64_t days) {
  const Civil c = civil_from_days(days);
  put_padded(b, static_cast<u64>(c.y), 4);
  b.push_back('-');
  put_padded(b, c.m, 2);
  b.push_back('-');
  put_padded(b, c.d, 2);
}
void put_timestamp(std::string& b, std::int64_t t) {
  const std::int64_t days = (t >= 0 ? t : t - 86399) / 86400;
  const std::int64_t sec = t - days * 86400;
  put_date(b, days);
  b.push_back('T');
  put_padded(b, static_cast<u64>(sec / 3600), 2);
  b.push_back(':');
  put_padded(b, static_cast<u64>(sec / 60 % 60), 2);
  b.push_back(':');
  put_padded(b, static_cast<u64>(sec % 60), 2);
  b.push_back('Z');
}

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kAsOfDays = 20758;  // 2026-11-01
constexpr std::int64_t kAsOf = kAsOfDays * kDay;  // 2026-11-01T00:00:00Z

// ---------------------------------------------------------------- lead attributes
const Weighted kCountries{
    {"US", 3500}, {"GB", 700}, {"DE", 600}, {"CA", 450}, {"FR", 400}, {"IN", 400}, {"AU", 300},
    {"NL", 250},  {"BR", 250}, {"ES", 200}, {"IT", 200}, {"SE", 150}, {"JP", 150}, {"SG", 120},
    {"IE", 120},  {"CH", 120}, {"DK", 100}, {"PL", 100}, {"MX", 100}, {"NO", 90},  {"BE", 90},
    {"NZ", 80},   {"AT", 80},  {"IL", 80},  {"FI", 70},  {"ZA", 70},  {"AE", 70},  {"CN", 60},
    {"KR", 60},   {"PT", 60},  {"AR", 50},  {"CO", 50},  {"CL", 40},  {"CZ", 40},  {"RO", 40},
    {"HK", 40},   {"TR", 40},  {"PH", 40},  {"NG", 30},  {"EG", 30}};

const Weighted kIndustries{
    {"Software", 1800},  {"Manufacturing", 800},         {"Financial Services", 700},
    {"Retail", 700},     {"Healthcare", 700},            {"Consulting", 600},
    {"Education", 500},  {"Marketing & Advertising", 500}, {"Banking", 400},
    {"Insurance", 400},  {"Telecommunications", 400},    {"Media & Entertainment", 400},
    {"Government", 300}, {"Real Estate", 300},           {"Logistics", 300},
    {"Energy", 250},     {"Hospitality", 250},           {"Oil, Gas & Mining", 200},
    {"Non-Profit", 200}, {"Automotive", 200},            {"Pharmaceuticals", 200}};

const Weighted kTitles{
    // decision makers (substring of vp / vice president / director / head of / chief / founder / owner / president)
    {"VP Marketing", 300}, {"VP, Marketing", 120}, {"SVP Sales", 80}, {"vp engineering", 40},
    {"Vice President, Finance", 80}, {"Director of Sales Operations", 200},
    {"Director, Demand Generation", 120}, {"Marketing Director", 200}, {"Managing Director", 120},
    {"Regional Sales Director", 100}, {"Head of Growth", 200}, {"Head of Growth, EMEA", 60},
    {"Head of IT, Infrastructure", 60}, {"Chief Revenue Officer", 100},
    {"Chief Technology Officer", 80}, {"Chief Marketing Officer", 80}, {"Chief of Staff", 40},
    {"Chief \"Happiness\" Officer", 10}, {"Founder & CEO", 120}, {"Co-Founder", 80},
    {"Owner/Operator", 40}, {"Business Owner", 60}, {"Product Owner", 80}, {"President", 50},
    // no keyword (CEO/CTO do not contain any of the words)
    {"CEO", 60}, {"CTO", 50}, {"Marketing Manager", 500}, {"Senior Marketing Manager", 200},
    {"Marketing Coordinator", 200}, {"Growth Marketer", 150}, {"Account Executive", 350},
    {"Sales Development Representative", 300}, {"Sales Manager, DACH", 60},
    {"Customer Success Manager", 200}, {"Software Engineer", 400}, {"Senior Software Engineer", 250},
    {"DevOps Engineer", 120}, {"Engineering Manager", 150}, {"Data Analyst", 200},
    {"Data Scientist", 120}, {"Product Manager", 250}, {"Solutions Architect", 100},
    {"IT Manager", 150}, {"Systems Administrator", 100}, {"Business Analyst", 150},
    {"Financial Analyst", 100}, {"Controller", 60}, {"Accountant", 80}, {"Consultant", 150},
    {"Senior Consultant", 100}, {"Partner", 40}, {"Operations Manager", 150}, {"Recruiter", 80},
    {"HR Generalist", 60}, {"Executive Assistant", 60}, {"Office Manager", 60}, {"Teacher", 40},
    {"Freelancer", 60}, {"Board Member", 20}, {"Geschäftsführer", 40}, {"Directeur Général", 20},
    {"Procurement Specialist", 60},
    // intern / student (and traps: "International ..." and "Internal ..." contain "intern")
    {"Marketing Intern", 120}, {"Research Intern", 40}, {"Student", 120}, {"PhD Student", 40},
    {"Graduate Student", 30}, {"International Account Manager", 60}, {"Internal Auditor", 30}};

const Weighted kSources{{"paid_search", 2000}, {"organic", 2500}, {"social", 1200}, {"email", 1200},
                        {"referral", 800},     {"event", 700},    {"partner", 600}, {"direct", 1000}};

const Weighted kFreeMail{{"gmail.com", 44}, {"outlook.com", 24}, {"yahoo.com", 20}, {"hotmail.com", 12}};

constexpr std::array kFirst{"james", "mary",  "john",   "patricia", "robert", "jennifer", "michael", "linda",
                            "david", "sarah", "wei",    "priya",    "ahmed",  "fatima",   "lukas",   "sofia",
                            "noah",  "emma",  "liam",   "olivia",   "mateo",  "yuki",     "hans",    "ingrid",
                            "pierre", "chloe", "raj",   "ana",      "omar",   "lea",      "erik",    "nina"};
constexpr std::array kLast{"smith",  "johnson", "williams", "brown",   "jones",  "garcia", "miller",  "davis",
                           "martin", "muller",  "schmidt",  "dubois",  "rossi",  "tanaka", "kim",     "nguyen",
                           "patel",  "singh",   "khan",     "silva",   "larsen", "jansen", "obrien",  "walsh",
                           "lopez",  "wilson",  "anderson", "taylor",  "thomas", "moore",  "jackson", "white"};
constexpr std::array kCoA{"north", "blue",  "acme",  "bright", "iron",  "cloud", "data",  "green", "summit",
                          "alpha", "river", "quant", "nova",   "pixel", "core",  "atlas", "zen",   "vertex",
                          "delta", "orbit", "peak",  "silver", "rapid", "true",  "open",  "smart", "prime"};
constexpr std::array kCoB{"wind", "labs", "soft",  "works", "bank",  "point", "logic", "stack", "bridge",
                          "forge", "line", "scale", "sys",  "mark",  "wave",  "base",  "path",  "gate"};
constexpr std::array kTld{".com", ".com", ".com", ".io", ".co.uk", ".de", ".fr", ".net", ".ca", ".com.au"};

void put_email(std::string& b, Rng& r) {
  const std::size_t start = b.size();
  const std::string_view f = kFirst[r.below(kFirst.size())];
  const std::string_view l = kLast[r.below(kLast.size())];
  switch (r.below(5)) {
    case 0: b.append(f).append(".").append(l); break;
    case 1: b.append(f.substr(0, 1)).append(l); break;
    case 2: b.append(f).append("_").append(l); break;
    case 3: b.append(f).append(l.substr(0, 1)); put_uint(b, r.below(1000)); break;
    default: b.append(f).append(".").append(l); put_uint(b, r.range(1, 99)); break;
  }
  if (r.chance(20000)) b.append("+news");
  b.push_back('@');
  if (r.below(100) < 25) {
    b.append(kFreeMail.pick(r));
  } else {
    b.append(kCoA[r.below(kCoA.size())]);
    if (r.below(3) == 0) b.push_back('-');
    b.append(kCoB[r.below(kCoB.size())]);
    b.append(kTld[r.below(kTld.size())]);
  }
  if (r.chance(15000)) {  // ~1.5%: mixed case (domain matching is case-insensitive in both engines)
    b[start] = static_cast<char>(b[start] - 'a' + 'A');
    const std::size_t at = b.rfind('@');
    if (b[at + 1] >= 'a' && b[at + 1] <= 'z') b[at + 1] = static_cast<char>(b[at + 1] - 'a' + 'A');
  }
}

void put_revenue(std::string& b, Rng& r, double rev) {
  if (r.chance(2000)) {  // boundary values around the 10M threshold
    constexpr std::array kEdge{"9999999.99", "10000000", "10000000.01", "10000000.00"};
    b.append(kEdge[r.below(kEdge.size())]);
    return;
  }
  if (rev < 10000.0) rev = 10000.0;
  if (rev > 5e9) rev = 5e9;
  u64 cents = static_cast<u64>(rev * 100.0 + 0.5);
  const u64 style = r.below(100);
  if (style < 35) cents = (cents + 50000) / 100000 * 100000;  // whole thousands
  else if (style < 50) cents = (cents + 50) / 100 * 100;      // whole dollars
  put_uint(b, cents / 100);
  const u64 c = cents % 100;
  if (c != 0) {  // up to 2 decimals, no trailing zero
    b.push_back('.');
    b.push_back(static_cast<char>('0' + c / 10));
    if (c % 10) b.push_back(static_cast<char>('0' + c % 10));
  }
}

// The account_id of --accounts: about 5 leads per account, 1% of the accounts much bigger (~55
// leads), ~8% of leads without an account. Own PRNG stream: the other columns stay the same.
void put_account(std::string& b, Rng& r, u64 accounts) {
  if (r.chance(80000)) return;
  const u64 big = accounts / 100 + 1;
  const u64 index = r.below(10) == 0 ? r.below(big) : r.below(accounts);
  b.push_back('A');
  put_padded(b, index + 1, 8);
}

u64 write_leads(const std::filesystem::path& path, u64 n, u64 seed, bool with_accounts) {
  Out out(path);
  Rng r(seed ^ 0x6C656164735F3031ULL);
  Rng account_rng(seed ^ 0x6163636F756E7473ULL);
  const u64 accounts = std::max<u64>(1, n * 92 / 500);
  std::string& b = out.buf();
  b.append("lead_id,email,country,industry,employees,annual_revenue,title,is_agency,email_verified,source,created_at");
  b.append(with_accounts ? ",account_id\n" : "\n");
  for (u64 i = 1; i <= n; ++i) {
    put_lead_id(b, i);
    b.push_back(',');
    put_email(b, r);
    b.push_back(',');
    if (!r.chance(20000)) b.append(kCountries.pick(r));
    b.push_back(',');
    if (!r.chance(30000)) put_csv(b, kIndustries.pick(r));
    b.push_back(',');
    // latent company size: log-normal, median ~150, clamped to [1, 200000]
    double emp = det_exp(5.0 + 2.2 * r.normal());
    if (emp < 1.0) emp = 1.0;
    if (emp > 200000.0) emp = 200000.0;
    u64 emp_i = static_cast<u64>(emp);
    if (r.chance(2000)) {
      constexpr std::array<u64, 4> kEdge{199, 200, 4999, 5000};
      emp_i = kEdge[r.below(4)];
    }
    if (!r.chance(30000)) put_uint(b, emp_i);
    b.push_back(',');
    // revenue ~ employees x log-normal revenue per employee (median 150k)
    const double rev = static_cast<double>(emp_i) * det_exp(11.9 + 0.8 * r.normal());
    if (!r.chance(50000)) put_revenue(b, r, rev);
    b.push_back(',');
    if (!r.chance(10000)) put_csv(b, kTitles.pick(r));
    b.push_back(',');
    b.append(r.chance(80000) ? "true" : "false");
    b.push_back(',');
    b.append(r.chance(850000) ? "true" : "false");
    b.push_back(',');
    b.append(kSources.pick(r));
    b.push_back(',');
    put_date(b, kAsOfDays - static_cast<std::int64_t>(r.range(1, 730)));
    if (with_accounts) {
      b.push_back(',');
      put_account(b, account_rng, accounts);
    }
    b.push_back('\n');
    out.maybe_flush();
  }
  return out.close();
}

// ---------------------------------------------------------------- activities
enum Type : std::uint8_t {
  kPageView, kPricingView, kDemoRequest, kWebinar, kWhitepaper, kEmailOpen, kEmailClick, kCareers, kUnsub, kTypes
};
constexpr std::array<std::string_view, kTypes> kTypeNames{
    "page_view", "pricing_view", "demo_request", "webinar_attended", "whitepaper_download",
    "email_open", "email_click", "careers_view", "unsubscribe"};

struct TypeMix {
  std::array<u32, kTypes> cum{};
  explicit TypeMix(std::array<u32, kTypes> w) {
    u32 t = 0;
    for (int i = 0; i < kTypes; ++i) cum[i] = t += w[i];
  }
  std::uint8_t pick(Rng& r) const {
    const u64 x = r.below(cum.back());
    std::uint8_t i = 0;
    while (cum[i] <= x) ++i;
    return i;
  }
};
//                                 page  pricing demo webinar wp  open  click careers unsub
const TypeMix kMixNormal{{5600, 450, 40, 250, 350, 2100, 900, 30, 25}};
const TypeMix kMixIntent{{4300, 1600, 300, 500, 500, 1500, 1200, 20, 10}};
const TypeMix kMixJobSeeker{{5000, 200, 10, 100, 100, 1500, 500, 1500, 20}};

struct UrlTable {
  std::vector<std::string> urls;
  std::array<u32, kTypes> first{}, count{};
  UrlTable() {
    auto add_type = [&](Type t, std::vector<std::string> v) {
      first[t] = static_cast<u32>(urls.size());
      count[t] = static_cast<u32>(v.size());
      for (auto& s : v) urls.push_back(std::move(s));
    };
    constexpr std::array kSlugs{"pipeline-hygiene", "lead-scoring-101", "abm-playbook", "revops-metrics",
                                "intent-data", "sales-marketing-sla", "churn-signals", "pricing-pages",
                                "webinar-recap-q3", "crm-migration", "attribution-models", "data-quality"};
    std::vector<std::string> page{"/", "/", "/", "/product", "/product/scoring", "/product/integrations",
                                  "/customers", "/about", "/security", "/careers", "/contact"};
    for (auto s : kSlugs) page.push_back(std::string("/blog/") + s);
    for (auto s : kSlugs) page.push_back(std::string("/docs/") + s);
    add_type(kPageView, page);
    add_type(kPricingView, {"/pricing", "/pricing", "/pricing/enterprise", "/pricing?plan=team"});
    add_type(kDemoRequest, {"/demo", "/contact-sales"});
    std::vector<std::string> web, wp, click;
    for (auto s : kSlugs) web.push_back(std::string("/webinars/") + s);
    for (auto s : kSlugs) wp.push_back(std::string("/resources/") + s + ".pdf");
    for (auto s : kSlugs) click.push_back(std::string("/blog/") + s + "?utm_source=newsletter&utm_medium=email");
    add_type(kWebinar, web);
    add_type(kWhitepaper, wp);
    add_type(kEmailOpen, {""});
    add_type(kEmailClick, click);
    add_type(kCareers, {"/careers", "/careers/account-executive", "/careers/software-engineer"});
    add_type(kUnsub, {"/unsubscribe", ""});
    urls.push_back("");  // the empty url, any type
  }
  u32 empty() const { return static_cast<u32>(urls.size() - 1); }
};

struct Event {
  u32 lead;      // 1-based lead number (orphans: > N)
  std::uint8_t type;
  std::uint16_t url;
  std::int32_t t;  // seconds relative to the as-of instant (negative: before)
};

u64 event_count(Rng& r) {  // heavy-tailed, mean ~20
  const u64 u = r.below(1000);
  if (u < 420) return r.below(4);                                              // 0..3
  if (u < 960) return 4 + static_cast<u64>(det_exp(2.45 + 0.75 * r.normal()));  // typical
  double h = det_exp(5.0 + 0.8 * r.normal());                                   // some with hundreds
  if (h > 3000.0) h = 3000.0;
  return 30 + static_cast<u64>(h);
}

struct Counts {
  u64 events = 0, orphans = 0, special = 0, bytes = 0;
};

Counts write_activities(const std::filesystem::path& path, u64 n, u64 seed) {
  Out out(path);
  Rng r(seed ^ 0x61637469766974ULL);
  const UrlTable urls;
  Counts c;
  std::string& b = out.buf();
  b.append("lead_id,type,occurred_at,url\n");

  // leads are visited in a random order, and each chunk's events are shuffled: rows are not sorted
  std::vector<u32> order(n);
  for (u64 i = 0; i < n; ++i) order[i] = static_cast<u32>(i + 1);
  for (u64 i = n; i > 1; --i) std::swap(order[i - 1], order[r.below(i)]);

  constexpr u64 kChunk = 8192;
  std::vector<Event> ev;
  ev.reserve(kChunk * 40);
  constexpr std::array<std::int64_t, 5> kWindows{14, 30, 60, 90, 180};
  for (u64 start = 0; start < n; start += kChunk) {
    ev.clear();
    const u64 end = std::min(n, start + kChunk);
    for (u64 k = start; k < end; ++k) {
      const u32 lead = order[k];
      const u64 cnt = event_count(r);
      const u64 profile = r.below(100);
      const TypeMix& mix = profile < 12 ? kMixIntent : profile < 15 ? kMixJobSeeker : kMixNormal;
      const bool quiet = r.below(100) < 30;  // nothing in the last 60 days
      for (u64 e = 0; e < cnt; ++e) {
        Event x{};
        x.lead = lead;
        x.type = mix.pick(r);
        std::int64_t age;  // seconds before as-of, 1 .. 180 days
        if (r.chance(2000)) {  // ~0.2%: exactly on a window boundary, or one second outside it
          const std::int64_t w = kWindows[r.below(kWindows.size())] * kDay;
          age = r.below(2) ? w : w + 1;
          if (age > 180 * kDay) age = 180 * kDay;
          ++c.special;
        } else if (r.chance(1000)) {  // ~0.1%: at or after the as-of instant: never seen
          age = r.below(2) ? 0 : -static_cast<std::int64_t>(r.range(1, 30 * kDay));
          ++c.special;
        } else if (quiet) {
          age = 60 * kDay + static_cast<std::int64_t>(r.range(1, 120 * kDay));
        } else {
          const double u = r.uni();
          age = 1 + static_cast<std::int64_t>(u * u * static_cast<double>(180 * kDay - 1));  // recent-heavy
        }
        x.t = static_cast<std::int32_t>(-age);
        x.url = static_cast<std::uint16_t>(r.chance(30000) ? urls.empty()
                                                           : urls.first[x.type] + r.below(urls.count[x.type]));
        ev.push_back(x);
        if (r.chance(5000)) {  // ~0.5% orphans: lead ids that are not in leads.csv
          Event o = x;
          o.lead = static_cast<u32>(n + 1 + r.below(n));
          ev.push_back(o);
          ++c.orphans;
        }
      }
    }
    for (std::size_t i = ev.size(); i > 1; --i) std::swap(ev[i - 1], ev[r.below(i)]);
    for (const Event& x : ev) {
      put_lead_id(b, x.lead);
      b.push_back(',');
      b.append(kTypeNames[x.type]);
      b.push_back(',');
      put_timestamp(b, kAsOf + x.t);
      b.push_back(',');
      b.append(urls.urls[x.url]);
      b.push_back('\n');
      out.maybe_flush();
    }
    c.events += ev.size();
  }
  c.bytes = out.close();
  return c;
}

[[noreturn]] void usage() {
  fmt::print(stderr, "usage: gen_b2b_nightly --leads N [--seed S] [--accounts] --out DIR\n");
  std::exit(2);
}

u64 parse_u64(const char* s) {
  u64 v = 0;
  const char* e = s + std::strlen(s);
  auto [p, ec] = std::from_chars(s, e, v);
  if (ec != std::errc{} || p != e) usage();
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  u64 n = 0, seed = 42;
  const char* out = nullptr;
  bool have_n = false, with_accounts = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--accounts") {
      with_accounts = true;
      continue;
    }
    if (i + 1 >= argc) usage();
    if (a == "--leads") n = parse_u64(argv[++i]), have_n = true;
    else if (a == "--seed") seed = parse_u64(argv[++i]);
    else if (a == "--out") out = argv[++i];
    else usage();
  }
  if (!have_n || !out || n == 0) usage();
  if (n > 49'999'999) {  // lead ids (and orphan ids up to 2N) must fit "L" + 8 digits
    fmt::print(stderr, "gen_b2b_nightly: --leads must be at most 49999999\n");
    return 2;
  }
  const auto t0 = std::chrono::steady_clock::now();
  const std::filesystem::path dir(out);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    fmt::print(stderr, "gen_b2b_nightly: cannot create {}: {}\n", dir.string(), ec.message());
    return 1;
  }
  const u64 lead_bytes = write_leads(dir / "leads.csv", n, seed, with_accounts);
  const Counts c = write_activities(dir / "activities.csv", n, seed);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  fmt::print(stderr,
             "gen_b2b_nightly: {} leads ({:.1f} MB), {} events ({:.1f} MB; {} orphan, {} on a window "
             "boundary or at/after as-of), seed {}, {:.2f} s\n",
             n, lead_bytes / 1e6, c.events, c.bytes / 1e6, c.orphans, c.special, seed, secs);
  return 0;
}

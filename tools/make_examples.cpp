// make_examples: writes the synthetic example data sets used by rules/examples/*.rules.
//
//   make_examples --out rules/examples/data --seed 42
//
// writes OUT/b2b-saas/{leads,activities}.csv, OUT/product-led/..., OUT/enterprise/... and
// OUT/abm/{accounts,leads,activities,outcomes}.csv
//
// The output depends only on the seed: the generator uses its own PRNG (splitmix64 to seed
// xoshiro256**) and only integer arithmetic and + - * / on doubles (no std:: distributions, no
// exp/log/pow, which differ between standard libraries), so the same seed gives byte-identical
// files on any machine. Every data set has its own PRNG stream, so changing one generator does not
// change the others' files.
//
// The data is plausible, not real: latent "fit" and "intent" values per lead drive correlated
// columns and events. It deliberately contains what real exports contain: free-mail and disposable
// addresses, agencies, interns, empty cells, a few unparseable numbers ("n/a"), an impossible date,
// quoted values with commas, timestamps with offsets and fractions, events for unknown leads and a
// few events after the as-of instant (2026-11-01T00:00:00Z), which scoring must ignore.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

// Byte-identical output also needs identical floating point: no fused multiply-add, which some
// targets (ARM, x86 with FMA) would otherwise use and which rounds differently.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

// Rule for every line below: at most one PRNG call per function-argument list or `+` chain,
// because C++ leaves the order of evaluating arguments and operands unspecified (it differs
// between compilers). Braced lists `{a, b}` are evaluated left to right and are safe.

namespace {

// ---- PRNG ---------------------------------------------------------------------------------------

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

__extension__ using u128 = unsigned __int128;  // GCC/Clang 128-bit product, without -Wpedantic noise

class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& w : s_) w = splitmix64(sm);
  }
  std::uint64_t next() {  // xoshiro256**
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1): the top 53 bits, exactly representable.
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
  // Uniform integer in [0, n), by multiply-shift (no modulo bias worth mentioning, no division).
  std::uint64_t below(std::uint64_t n) {
    return static_cast<std::uint64_t>((static_cast<u128>(next()) * n) >> 64);
  }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo + 1)));
  }
  bool chance(double p) { return uniform() < p; }
  // Number of successes in n trials of probability p: a portable stand-in for Poisson counts.
  int binomial(int n, double p) {
    int k = 0;
    for (int i = 0; i < n; ++i) k += chance(p) ? 1 : 0;
    return k;
  }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
  // Index chosen with the given integer weights.
  std::size_t weighted(const std::vector<int>& weights) {
    int total = 0;
    for (int w : weights) total += w;
    auto r = static_cast<int>(below(static_cast<std::uint64_t>(total)));
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

double clamp01(double x) { return x < 0 ? 0 : (x > 1 ? 1 : x); }

// ---- time ---------------------------------------------------------------------------------------

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t y;
  unsigned m, d;
};
Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp + (mp < 10 ? 3 : -9);
  return {y + (m <= 2), m, d};
}

constexpr std::int64_t kDay = 86400;
const std::int64_t kAsOf = days_from_civil(2026, 11, 1) * kDay;  // 2026-11-01T00:00:00Z

std::string format_date(std::int64_t epoch_seconds) {
  std::int64_t days = epoch_seconds / kDay;
  if (epoch_seconds % kDay < 0) --days;
  const Civil c = civil_from_days(days);
  return fmt::format("{:04}-{:02}-{:02}", c.y, c.m, c.d);
}

// UTC "Z" form, or (when offset_minutes != 0) the same instant written in local time with an offset.
std::string format_timestamp(std::int64_t epoch_seconds, int offset_minutes = 0, int millis = -1) {
  const std::int64_t local = epoch_seconds + offset_minutes * 60;
  std::int64_t days = local / kDay;
  std::int64_t secs = local % kDay;
  if (secs < 0) {
    secs += kDay;
    --days;
  }
  const Civil c = civil_from_days(days);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.y, c.m, c.d, secs / 3600,
                                (secs / 60) % 60, secs % 60);
  if (millis >= 0) out += fmt::format(".{:03}", millis);
  if (offset_minutes == 0) {
    out += 'Z';
  } else {
    const int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    out += fmt::format("{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  }
  return out;
}

// An event time: mostly UTC, a few in local time with an offset or with milliseconds, as
// different source systems write them.
std::string event_timestamp(Rng& rng, std::int64_t t) {
  const auto style = rng.below(100);
  if (style < 3) return format_timestamp(t, 120);
  if (style < 5) return format_timestamp(t, -300);
  if (style < 7) return format_timestamp(t, 0, static_cast<int>(rng.below(1000)));
  return format_timestamp(t);
}

// A time `days_back` days (fractional, from the PRNG) before the as-of instant, during a plausible
// working day; occasionally after the as-of instant (scoring must not see those).
std::int64_t time_before_asof(Rng& rng, double max_days_back, double skew_recent) {
  double u = rng.uniform();
  // skew_recent in [0,1]: mix of uniform and u^2 (more recent events).
  u = u * (1 - skew_recent) + u * u * skew_recent;
  auto back = static_cast<std::int64_t>(u * max_days_back * kDay);
  std::int64_t t = kAsOf - 1 - back;
  return t;
}

std::int64_t time_after_asof(Rng& rng) { return kAsOf + rng.between(0, 20 * kDay); }

// ---- CSV ----------------------------------------------------------------------------------------

std::string csv_field(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

class CsvWriter {
 public:
  explicit CsvWriter(const std::filesystem::path& path) : out_(path, std::ios::binary) {
    if (!out_) {
      fmt::print(stderr, "make_examples: cannot write {}\n", path.string());
      std::exit(1);
    }
  }
  void row(const std::vector<std::string>& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) line += ',';
      line += csv_field(fields[i]);
    }
    line += '\n';
    out_ << line;
    ++rows_;
  }
  std::size_t rows() const { return rows_; }

 private:
  std::ofstream out_;
  std::size_t rows_ = 0;
};

struct Event {
  std::int64_t time;
  std::size_t seq;  // creation order: the tie-break that makes the sort deterministic
  std::vector<std::string> fields;
};

void write_events(const std::filesystem::path& path, const std::vector<std::string>& header,
                  std::vector<Event>& events) {
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return a.time != b.time ? a.time < b.time : a.seq < b.seq;
  });
  CsvWriter w(path);
  w.row(header);
  for (const auto& e : events) w.row(e.fields);
}

// ---- shared vocabulary --------------------------------------------------------------------------

const std::vector<std::string> kFirst = {
    "Anna",  "Ben",   "Carla", "David",  "Elena", "Farid", "Grace", "Hugo",  "Ines",  "James",
    "Kira",  "Liam",  "Maria", "Noah",   "Olga",  "Pedro", "Quinn", "Rosa",  "Sven",  "Tara",
    "Umar",  "Vera",  "Wei",   "Ximena", "Yusuf", "Zoe",   "Lars",  "Mei",   "Ravi",  "Sofia",
    "Tom",   "Aisha", "Jonas", "Chloe",  "Kenji", "Lena",  "Marco", "Nadia", "Oscar", "Priya"};
const std::vector<std::string> kLast = {
    "Smith",  "Garcia", "Muller", "Rossi",   "Dubois", "Jansen", "Nilsen", "Kowalski", "Silva",
    "Chen",   "Patel",  "Kim",    "Brown",   "Wilson", "Novak",  "Berg",   "Moreau",   "Fischer",
    "Larsen", "Walsh",  "Murphy", "Tanaka",  "Singh",  "Lopez",  "Weber",  "Olsen",    "Costa",
    "Evans",  "Hughes", "Kelly",  "Andersen", "Santos", "Meyer", "Laine",  "Byrne",    "Wright"};
const std::vector<std::string> kCompanyA = {
    "Blue",  "North", "Bright", "Iron",  "Silver", "Cedar", "Swift",  "Clear", "Prime", "Nova",
    "Atlas", "Delta", "Summit", "Pixel", "Harbor", "Maple", "Quartz", "Vertex", "Orbit", "Lumen"};
const std::vector<std::string> kCompanyB = {
    "ridge",  "works", "field", "stone", "path",  "logic", "wave",  "point", "gate",  "labs",
    "scale",  "mint",  "forge", "cloud", "craft", "line",  "bank",  "shield", "ware", "hub"};
const std::vector<std::string> kSuffix = {"Inc.", "Ltd", "GmbH", "LLC", "AB", "BV", "plc", "SA", ""};
const std::vector<std::string> kFreeMail = {"gmail.com", "gmail.com", "gmail.com", "yahoo.com",
                                            "hotmail.com", "outlook.com", "icloud.com", "gmx.de",
                                            "web.de", "aol.com", "Gmail.com", "proton.me"};
const std::vector<std::string> kDisposable = {"mailinator.com", "yopmail.com", "10minutemail.com",
                                              "guerrillamail.com", "trashmail.com"};

std::string lower(std::string s) {
  for (auto& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

struct Company {
  std::string name;    // "Bluestone Ltd" or, now and then, "Bluestone, Inc."
  std::string domain;  // "bluestone.com"
};

Company make_company(Rng& rng, std::size_t n) {
  const std::string& head = rng.pick(kCompanyA);
  const std::string stem = head + rng.pick(kCompanyB);
  const std::string& suffix = rng.pick(kSuffix);
  Company c;
  if (suffix.empty())
    c.name = stem;
  else if (suffix == "Inc." && rng.chance(0.5))
    c.name = stem + ", Inc.";  // a comma: the CSV cell must be quoted
  else
    c.name = stem + " " + suffix;
  // The index keeps domains distinct enough for the example while staying readable.
  const std::vector<std::string> tlds = {".com", ".com", ".com", ".io", ".co.uk", ".de", ".fr", ".nl"};
  c.domain = lower(stem) + (n % 7 == 0 ? std::to_string(n % 100) : "") + rng.pick(tlds);
  return c;
}

// Employees for a company: a tier chosen with weights shifted by `size` in [0,1].
std::int64_t employees_for(Rng& rng, double size) {
  const std::vector<int> w = {static_cast<int>(30 - 25 * size), 30, static_cast<int>(20 + 15 * size),
                              static_cast<int>(8 + 22 * size), static_cast<int>(2 + 10 * size)};
  switch (rng.weighted(w)) {
    case 0: return rng.between(1, 19);
    case 1: return rng.between(20, 99);
    case 2: return rng.between(100, 999);
    case 3: return rng.between(1000, 9999);
    default: return rng.between(10000, 120000);
  }
}

std::string id_number(const char* prefix, std::size_t n, int width) {
  return fmt::format("{}{:0{}}", prefix, n, width);
}

// ---- b2b-saas -----------------------------------------------------------------------------------

void make_b2b_saas(const std::filesystem::path& dir, std::uint64_t seed) {
  Rng rng(seed ^ 0xB2B5AA5ULL);
  constexpr std::size_t kLeads = 3000;
  const std::vector<std::string> icp = {"US", "US", "US", "US", "CA", "GB", "GB", "IE", "DE", "DE",
                                        "FR", "NL", "SE", "DK", "NO", "FI", "AU", "NZ", "CH", "AT"};
  const std::vector<std::string> non_icp = {"IN", "BR", "MX", "ES", "IT", "PL", "ZA", "SG", "JP", "AE"};
  const std::vector<std::string> industries = {"Software", "Financial Services", "Insurance",
                                               "Healthcare", "Manufacturing", "Retail", "Education",
                                               "Media", "Government", "Logistics"};
  const std::vector<std::string> decision = {"VP Marketing", "VP, Sales", "Chief Revenue Officer",
                                             "CMO", "Director of Demand Generation",
                                             "Head of Revenue Operations", "Founder & CEO",
                                             "Director, Sales Operations", "General Manager, EMEA",
                                             "CFO"};
  const std::vector<std::string> managers = {"Marketing Manager", "Sales Operations Manager",
                                             "Product Marketing Manager", "CRM Manager",
                                             "Account Manager"};
  const std::vector<std::string> ics = {"Marketing Specialist", "Sales Development Representative",
                                        "Data Analyst", "Software Engineer", "Consultant",
                                        "Content Writer", "Marketing Operations Analyst"};
  const std::vector<std::string> juniors = {"Marketing Intern", "Student", "Sales Assistant",
                                            "Graduate Trainee", "Intern, Growth"};

  struct Lead {
    std::string id;
    double fit;
    double intent;
    bool junior;
    bool agency;
  };
  std::vector<Lead> leads;

  CsvWriter w(dir / "leads.csv");
  w.row({"lead_id", "email", "company", "title", "country", "industry", "Employees",
         "Annual Revenue (USD)", "is_agency", "email_verified", "created_at"});
  for (std::size_t n = 1; n <= kLeads; ++n) {
    Lead L;
    L.id = id_number("L", n, 5);
    L.fit = rng.uniform();
    // Good-fit leads are a bit more active: intent is 30% fit, 70% independent.
    L.intent = clamp01(0.3 * L.fit + 0.7 * rng.uniform());
    L.agency = rng.chance(0.08);
    const Company co = make_company(rng, n);
    const std::string first = rng.pick(kFirst), last = rng.pick(kLast);

    // Title: seniority follows fit.
    std::string title;
    const auto t = rng.weighted({static_cast<int>(10 + 40 * L.fit), 25, static_cast<int>(35 - 20 * L.fit),
                                 static_cast<int>(12 - 10 * L.fit), 3});
    L.junior = t == 3;
    if (t == 0) title = rng.pick(decision);
    else if (t == 1) title = rng.pick(managers);
    else if (t == 2) title = rng.pick(ics);
    else if (t == 3) title = rng.pick(juniors);
    // t == 4: empty title

    // E-mail: company address, or free-mail, disposable, missing, or no '@' at all.
    std::string email;
    const auto e = rng.weighted({static_cast<int>(70 + 20 * L.fit), 14, 2, 1, 1});
    const auto num = rng.below(100);
    if (e == 0) email = lower(first) + "." + lower(last) + "@" + co.domain;
    else if (e == 1) email = lower(first) + lower(last) + std::to_string(num) + "@" + rng.pick(kFreeMail);
    else if (e == 2) email = lower(first) + std::to_string(num) + "@" + rng.pick(kDisposable);
    else if (e == 4) email = lower(first) + "." + lower(last);  // no '@': domain() is missing
    // e == 3: empty

    std::string country;
    const auto c = rng.below(1000);
    if (c < 15) country = "";
    else if (c < 25) country = rng.chance(0.5) ? "us " : "Gb";  // sloppy entry: case and spaces
    else if (rng.chance(0.5 + 0.4 * L.fit)) country = rng.pick(icp);
    else country = rng.pick(non_icp);

    std::string industry = L.agency ? "Marketing Services" : rng.pick(industries);
    if (!L.agency && L.fit > 0.6 && rng.chance(0.3))
      industry = rng.pick(std::vector<std::string>{"Software", "Financial Services", "Insurance"});
    if (rng.chance(0.02)) industry = "";

    const std::int64_t emp = employees_for(rng, L.agency ? 0.1 : L.fit);
    std::string employees = std::to_string(emp);
    const auto ec = rng.below(1000);
    if (ec < 30) employees = "";
    else if (ec < 36) employees = "n/a";  // unparseable: counted by the run, the lead is still scored

    // Revenue: $60k-$300k per employee, rounded to $1,000.
    const std::int64_t per_head = rng.between(60, 300) * 1000;
    std::string revenue = std::to_string(emp * per_head / 1000 * 1000);
    const auto rc = rng.below(1000);
    if (rc < 80) revenue = "";
    else if (rc < 84) revenue = "n/a";

    std::string verified = rng.chance(e == 0 ? 0.88 : 0.5) ? "true" : "false";
    if (rng.chance(0.02)) verified = "";

    std::string created = format_date(kAsOf - rng.between(1, 540) * kDay);
    if (n == 1234) created = "2026-02-30";  // impossible date: unparseable, hence missing

    w.row({L.id, email, co.name, title, country, industry, employees, revenue,
           L.agency ? "true" : "false", verified, created});
    leads.push_back(L);
  }

  // Activities.
  std::vector<Event> events;
  std::size_t seq = 0;
  auto add = [&](const std::string& id, std::int64_t time, const std::string& type, const std::string& url) {
    events.push_back({time, seq++, {id, type, event_timestamp(rng, time), url}});
  };
  const std::vector<std::string> pages = {"/", "/product", "/product/forecasting", "/customers",
                                          "/integrations", "/blog/lead-scoring-101",
                                          "/blog/mql-vs-sql", "/security", "/about"};
  for (const auto& L : leads) {
    const bool engaged = rng.chance(0.2 + 0.6 * L.intent);
    const int n = engaged ? 2 + rng.binomial(30, 0.05 + 0.55 * L.intent) : rng.binomial(4, 0.3);
    const double window = engaged ? 180 : 150;
    const double skew = engaged ? 0.3 + 0.7 * L.intent : 0;  // engaged leads: mostly recent events
    for (int k = 0; k < n; ++k) {
      const std::int64_t t = time_before_asof(rng, window, skew);
      const auto kind = rng.weighted({40, 14, 10, static_cast<int>(2 + 10 * L.intent), 6, 4});
      switch (kind) {
        case 0: add(L.id, t, "page_view", rng.pick(pages)); break;
        case 1: add(L.id, t, "email_open", ""); break;
        case 2: add(L.id, t, "email_click", ""); break;
        case 3: add(L.id, t, "pricing_view", "/pricing"); break;
        case 4: add(L.id, t, "content_download", "/resources/" + rng.pick(std::vector<std::string>{
                                                        "state-of-revops-2026.pdf", "scoring-playbook.pdf",
                                                        "roi-calculator.xlsx"})); break;
        default: add(L.id, t, "webinar_attended", ""); break;
      }
    }
    // Hand-raisers: more likely with high intent, and a bit more with good fit.
    if (engaged && rng.chance(0.5 * L.intent * L.intent + 0.15 * L.fit * L.intent)) {
      add(L.id, time_before_asof(rng, 60, 0.5), "demo_request", "/demo");
      if (rng.chance(0.5)) add(L.id, time_before_asof(rng, 14, 0), "pricing_view", "/pricing");
    }
    if (engaged && rng.chance(0.04 * L.intent)) add(L.id, time_before_asof(rng, 45, 0), "contact_sales", "/contact");
    // Job seekers browse the careers page; juniors more often.
    if (rng.chance(L.junior ? 0.25 : 0.04)) {
      const std::int64_t t = time_before_asof(rng, 90, 0);
      add(L.id, t, "page_view", rng.chance(0.5) ? "/careers" : "/careers/sdr-berlin");
    }
    if (rng.chance(0.05 + 0.05 * (1 - L.intent))) add(L.id, time_before_asof(rng, 180, 0), "unsubscribe", "");
    // A few events after the as-of instant: in the export, invisible to scoring.
    if (rng.chance(0.01)) add(L.id, time_after_asof(rng), "page_view", "/pricing");
  }
  // Events for leads that are not in leads.csv (deleted or merged in the CRM): ignored.
  for (int k = 0; k < 25; ++k) {
    const std::string id = id_number("L", 90000 + rng.below(1000), 5);
    add(id, time_before_asof(rng, 180, 0), "page_view", "/");
  }
  write_events(dir / "activities.csv", {"lead_id", "type", "occurred_at", "url"}, events);
  fmt::print("b2b-saas: {} leads, {} events\n", w.rows() - 1, events.size());
}

// ---- product-led --------------------------------------------------------------------------------

void make_product_led(const std::filesystem::path& dir, std::uint64_t seed) {
  Rng rng(seed ^ 0x9F7A11EDULL);
  constexpr std::size_t kUsers = 3500;
  const std::vector<std::string> countries = {"US", "US", "US", "GB", "DE", "FR", "IN", "IN", "BR",
                                              "CA", "NL", "PL", "ES", "AU", "JP", "SE"};
  const std::vector<std::string> builders = {"Engineer", "Senior Engineer", "Data Analyst",
                                             "Designer", "Product Manager", "Data Scientist",
                                             "Freelance Developer"};
  const std::vector<std::string> leads_roles = {"Engineering Manager", "Team Lead, Platform",
                                                "Head of Data", "Director of Engineering",
                                                "VP, Engineering", "CTO & Co-founder", "Founder"};
  const std::vector<std::string> features = {"dashboards", "api", "automations", "sso"};

  struct User {
    std::string id;
    double fit;
    double activity;
    std::int64_t signed_up;
    std::int64_t seats;
  };
  std::vector<User> users;

  CsvWriter w(dir / "leads.csv");
  w.row({"user_id", "email", "company", "role", "country", "company_size", "plan", "seats",
         "signed_up_at"});
  for (std::size_t n = 1; n <= kUsers; ++n) {
    User U;
    U.id = id_number("u_", 10000 + n, 5);
    U.fit = rng.uniform();
    // Users at good-fit companies are a bit more active.
    U.activity = clamp01(0.25 * U.fit + 0.75 * rng.uniform());
    U.signed_up = time_before_asof(rng, 180, 0.4);
    const Company co = make_company(rng, n);
    const std::string first = rng.pick(kFirst), last = rng.pick(kLast);

    std::string email;
    const auto e = rng.weighted({static_cast<int>(35 + 40 * U.fit), 40, 3});
    const auto num = rng.below(10000);
    if (e == 0) email = lower(first) + "@" + co.domain;
    else if (e == 1) email = lower(first) + "." + lower(last) + std::to_string(num % 100) + "@" + rng.pick(kFreeMail);
    else email = "test" + std::to_string(num) + "@" + rng.pick(kDisposable);

    std::string role;
    const auto r = rng.weighted({55, static_cast<int>(5 + 30 * U.fit), 8, 4});
    if (r == 0) role = rng.pick(builders);
    else if (r == 1) role = rng.pick(leads_roles);
    else if (r == 2) role = rng.chance(0.5) ? "Student" : "PhD student";
    // r == 3: skipped the question

    std::string size = std::to_string(employees_for(rng, U.fit));
    if (e != 0 || rng.chance(0.15)) size = "";  // enrichment only finds company addresses
    if (rng.chance(0.004)) size = "n/a";

    const auto p = rng.weighted({74, 16, 8, 2});
    const std::string plan = p == 0 ? "free" : p == 1 ? "trial" : p == 2 ? "team" : "business";

    U.seats = 1 + rng.binomial(8, U.activity * U.fit * 0.6);
    if (p >= 2) U.seats += rng.between(2, 25);
    std::string seats = std::to_string(U.seats);
    if (rng.chance(0.003)) seats = "n/a";

    w.row({U.id, email, co.name, role, rng.pick(countries), size, plan, seats,
           format_timestamp(U.signed_up)});
    users.push_back(U);
  }

  std::vector<Event> events;
  std::size_t seq = 0;
  auto add = [&](const std::string& id, std::int64_t time, const std::string& ev,
                 const std::string& feature, const std::string& quantity) {
    events.push_back({time, seq++, {id, ev, event_timestamp(rng, time), feature, quantity}});
  };
  for (const auto& U : users) {
    add(U.id, U.signed_up, "signup", "", "");
    // Active days: from sign-up, the user stays for a while (longer when more active), then
    // churns; while staying, each day is active with a probability that grows with activity.
    const std::int64_t first_day = U.signed_up / kDay + 1;
    const std::int64_t last_day = kAsOf / kDay - 1;
    std::int64_t stay = 1;
    if (U.activity > 0.55 && rng.chance(0.6))
      stay = 365;  // retained: still using the product at the as-of instant
    else
      while (stay < 200 && rng.chance(0.85 + 0.14 * U.activity)) ++stay;
    const double p_day = 0.1 + 0.6 * U.activity * U.activity;
    int active = 0;
    for (std::int64_t d = first_day; d <= last_day && d < first_day + stay; ++d) {
      if (!rng.chance(p_day)) continue;
      ++active;
      const std::int64_t t = d * kDay + rng.between(7 * 3600, 19 * 3600);
      add(U.id, t, "daily_active", "", "");
      // Deeper usage happens on active days.
      if (rng.chance(0.25 * U.activity)) add(U.id, t + 60, "key_feature_used", rng.pick(features), "");
      if (rng.chance(0.05 * U.activity * (0.5 + U.fit)))
        add(U.id, t + 120, "invite_sent", "", std::to_string(1 + rng.binomial(6, 0.3)));
      if (rng.chance(0.01 * U.activity)) add(U.id, t + 180, "integration_connected", "", "");
      if (rng.chance(0.02 * U.activity * U.activity)) add(U.id, t + 240, "limit_reached", "", "");
      if (rng.chance(0.02 * U.activity * U.fit)) add(U.id, t + 300, "billing_view", "", "");
    }
    if (active > 0 && rng.chance(0.01)) add(U.id, time_after_asof(rng), "daily_active", "", "");
    // An invite with an unreadable quantity: counted as unparseable, `sum` treats it as 0.
    if (rng.chance(0.002)) add(U.id, time_before_asof(rng, 30, 0), "invite_sent", "", "n/a");
  }
  for (int k = 0; k < 20; ++k) {
    const std::string id = id_number("u_", 90000 + rng.below(1000), 5);
    add(id, time_before_asof(rng, 180, 0), "daily_active", "", "");
  }
  write_events(dir / "activities.csv", {"user_id", "event", "at", "feature", "quantity"}, events);
  fmt::print("product-led: {} users, {} events\n", w.rows() - 1, events.size());
}

// ---- enterprise ---------------------------------------------------------------------------------

void make_enterprise(const std::filesystem::path& dir, std::uint64_t seed) {
  Rng rng(seed ^ 0xE17E4951ULL);
  constexpr std::size_t kAccounts = 2000;
  const std::vector<std::string> industries = {"Banking", "Insurance", "Capital Markets", "Healthcare",
                                               "Government", "Utilities", "Manufacturing", "Retail",
                                               "Telecommunications", "Education", "Non-profit",
                                               "Hospitality", "Software"};
  const std::vector<std::string> home = {"US", "US", "US", "CA", "GB", "DE", "FR", "NL", "CH", "SE", "AU"};
  const std::vector<std::string> away = {"BR", "IN", "JP", "MX", "ZA", "SG", "IT", "ES"};
  const std::vector<std::string> tools = {"Salesforce", "Snowflake", "Databricks", "SAP", "Oracle",
                                          "BigQuery", "Workday", "ServiceNow", "HubSpot", "Redshift"};
  const std::vector<std::string> roles = {"economic buyer", "champion", "technical evaluator",
                                          "procurement", "user"};
  const std::vector<std::string> seniorities = {"c-level", "vp", "director", "manager", "individual"};

  struct Account {
    std::string id;
    double fit;
    double engagement;
    bool customer;
  };
  std::vector<Account> accounts;

  CsvWriter w(dir / "leads.csv");
  w.row({"Account ID", "Account Name", "website", "industry", "country", "employees",
         "annual_revenue", "tech_stack", "intent_score", "is_customer", "is_competitor",
         "budget_confirmed", "last_lost_at"});
  for (std::size_t n = 1; n <= kAccounts; ++n) {
    Account A;
    A.id = id_number("ACC-", n, 5);
    A.fit = rng.uniform();
    A.engagement = clamp01(0.3 * A.fit + 0.7 * rng.uniform());
    A.customer = rng.chance(0.07);
    const Company co = make_company(rng, n);

    std::string industry = rng.pick(industries);
    if (A.fit > 0.5 && rng.chance(0.35)) industry = rng.pick(std::vector<std::string>{"Banking", "Insurance", "Capital Markets"});
    // Target accounts are larger companies: 50 employees at the very least.
    const std::int64_t emp = 50 + 4 * employees_for(rng, 0.4 + 0.6 * A.fit);
    std::string employees = std::to_string(emp);
    if (rng.chance(0.03)) employees = "";
    const std::int64_t per_head = rng.between(120, 450) * 1000;
    std::string revenue = std::to_string(emp * per_head / 1000000 * 1000000);
    const auto rc = rng.below(1000);
    if (rc < 60) revenue = "";
    else if (rc < 65) revenue = "n/a";

    std::string stack;
    for (const auto& tool : tools) {
      if (rng.chance(0.15 + 0.25 * A.fit)) {
        if (!stack.empty()) stack += "; ";
        stack += tool;
      }
    }
    std::string intent = std::to_string(static_cast<int>(100 * clamp01(0.7 * A.engagement + 0.3 * rng.uniform())));
    if (rng.chance(0.12)) intent = "n/a";  // the intent provider has no data for the account
    std::string lost;
    if (rng.chance(0.08)) lost = format_date(kAsOf - rng.between(10, 900) * kDay);

    const bool budget = rng.chance(0.05 + 0.4 * A.engagement * A.fit);
    w.row({A.id, co.name, "https://www." + co.domain, industry,
           rng.chance(0.6 + 0.3 * A.fit) ? rng.pick(home) : rng.pick(away), employees, revenue, stack,
           intent, A.customer ? "yes" : "no", rng.chance(0.01) ? "yes" : "no", budget ? "yes" : "no", lost});
    accounts.push_back(A);
  }

  std::vector<Event> events;
  std::size_t seq = 0;
  auto add = [&](const std::string& id, std::int64_t time, const std::string& type,
                 const std::string& role, const std::string& seniority) {
    events.push_back({time, seq++, {id, type, event_timestamp(rng, time), role, seniority}});
  };
  for (const auto& A : accounts) {
    const double e = A.engagement;
    const int n = rng.binomial(24, 0.05 + 0.5 * e * e);
    for (int k = 0; k < n; ++k) {
      const std::int64_t t = time_before_asof(rng, 180, e);
      const auto kind = rng.weighted({50, 12, 5, 3});
      const std::string type = kind == 0 ? "page_view" : kind == 1 ? "content_download"
                               : kind == 2 ? "event_attended" : "email_click";
      // Marketing touches are often from contacts not yet mapped to a buying role.
      const std::string role = rng.chance(0.5) ? "" : roles[rng.weighted({3, 5, 6, 2, 14})];
      add(A.id, t, type, role, rng.pick(seniorities));
    }
    // Sales touches: meetings and executive briefings, with mapped roles. The more engaged the
    // account, the more of the committee shows up.
    if (e > 0.45) {
      const int meetings = rng.binomial(6, (e - 0.45) * 1.6);
      for (int k = 0; k < meetings; ++k) {
        const std::string& role = roles[rng.weighted({3, 4, 4, 2, 1})];
        const std::int64_t t = time_before_asof(rng, 90, 0.4);
        add(A.id, t, "meeting", role, role == "economic buyer" ? "c-level" : rng.pick(seniorities));
      }
      if (rng.chance(e * 0.3)) {
        const std::int64_t t = time_before_asof(rng, 150, 0.3);
        add(A.id, t, "exec_briefing", "economic buyer", rng.chance(0.5) ? "c-level" : "vp");
      }
    }
    if (rng.chance(0.06)) add(A.id, time_before_asof(rng, 180, 0), "unsubscribe", "user", "individual");
    if (rng.chance(0.01)) add(A.id, time_after_asof(rng), "meeting", "champion", "director");
  }
  for (int k = 0; k < 15; ++k) {
    const std::string id = id_number("ACC-", 90000 + rng.below(1000), 5);
    add(id, time_before_asof(rng, 180, 0), "page_view", "", "manager");
  }
  write_events(dir / "activities.csv", {"Account ID", "type", "occurred_at", "contact_role", "seniority"}, events);
  fmt::print("enterprise: {} accounts, {} events\n", w.rows() - 1, events.size());
}

// ---- abm ----------------------------------------------------------------------------------------
// Accounts (a CRM company export), their leads, the leads' activities and account outcomes. Each
// account has latent fit and intent; its leads share the intent (plus their own noise), and a few
// "surging" accounts have several leads active in the last 14 days.

struct AbmGroup {  // an account, a lead's unknown account, or a company without an account
  double fit;
  double intent;
  bool surging;
};

struct AbmAccount {
  std::string id, name, domain, country, industry, employees, revenue;
  bool agency;
  std::int64_t emp;  // the true head count, before blanks
};

struct AbmLead {
  std::int64_t created;
  std::size_t seq;    // creation order: the tie-break of the sort by created
  std::size_t group;  // index into the groups
  double intent;
  std::vector<std::string> fields;  // every column after lead_id
  std::string id;
};

// One departmental role: the titles of its decision makers and of everyone else.
struct AbmDepartment {
  std::string name;
  int weight;
  std::vector<std::string> deciders, others;
};

const std::vector<AbmDepartment> kAbmDepartments = {
    {"Engineering", 20, {"VP Engineering", "CTO", "Director of Engineering", "Head of Platform"},
     {"Software Engineer", "Senior Software Engineer", "Engineering Manager", "DevOps Engineer", "Data Engineer"}},
    {"IT", 14, {"CIO", "Director of IT", "Head of IT", "VP, Information Technology"},
     {"IT Manager", "Systems Administrator", "IT Analyst", "Security Engineer"}},
    {"Finance", 10, {"CFO", "VP Finance", "Director of Finance", "Head of Procurement"},
     {"Financial Analyst", "Controller", "Accountant", "Procurement Specialist"}},
    {"Marketing", 18, {"CMO", "VP Marketing", "Director of Demand Generation", "Head of Growth"},
     {"Marketing Manager", "Marketing Operations Analyst", "Content Writer", "Marketing Intern"}},
    {"Sales", 16, {"Chief Revenue Officer", "VP, Sales", "Director, Sales Operations", "Head of Revenue Operations"},
     {"Account Executive", "Sales Development Representative", "Sales Operations Manager"}},
    {"Operations", 10, {"COO", "VP Operations", "Director of Operations"},
     {"Operations Manager", "Business Analyst", "Project Manager"}},
    {"Executive", 6, {"Founder & CEO", "CEO", "President", "Managing Director"},
     {"Chief of Staff", "Executive Assistant"}},
    {"HR", 6, {"Chief People Officer", "VP People", "Head of HR"},
     {"Recruiter", "HR Generalist", "Talent Acquisition Partner"}},
};

// Canonical industries and the other spellings leads carry for them (typos, other taxonomies).
const std::vector<std::vector<std::string>> kAbmIndustries = {
    {"Software", "Computer Software", "SaaS", "Sofware"},
    {"Financial Services", "Finance", "Banking", "Financial Servcies"},
    {"Insurance", "Insurnace", "Financial Services"},
    {"Retail", "E-commerce", "Retail & Consumer Goods"},
    {"Manufacturing", "Industrial Manufacturing", "Manufactoring"},
    {"Healthcare", "Health Care", "Hospitals & Health Care"},
    {"Education", "Higher Education", "E-Learning"},
    {"Marketing Agency", "Advertising", "Marketing & Advertising"},
    {"Logistics", "Transportation & Logistics", "Logisitics"},
    {"Media", "Publishing", "Media & Entertainment"},
    {"Government", "Public Sector"},
    {"Telecommunications", "Telecom"},
};
const std::vector<int> kAbmIndustryWeights = {24, 12, 7, 9, 10, 9, 6, 5, 5, 5, 4, 4};

const std::vector<std::string> kAbmCountries = {"US", "GB", "DE", "CA", "FR", "NL", "AU", "IE",
                                                "SE", "ES", "IT", "IN", "BR", "JP", "SG", "CH"};
const std::vector<int> kAbmCountryWeights = {40, 12, 10, 8, 6, 5, 5, 2, 2, 2, 2, 2, 2, 1, 1, 1};
const std::vector<std::string> kAbmCountryNames = {"United States", "United Kingdom", "Germany", "Canada",
                                                   "France", "Netherlands", "Australia", "Ireland"};
const std::vector<std::string> kAbmFreeMail = {"gmail.com", "gmail.com", "yahoo.com", "hotmail.com",
                                               "outlook.com"};

std::size_t index_of(const std::vector<std::string>& v, const std::string& s) {
  return static_cast<std::size_t>(std::find(v.begin(), v.end(), s) - v.begin());
}

// The same country written another way ("United States", "us") or, now and then, another country
// (a stale record, a regional office).
std::string country_variant(Rng& rng, const std::string& code) {
  const auto k = rng.below(10);
  const std::size_t i = index_of(kAbmCountries, code);
  if (k < 4 && i < kAbmCountryNames.size()) return kAbmCountryNames[i];
  if (k < 7) return lower(code);
  return kAbmCountries[rng.weighted(kAbmCountryWeights)];
}

std::string industry_variant(Rng& rng, const std::string& industry) {
  for (const auto& names : kAbmIndustries) {
    if (names[0] != industry) continue;
    return names[1 + rng.below(names.size() - 1)];
  }
  return industry;
}

std::string revenue_for(Rng& rng, std::int64_t employees) {
  const std::int64_t per_head = rng.between(60, 400) * 1000;
  return std::to_string(employees * per_head / 1000 * 1000);
}

// A company domain no other account or company of this data set has.
void make_unique_domain(Company& co, std::size_t n, std::vector<std::string>& used) {
  while (std::find(used.begin(), used.end(), co.domain) != used.end()) {
    co.domain.insert(co.domain.find('.'), std::to_string(n % 1000));
    ++n;
  }
  used.push_back(co.domain);
}

void make_abm(const std::filesystem::path& dir, std::uint64_t seed) {
  Rng rng(seed ^ 0xAB3ACC75ULL);
  constexpr std::size_t kAccounts = 2000;
  std::vector<AbmGroup> groups;
  std::vector<AbmAccount> accounts;  // as accounts.csv has them, with blanks
  std::vector<AbmAccount> truths;    // the same before the blanks: what leads are enriched from
  std::vector<std::string> used_domains;

  for (std::size_t n = 1; n <= kAccounts; ++n) {
    AbmGroup g;
    g.fit = rng.uniform();
    g.intent = clamp01(0.3 * g.fit + 0.7 * rng.uniform());
    g.surging = false;
    AbmAccount A;
    A.id = id_number("A", n, 5);
    Company co = make_company(rng, n);
    make_unique_domain(co, n, used_domains);
    A.name = co.name;
    A.domain = co.domain;
    A.country = kAbmCountries[rng.weighted(kAbmCountryWeights)];
    if (g.fit > 0.5 && rng.chance(0.4)) A.country = rng.chance(0.6) ? "US" : "GB";
    A.industry = kAbmIndustries[rng.weighted(kAbmIndustryWeights)][0];
    A.agency = A.industry == "Marketing Agency" || rng.chance(0.01);
    A.emp = employees_for(rng, A.agency ? 0.1 : g.fit);
    A.employees = std::to_string(A.emp);
    A.revenue = revenue_for(rng, A.emp);
    truths.push_back(A);
    // A few empty cells, as CRM company records have.
    const auto blank = rng.below(100);
    if (blank < 1) A.country = "";
    else if (blank < 2) A.industry = "";
    else if (blank < 4) A.employees = "";
    else if (blank < 9) A.revenue = "";
    else if (blank < 10) A.domain = "";
    groups.push_back(g);
    accounts.push_back(A);
  }

  // accounts.csv, with 3 or 4 rows late in the file that repeat an earlier id (a CRM merge gone
  // wrong): the first row of an id wins.
  {
    CsvWriter w(dir / "accounts.csv");
    w.row({"account_id", "name", "domain", "country", "industry", "employees", "annual_revenue", "is_agency"});
    const std::size_t duplicates = 3 + rng.below(2);
    std::vector<std::size_t> after;  // a duplicate row follows the row of this index
    for (std::size_t k = 0; k < duplicates; ++k) after.push_back(kAccounts - 60 + 15 * k);
    std::size_t next_dup = 0;
    auto row = [](const AbmAccount& A) {
      return std::vector<std::string>{A.id,       A.name,    A.domain,  A.country,
                                      A.industry, A.employees, A.revenue, A.agency ? "true" : "false"};
    };
    for (std::size_t i = 0; i < kAccounts; ++i) {
      w.row(row(accounts[i]));
      if (next_dup < after.size() && after[next_dup] == i) {
        AbmAccount D = accounts[1 + 400 * next_dup + rng.below(300)];
        D.name += rng.chance(0.5) ? " (old)" : " - duplicate";
        D.employees = std::to_string(D.emp * rng.between(50, 150) / 100 + 1);
        w.row(row(D));
        ++next_dup;
      }
    }
    fmt::print("abm: {} accounts, {} duplicate account rows\n", kAccounts, duplicates);
  }

  std::vector<AbmLead> leads;
  std::size_t seq = 0;
  std::vector<int> department_weights;
  for (const auto& d : kAbmDepartments) department_weights.push_back(d.weight);
  // One lead of a group: the company's e-mail domain (or free-mail) and the firmographics the lead
  // record carries, which may disagree with the account's when `conflicted`.
  auto add_lead = [&](std::size_t group, const std::string& account_id, const std::string& domain,
                      const AbmAccount& firm, bool conflicted, bool free_mail) {
    const AbmGroup& g = groups[group];
    AbmLead L;
    L.seq = seq++;
    L.group = group;
    L.intent = clamp01(0.65 * g.intent + 0.35 * rng.uniform());
    L.created = kAsOf - rng.between(1, 304) * kDay;  // 2026-01-01 .. 2026-10-31
    const std::string& first = rng.pick(kFirst);
    const std::string& last = rng.pick(kLast);

    std::string email;
    const auto e = rng.below(100);
    if (free_mail || e < 6) email = lower(first) + "." + lower(last) + std::to_string(e) + "@" + rng.pick(kAbmFreeMail);
    else if (e < 9 && domain.find('.') != std::string::npos)
      email = lower(first) + "@" + domain.substr(0, domain.find('.')) + ".co.uk";  // a regional domain
    else if (e < 30) email = lower(first.substr(0, 1)) + lower(last) + "@" + domain;
    else email = lower(first) + "." + lower(last) + "@" + domain;

    const AbmDepartment& dep = kAbmDepartments[rng.weighted(department_weights)];
    std::string title = rng.chance(0.15 + 0.3 * g.fit) ? rng.pick(dep.deciders) : rng.pick(dep.others);
    std::string department = dep.name;
    const auto gap = rng.below(100);
    if (gap < 2) title = "";
    else if (gap < 6) department = "";

    std::string country = firm.country, industry = firm.industry, employees = firm.employees,
                revenue = firm.revenue;
    if (conflicted && rng.chance(0.6)) {
      // Stale or differently spelled values; the account keeps the canonical one.
      const auto field = rng.below(4);
      if (field == 0 && !country.empty()) country = country_variant(rng, country);
      else if (field == 1 && !industry.empty()) industry = industry_variant(rng, industry);
      else if (field == 2) employees = std::to_string(firm.emp * rng.between(40, 160) / 100 + 1);
      else revenue = revenue_for(rng, firm.emp * rng.between(50, 150) / 100 + 1);
    }
    if (rng.chance(0.05)) employees = "";  // the enrichment found nothing for this lead
    if (rng.chance(0.08)) revenue = "";
    if (rng.chance(0.02)) country = "";

    L.fields = {email, account_id, first, title, department, country, industry, employees, revenue,
                format_date(L.created)};
    leads.push_back(std::move(L));
  };

  // Leads of the accounts: 1 to 12 each, more for bigger and better-fit accounts, about 4.5 on
  // average. For one account in five the leads' firmographics disagree with the account's.
  std::size_t conflicted_accounts = 0;
  for (std::size_t i = 0; i < kAccounts; ++i) {
    AbmGroup& g = groups[i];
    const double s = clamp01(0.5 * g.fit + 0.5 * rng.uniform());
    const int n = 1 + rng.binomial(11, 0.12 + 0.72 * s * s);
    g.surging = n >= 3 && rng.chance(0.02 + 0.06 * g.intent);
    const bool conflicted = rng.chance(0.24);
    conflicted_accounts += conflicted ? 1 : 0;
    // Leads are enriched from the true record, also where the CRM shows a blank.
    for (int k = 0; k < n; ++k) add_lead(i, truths[i].id, truths[i].domain, truths[i], conflicted, false);
  }
  const std::size_t account_leads = leads.size();

  // Leads of accounts that are not in accounts.csv (deleted or merged in the CRM): about 1%.
  std::size_t unknown_leads = 0;
  for (std::size_t k = 0; k < 25; ++k) {
    groups.push_back({rng.uniform(), rng.uniform(), false});
    Company co = make_company(rng, 5000 + k);
    make_unique_domain(co, 5000 + k, used_domains);
    AbmAccount firm{};
    firm.country = kAbmCountries[rng.weighted(kAbmCountryWeights)];
    firm.industry = kAbmIndustries[rng.weighted(kAbmIndustryWeights)][0];
    firm.emp = employees_for(rng, groups.back().fit);
    firm.employees = std::to_string(firm.emp);
    firm.revenue = revenue_for(rng, firm.emp);
    const std::string id = id_number("A", 9000 + 10 * k + rng.below(10), 5);
    const auto n = static_cast<int>(rng.between(1, 7));
    for (int j = 0; j < n; ++j) add_lead(groups.size() - 1, id, co.domain, firm, false, false);
    unknown_leads += static_cast<std::size_t>(n);
  }

  // Leads without an account, one in ten of all: mostly people at companies the CRM has no
  // account for (2 to 4 of them now and then share the company's domain), some with free-mail.
  const std::size_t target = (account_leads + unknown_leads) / 9;
  std::size_t without = 0;
  for (std::size_t k = 0; without < target; ++k) {
    const bool free_mail = rng.chance(0.25);
    groups.push_back({rng.uniform(), rng.uniform(), false});
    Company co = make_company(rng, 7000 + k);
    make_unique_domain(co, 7000 + k, used_domains);
    AbmAccount firm{};
    firm.country = kAbmCountries[rng.weighted(kAbmCountryWeights)];
    firm.industry = kAbmIndustries[rng.weighted(kAbmIndustryWeights)][0];
    firm.emp = employees_for(rng, groups.back().fit);
    firm.employees = free_mail ? "" : std::to_string(firm.emp);
    firm.revenue = free_mail ? "" : revenue_for(rng, firm.emp);
    const std::size_t size = free_mail ? 1 : 1 + rng.weighted({60, 22, 12, 6});
    for (std::size_t j = 0; j < size && without < target; ++j, ++without)
      add_lead(groups.size() - 1, "", co.domain, firm, false, free_mail);
  }

  // Lead ids follow creation, as a CRM numbers them.
  std::sort(leads.begin(), leads.end(), [](const AbmLead& a, const AbmLead& b) {
    return a.created != b.created ? a.created < b.created : a.seq < b.seq;
  });
  {
    CsvWriter w(dir / "leads.csv");
    w.row({"lead_id", "email", "account_id", "first_name", "title", "department", "country", "industry",
           "employees", "annual_revenue", "created_at"});
    for (std::size_t i = 0; i < leads.size(); ++i) {
      leads[i].id = id_number("L", i + 1, 5);
      std::vector<std::string> row{leads[i].id};
      row.insert(row.end(), leads[i].fields.begin(), leads[i].fields.end());
      w.row(row);
    }
  }
  fmt::print("abm: {} leads ({} without an account, {} of unknown accounts), {} accounts whose leads may disagree with them\n",
             leads.size(), without, unknown_leads, conflicted_accounts);

  // Activities: the account's intent drives how active its leads are.
  std::vector<Event> events;
  std::size_t eseq = 0;
  auto add = [&](const std::string& id, std::int64_t time, const std::string& type, const std::string& url) {
    events.push_back({time, eseq++, {id, type, event_timestamp(rng, time), url}});
  };
  const std::vector<std::string> pages = {"/", "/product", "/product/accounts", "/customers", "/integrations",
                                          "/blog/abm-playbook", "/blog/buying-groups", "/security"};
  const std::vector<std::string> resources = {"/resources/abm-guide.pdf", "/resources/buying-committee.pdf",
                                              "/resources/roi-calculator.xlsx"};
  std::size_t surging = 0;
  for (const auto& g : groups) surging += g.surging ? 1 : 0;
  for (const auto& L : leads) {
    const AbmGroup& g = groups[L.group];
    const double li = L.intent;
    const std::int64_t age_days = (kAsOf - L.created) / kDay;
    const double window = age_days >= 2 ? static_cast<double>(std::min<std::int64_t>(180, age_days - 1)) : 0.5;
    const bool engaged = rng.chance(0.15 + 0.6 * li);
    const int n = engaged ? 1 + rng.binomial(16, 0.05 + 0.4 * li) : rng.binomial(3, 0.3);
    // A lead's events come in one burst of up to 30 days, more recent with more intent; an
    // account's bursts line up only when it surges (below).
    double u = rng.uniform();
    u = u * (1 - 0.5 * li) + u * u * 0.5 * li;
    const double burst_end = u * window;
    const double burst = std::min(30.0, window - burst_end);
    for (int k = 0; k < n; ++k) {
      const double back = burst_end + rng.uniform() * burst;
      const std::int64_t t = kAsOf - 1 - static_cast<std::int64_t>(back * kDay);
      const auto kind = rng.weighted({40, 12, static_cast<int>(2 + 10 * li), 7, 5});
      if (kind == 0) add(L.id, t, "page_view", rng.pick(pages));
      else if (kind == 1) add(L.id, t, "email_click", "");
      else if (kind == 2) add(L.id, t, "pricing_view", "/pricing");
      else if (kind == 3) add(L.id, t, "content_download", rng.pick(resources));
      else add(L.id, t, "webinar_attended", "");
    }
    // A surging account: most of its leads are busy in the last 14 days.
    if (g.surging && rng.chance(0.75)) {
      const int m = 2 + rng.binomial(4, 0.5);
      for (int k = 0; k < m; ++k) {
        const std::int64_t t = time_before_asof(rng, std::min(window, 14.0), 0);
        const auto kind = rng.weighted({30, 25, 15, 10, 15, 5});
        if (kind == 0) add(L.id, t, "page_view", rng.pick(pages));
        else if (kind == 1) add(L.id, t, "pricing_view", "/pricing");
        else if (kind == 2) add(L.id, t, "content_download", rng.pick(resources));
        else if (kind == 3) add(L.id, t, "webinar_attended", "");
        else if (kind == 4) add(L.id, t, "email_click", "");
        else add(L.id, t, "demo_request", "/demo");
      }
    }
    if (engaged && rng.chance(0.4 * li * li + 0.15 * g.fit * li))
      add(L.id, time_before_asof(rng, std::min(window, 60.0), 0.5), "demo_request", "/demo");
    if (engaged && rng.chance(0.05 * li)) add(L.id, time_before_asof(rng, std::min(window, 45.0), 0), "contact_sales", "/contact");
    if (rng.chance(0.03)) add(L.id, time_before_asof(rng, window, 0), "careers_view", "/careers");
    if (rng.chance(0.04 + 0.04 * (1 - li))) add(L.id, time_before_asof(rng, window, 0), "unsubscribe", "");
    if (rng.chance(0.003)) add(L.id, time_after_asof(rng), "pricing_view", "/pricing");
  }
  for (int k = 0; k < 15; ++k) {
    const std::string id = id_number("L", 90000 + rng.below(1000), 5);
    add(id, time_before_asof(rng, 180, 0), "page_view", "/");
  }
  write_events(dir / "activities.csv", {"lead_id", "type", "occurred_at", "url"}, events);
  fmt::print("abm: {} events, {} surging accounts\n", events.size(), surging);

  // Outcomes for about 40% of the accounts, closed after the as-of instant: won more often with
  // good fit and intent, rarely for agencies.
  CsvWriter w(dir / "outcomes.csv");
  w.row({"account_id", "outcome", "closed_at"});
  std::size_t won = 0;
  for (std::size_t i = 0; i < kAccounts; ++i) {
    const AbmGroup& g = groups[i];
    if (!rng.chance(0.2 + 0.4 * g.intent)) continue;
    double p = clamp01(0.03 + 0.3 * g.fit + 0.35 * g.fit * g.intent + (g.surging ? 0.2 : 0.0));
    if (accounts[i].agency) p = p * 0.3;
    const bool is_won = rng.chance(p);
    won += is_won ? 1 : 0;
    w.row({accounts[i].id, is_won ? "won" : "lost", format_date(kAsOf + rng.between(1, 120) * kDay)});
  }
  fmt::print("abm: {} outcomes ({} won)\n", w.rows() - 1, won);
}

}  // namespace

int main(int argc, char** argv) {
  std::filesystem::path out = "rules/examples/data";
  std::uint64_t seed = 42;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--out" && i + 1 < argc) {
      out = argv[++i];
    } else if (a == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else {
      fmt::print(stderr, "usage: make_examples [--out DIR] [--seed N]\n");
      return 2;
    }
  }
  for (const char* name : {"b2b-saas", "product-led", "enterprise", "abm"}) std::filesystem::create_directories(out / name);
  make_b2b_saas(out / "b2b-saas", seed);
  make_product_led(out / "product-led", seed);
  make_enterprise(out / "enterprise", seed);
  make_abm(out / "abm", seed);
  return 0;
}

#include "calibrate/weights.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

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

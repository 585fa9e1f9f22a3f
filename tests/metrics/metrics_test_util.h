// Reading samples back out of collected metric families, for the metrics tests.
#ifndef LOGCHAIN_TESTS_METRICS_METRICS_TEST_UTIL_H_
#define LOGCHAIN_TESTS_METRICS_METRICS_TEST_UTIL_H_

#include <prometheus/metric_family.h>

#include <map>
#include <string>
#include <vector>

namespace logchain::metrics::testing {

using Labels = std::map<std::string, std::string>;

inline const prometheus::MetricFamily* FindFamily(
    const std::vector<prometheus::MetricFamily>& families, const std::string& name) {
  for (const auto& f : families) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

/// The series of `name` whose labels are exactly `labels`, or null.
inline const prometheus::ClientMetric* FindSeries(
    const std::vector<prometheus::MetricFamily>& families, const std::string& name,
    const Labels& labels) {
  const prometheus::MetricFamily* f = FindFamily(families, name);
  if (f == nullptr) return nullptr;
  for (const auto& m : f->metric) {
    Labels got;
    for (const auto& l : m.label) got[l.name] = l.value;
    if (got == labels) return &m;
  }
  return nullptr;
}

/// A counter's value, or -1 when the series does not exist.
inline double CounterOf(const std::vector<prometheus::MetricFamily>& families,
                        const std::string& name, const Labels& labels = {}) {
  const prometheus::ClientMetric* m = FindSeries(families, name, labels);
  return m == nullptr ? -1 : m->counter.value;
}

}  // namespace logchain::metrics::testing

#endif  // LOGCHAIN_TESTS_METRICS_METRICS_TEST_UTIL_H_

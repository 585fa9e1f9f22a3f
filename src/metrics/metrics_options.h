// What the user asked of logchain's metrics (--metrics-listen,
// --metrics-textfile, --metrics-route and their configuration-file keys).
#ifndef LOGCHAIN_METRICS_METRICS_OPTIONS_H_
#define LOGCHAIN_METRICS_METRICS_OPTIONS_H_

#include <cstddef>
#include <string>
#include <vector>

namespace logchain {

struct MetricsOptions {
  /// "ADDR:PORT" to serve /metrics on; empty: no endpoint (the default).
  std::string listen;
  /// File the metrics are written to at exit (atomically); empty: none.
  std::string textfile;
  /// Path templates for the route label; empty: no route label.
  std::vector<std::string> routes;
  /// How many distinct logger names get their own log_records_total series.
  size_t max_loggers = 64;

  bool enabled() const { return !listen.empty() || !textfile.empty(); }
};

}  // namespace logchain

#endif  // LOGCHAIN_METRICS_METRICS_OPTIONS_H_

// OpenMetrics 1.0 text for what prometheus-cpp collects, and the choice
// between it and the Prometheus text format by a scraper's Accept header.
//
// prometheus-cpp (1.0.1, Debian 12) writes only the Prometheus text format
// 0.0.4; Prometheus asks for OpenMetrics first. The two differ in framing:
// a counter family is named without its "_total" suffix, which its samples
// carry; "unknown" replaces "untyped"; the exposition ends with "# EOF".
#ifndef LOGCHAIN_METRICS_OPENMETRICS_H_
#define LOGCHAIN_METRICS_OPENMETRICS_H_

#include <prometheus/metric_family.h>

#include <string>
#include <string_view>
#include <vector>

namespace logchain::metrics {

inline constexpr std::string_view kOpenMetricsContentType =
    "application/openmetrics-text; version=1.0.0; charset=utf-8";
inline constexpr std::string_view kPrometheusTextContentType =
    "text/plain; version=0.0.4; charset=utf-8";

/// The families in the OpenMetrics text format, "# EOF" included.
std::string OpenMetricsText(const std::vector<prometheus::MetricFamily>& families);

/// True when an HTTP Accept header prefers OpenMetrics to the Prometheus
/// text format (by quality value; a tie, or no Accept, is the text format).
bool PrefersOpenMetrics(std::string_view accept);

}  // namespace logchain::metrics

#endif  // LOGCHAIN_METRICS_OPENMETRICS_H_

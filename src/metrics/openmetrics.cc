#include "metrics/openmetrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace logchain::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricType;

void AppendNumber(double value, std::string& out) {
  if (std::isnan(value)) {
    out += "NaN";
  } else if (std::isinf(value)) {
    out += value > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    const auto result = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, result.ptr);
  }
}

void AppendCount(uint64_t value, std::string& out) {
  char buf[24];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, result.ptr);
}

// Label values and HELP text escape backslash, double quote and line feed.
void AppendEscaped(std::string_view text, std::string& out) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// name{labels[,extra_name="extra_value"]} value
void AppendSample(std::string_view name, std::string_view suffix, const ClientMetric& metric,
                  std::string_view extra_name, std::string_view extra_value, std::string& out) {
  out.append(name).append(suffix);
  if (!metric.label.empty() || !extra_name.empty()) {
    out += '{';
    bool first = true;
    for (const ClientMetric::Label& label : metric.label) {
      if (!first) out += ',';
      first = false;
      out.append(label.name).append("=\"");
      AppendEscaped(label.value, out);
      out += '"';
    }
    if (!extra_name.empty()) {
      if (!first) out += ',';
      out.append(extra_name).append("=\"").append(extra_value).append("\"");
    }
    out += '}';
  }
  out += ' ';
}

// The _sum and _count samples that end a summary's or a histogram's metric.
void AppendSumAndCount(std::string_view name, const ClientMetric& metric, double sum,
                       uint64_t count, std::string& out) {
  AppendSample(name, "_sum", metric, {}, {}, out);
  AppendNumber(sum, out);
  out += '\n';
  AppendSample(name, "_count", metric, {}, {}, out);
  AppendCount(count, out);
  out += '\n';
}

std::string BoundText(double bound) {
  std::string text;
  AppendNumber(bound, text);
  return text;
}

std::string_view TypeName(MetricType type) {
  switch (type) {
    case MetricType::Counter:
      return "counter";
    case MetricType::Gauge:
      return "gauge";
    case MetricType::Summary:
      return "summary";
    case MetricType::Histogram:
      return "histogram";
    case MetricType::Untyped:
      break;
  }
  return "unknown";
}

// The q value of one media range ("type/subtype;q=0.5;version=1.0.0").
double Quality(std::string_view range) {
  size_t at = range.find(';');
  while (at != std::string_view::npos) {
    range.remove_prefix(at + 1);
    const size_t start = range.find_first_not_of(' ');
    if (start != std::string_view::npos && range.substr(start, 2) == "q=") {
      return std::strtod(std::string(range.substr(start + 2, range.find(';') - start - 2)).c_str(),
                         nullptr);
    }
    at = range.find(';');
  }
  return 1.0;
}

}  // namespace

std::string OpenMetricsText(const std::vector<prometheus::MetricFamily>& families) {
  std::string out;
  for (const prometheus::MetricFamily& family : families) {
    std::string_view name = family.name;
    if (family.type == MetricType::Counter && name.ends_with("_total")) {
      name.remove_suffix(6);
    }
    out.append("# TYPE ").append(name).append(" ").append(TypeName(family.type)) += '\n';
    if (!family.help.empty()) {
      out.append("# HELP ").append(name).append(" ");
      AppendEscaped(family.help, out);
      out += '\n';
    }
    for (const ClientMetric& metric : family.metric) {
      switch (family.type) {
        case MetricType::Counter:
          AppendSample(name, "_total", metric, {}, {}, out);
          AppendNumber(metric.counter.value, out);
          out += '\n';
          break;
        case MetricType::Gauge:
          AppendSample(name, "", metric, {}, {}, out);
          AppendNumber(metric.gauge.value, out);
          out += '\n';
          break;
        case MetricType::Untyped:
          AppendSample(name, "", metric, {}, {}, out);
          AppendNumber(metric.untyped.value, out);
          out += '\n';
          break;
        case MetricType::Summary:
          for (const ClientMetric::Quantile& q : metric.summary.quantile) {
            AppendSample(name, "", metric, "quantile", BoundText(q.quantile), out);
            AppendNumber(q.value, out);
            out += '\n';
          }
          AppendSumAndCount(name, metric, metric.summary.sample_sum, metric.summary.sample_count,
                            out);
          break;
        case MetricType::Histogram: {
          bool has_inf = false;
          for (const ClientMetric::Bucket& b : metric.histogram.bucket) {
            has_inf = has_inf || std::isinf(b.upper_bound);
            AppendSample(name, "_bucket", metric, "le", BoundText(b.upper_bound), out);
            AppendCount(b.cumulative_count, out);
            out += '\n';
          }
          if (!has_inf) {  // OpenMetrics requires the +Inf bucket
            AppendSample(name, "_bucket", metric, "le", "+Inf", out);
            AppendCount(metric.histogram.sample_count, out);
            out += '\n';
          }
          AppendSumAndCount(name, metric, metric.histogram.sample_sum,
                            metric.histogram.sample_count, out);
          break;
        }
      }
    }
  }
  out += "# EOF\n";
  return out;
}

bool PrefersOpenMetrics(std::string_view accept) {
  double open_metrics = 0;
  double text = 0;
  while (!accept.empty()) {
    const size_t comma = accept.find(',');
    std::string_view range = accept.substr(0, comma);
    accept.remove_prefix(comma == std::string_view::npos ? accept.size() : comma + 1);
    const size_t start = range.find_first_not_of(' ');
    if (start == std::string_view::npos) continue;
    range.remove_prefix(start);
    const std::string_view type = range.substr(0, range.find_first_of("; "));
    const double q = Quality(range);
    if (type == "application/openmetrics-text") {
      open_metrics = std::max(open_metrics, q);
    } else if (type == "text/plain" || type == "text/*" || type == "*/*") {
      text = std::max(text, q);
    }
  }
  return open_metrics > text;
}

}  // namespace logchain::metrics

#include "metrics/openmetrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace logchain::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily Family(std::string name, std::string help, MetricType type) {
  MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  return family;
}

TEST(OpenMetricsTest, CounterFamilyLosesItsTotalSuffixWhichItsSamplesCarry) {
  MetricFamily family = Family("http_requests_total", "Requests.", MetricType::Counter);
  ClientMetric metric;
  metric.label = {{"method", "GET"}, {"status", "200"}};
  metric.counter.value = 3;
  family.metric.push_back(metric);
  EXPECT_EQ(
      "# TYPE http_requests counter\n"
      "# HELP http_requests Requests.\n"
      "http_requests_total{method=\"GET\",status=\"200\"} 3\n"
      "# EOF\n",
      OpenMetricsText({family}));
}

TEST(OpenMetricsTest, HistogramGaugeAndUnknown) {
  MetricFamily sizes = Family("size_bytes", "Sizes.", MetricType::Histogram);
  ClientMetric h;
  h.histogram.sample_count = 3;
  h.histogram.sample_sum = 1500.5;
  h.histogram.bucket = {{1, 128}, {3, std::numeric_limits<double>::infinity()}};
  sizes.metric.push_back(h);
  MetricFamily last = Family("last_seconds", "", MetricType::Gauge);
  ClientMetric g;
  g.gauge.value = 0.25;
  last.metric.push_back(g);
  MetricFamily other = Family("other", "Other.", MetricType::Untyped);
  ClientMetric u;
  u.untyped.value = std::nan("");
  other.metric.push_back(u);
  EXPECT_EQ(
      "# TYPE size_bytes histogram\n"
      "# HELP size_bytes Sizes.\n"
      "size_bytes_bucket{le=\"128\"} 1\n"
      "size_bytes_bucket{le=\"+Inf\"} 3\n"
      "size_bytes_sum 1500.5\n"
      "size_bytes_count 3\n"
      "# TYPE last_seconds gauge\n"
      "last_seconds 0.25\n"
      "# TYPE other unknown\n"
      "# HELP other Other.\n"
      "other NaN\n"
      "# EOF\n",
      OpenMetricsText({sizes, last, other}));
}

TEST(OpenMetricsTest, AHistogramWithoutAnInfBucketGetsOne) {
  MetricFamily sizes = Family("d_seconds", "", MetricType::Histogram);
  ClientMetric h;
  h.histogram.sample_count = 2;
  h.histogram.bucket = {{1, 0.5}};
  sizes.metric.push_back(h);
  EXPECT_NE(std::string::npos, OpenMetricsText({sizes}).find("d_seconds_bucket{le=\"+Inf\"} 2\n"));
}

TEST(OpenMetricsTest, LabelValuesAndHelpAreEscaped) {
  MetricFamily family = Family("x", "a \\ b\nc \"d\"", MetricType::Gauge);
  ClientMetric metric;
  metric.label = {{"route", "/a\"b\\c\nd"}};
  family.metric.push_back(metric);
  EXPECT_EQ(
      "# TYPE x gauge\n"
      "# HELP x a \\\\ b\\nc \\\"d\\\"\n"
      "x{route=\"/a\\\"b\\\\c\\nd\"} 0\n"
      "# EOF\n",
      OpenMetricsText({family}));
}

TEST(OpenMetricsTest, SummaryQuantilesSumAndCount) {
  MetricFamily family = Family("lat", "", MetricType::Summary);
  ClientMetric metric;
  metric.summary.sample_count = 2;
  metric.summary.sample_sum = 3;
  metric.summary.quantile = {{0.5, 1}};
  family.metric.push_back(metric);
  EXPECT_EQ(
      "# TYPE lat summary\n"
      "lat{quantile=\"0.5\"} 1\n"
      "lat_sum 3\n"
      "lat_count 2\n"
      "# EOF\n",
      OpenMetricsText({family}));
}

TEST(OpenMetricsTest, TheAcceptHeaderChoosesTheFormat) {
  // What Prometheus 2.x sends.
  EXPECT_TRUE(PrefersOpenMetrics(
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;"
      "q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
  EXPECT_TRUE(PrefersOpenMetrics("application/openmetrics-text; version=1.0.0"));
  EXPECT_FALSE(PrefersOpenMetrics(""));
  EXPECT_FALSE(PrefersOpenMetrics("*/*"));
  EXPECT_FALSE(PrefersOpenMetrics("text/plain"));
  EXPECT_FALSE(PrefersOpenMetrics("text/plain;q=1, application/openmetrics-text;q=0.5"));
  EXPECT_FALSE(PrefersOpenMetrics("application/openmetrics-text;q=0, text/plain;q=0.1"));
}

}  // namespace
}  // namespace logchain::metrics

#include "metrics/shard.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "metrics/hub.h"
#include "metrics/metrics_test_util.h"
#include "test_util.h"

namespace logchain::metrics {
namespace {

using logchain::testing::ConfigFor;
using logchain::testing::RunText;
using testing::CounterOf;
using testing::FindFamily;
using testing::FindSeries;

PipelineConfig Default() {
  PipelineConfig c;
  c.chain = DefaultChainConfig();
  return c;
}

std::string Access(std::string_view request, int status, std::string_view size) {
  return "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"" + std::string(request) + "\" " +
         std::to_string(status) + " " + std::string(size) + " \"-\" \"curl/7.88.1\"\n";
}

std::unique_ptr<MetricsHub> Hub(std::vector<std::string> templates = {}, size_t loggers = 64) {
  RouteTable routes;
  Diagnostics d;
  EXPECT_TRUE(RouteTable::Build(templates, "test", &routes, d));
  return std::make_unique<MetricsHub>(std::move(routes), loggers, &logchain::testing::TestClock());
}

TEST(ShardTest, CountsRequestsByMethodAndStatus) {
  const std::string input =
      Access("GET / HTTP/1.1", 200, "10") + Access("GET /a HTTP/1.1", 200, "20") +
      Access("POST /form HTTP/1.1", 302, "-") + Access("GET /missing HTTP/1.1", 404, "5") +
      Access("BREW /pot HTCPCP/1.0", 418, "0") + Access("\\x16\\x03\\x01", 400, "0") +
      "[2019-08-15 14:19:14 +0000] [30099] [INFO] Booting worker\n";
  auto hub = Hub();
  const auto r = RunText(Default(), input, hub.get());
  ASSERT_TRUE(r.ok);
  const auto families = hub->Collect();
  EXPECT_EQ(2, CounterOf(families, "http_requests_total", {{"method", "GET"}, {"status", "200"}}));
  EXPECT_EQ(1, CounterOf(families, "http_requests_total", {{"method", "POST"}, {"status", "302"}}));
  EXPECT_EQ(1, CounterOf(families, "http_requests_total", {{"method", "GET"}, {"status", "404"}}));
  EXPECT_EQ(1,
            CounterOf(families, "http_requests_total", {{"method", "other"}, {"status", "418"}}));
  EXPECT_EQ(1,
            CounterOf(families, "http_requests_total", {{"method", "other"}, {"status", "400"}}));
  EXPECT_EQ(5u, FindFamily(families, "http_requests_total")->metric.size());

  const auto* size = FindSeries(families, "http_response_size_bytes", {});
  ASSERT_NE(nullptr, size);
  EXPECT_EQ(6u, size->histogram.sample_count);
  EXPECT_EQ(35, size->histogram.sample_sum);
  ASSERT_EQ(kSizeBounds.size() + 1, size->histogram.bucket.size());
  EXPECT_EQ(6u, size->histogram.bucket.front().cumulative_count);  // all <= 128 bytes
  EXPECT_TRUE(std::isinf(size->histogram.bucket.back().upper_bound));
  // No duration in gunicorn's default format: no duration series at all.
  EXPECT_EQ(nullptr, FindFamily(families, "http_request_duration_seconds"));

  EXPECT_EQ(6, CounterOf(families, "log_records_total",
                         {{"logger", "gunicorn.access"}, {"level", "info"}}));
  EXPECT_EQ(1, CounterOf(families, "log_records_total",
                         {{"logger", "gunicorn.error"}, {"level", "info"}}));
  EXPECT_EQ(7, CounterOf(families, "logchain_lines_read_total"));
  EXPECT_EQ(7, CounterOf(families, "logchain_records_written_total"));
  EXPECT_EQ(0,
            CounterOf(families, "logchain_parse_failures_total", {{"parser", "parse_combined"}}));
  EXPECT_EQ(static_cast<double>(input.size()), CounterOf(families, "logchain_input_bytes_total"));
  EXPECT_EQ(static_cast<double>(r.output.size()),
            CounterOf(families, "logchain_output_bytes_total"));
}

TEST(ShardTest, TheMethodIsTheRequestsFirstWord) {
  // Requests shorter and longer than a word, methods of every length from
  // three to eight bytes, leading spaces, no space at all.
  const std::string input =
      Access("GET /", 200, "1") + Access("PUT", 200, "1") + Access("  PUT /x HTTP/1.1", 200, "1") +
      Access("OPTIONS * HTTP/1.1", 200, "1") + Access("DELETE /items/1 HTTP/1.1", 204, "0") +
      Access("CONNECT example.com:443 HTTP/1.1", 200, "1") +
      Access("PROPFIND /dav HTTP/1.1", 207, "1") + Access("PATCHING /x HTTP/1.1", 200, "1") +
      Access("GETTING", 200, "1") + Access("HEAD\t/ HTTP/1.1", 200, "1");
  auto hub = Hub();
  ASSERT_TRUE(RunText(Default(), input, hub.get()).ok);
  const auto families = hub->Collect();
  EXPECT_EQ(1, CounterOf(families, "http_requests_total", {{"method", "GET"}, {"status", "200"}}));
  EXPECT_EQ(2, CounterOf(families, "http_requests_total", {{"method", "PUT"}, {"status", "200"}}));
  EXPECT_EQ(1,
            CounterOf(families, "http_requests_total", {{"method", "OPTIONS"}, {"status", "200"}}));
  EXPECT_EQ(1,
            CounterOf(families, "http_requests_total", {{"method", "DELETE"}, {"status", "204"}}));
  EXPECT_EQ(1,
            CounterOf(families, "http_requests_total", {{"method", "CONNECT"}, {"status", "200"}}));
  EXPECT_EQ(1,
            CounterOf(families, "http_requests_total", {{"method", "other"}, {"status", "207"}}));
  // PATCHING, GETTING, and HEAD followed by an escaped tab (not a space).
  EXPECT_EQ(3,
            CounterOf(families, "http_requests_total", {{"method", "other"}, {"status", "200"}}));
}

TEST(ShardTest, FieldsAreReadAsFindReadsThem) {
  // Of duplicate members the last counts; a field the chain appended comes
  // before the line's own members (add_logger_name adds none here: the line
  // has a logger), and a member is found whatever its place in the line.
  const std::string input =
      R"({"status": 500, "method": "GET", "status": 201, "logger": "a", "level": "info", "logger": "b"})"
      "\n"
      R"({"method": "PUT", "event": "x", "level": "warning", "request": "GET / HTTP/1.1", "status": 202})"
      "\n";
  auto hub = Hub();
  ASSERT_TRUE(RunText(ConfigFor("add_log_level,add_logger_name"), input, hub.get()).ok);
  const auto families = hub->Collect();
  EXPECT_EQ(1, CounterOf(families, "http_requests_total", {{"method", "GET"}, {"status", "201"}}));
  EXPECT_EQ(1, CounterOf(families, "http_requests_total", {{"method", "PUT"}, {"status", "202"}}));
  EXPECT_EQ(2u, FindFamily(families, "http_requests_total")->metric.size());
  EXPECT_EQ(1, CounterOf(families, "log_records_total", {{"logger", "b"}, {"level", "info"}}));
  EXPECT_EQ(1, CounterOf(families, "log_records_total", {{"logger", "app"}, {"level", "warning"}}));
}

TEST(ShardTest, MetricsNeverChangeTheOutput) {
  std::string input;
  for (int i = 0; i < 300; ++i) {
    input += Access(i % 3 == 0 ? "POST /x HTTP/1.1" : "GET /y?z=1 HTTP/1.1", 200 + i % 5, "123");
    input +=
        R"({"event": "hi", "level": "WARNING", "logger": "app", "status": 500, "method": "GET", "request_time_ms": 12})"
        "\n";
    input += "plain text from print()\n";
  }
  auto hub = Hub({"/x"});
  const auto with = RunText(Default(), input, hub.get());
  const auto without = RunText(Default(), input);
  ASSERT_TRUE(with.ok && without.ok);
  EXPECT_EQ(without.output, with.output);
  EXPECT_EQ(900, CounterOf(hub->Collect(), "logchain_records_written_total"));
}

TEST(ShardTest, DurationsFromTheFieldsFormatsWrite) {
  // JSON lines stand in for a format that carries a duration (gunicorn %(D)s,
  // %(M)s, %(L)s; nginx $request_time): the same field names either way.
  const std::string input =
      R"({"event": "a", "status": 200, "method": "GET", "request_time_us": 1500, "size": 10})"
      "\n"
      R"({"event": "b", "status": 200, "method": "GET", "request_time_ms": 30})"
      "\n"
      R"({"event": "c", "status": 200, "request": "GET /slow HTTP/1.1", "request_time": "0.75"})"
      "\n"
      R"({"event": "d", "status": 200, "method": "GET", "request_time": 12})"
      "\n"
      R"({"event": "e", "status": "503", "method": "GET", "request_time_us": 2, "request_time": 99})"
      "\n"
      R"({"event": "f", "status": 200, "method": "GET", "request_time": "soon"})"
      "\n"
      R"({"event": "g", "status": 200})"
      "\n";  // no method: not an access record
  auto hub = Hub();
  ASSERT_TRUE(RunText(ConfigFor("add_log_level"), input, hub.get()).ok);
  const auto families = hub->Collect();
  EXPECT_EQ(5, CounterOf(families, "http_requests_total", {{"method", "GET"}, {"status", "200"}}));
  EXPECT_EQ(1, CounterOf(families, "http_requests_total", {{"method", "GET"}, {"status", "503"}}));
  const auto* d = FindSeries(families, "http_request_duration_seconds", {});
  ASSERT_NE(nullptr, d);
  EXPECT_EQ(5u, d->histogram.sample_count);  // "soon" is not a duration
  EXPECT_NEAR(0.0015 + 0.030 + 0.75 + 12 + 0.000002, d->histogram.sample_sum, 1e-9);
  // le=0.005: 1.5 ms and 2 us; le=0.05: + 30 ms; le=1: + 0.75 s; le=10: same; +Inf: 12 s.
  EXPECT_EQ(2u, d->histogram.bucket[0].cumulative_count);
  EXPECT_EQ(3u, d->histogram.bucket[3].cumulative_count);
  EXPECT_EQ(4u, d->histogram.bucket[7].cumulative_count);
  EXPECT_EQ(4u, d->histogram.bucket[10].cumulative_count);
  EXPECT_EQ(5u, d->histogram.bucket[11].cumulative_count);
  const auto* size = FindSeries(families, "http_response_size_bytes", {});
  ASSERT_NE(nullptr, size);
  EXPECT_EQ(1u, size->histogram.sample_count);  // only "a" carries a size
}

TEST(ShardTest, RouteLabelFromTemplates) {
  const std::string input = Access("GET /api/items/1 HTTP/1.1", 200, "1") +
                            Access("GET /api/items/2?x=1 HTTP/1.1", 200, "1") +
                            Access("DELETE /api/items/3 HTTP/1.1", 204, "-") +
                            Access("GET /random/9f8e HTTP/1.1", 404, "1") +
                            Access("GET /other HTTP/1.1", 404, "1");
  auto hub = Hub({"/api/items/{id}"});
  ASSERT_TRUE(RunText(Default(), input, hub.get()).ok);
  const auto families = hub->Collect();
  EXPECT_EQ(2, CounterOf(families, "http_requests_total",
                         {{"method", "GET"}, {"status", "200"}, {"route", "/api/items/{id}"}}));
  EXPECT_EQ(1, CounterOf(families, "http_requests_total",
                         {{"method", "DELETE"}, {"status", "204"}, {"route", "/api/items/{id}"}}));
  EXPECT_EQ(2, CounterOf(families, "http_requests_total",
                         {{"method", "GET"}, {"status", "404"}, {"route", "other"}}));
  const auto* items =
      FindSeries(families, "http_response_size_bytes", {{"route", "/api/items/{id}"}});
  const auto* other = FindSeries(families, "http_response_size_bytes", {{"route", "other"}});
  ASSERT_NE(nullptr, items);
  ASSERT_NE(nullptr, other);
  EXPECT_EQ(3u, items->histogram.sample_count);
  EXPECT_EQ(2u, other->histogram.sample_count);
}

TEST(ShardTest, LoggerAndLevelLabelsStayBounded) {
  std::string input;
  for (int i = 0; i < 200; ++i) {
    input += R"({"event": "e", "logger": "req.)" + std::to_string(i) + R"(", "level": "lvl)" +
             std::to_string(i) + "\"}\n";
  }
  input += R"({"event": "no logger or level"})"
           "\n";
  auto hub = Hub({}, 3);
  ASSERT_TRUE(RunText(ConfigFor("add_timestamp"), input, hub.get()).ok);
  const auto families = hub->Collect();
  const auto* f = FindFamily(families, "log_records_total");
  ASSERT_NE(nullptr, f);
  EXPECT_EQ(5u, f->metric.size());  // req.0, req.1, req.2, other, none
  EXPECT_EQ(197,
            CounterOf(families, "log_records_total", {{"logger", "other"}, {"level", "other"}}));
  EXPECT_EQ(1, CounterOf(families, "log_records_total", {{"logger", "req.0"}, {"level", "other"}}));
  EXPECT_EQ(1, CounterOf(families, "log_records_total", {{"logger", "none"}, {"level", "none"}}));
}

TEST(ShardTest, EveryLoggerAndLevelPairIsCountedApart) {
  // Each pair of a logger label (three admitted names, other, none) and a
  // level label (the five names, other, none) gets a count of its own, so
  // that two pairs sharing a counter would show.
  const std::string_view levels[] = {"debug", "info", "warning", "error", "critical", "bogus", ""};
  const std::string_view level_labels[] = {"debug", "info",  "warning", "error",
                                           "critical", "other", "none"};
  std::string input;
  auto times = [](int logger, int level) { return logger * 7 + level + 1; };
  for (int logger = 0; logger <= 5; ++logger) {  // a0-a2 admitted, a3 and a4 other, 5: none
    for (int level = 0; level < 7; ++level) {
      std::string line = R"({"event": "e")";
      if (logger < 5) line += R"(, "logger": "a)" + std::to_string(logger) + "\"";
      if (!levels[level].empty()) line += R"(, "level": ")" + std::string(levels[level]) + "\"";
      line += "}\n";
      for (int k = 0; k < times(logger, level); ++k) input += line;
    }
  }
  auto hub = Hub({}, 3);
  ASSERT_TRUE(RunText(ConfigFor("add_timestamp"), input, hub.get()).ok);
  const auto families = hub->Collect();
  const auto* f = FindFamily(families, "log_records_total");
  ASSERT_NE(nullptr, f);
  EXPECT_EQ(35u, f->metric.size());
  for (int level = 0; level < 7; ++level) {
    const std::string label(level_labels[level]);
    for (int logger = 0; logger < 3; ++logger) {
      EXPECT_EQ(times(logger, level),
                CounterOf(families, "log_records_total",
                          {{"logger", "a" + std::to_string(logger)}, {"level", label}}))
          << logger << " " << label;
    }
    EXPECT_EQ(times(3, level) + times(4, level),
              CounterOf(families, "log_records_total", {{"logger", "other"}, {"level", label}}))
        << label;
    EXPECT_EQ(times(5, level),
              CounterOf(families, "log_records_total", {{"logger", "none"}, {"level", label}}))
        << label;
  }
}

TEST(ShardTest, ParseFailuresByParser) {
  const std::string input = Access("GET / HTTP/1.1", 200, "1") +
                            "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.1\" 200\n";
  auto hub = Hub();
  ASSERT_TRUE(RunText(Default(), input, hub.get()).ok);
  const auto families = hub->Collect();
  EXPECT_EQ(1,
            CounterOf(families, "logchain_parse_failures_total", {{"parser", "parse_combined"}}));
  EXPECT_EQ(1, CounterOf(families, "logchain_processor_failures_total",
                         {{"processor", "parse_combined"}}));
  EXPECT_EQ(0, CounterOf(families, "logchain_processor_failures_total",
                         {{"processor", "add_log_level"}}));
  EXPECT_EQ(1, CounterOf(families, "http_requests_total", {{"method", "GET"}, {"status", "200"}}));
}

TEST(ShardTest, FoldedTracebacksAreCountedOnce) {
  const std::string input =
      "[2019-08-15 14:19:14 +0000] [1] [ERROR] Error handling request /x\n"
      "Traceback (most recent call last):\n"
      "  File \"app.py\", line 1, in <module>\n"
      "ZeroDivisionError: division by zero\n";
  auto hub = Hub();
  ASSERT_TRUE(RunText(Default(), input, hub.get()).ok);
  const auto families = hub->Collect();
  EXPECT_EQ(4, CounterOf(families, "logchain_lines_read_total"));
  EXPECT_EQ(3, CounterOf(families, "logchain_lines_folded_total"));
  EXPECT_EQ(1, CounterOf(families, "logchain_records_written_total"));
  EXPECT_EQ(1, CounterOf(families, "log_records_total",
                         {{"logger", "gunicorn.error"}, {"level", "error"}}));
}

TEST(SeriesCountsTest, KeysThatShareARecentSlotAreCountedApart) {
  // Far more keys than recent slots, interleaved so that slots are taken
  // over again and again: every count must still land on its own key, and
  // each counted series is listed once.
  SeriesCounts<uint32_t> counts;
  constexpr uint32_t kKeys = 1000;
  for (int round = 0; round < 3; ++round) {
    for (uint32_t key = 0; key < kKeys; ++key) {
      for (uint32_t times = 0; times <= key % 4; ++times) {
        counts.Increment(RequestKey(key % 10, key, 0));
      }
    }
  }
  ASSERT_EQ(kKeys, counts.counted().size());
  for (const auto& [key, count] : counts.counted()) {
    EXPECT_EQ(3u * (RequestStatus(key) % 4 + 1), *count) << key;
  }
  // After Clear() only what is counted again is listed, from zero.
  counts.Clear();
  EXPECT_TRUE(counts.counted().empty());
  counts.Increment(RequestKey(1, 1, 0));
  counts.Increment(RequestKey(1, 1, 0));
  ASSERT_EQ(1u, counts.counted().size());
  EXPECT_EQ(RequestKey(1, 1, 0), counts.counted()[0].key);
  EXPECT_EQ(2u, *counts.counted()[0].count);
}

TEST(HistogramCountsTest, ValuesFallInTheFirstBucketWhoseBoundTheyDoNotExceed) {
  HistogramCounts h(kSizeBounds.size());
  for (const double value : {0.0, 128.0, 129.0, 8388608.0, 8388609.0, 1e12}) {
    h.Observe(value, kSizeBounds, kSizeUnits);
  }
  // Buckets are not cumulative: <=128 twice, (128, 512] once, (2 MiB, 8 MiB]
  // once, above the last bound twice.
  const std::vector<uint64_t> expected = {2, 1, 0, 0, 0, 0, 0, 0, 1, 2};
  EXPECT_EQ(expected, h.buckets);
  EXPECT_EQ(6u, h.count);
}

TEST(HistogramCountsTest, WholeSizesFallInTheBucketsTheComparisonsGive) {
  std::vector<uint64_t> sizes = {0, 1, 2, 3, 1ull << 62, UINT64_MAX};
  for (const double bound : kSizeBounds) {
    const auto b = static_cast<uint64_t>(bound);
    sizes.insert(sizes.end(), {b - 1, b, b + 1, b * 2, b * 3});
  }
  for (const uint64_t size : sizes) {
    HistogramCounts by_compare(kSizeBounds.size());
    HistogramCounts by_width(kSizeBounds.size());
    by_compare.Observe(static_cast<double>(size), kSizeBounds, kSizeUnits);
    by_width.ObserveSize(size);
    EXPECT_EQ(by_compare.buckets, by_width.buckets) << size;
    if (size < (1ull << 53)) {  // a double holds it exactly
      EXPECT_EQ(by_compare.sum_units, by_width.sum_units) << size;
    }
  }
}

}  // namespace
}  // namespace logchain::metrics

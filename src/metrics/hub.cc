#include "metrics/hub.h"

#include <fcntl.h>
#include <prometheus/text_serializer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>

#include "pipeline/chain.h"

namespace logchain::metrics {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily Family(std::string name, std::string help, MetricType type) {
  MetricFamily f;
  f.name = std::move(name);
  f.help = std::move(help);
  f.type = type;
  return f;
}

ClientMetric CounterValue(double value, std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric m;
  m.label = std::move(labels);
  m.counter.value = value;
  return m;
}

ClientMetric HistogramValue(const HistogramCounts& h, std::span<const double> bounds, double units,
                            std::vector<ClientMetric::Label> labels) {
  ClientMetric m;
  m.label = std::move(labels);
  m.histogram.sample_count = h.count;
  m.histogram.sample_sum = static_cast<double>(h.sum_units) / units;
  uint64_t cumulative = 0;
  for (size_t i = 0; i < h.buckets.size(); ++i) {
    cumulative += h.buckets[i];
    ClientMetric::Bucket b;
    b.cumulative_count = cumulative;
    b.upper_bound = i < bounds.size() ? bounds[i] : std::numeric_limits<double>::infinity();
    m.histogram.bucket.push_back(b);
  }
  return m;
}

void SortSeries(MetricFamily& family) {
  std::sort(family.metric.begin(), family.metric.end(),
            [](const ClientMetric& a, const ClientMetric& b) { return a.label < b.label; });
}

double AsDouble(uint64_t n) { return static_cast<double>(n); }

}  // namespace

MetricsHub::MetricsHub(RouteTable routes, size_t max_loggers, const Clock* clock)
    : routes_(std::move(routes)), loggers_(max_loggers), clock_(clock) {}

std::unique_ptr<MetricsShard> MetricsHub::NewShard() {
  std::lock_guard<std::mutex> lock(mutex_);
  sources_.emplace_back();
  return std::make_unique<MetricsShard>(this, sources_.size() - 1);
}

void MetricsHub::Merge(const MetricsShard& shard, const Stats& stats, const Chain& chain) {
  std::lock_guard<std::mutex> lock(mutex_);
  Source& source = sources_[shard.source_];
  if (stats.records > source.stats.records) last_record_ = clock_->Now();
  source.stats = stats;
  source.failures.resize(chain.size());
  for (size_t i = 0; i < chain.size(); ++i) {
    if (source.failures[i].first != chain.name(i)) source.failures[i].first = chain.name(i);
    source.failures[i].second = chain.counts(i).failed;
  }
  if (!shard.observed_) return;
  for (const auto& [key, count] : shard.requests_.counted()) requests_[key] += *count;
  for (const auto& [key, count] : shard.routed_requests_.counted()) requests_[key] += *count;
  for (const auto& [key, count] : shard.log_records_.counted()) log_records_[key] += *count;
  for (uint32_t route = 0; route < shard.sizes_.size(); ++route) {
    if (shard.sizes_[route].count != 0) {
      sizes_.try_emplace(route, kSizeBounds.size()).first->second.Add(shard.sizes_[route]);
    }
    if (shard.durations_[route].count != 0) {
      durations_.try_emplace(route, kDurationBounds.size())
          .first->second.Add(shard.durations_[route]);
    }
  }
}

std::vector<MetricFamily> MetricsHub::Collect() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<MetricFamily> out;
  const bool with_route = !routes_.empty();
  auto route_label = [&](uint32_t route) {
    return std::vector<ClientMetric::Label>{{"route", std::string(routes_.Label(route))}};
  };
  auto keep = [&out](MetricFamily&& family) {
    if (family.metric.empty()) return;
    SortSeries(family);
    out.push_back(std::move(family));
  };

  MetricFamily requests =
      Family("http_requests_total",
             "HTTP requests seen in access records, by method, status code and route.",
             MetricType::Counter);
  for (const auto& [key, count] : requests_) {
    std::vector<ClientMetric::Label> labels = {
        {"method", std::string(MethodLabel(RequestMethod(key)))},
        {"status", StatusLabel(RequestStatus(key))}};
    if (with_route) labels.push_back({"route", std::string(routes_.Label(RequestRoute(key)))});
    requests.metric.push_back(CounterValue(AsDouble(count), std::move(labels)));
  }
  keep(std::move(requests));

  MetricFamily sizes =
      Family("http_response_size_bytes", "Response body sizes in bytes, from access records.",
             MetricType::Histogram);
  for (const auto& [route, h] : sizes_) {
    sizes.metric.push_back(HistogramValue(
        h, kSizeBounds, kSizeUnits, with_route ? route_label(route) : decltype(route_label(0)){}));
  }
  keep(std::move(sizes));

  MetricFamily durations = Family(
      "http_request_duration_seconds",
      "Request durations in seconds, from access records that carry one.", MetricType::Histogram);
  for (const auto& [route, h] : durations_) {
    durations.metric.push_back(
        HistogramValue(h, kDurationBounds, kDurationUnits,
                       with_route ? route_label(route) : decltype(route_label(0)){}));
  }
  keep(std::move(durations));

  MetricFamily logs =
      Family("log_records_total", "Records written, by logger and level.", MetricType::Counter);
  for (const auto& [key, count] : log_records_) {
    logs.metric.push_back(CounterValue(
        AsDouble(count), {{"level", std::string(LevelLabel(static_cast<uint32_t>(key & 0xff)))},
                          {"logger", loggers_.Label(static_cast<uint32_t>(key >> 8))}}));
  }
  keep(std::move(logs));

  Stats total;
  std::map<std::string, uint64_t> failures;
  for (const Source& s : sources_) {
    total.Add(s.stats);
    for (const auto& [name, count] : s.failures) failures[name] += count;
  }
  auto counter = [&](const char* name, const char* help, uint64_t value) {
    MetricFamily f = Family(name, help, MetricType::Counter);
    f.metric.push_back(CounterValue(AsDouble(value)));
    out.push_back(std::move(f));
  };
  counter("logchain_lines_read_total", "Input lines read.", total.lines);
  counter("logchain_records_written_total", "Records written to the output.", total.records);
  counter("logchain_records_dropped_total", "Records a filter removed.", total.dropped);
  counter("logchain_lines_folded_total",
          "Lines folded into the record before them (traceback continuation).", total.folded);
  counter("logchain_lines_split_total", "Lines longer than --max-line-bytes, cut into pieces.",
          total.split_lines);
  counter("logchain_invalid_utf8_records_total",
          "Records whose input was not valid UTF-8 (original bytes kept).", total.invalid_utf8);
  counter("logchain_internal_errors_total",
          "Records written by the last-resort path after an internal error.",
          total.internal_errors);
  counter("logchain_input_bytes_total", "Bytes read from the inputs.", total.bytes_in);
  counter("logchain_output_bytes_total", "Bytes of records written.", total.bytes_out);

  MetricFamily parse =
      Family("logchain_parse_failures_total",
             "Records a parser (a parse_* processor) could not parse.", MetricType::Counter);
  MetricFamily processor =
      Family("logchain_processor_failures_total", "Records a processor of the chain failed on.",
             MetricType::Counter);
  for (const auto& [name, count] : failures) {
    if (name.starts_with("parse_")) {
      parse.metric.push_back(CounterValue(AsDouble(count), {{"parser", name}}));
    }
    processor.metric.push_back(CounterValue(AsDouble(count), {{"processor", name}}));
  }
  keep(std::move(parse));
  keep(std::move(processor));

  if (last_record_.valid) {
    MetricFamily last =
        Family("logchain_last_record_timestamp_seconds",
               "When the last record was written, in seconds since the epoch.", MetricType::Gauge);
    ClientMetric m;
    m.gauge.value = static_cast<double>(last_record_.seconds) +
                    static_cast<double>(last_record_.microseconds) / 1e6;
    last.metric.push_back(m);
    out.push_back(std::move(last));
  }
  return out;
}

std::string MetricsHub::Text() const { return prometheus::TextSerializer().Serialize(Collect()); }

bool MetricsHub::WriteTextfile(const std::string& path, std::string* error) const {
  const std::string text = Text();
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot create '" + temp + "': " + std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      *error = "cannot write '" + temp + "': " + std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    *error = "cannot write '" + temp + "': " + std::strerror(errno);
    ::unlink(temp.c_str());
    return false;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    *error = "cannot rename '" + temp + "' to '" + path + "': " + std::strerror(errno);
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

bool CheckTextfilePath(const std::string& path, std::string* problem) {
  if (path.empty() || path.back() == '/') {
    *problem = "'" + path + "' is not a file name";
    return false;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    *problem = "'" + path + "' is a directory";
    return false;
  }
  const size_t slash = path.rfind('/');
  const std::string dir =
      slash == std::string::npos ? std::string(".") : (slash == 0 ? "/" : path.substr(0, slash));
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *problem = "the directory '" + dir + "' does not exist";
    return false;
  }
  if (::access(dir.c_str(), W_OK) != 0) {
    *problem = "the directory '" + dir + "' is not writable";
    return false;
  }
  return true;
}

}  // namespace logchain::metrics

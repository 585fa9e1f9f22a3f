// MetricsHub: the shared totals behind /metrics and the textfile.
//
// Engine threads count in their own MetricsShard and publish into the hub;
// a scrape (or the textfile at exit) reads the hub. The hub's lock is held
// only to add a shard's counts or to copy the totals out, never while a
// record is processed. It is a prometheus::Collectable, so prometheus-cpp's
// Exposer serves it and its TextSerializer writes it.
//
// Metric names and labels are listed, with their meaning, in docs/metrics.md.
#ifndef LOGCHAIN_METRICS_HUB_H_
#define LOGCHAIN_METRICS_HUB_H_

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "metrics/histogram.h"
#include "metrics/labels.h"
#include "metrics/route_table.h"
#include "metrics/shard.h"
#include "pipeline/stats.h"
#include "record/clock.h"

namespace logchain {

class Chain;

namespace metrics {

class MetricsHub final : public prometheus::Collectable {
 public:
  /// `clock` (not owned, outlives the hub) dates the last written record.
  MetricsHub(RouteTable routes, size_t max_loggers, const Clock* clock);

  /// A shard for one engine thread; the hub must outlive it.
  std::unique_ptr<MetricsShard> NewShard();

  /// Every metric family, series sorted by labels. Thread-safe.
  std::vector<prometheus::MetricFamily> Collect() const override;

  /// Collect() in the Prometheus text exposition format (version 0.0.4).
  std::string Text() const;

  /// Writes Text() to path atomically: a temporary file in the same
  /// directory, flushed to disk, then renamed over path, so a reader such as
  /// node_exporter's textfile collector never sees a partial file. False
  /// with *error set when it could not.
  bool WriteTextfile(const std::string& path, std::string* error) const;

  const RouteTable& routes() const { return routes_; }
  LoggerNames& loggers() { return loggers_; }

 private:
  friend class MetricsShard;
  void Merge(const MetricsShard& shard, const Stats& stats, const Chain& chain);

  struct Source {
    Stats stats;
    std::vector<std::pair<std::string, uint64_t>> failures;  // per chain step
  };

  const RouteTable routes_;
  LoggerNames loggers_;
  const Clock* clock_;

  mutable std::mutex mutex_;
  std::vector<Source> sources_;
  // Added to on every publish, listed only on a scrape (which sorts them).
  std::unordered_map<uint32_t, uint64_t> requests_;
  std::unordered_map<uint64_t, uint64_t> log_records_;
  std::map<uint32_t, HistogramCounts> sizes_;      // per route
  std::map<uint32_t, HistogramCounts> durations_;  // per route
  EventTime last_record_;
};

/// Checks that a textfile can be written to `path` (its directory exists
/// and is writable, and it is not a directory), before any input is read.
bool CheckTextfilePath(const std::string& path, std::string* problem);

}  // namespace metrics
}  // namespace logchain

#endif  // LOGCHAIN_METRICS_HUB_H_

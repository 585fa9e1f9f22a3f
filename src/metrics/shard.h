// MetricsShard: one engine thread's metric counts, kept in plain integers.
//
// The engine calls Observe() for every record it writes; nothing there is
// atomic or locked (a logger name seen for the first time by this thread
// takes one lock). Publish() adds what was counted since the last call into
// the shared MetricsHub under its lock and starts again from zero. The
// stream calls it whenever it hands output to the sink (every 256 KiB of
// output, and whenever the input goes idle), so a scrape never waits on the
// record path, and what a scrape shows is what has been written.
//
// Which record fields are read (the names are in record/fields.h):
//  - every record: `level` and `logger`, for log_records_total;
//  - an access record is one with an integer `status` (a number, or a string
//    of digits) and either a string `method` or a string `request`
//    ("GET /path HTTP/1.1", whose first word is the method);
//  - the path for the route label: `path`, else the second word of `request`;
//  - `size` (bytes) for http_response_size_bytes;
//  - the duration for http_request_duration_seconds, the first present of
//    `request_time_us` (microseconds, gunicorn %(D)s), `request_time_ms`
//    (milliseconds, gunicorn %(M)s), `request_time` (seconds, decimal or
//    integer: gunicorn %(L)s and %(T)s, nginx $request_time).
// Numbers may be JSON numbers or strings holding a number. A record dropped
// by a filter is not observed.
#ifndef LOGCHAIN_METRICS_SHARD_H_
#define LOGCHAIN_METRICS_SHARD_H_

#include <array>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "metrics/histogram.h"
#include "metrics/labels.h"
#include "pipeline/stats.h"
#include "record/record.h"

namespace logchain {

class Chain;

namespace metrics {

class MetricsHub;

/// Packs the labels of one http_requests_total series.
inline uint32_t RequestKey(uint32_t method, uint32_t status, uint32_t route) {
  return method << 26 | status << 16 | route;
}
inline uint32_t RequestMethod(uint32_t key) { return key >> 26; }
inline uint32_t RequestStatus(uint32_t key) { return (key >> 16) & 0x3ff; }
inline uint32_t RequestRoute(uint32_t key) { return key & 0xffff; }

/// Packs the labels of one log_records_total series.
inline uint64_t LogKey(uint32_t logger, uint32_t level) {
  return static_cast<uint64_t>(logger) << 8 | level;
}

/// The series one thread counted since the last publish, each listed once
/// with where its count is, so that publishing visits only those. The
/// counts themselves are the derived class's, which must keep each in
/// place (zeroed, never moved) while it is listed.
template <typename Key>
class CountedSeries {
 public:
  struct Counted {
    Key key;
    uint64_t* count;
  };

  /// The series counted since the last Clear(), each once, with its count.
  const std::vector<Counted>& counted() const { return counted_; }
  /// Starts counting again from zero.
  void Clear() {
    for (const Counted& c : counted_) *c.count = 0;
    counted_.clear();
  }

 protected:
  /// Adds one to `count`, key's; lists the series when it was at zero.
  /// Throws bad_alloc when the list cannot grow; then nothing is counted.
  void Add(Key key, uint64_t& count) {
    if (count == 0) counted_.push_back(Counted{key, &count});
    ++count;
  }

 private:
  std::vector<Counted> counted_;
};

/// One counter per series key, for one thread, for keys too many to index
/// directly. The map holds the counts; a small direct-mapped table of
/// pointers into it answers the usual case, a key seen recently, with a
/// multiply and a compare instead of hashing and probing. Entries are only
/// ever zeroed, never erased, and a rehash keeps them in place, so the
/// pointers stay valid.
template <typename Key>
class SeriesCounts : public CountedSeries<Key> {
 public:
  /// Adds one to key's count. Throws bad_alloc when a new series cannot be
  /// stored; then nothing is counted.
  void Increment(Key key) {
    Recent& recent = recent_[Index(key)];
    if (recent.count == nullptr || recent.key != key) recent = Recent{key, &counts_[key]};
    this->Add(key, *recent.count);
  }

 private:
  static constexpr int kRecentBits = 6;
  static size_t Index(Key key) {  // Fibonacci hashing: the top bits of key * 2^64/phi
    return static_cast<size_t>((static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull) >>
                               (64 - kRecentBits));
  }
  struct Recent {
    Key key{};
    uint64_t* count = nullptr;
  };
  std::unordered_map<Key, uint64_t> counts_;
  std::array<Recent, size_t{1} << kRecentBits> recent_{};
};

/// One counter per series, for one thread, for keys few enough to number
/// from 0 to size - 1: an increment is an indexed add.
template <typename Key>
class DirectCounts : public CountedSeries<Key> {
 public:
  explicit DirectCounts(size_t size) : counts_(size, 0) {}
  /// Adds one to the count of series `index`, whose key is `key`.
  void Increment(size_t index, Key key) { this->Add(key, counts_[index]); }

 private:
  std::vector<uint64_t> counts_;  // never resized: listed counts point into it
};

class MetricsShard {
 public:
  /// Made by MetricsHub::NewShard(); `source` identifies it in the hub.
  MetricsShard(MetricsHub* hub, size_t source);
  MetricsShard(const MetricsShard&) = delete;
  MetricsShard& operator=(const MetricsShard&) = delete;

  /// Counts one written record. Never throws (an allocation failure while
  /// admitting a new label loses that one count, not the record).
  void Observe(const Record& record) noexcept;

  /// Adds the counts since the last call, and the engine's current totals,
  /// into the hub.
  void Publish(const Stats& stats, const Chain& chain);

 private:
  friend class MetricsHub;

  MetricsHub* hub_;
  size_t source_;
  LoggerCache loggers_;
  uint32_t routes_;  // number of route templates; 0: no route label
  // http_requests_total: route 0 (no route label, or no route matched),
  // the usual case, indexed by method and status; matched routes by key.
  DirectCounts<uint32_t> requests_;
  SeriesCounts<uint32_t> routed_requests_;
  DirectCounts<uint64_t> log_records_;      // by logger slot and level slot
  std::vector<HistogramCounts> sizes_;      // per route
  std::vector<HistogramCounts> durations_;  // per route
  bool observed_ = false;                   // anything since the last Publish()
};

}  // namespace metrics
}  // namespace logchain

#endif  // LOGCHAIN_METRICS_SHARD_H_

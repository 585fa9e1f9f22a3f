// HistogramCounts: one histogram's buckets as plain integers.
//
// Used on both sides of publishing: an engine thread observes into its own
// (no atomics, no locks), and the shared totals add those in. Bounds are the
// fixed bucket upper bounds; counts are per bucket (not cumulative), with a
// last bucket for values above every bound. The sum is kept in whole units
// (bytes, nanoseconds), so that it is exact and the same whatever order the
// threads add up in.
#ifndef LOGCHAIN_METRICS_HISTOGRAM_H_
#define LOGCHAIN_METRICS_HISTOGRAM_H_

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

namespace logchain::metrics {

/// Response sizes in bytes: powers of 4 from 128 bytes to 8 MiB.
inline constexpr std::array<double, 9> kSizeBounds = {128,    512,    2048,    8192,   32768,
                                                      131072, 524288, 2097152, 8388608};
inline constexpr double kSizeUnits = 1;  // sums in bytes

/// The bucket of kSizeBounds that `bytes` falls in (the number of bounds
/// below it), found from its bit width instead of nine comparisons: every
/// access record with a size asks this. Bound k is 2^(7 + 2k), which is
/// below `bytes` exactly when 7 + 2k < bit_width(bytes - 1). Sizes up to
/// 128 are or'd up to a width of 7 (bucket 0), so that no branch depends on
/// the size.
constexpr size_t SizeBucket(uint64_t bytes) {
  static_assert(kSizeBounds.front() == 128 && kSizeBounds.size() == 9 &&
                kSizeBounds.back() == 128.0 * (1 << 16));
  const uint64_t below_or_at = (bytes - (bytes != 0 ? 1 : 0)) | 127;
  const size_t below = (static_cast<size_t>(std::bit_width(below_or_at)) - 6) / 2;
  return below < kSizeBounds.size() ? below : kSizeBounds.size();
}
/// Request durations in seconds: the Prometheus clients' default buckets.
inline constexpr std::array<double, 11> kDurationBounds = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                           0.5,   1,    2.5,   5,    10};
inline constexpr double kDurationUnits = 1e9;  // sums in nanoseconds

struct HistogramCounts {
  explicit HistogramCounts(size_t bounds = 0) : buckets(bounds + 1, 0) {}

  /// value >= 0, in the bounds' unit; `units` whole units make one.
  void Observe(double value, std::span<const double> bounds, double units) {
    // The bounds are ascending, so the bucket is the number of bounds below
    // value: counted without a branch that depends on the value.
    size_t i = 0;
    for (const double bound : bounds) i += value > bound ? 1 : 0;
    ++buckets[i];
    ++count;
    // Most values (byte counts, whole microseconds) are whole units
    // already: llround, a library call, is only needed for the others.
    const double scaled = value * units;
    const uint64_t whole = scaled < 0x1p63 ? static_cast<uint64_t>(scaled) : 0;
    sum_units +=
        static_cast<double>(whole) == scaled ? whole : static_cast<uint64_t>(std::llround(scaled));
  }
  /// A response size in bytes into a histogram over kSizeBounds: the same
  /// as Observe(bytes, kSizeBounds, kSizeUnits), without the floating point.
  void ObserveSize(uint64_t bytes) {
    ++buckets[SizeBucket(bytes)];
    ++count;
    sum_units += bytes;
  }
  void Add(const HistogramCounts& other) {
    for (size_t i = 0; i < buckets.size() && i < other.buckets.size(); ++i) {
      buckets[i] += other.buckets[i];
    }
    count += other.count;
    sum_units += other.sum_units;
  }
  void Clear() {
    for (uint64_t& b : buckets) b = 0;
    count = 0;
    sum_units = 0;
  }

  std::vector<uint64_t> buckets;
  uint64_t count = 0;
  uint64_t sum_units = 0;
};

}  // namespace logchain::metrics

#endif  // LOGCHAIN_METRICS_HISTOGRAM_H_

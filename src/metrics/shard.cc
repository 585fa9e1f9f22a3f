#include "metrics/shard.h"

#include <charconv>
#include <cstring>

#include "metrics/hub.h"
#include "record/fields.h"

namespace logchain::metrics {
namespace {

bool ParseNumber(std::string_view text, double* out) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end;
}

inline bool AsDouble(const Value& v, double* out) {
  switch (v.kind) {
    case ValueKind::kInt:
      *out = static_cast<double>(v.int_value);
      return true;
    case ValueKind::kDouble:
      *out = v.double_value;
      return true;
    case ValueKind::kNumber:
    case ValueKind::kString:
      return ParseNumber(v.text, out);
    default:
      return false;
  }
}

inline bool AsInt(const Value& v, int64_t* out) {
  if (v.kind == ValueKind::kInt) {
    *out = v.int_value;
    return true;
  }
  if (v.kind != ValueKind::kNumber && v.kind != ValueKind::kString) return false;
  const char* end = v.text.data() + v.text.size();
  auto [ptr, ec] = std::from_chars(v.text.data(), end, *out);
  return ec == std::errc() && ptr == end && !v.text.empty();
}

// The fields a shard reads, found in one pass over the record.
struct Seen {
  const Value* level = nullptr;
  const Value* logger = nullptr;
  const Value* status = nullptr;
  const Value* method = nullptr;
  const Value* request = nullptr;
  const Value* path = nullptr;
  const Value* size = nullptr;
  const Value* time_us = nullptr;
  const Value* time_ms = nullptr;
  const Value* time_s = nullptr;

  // Record::Find's rule: the last of duplicate keys wins, appended fields
  // before the JSON line's own members; so scan backwards, first hit kept.
  // Called for every field of every record: the key is told apart by its
  // size, then compared as a few fixed-size words (no library call).
  [[gnu::always_inline]] void Take(const Field& f) {
    const Value** slot = nullptr;
    const std::string_view k = f.key;
    switch (k.size()) {
      case 4:
        if (Is<fields::kPath>(k)) slot = &path;
        if (Is<fields::kSize>(k)) slot = &size;
        break;
      case 5:
        if (Is<fields::kLevel>(k)) slot = &level;
        break;
      case 6:
        if (Is<fields::kLogger>(k)) slot = &logger;
        if (Is<fields::kStatus>(k)) slot = &status;
        if (Is<fields::kMethod>(k)) slot = &method;
        break;
      case 7:
        if (Is<fields::kRequest>(k)) slot = &request;
        break;
      case 12:
        if (Is<fields::kRequestTime>(k)) slot = &time_s;
        break;
      case 15:
        if (Is<fields::kRequestTimeUs>(k)) slot = &time_us;
        if (Is<fields::kRequestTimeMs>(k)) slot = &time_ms;
        break;
      default:
        break;
    }
    if (slot != nullptr && *slot == nullptr) *slot = &f.value;
  }

  // Whether key is Name. Name's size is a constant, so the compiler
  // compares whole words instead of calling memcmp (and drops the size
  // test inside Take's switch).
  template <const std::string_view& Name>
  static bool Is(std::string_view key) {
    return key.size() == Name.size() && std::memcmp(key.data(), Name.data(), Name.size()) == 0;
  }
};

std::string_view Text(const Value* v) {
  return v != nullptr && v->kind == ValueKind::kString ? v->text : std::string_view();
}

// "GET /path HTTP/1.1" -> word 0 "GET", word 1 "/path" (words are
// separated by runs of spaces); empty when there is no such word.
std::string_view Word(std::string_view text, int n) {
  const size_t size = text.size();
  size_t i = 0;
  for (int word = 0;; ++word) {
    while (i < size && text[i] == ' ') ++i;
    if (i == size) return {};
    const size_t start = i;
    while (i < size && text[i] != ' ') ++i;
    if (word == n) return text.substr(start, i - start);
  }
}

}  // namespace

MetricsShard::MetricsShard(MetricsHub* hub, size_t source)
    : hub_(hub),
      source_(source),
      loggers_(&hub->loggers()),
      routes_(hub->routes().size()),
      sizes_(routes_ + 1, HistogramCounts(kSizeBounds.size())),
      durations_(routes_ + 1, HistogramCounts(kDurationBounds.size())) {}

void MetricsShard::Observe(const Record& record) noexcept {
  Seen seen;
  const std::vector<Field>& fields = record.fields();
  for (auto it = fields.rbegin(); it != fields.rend(); ++it) seen.Take(*it);
  const std::vector<Field>& members = record.json_members();
  for (auto it = members.rbegin(); it != members.rend(); ++it) seen.Take(*it);
  observed_ = true;

  try {
    const uint32_t level = LevelSlot(Text(seen.level));
    const uint32_t logger = loggers_.Slot(Text(seen.logger));
    log_records_.Increment(LogKey(logger, level));

    if (seen.status == nullptr) return;
    std::string_view method = Text(seen.method);
    std::string_view request = Text(seen.request);
    if (method.empty()) method = Word(request, 0);
    if (method.empty()) return;
    std::string_view path;
    if (routes_ != 0) {
      path = Text(seen.path);
      if (path.empty()) path = Word(request, 1);
    }
    const Value* duration = seen.time_us;
    double scale = 1e-6;
    if (duration == nullptr) {
      duration = seen.time_ms;
      scale = 1e-3;
    }
    if (duration == nullptr) {
      duration = seen.time_s;
      scale = 1;
    }
    ObserveAccess(seen.status, method, path, seen.size, duration, scale);
  } catch (...) {
    // Out of memory while adding a series: this count is lost, the record is not.
  }
}

void MetricsShard::ObserveAccess(const Value* status, std::string_view method,
                                 std::string_view path, const Value* size, const Value* duration,
                                 double duration_scale) {
  int64_t code = 0;
  if (!AsInt(*status, &code)) return;
  const uint32_t route = routes_ != 0 ? hub_->routes().Match(path) : 0;
  requests_.Increment(RequestKey(MethodSlot(method), StatusSlot(code), route));
  double value = 0;
  if (size != nullptr && AsDouble(*size, &value) && value >= 0 && value < 1e18) {
    sizes_[route].Observe(value, kSizeBounds, kSizeUnits);
  }
  if (duration != nullptr && AsDouble(*duration, &value) && value >= 0) {
    const double seconds = value * duration_scale;
    if (seconds < 1e9) durations_[route].Observe(seconds, kDurationBounds, kDurationUnits);
  }
}

void MetricsShard::Publish(const Stats& stats, const Chain& chain) {
  hub_->Merge(*this, stats, chain);
  if (!observed_) return;
  requests_.Clear();
  log_records_.Clear();
  for (HistogramCounts& h : sizes_) h.Clear();
  for (HistogramCounts& h : durations_) h.Clear();
  observed_ = false;
}

}  // namespace logchain::metrics

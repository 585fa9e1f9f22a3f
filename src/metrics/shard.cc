#include "metrics/shard.h"

#include <charconv>

#include "metrics/hub.h"
#include "record/fields.h"

namespace logchain::metrics {
namespace {

// Numbers written as text are rare on the record path (parsers write
// integers): their parsing stays out of line, so that Observe() stays small.
[[gnu::noinline, gnu::cold]] bool ParseNumber(std::string_view text, double* out) {
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

[[gnu::noinline, gnu::cold]] bool ParseInt(std::string_view text, int64_t* out) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return ec == std::errc() && ptr == end && !text.empty();
}

inline bool AsInt(const Value& v, int64_t* out) {
  if (v.kind == ValueKind::kInt) {
    *out = v.int_value;
    return true;
  }
  if (v.kind != ValueKind::kNumber && v.kind != ValueKind::kString) return false;
  return ParseInt(v.text, out);
}

// The fields a shard reads, by Record::Find's rule: the last of duplicate
// keys wins, appended fields before the JSON line's own members. The
// record knows where its appended fields are; a JSON line's members are
// searched only for a key no appended field has.
class Seen {
 public:
  explicit Seen(const Record& record)
      : record_(record), has_members_(!record.json_members().empty()) {}

  [[gnu::always_inline]] const Value* operator[](const fields::Key& key) const {
    const Value* field = record_.FindKnownField(static_cast<fields::KnownKey>(key.known));
    return field != nullptr || !has_members_ ? field : record_.FindJsonMember(key);
  }

 private:
  const Record& record_;
  const bool has_members_;
};

// Larger response sizes are not counted: they cannot be real.
constexpr int64_t kMaxSize = 1'000'000'000'000'000'000;

std::string_view Text(const Value* v) {
  return v != nullptr && v->kind == ValueKind::kString ? v->text : std::string_view();
}

}  // namespace

MetricsShard::MetricsShard(MetricsHub* hub, size_t source)
    : hub_(hub),
      source_(source),
      loggers_(&hub->loggers()),
      routes_(hub->routes().size()),
      requests_(kMethodSlots * kStatusSlots),
      log_records_(LoggerNames::SlotCount(hub->loggers().limit()) * kLevelSlots),
      sizes_(routes_ + 1, HistogramCounts(kSizeBounds.size())),
      durations_(routes_ + 1, HistogramCounts(kDurationBounds.size())) {}

void MetricsShard::Observe(const Record& record) noexcept {
  const Seen seen(record);
  observed_ = true;

  try {
    const uint32_t level = LevelSlot(Text(seen[fields::kLevel]));
    const uint32_t logger = loggers_.Slot(Text(seen[fields::kLogger]));
    log_records_.Increment(logger * kLevelSlots + level, LogKey(logger, level));

    const Value* status = seen[fields::kStatus];
    int64_t code = 0;
    if (status == nullptr || !AsInt(*status, &code)) return;
    const std::string_view method = Text(seen[fields::kMethod]);
    std::string_view request;
    uint32_t method_slot = 0;
    if (method.empty()) {
      request = Text(seen[fields::kRequest]);
      method_slot = RequestMethodSlot(request);
      if (method_slot == kNoMethod) return;
    } else {
      method_slot = MethodSlot(method);
    }
    std::string_view path;
    if (routes_ != 0) {
      path = Text(seen[fields::kPath]);
      if (path.empty()) {
        if (request.empty()) request = Text(seen[fields::kRequest]);
        path = RequestWord(request, 1);
      }
    }
    const Value* duration = seen[fields::kRequestTimeUs];
    double scale = 1e-6;
    if (duration == nullptr) {
      duration = seen[fields::kRequestTimeMs];
      scale = 1e-3;
    }
    if (duration == nullptr) {
      duration = seen[fields::kRequestTime];
      scale = 1;
    }
    const uint32_t route = routes_ != 0 ? hub_->routes().Match(path) : 0;
    const uint32_t status_slot = StatusSlot(code);
    const uint32_t key = RequestKey(method_slot, status_slot, route);
    if (route == 0) {
      requests_.Increment(method_slot * kStatusSlots + status_slot, key);
    } else {
      routed_requests_.Increment(key);
    }
    const Value* size = seen[fields::kSize];
    double value = 0;
    if (size == nullptr) {
      // No size: nothing to observe.
    } else if (size->kind == ValueKind::kInt) {  // as parse_combined writes it
      if (size->int_value >= 0 && size->int_value < kMaxSize) {
        sizes_[route].ObserveSize(static_cast<uint64_t>(size->int_value));
      }
    } else if (AsDouble(*size, &value) && value >= 0 && value < kMaxSize) {
      sizes_[route].Observe(value, kSizeBounds, kSizeUnits);
    }
    if (duration != nullptr && AsDouble(*duration, &value) && value >= 0) {
      const double seconds = value * scale;
      if (seconds < 1e9) durations_[route].Observe(seconds, kDurationBounds, kDurationUnits);
    }
  } catch (...) {
    // Out of memory while adding a series: this count is lost, the record is not.
  }
}

void MetricsShard::Publish(const Stats& stats, const Chain& chain) {
  hub_->Merge(*this, stats, chain);
  if (!observed_) return;
  requests_.Clear();
  routed_requests_.Clear();
  log_records_.Clear();
  for (HistogramCounts& h : sizes_) h.Clear();
  for (HistogramCounts& h : durations_) h.Clear();
  observed_ = false;
}

}  // namespace logchain::metrics

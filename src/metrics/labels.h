// Label values for logchain's metrics, bounded by construction.
//
// Every label value a metric can carry comes from a fixed set or from a
// bounded, first-come set, so that no input (a scanner sending random
// methods, an app inventing a logger name per request) can make the number
// of series grow without limit. Whatever falls outside a set is counted
// under "other"; a record without the field is counted under "none".
//
// These functions sit on the record path (called once per written record
// when metrics are on) and allocate nothing except when LoggerNames admits a
// new name.
#ifndef LOGCHAIN_METRICS_LABELS_H_
#define LOGCHAIN_METRICS_LABELS_H_

#include <array>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace logchain::metrics {

inline constexpr std::string_view kOther = "other";
inline constexpr std::string_view kNone = "none";

// HTTP methods: the nine of RFC 9110 and RFC 5789, as written on the wire
// (methods are case-sensitive). Index kMethodOther is everything else.
inline constexpr std::array<std::string_view, 9> kMethods = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
inline constexpr uint32_t kMethodOther = kMethods.size();
inline constexpr uint32_t kMethodSlots = kMethods.size() + 1;

/// The method's index in kMethods, or kMethodOther.
uint32_t MethodSlot(std::string_view method);
std::string_view MethodLabel(uint32_t slot);

// Status codes: 100 to 599 keep their number; anything else is "other"
// (slot 0). A status is never more than 600 series.
inline constexpr uint32_t kStatusOther = 0;
inline constexpr uint32_t kStatusSlots = 600;
inline uint32_t StatusSlot(int64_t status) {
  return status >= 100 && status <= 599 ? static_cast<uint32_t>(status) : kStatusOther;
}
std::string StatusLabel(uint32_t slot);

// Levels: the names structlog's add_log_level writes, matched without regard
// to case ("INFO" from an app's own JSON counts as "info"); "warn" counts as
// "warning" and "exception" as "error", as structlog maps them.
inline constexpr std::array<std::string_view, 5> kLevels = {"debug", "info", "warning", "error",
                                                            "critical"};
inline constexpr uint32_t kLevelOther = kLevels.size();
inline constexpr uint32_t kLevelNone = kLevels.size() + 1;
inline constexpr uint32_t kLevelSlots = kLevels.size() + 2;
uint32_t LevelSlot(std::string_view level);
std::string_view LevelLabel(uint32_t slot);

/// Logger names, admitted first come first served up to a limit; later
/// names count as "other". A name longer than kMaxLoggerBytes or holding a
/// control character is "other" too. Thread-safe: every engine thread asks
/// the same instance, so a name has the same slot everywhere. Callers keep
/// their own cache of answers (see LoggerCache) so the lock is taken once
/// per thread and name, not per record.
class LoggerNames {
 public:
  static constexpr uint32_t kOtherSlot = 0;
  static constexpr uint32_t kNoneSlot = 1;
  static constexpr size_t kMaxLoggerBytes = 128;

  explicit LoggerNames(size_t limit) : limit_(limit) {}

  /// The slot of `name` (kNoneSlot for an empty name), admitting it while
  /// fewer than `limit` names are admitted.
  uint32_t Slot(std::string_view name);
  /// The label of a slot Slot() returned.
  std::string Label(uint32_t slot) const;
  size_t limit() const { return limit_; }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  mutable std::mutex mutex_;
  size_t limit_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> slots_;
  std::vector<std::string> names_;  // slot - 2 -> name
};

/// One thread's memory of LoggerNames' answers, asked for every record: a
/// small direct-mapped table of names and slots, looked up by a hash of a
/// few of the name's bytes and confirmed by comparing the name. A name not
/// in the table (new, or displaced by another with the same index) is asked
/// of LoggerNames again (an uncontended lock), so a stream of ever-new
/// logger names costs a little time, never unbounded memory.
class LoggerCache {
 public:
  explicit LoggerCache(LoggerNames* names) : names_(names) {}
  uint32_t Slot(std::string_view name) {
    if (name.empty()) return LoggerNames::kNoneSlot;
    if (name.size() > LoggerNames::kMaxLoggerBytes) return LoggerNames::kOtherSlot;
    Entry& entry = entries_[Index(name)];
    if (entry.size == name.size() && std::memcmp(entry.name, name.data(), name.size()) == 0) {
      return entry.slot;
    }
    entry.slot = names_->Slot(name);
    entry.size = static_cast<uint8_t>(name.size());
    std::memcpy(entry.name, name.data(), name.size());
    return entry.slot;
  }

 private:
  static constexpr size_t kEntries = 64;
  struct Entry {
    uint8_t size = 0;  // 0: empty (an empty name never gets here)
    uint32_t slot = 0;
    char name[LoggerNames::kMaxLoggerBytes];
  };
  static_assert(LoggerNames::kMaxLoggerBytes <= 255);

  // Mixes the first and last eight bytes (fewer for short names) and the size.
  static size_t Index(std::string_view name) {
    uint64_t head = 0;
    uint64_t tail = 0;
    const size_t n = name.size();
    std::memcpy(&head, name.data(), n < 8 ? n : 8);
    std::memcpy(&tail, name.data() + (n < 8 ? 0 : n - 8), n < 8 ? n : 8);
    const uint64_t mixed = (head ^ (tail * 0x9E3779B97F4A7C15ull) ^ n) * 0xBF58476D1CE4E5B9ull;
    return static_cast<size_t>(mixed >> 58);  // 6 bits: kEntries
  }

  LoggerNames* names_;
  std::array<Entry, kEntries> entries_{};
};

}  // namespace logchain::metrics

#endif  // LOGCHAIN_METRICS_LABELS_H_

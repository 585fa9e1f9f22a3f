// Output field names, in one place.
//
// The seed-compatible names come from the structlog setup logchain replaces
// (event, level, logger, timestamp, and the access-log fields of its combined
// parser). logchain's own annotations share the "logchain_" prefix so that
// they can never collide with an application's keys.
#ifndef LOGCHAIN_RECORD_FIELDS_H_
#define LOGCHAIN_RECORD_FIELDS_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace logchain::fields {

/// The keys a Record keeps the position of as fields are added, so that
/// finding one costs no scan: the ones processors look for on every record
/// and the ones request metrics read.
enum KnownKey : uint8_t {
  kKnownEvent,
  kKnownLevel,
  kKnownLogger,
  kKnownTimestamp,
  kKnownException,
  kKnownRequest,
  kKnownStatus,
  kKnownSize,
  kKnownMethod,
  kKnownPath,
  kKnownRequestTimeUs,
  kKnownRequestTimeMs,
  kKnownRequestTime,
  kKnownKeyCount,
};

/// Whether `name`, whose size is N - 1, is `literal`: at run time one
/// compare of N - 1 bytes as words, no library call.
template <size_t N>
constexpr bool SameName(std::string_view name, const char (&literal)[N]) {
  if (std::is_constant_evaluated()) return name == std::string_view(literal, N - 1);
  return std::memcmp(name.data(), literal, N - 1) == 0;
}

/// The KnownKey named `name`, or -1.
constexpr int KnownKeyOf(std::string_view name) {
  switch (name.size()) {
    case 4:
      return SameName(name, "size") ? kKnownSize : SameName(name, "path") ? kKnownPath : -1;
    case 5:
      return SameName(name, "event") ? kKnownEvent : SameName(name, "level") ? kKnownLevel : -1;
    case 6:
      return SameName(name, "logger")   ? kKnownLogger
             : SameName(name, "status") ? kKnownStatus
             : SameName(name, "method") ? kKnownMethod
                                : -1;
    case 7:
      return SameName(name, "request") ? kKnownRequest : -1;
    case 9:
      return SameName(name, "timestamp") ? kKnownTimestamp : SameName(name, "exception") ? kKnownException : -1;
    case 12:
      return SameName(name, "request_time") ? kKnownRequestTime : -1;
    case 15:
      return SameName(name, "request_time_us")   ? kKnownRequestTimeUs
             : SameName(name, "request_time_ms") ? kKnownRequestTimeMs
                                         : -1;
    default:
      return -1;
  }
}

/// A field name with its KnownKey (or -1), worked out once: at compile time
/// for the names below, when the chain is built for a configured name. A
/// Record given a Key does no work to classify it; given a plain
/// string_view, it classifies the name on every call.
struct Key {
  constexpr explicit Key(std::string_view n) : name(n), known(KnownKeyOf(n)) {}
  constexpr operator std::string_view() const { return name; }  // NOLINT(google-explicit-constructor)
  constexpr size_t size() const { return name.size(); }
  constexpr const char* data() const { return name.data(); }
  friend constexpr bool operator==(const Key& a, std::string_view b) { return a.name == b; }

  std::string_view name;
  int known;
};

inline constexpr Key kEvent{"event"};
inline constexpr Key kLevel{"level"};
inline constexpr Key kLogger{"logger"};
inline constexpr Key kTimestamp{"timestamp"};
inline constexpr Key kException{"exception"};

// Access-log fields, as the seed's combined parser names them.
inline constexpr Key kHost{"host"};
inline constexpr Key kUser{"user"};
inline constexpr Key kTime{"time"};
inline constexpr Key kRequest{"request"};
inline constexpr Key kStatus{"status"};
inline constexpr Key kSize{"size"};
inline constexpr Key kReferer{"referer"};
inline constexpr Key kAgent{"agent"};

// The parts of `request`, as parse_request splits it.
inline constexpr Key kMethod{"method"};
inline constexpr Key kPath{"path"};
inline constexpr Key kQuery{"query"};
inline constexpr Key kProtocol{"protocol"};

/// The name of the pattern parse_auto parsed the record with.
inline constexpr Key kPattern{"logchain_pattern"};
/// "<processor>: <reason>" for every processor that failed on the record,
/// joined by "; ". Present only when something failed.
inline constexpr Key kError{"logchain_error"};
/// The record's original bytes, base64-encoded, present only when they were
/// not valid UTF-8 (their text fields then hold U+FFFD in place of each
/// invalid sequence). For a folded traceback: all its lines joined by "\n".
inline constexpr Key kRawBase64{"logchain_raw_base64"};
/// A line longer than --max-line-bytes is cut into pieces; each piece is a
/// record with its 1-based piece number here ...
inline constexpr Key kPart{"logchain_part"};
/// ... and true on the piece that ends the line.
inline constexpr Key kLastPart{"logchain_last_part"};
// keep_prefix: the line's text before and after its event.
inline constexpr Key kPrefix{"logchain_prefix"};
inline constexpr Key kSuffix{"logchain_suffix"};

// Fields request metrics read when a format carries them (docs/metrics.md):
// the method and path as parse_request splits them (kMethod, kPath above),
// and the request's duration in the unit its name says. A parser that knows the duration
// (gunicorn %(D)s, %(M)s, %(L)s or %(T)s, nginx $request_time) writes it
// under one of these names so that http_request_duration_seconds counts it.
inline constexpr Key kRequestTimeUs{"request_time_us"};  // integer microseconds
inline constexpr Key kRequestTimeMs{"request_time_ms"};  // integer milliseconds
inline constexpr Key kRequestTime{"request_time"};       // seconds, may be decimal

// Logger names gunicorn uses.
inline constexpr std::string_view kGunicornError = "gunicorn.error";
inline constexpr std::string_view kGunicornAccess = "gunicorn.access";

}  // namespace logchain::fields

#endif  // LOGCHAIN_RECORD_FIELDS_H_

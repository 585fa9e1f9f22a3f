// Output field names, in one place.
//
// The seed-compatible names come from the structlog setup logchain replaces
// (event, level, logger, timestamp, and the access-log fields of its combined
// parser). logchain's own annotations share the "logchain_" prefix so that
// they can never collide with an application's keys.
#ifndef LOGCHAIN_RECORD_FIELDS_H_
#define LOGCHAIN_RECORD_FIELDS_H_

#include <string_view>

namespace logchain::fields {

inline constexpr std::string_view kEvent = "event";
inline constexpr std::string_view kLevel = "level";
inline constexpr std::string_view kLogger = "logger";
inline constexpr std::string_view kTimestamp = "timestamp";
inline constexpr std::string_view kException = "exception";

// Access-log fields, as the seed's combined parser names them.
inline constexpr std::string_view kHost = "host";
inline constexpr std::string_view kUser = "user";
inline constexpr std::string_view kTime = "time";
inline constexpr std::string_view kRequest = "request";
inline constexpr std::string_view kStatus = "status";
inline constexpr std::string_view kSize = "size";
inline constexpr std::string_view kReferer = "referer";
inline constexpr std::string_view kAgent = "agent";

// The parts of `request`, as parse_request splits it.
inline constexpr std::string_view kMethod = "method";
inline constexpr std::string_view kPath = "path";
inline constexpr std::string_view kQuery = "query";
inline constexpr std::string_view kProtocol = "protocol";

/// The name of the pattern parse_auto parsed the record with.
inline constexpr std::string_view kPattern = "logchain_pattern";
/// "<processor>: <reason>" for every processor that failed on the record,
/// joined by "; ". Present only when something failed.
inline constexpr std::string_view kError = "logchain_error";
/// The record's original bytes, base64-encoded, present only when they were
/// not valid UTF-8 (their text fields then hold U+FFFD in place of each
/// invalid sequence). For a folded traceback: all its lines joined by "\n".
inline constexpr std::string_view kRawBase64 = "logchain_raw_base64";
/// A line longer than --max-line-bytes is cut into pieces; each piece is a
/// record with its 1-based piece number here ...
inline constexpr std::string_view kPart = "logchain_part";
/// ... and true on the piece that ends the line.
inline constexpr std::string_view kLastPart = "logchain_last_part";
// keep_prefix: the line's text before and after its event.
inline constexpr std::string_view kPrefix = "logchain_prefix";
inline constexpr std::string_view kSuffix = "logchain_suffix";

// Fields request metrics read when a format carries them (docs/metrics.md):
// the method and path as parse_request splits them (kMethod, kPath above),
// and the request's duration in the unit its name says. A parser that knows the duration
// (gunicorn %(D)s, %(M)s, %(L)s or %(T)s, nginx $request_time) writes it
// under one of these names so that http_request_duration_seconds counts it.
inline constexpr std::string_view kRequestTimeUs = "request_time_us";  // integer microseconds
inline constexpr std::string_view kRequestTimeMs = "request_time_ms";  // integer milliseconds
inline constexpr std::string_view kRequestTime = "request_time";       // seconds, may be decimal

// Logger names gunicorn uses.
inline constexpr std::string_view kGunicornError = "gunicorn.error";
inline constexpr std::string_view kGunicornAccess = "gunicorn.access";

}  // namespace logchain::fields

#endif  // LOGCHAIN_RECORD_FIELDS_H_

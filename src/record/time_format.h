// Formatting timestamps as structlog's TimeStamper does.
//
// fmt is a strftime format (Python's datetime.strftime: %f is microseconds,
// and %z/%Z are empty because structlog formats naive datetimes), "iso" for
// datetime.isoformat() ("Z" appended in UTC), or "none" for a Unix float.
// The formatted text is cached per second: a stream formats each second once.
#ifndef LOGCHAIN_RECORD_TIME_FORMAT_H_
#define LOGCHAIN_RECORD_TIME_FORMAT_H_

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "record/record.h"
#include "record/value.h"

namespace logchain {

// UTC civil time and seconds since the epoch, computed on std::chrono's
// calendar. glibc's timegm and gmtime_r take the process-wide time zone
// lock, which the workers of `-j N` contended for once per second of log
// time each.

/// Seconds since the epoch of a UTC civil time (second 60, a leap second,
/// reads as 59), or nothing when the date does not exist (31 February).
std::optional<int64_t> UtcSeconds(int year, int month, int day, int hour, int minute,
                                  int second);
/// The UTC civil time of `seconds`, every field as gmtime_r sets it.
std::tm UtcCivil(int64_t seconds);

class TimeFormat {
 public:
  /// Builds a formatter, or explains in *error why fmt cannot be used.
  static bool Create(std::string_view fmt, bool utc, TimeFormat* out, std::string* error);

  /// The timestamp value for t: a string (a view into this object, valid
  /// until the next call) or, for "none", a float.
  Value Format(const EventTime& t);

 private:
  enum class Mode : uint8_t { kStrftime, kIso, kUnix };
  void FormatSecond(int64_t seconds);

  Mode mode_ = Mode::kStrftime;
  bool utc_ = true;
  // The strftime format split at each %f; cached output per segment.
  std::vector<std::string> segments_;
  std::vector<std::string> formatted_;
  int64_t cached_second_ = INT64_MIN;
  std::string out_;
};

}  // namespace logchain

#endif  // LOGCHAIN_RECORD_TIME_FORMAT_H_

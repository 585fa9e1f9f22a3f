// Clock: where "now" comes from, injectable so that tests never read the
// wall clock.
#ifndef LOGCHAIN_RECORD_CLOCK_H_
#define LOGCHAIN_RECORD_CLOCK_H_

#include "record/record.h"

namespace logchain {

class Clock {
 public:
  virtual ~Clock() = default;
  /// The current time in UTC. Thread-safe.
  virtual EventTime Now() const = 0;
};

/// The system's real-time clock.
class SystemClock final : public Clock {
 public:
  EventTime Now() const override;
};

/// A clock that always reads the same time (tests, examples, golden files).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(EventTime time) : time_(time) {}
  EventTime Now() const override { return time_; }

 private:
  EventTime time_;
};

}  // namespace logchain

#endif  // LOGCHAIN_RECORD_CLOCK_H_

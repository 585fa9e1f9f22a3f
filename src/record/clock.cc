#include "record/clock.h"

#include <ctime>

namespace logchain {

EventTime SystemClock::Now() const {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  EventTime t;
  t.seconds = ts.tv_sec;
  t.microseconds = static_cast<int32_t>(ts.tv_nsec / 1000);
  t.valid = true;
  return t;
}

}  // namespace logchain

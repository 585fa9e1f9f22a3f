#include "record/time_format.h"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace logchain {
namespace {

// Splits a strftime format at each %f, dropping %z and %Z (empty for the
// naive datetimes structlog formats) and keeping %% pairs intact.
bool SplitFormat(std::string_view fmt, std::vector<std::string>* segments, std::string* error) {
  segments->assign(1, std::string());
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      segments->back().push_back(fmt[i]);
      continue;
    }
    if (i + 1 == fmt.size()) {
      *error = "it ends with a lone '%'";
      return false;
    }
    const char directive = fmt[++i];
    if (directive == 'f') {
      segments->emplace_back();
    } else if (directive == 'z' || directive == 'Z') {
      // empty for naive datetimes
    } else {
      segments->back().push_back('%');
      segments->back().push_back(directive);
    }
  }
  return true;
}

std::string Strftime(const std::string& format, const std::tm& tm) {
  if (format.empty()) return {};
  // strftime returns 0 both for "too small" and for an empty result; grow
  // until the result fits or is clearly empty.
  for (size_t size = 128; size <= 64 * 1024; size *= 4) {
    std::string buf(size, '\0');
    const size_t n = std::strftime(buf.data(), buf.size(), format.c_str(), &tm);
    if (n > 0) {
      buf.resize(n);
      return buf;
    }
  }
  return {};
}

}  // namespace

std::optional<int64_t> UtcSeconds(int year, int month, int day, int hour, int minute,
                                  int second) {
  using namespace std::chrono;
  const year_month_day date{std::chrono::year{year},
                            std::chrono::month{static_cast<unsigned>(month)},
                            std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  const int64_t days = sys_days{date}.time_since_epoch().count();
  return days * 86400 + hour * 3600 + minute * 60 + (second == 60 ? 59 : second);
}

std::tm UtcCivil(int64_t seconds) {
  using namespace std::chrono;
  const sys_seconds time{std::chrono::seconds{seconds}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss<std::chrono::seconds> clock{time - day};
  std::tm tm{};
  tm.tm_year = static_cast<int>(date.year()) - 1900;
  tm.tm_mon = static_cast<int>(static_cast<unsigned>(date.month())) - 1;
  tm.tm_mday = static_cast<int>(static_cast<unsigned>(date.day()));
  tm.tm_hour = static_cast<int>(clock.hours().count());
  tm.tm_min = static_cast<int>(clock.minutes().count());
  tm.tm_sec = static_cast<int>(clock.seconds().count());
  tm.tm_wday = static_cast<int>(weekday{day}.c_encoding());
  tm.tm_yday = static_cast<int>((day - sys_days{date.year() / January / 1}).count());
  tm.tm_isdst = 0;
  tm.tm_gmtoff = 0;
  tm.tm_zone = "GMT";
  return tm;
}

bool TimeFormat::Create(std::string_view fmt, bool utc, TimeFormat* out, std::string* error) {
  out->utc_ = utc;
  if (fmt == "iso") {
    out->mode_ = Mode::kIso;
    return true;
  }
  if (fmt == "none") {
    if (!utc) {
      *error = "Unix timestamps are always UTC (structlog refuses fmt=None with utc=False)";
      return false;
    }
    out->mode_ = Mode::kUnix;
    return true;
  }
  out->mode_ = Mode::kStrftime;
  return SplitFormat(fmt, &out->segments_, error);
}

void TimeFormat::FormatSecond(int64_t seconds) {
  const auto t = static_cast<time_t>(seconds);
  std::tm tm{};
  if (utc_) {
    tm = UtcCivil(seconds);
  } else {
    localtime_r(&t, &tm);
  }
  formatted_.clear();
  if (mode_ == Mode::kIso) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    formatted_.emplace_back(buf);
  } else {
    for (const std::string& segment : segments_) formatted_.push_back(Strftime(segment, tm));
  }
  cached_second_ = seconds;
}

Value TimeFormat::Format(const EventTime& t) {
  if (mode_ == Mode::kUnix) {
    return Value::Double(static_cast<double>(t.seconds) + t.microseconds / 1e6);
  }
  if (t.seconds != cached_second_) FormatSecond(t.seconds);
  if (mode_ == Mode::kStrftime && formatted_.size() == 1) return Value::String(formatted_[0]);
  char micros[8];
  std::snprintf(micros, sizeof micros, "%06d", t.microseconds);
  out_.clear();
  if (mode_ == Mode::kIso) {
    out_.append(formatted_[0]);
    // datetime.isoformat() leaves out a zero microsecond part.
    if (t.microseconds != 0) out_.append(".").append(micros);
    if (utc_) out_.push_back('Z');
  } else {
    for (size_t i = 0; i < formatted_.size(); ++i) {
      if (i > 0) out_.append(micros);
      out_.append(formatted_[i]);
    }
  }
  return Value::String(out_);
}

}  // namespace logchain

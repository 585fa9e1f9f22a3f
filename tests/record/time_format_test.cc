#include "record/time_format.h"

#include <gtest/gtest.h>

#include <ctime>
#include <random>

namespace logchain {
namespace {

std::string Format(std::string_view fmt, EventTime t, bool utc = true) {
  TimeFormat f;
  std::string error;
  EXPECT_TRUE(TimeFormat::Create(fmt, utc, &f, &error)) << error;
  const Value v = f.Format(t);
  return v.kind == ValueKind::kString ? std::string(v.text) : "<not a string>";
}

constexpr EventTime kT{1565878763, 0, true};       // 2019-08-15 14:19:23 UTC
constexpr EventTime kTMicro{1565878763, 4200, true};

TEST(UtcTimeTest, AgreesWithTimegmAndGmtime) {
  // Every day from 1800 to 2300 at a time that moves through the day, and
  // random seconds over the same span, both ways against glibc.
  std::mt19937_64 rng(20261126);
  for (int64_t day = -62'000; day < 121'000; ++day) {
    const int64_t seconds = day * 86400 + (day * 7919) % 86400;
    std::tm want{};
    const auto t = static_cast<time_t>(seconds);
    ASSERT_NE(nullptr, gmtime_r(&t, &want));
    const std::tm got = UtcCivil(seconds);
    ASSERT_EQ(want.tm_year, got.tm_year) << seconds;
    ASSERT_EQ(want.tm_mon, got.tm_mon) << seconds;
    ASSERT_EQ(want.tm_mday, got.tm_mday) << seconds;
    ASSERT_EQ(want.tm_hour, got.tm_hour) << seconds;
    ASSERT_EQ(want.tm_min, got.tm_min) << seconds;
    ASSERT_EQ(want.tm_sec, got.tm_sec) << seconds;
    ASSERT_EQ(want.tm_wday, got.tm_wday) << seconds;
    ASSERT_EQ(want.tm_yday, got.tm_yday) << seconds;
    ASSERT_EQ(std::optional<int64_t>(seconds),
              UtcSeconds(want.tm_year + 1900, want.tm_mon + 1, want.tm_mday, want.tm_hour,
                         want.tm_min, want.tm_sec));
    const int64_t random =
        static_cast<int64_t>(rng() % (183'000ull * 86400)) - int64_t{62'000} * 86400;
    const auto r = static_cast<time_t>(random);
    ASSERT_NE(nullptr, gmtime_r(&r, &want));
    ASSERT_EQ(std::optional<int64_t>(random),
              UtcSeconds(want.tm_year + 1900, want.tm_mon + 1, want.tm_mday, want.tm_hour,
                         want.tm_min, want.tm_sec));
  }
}

TEST(UtcTimeTest, DatesThatDoNotExist) {
  EXPECT_FALSE(UtcSeconds(2019, 2, 29, 0, 0, 0));  // not a leap year
  EXPECT_FALSE(UtcSeconds(1900, 2, 29, 0, 0, 0));  // a century, not a leap year
  EXPECT_FALSE(UtcSeconds(2019, 4, 31, 0, 0, 0));
  EXPECT_FALSE(UtcSeconds(2019, 13, 1, 0, 0, 0));
  EXPECT_FALSE(UtcSeconds(2019, 1, 0, 0, 0, 0));
  EXPECT_EQ(std::optional<int64_t>(951782400), UtcSeconds(2000, 2, 29, 0, 0, 0));
  // A leap second reads as the second before it.
  EXPECT_EQ(UtcSeconds(2016, 12, 31, 23, 59, 59), UtcSeconds(2016, 12, 31, 23, 59, 60));
}

TEST(TimeFormatTest, StrftimeLikeStructlog) {
  EXPECT_EQ("2019-08-15 14:19:23", Format("%Y-%m-%d %H:%M:%S", kT));
  EXPECT_EQ("14:19:23.004200", Format("%H:%M:%S.%f", kTMicro));
  // structlog formats naive datetimes: %z and %Z are empty.
  EXPECT_EQ("2019-08-15 14:19:23 ", Format("%Y-%m-%d %H:%M:%S %z%Z", kT));
  EXPECT_EQ("100%f", Format("100%%f", kT));
  EXPECT_EQ("Thu, 15 Aug 2019", Format("%a, %d %b %Y", kT));
}

TEST(TimeFormatTest, IsoLikeDatetimeIsoformat) {
  EXPECT_EQ("2019-08-15T14:19:23Z", Format("iso", kT));
  EXPECT_EQ("2019-08-15T14:19:23.004200Z", Format("iso", kTMicro));
}

TEST(TimeFormatTest, UnixFloat) {
  TimeFormat f;
  std::string error;
  ASSERT_TRUE(TimeFormat::Create("none", true, &f, &error));
  Value v = f.Format(kTMicro);
  ASSERT_EQ(ValueKind::kDouble, v.kind);
  EXPECT_DOUBLE_EQ(1565878763.0042, v.double_value);
  EXPECT_FALSE(TimeFormat::Create("none", false, &f, &error));
  EXPECT_FALSE(TimeFormat::Create("%Y %", true, &f, &error));
}

TEST(TimeFormatTest, CachesPerSecondWithoutGoingStale) {
  TimeFormat f;
  std::string error;
  ASSERT_TRUE(TimeFormat::Create("%H:%M:%S", true, &f, &error));
  EXPECT_EQ("14:19:23", f.Format(kT).text);
  EXPECT_EQ("14:19:23", f.Format(kTMicro).text);
  EXPECT_EQ("14:19:24", f.Format(EventTime{kT.seconds + 1, 0, true}).text);
  EXPECT_EQ("14:19:23", f.Format(kT).text);
}

}  // namespace
}  // namespace logchain

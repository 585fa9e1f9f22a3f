#include "record/time_format.h"

#include <gtest/gtest.h>

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

#include "record/gunicorn.h"

#include <gtest/gtest.h>

#include <string>

namespace logchain::gunicorn {
namespace {

TEST(GunicornTest, ParsesTheErrorLogPrefix) {
  ErrorLine e;
  ASSERT_TRUE(ParseErrorLine("[2019-08-15 14:19:14 +0000] [30099] [INFO] Booting worker with pid: 30099", &e));
  EXPECT_EQ("2019-08-15 14:19:14 +0000", e.time_text);
  EXPECT_EQ("INFO", e.level_name);
  EXPECT_EQ("Booting worker with pid: 30099", e.message);
  ASSERT_TRUE(ParseErrorLine("[2019-08-15 14:19:14 -0530] [1] [Level 5] ", &e));
  EXPECT_EQ("Level 5", e.level_name);
  EXPECT_EQ("", e.message);
  ASSERT_TRUE(ParseErrorLine("[2019-08-15 14:19:14 +0000] [1] [ERROR]", &e));
  EXPECT_EQ("", e.message);
  for (std::string_view not_prefix :
       {"[2019-08-15 14:19:14] [1] [INFO] x", "[2019-08-15 14:19:14 +0000] [x] [INFO] x",
        "[2019-08-15 14:19:14 +0000] [1] [] x", "[2019-08-15 14:19:14 +0000] [1] [INFO]x",
        "2019-08-15 14:19:14 +0000 [1] [INFO] x", "[2019-08-15 14:19:14 +0000]"}) {
    EXPECT_FALSE(ParseErrorLine(not_prefix, &e)) << not_prefix;
  }
}

TEST(GunicornTest, FindsTheAccessTime) {
  std::string_view t;
  ASSERT_TRUE(FindAccessTime(R"(1.2.3.4 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "-")", &t));
  EXPECT_EQ("15/Aug/2019:14:19:23 +0000", t);
  // A user containing "[" does not hide the time field.
  ASSERT_TRUE(FindAccessTime(R"(h - a[b [15/Aug/2019:14:19:23 +0000] "r" 1 2 "f" "a")", &t));
  EXPECT_FALSE(FindAccessTime("[15/Aug/2019:14:19:23 +0000] no quote follows", &t));
  EXPECT_FALSE(FindAccessTime(R"(x[15/Aug/2019:14:19:23 +0000] "r")", &t));
  EXPECT_FALSE(FindAccessTime(R"(h - - [15/Aug/2019 14:19:23 +0000] "r")", &t));
}

// Every byte value at every position of both times: a time is found exactly
// when each character fits its place in the shape ('d' a digit, 'a' an
// ASCII letter, '+' a sign, anything else itself).
TEST(GunicornTest, TimesMatchTheirShapeByteForByte) {
  const auto fits = [](char c, char place) {
    const auto u = static_cast<unsigned char>(c);
    switch (place) {
      case 'd':
        return u >= '0' && u <= '9';
      case 'a':
        return (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z');
      case '+':
        return c == '+' || c == '-';
      default:
        return c == place;
    }
  };
  const std::string access_shape = "dd/aaa/dddd:dd:dd:dd +dddd";
  const std::string access_time = "15/Aug/2019:14:19:23 +0000";
  const std::string error_shape = "dddd-dd-dd dd:dd:dd +dddd";
  const std::string error_time = "2019-08-15 14:19:14 +0000";
  for (size_t at = 0; at < access_shape.size(); ++at) {
    for (int b = 0; b < 256; ++b) {
      std::string time = access_time;
      time[at] = static_cast<char>(b);
      std::string_view found;
      EXPECT_EQ(fits(time[at], access_shape[at]),
                FindAccessTime("1.2.3.4 - - [" + time + "] \"GET / HTTP/1.1\" 200 5", &found))
          << at << " " << b;
    }
  }
  for (size_t at = 0; at < error_shape.size(); ++at) {
    for (int b = 0; b < 256; ++b) {
      std::string time = error_time;
      time[at] = static_cast<char>(b);
      ErrorLine e;
      EXPECT_EQ(fits(time[at], error_shape[at]), ParseErrorLine("[" + time + "] [1] [INFO] x", &e))
          << at << " " << b;
    }
  }
}

TEST(GunicornTest, ConvertsTimesToUtc) {
  TimeParser p;
  EventTime t = p.ParseAccessTime("15/Aug/2019:14:19:23 +0000");
  ASSERT_TRUE(t.valid);
  EXPECT_EQ(1565878763, t.seconds);
  t = p.ParseAccessTime("15/Aug/2019:16:19:23 +0200");
  EXPECT_EQ(1565878763, t.seconds);
  t = p.ParseErrorTime("2019-08-15 09:49:23 -0430");
  EXPECT_EQ(1565878763, t.seconds);
  t = p.ParseErrorTime("2019-08-15 14:19:23 +0000");  // cached path and fresh path agree
  EXPECT_EQ(1565878763, p.ParseErrorTime("2019-08-15 14:19:23 +0000").seconds);
  for (std::string_view bad : {"31/Feb/2019:14:19:23 +0000", "15/Foo/2019:14:19:23 +0000",
                               "15/Aug/2019:24:19:23 +0000", "15/Aug/2019:14:60:23 +0000",
                               "15/Aug/2019:14:19:23 +2400", "00/Aug/2019:14:19:23 +0000"}) {
    EXPECT_FALSE(p.ParseAccessTime(bad).valid) << bad;
  }
  EXPECT_FALSE(p.ParseErrorTime("2019-13-15 14:19:23 +0000").valid);
  EXPECT_TRUE(p.ParseErrorTime("9999-12-31 23:59:59 +0000").valid);
}

}  // namespace
}  // namespace logchain::gunicorn

#include "record/gunicorn.h"

#include <gtest/gtest.h>

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

#include "output/console_renderer.h"

#include <gtest/gtest.h>

#include <string>

namespace logchain {
namespace {

std::string Console(std::string_view json, bool color = false) {
  OutBuffer out;
  RenderConsole(json, color, out);
  return std::string(out.view());
}

TEST(ConsoleRendererTest, LaysOutTimeLevelEventLoggerThenSortedPairs) {
  struct Case {
    const char* json;
    const char* expected;
  };
  const Case cases[] = {
      {R"j({"event": "Booting worker with pid: 30099", "level": "info", "logger": "gunicorn.error", "timestamp": "2019-08-15 14:19:14"})j",
       "2019-08-15 14:19:14 [info    ] Booting worker with pid: 30099 [gunicorn.error]\n"},
      {R"j({"event": "x", "level": "critical", "logger": "a", "timestamp": "t", "status": 200, "host": "10.0.0.1", "user": null})j",
       "t [critical] x                              [a] host=10.0.0.1 status=200 user=null\n"},
      // Strings that need it are quoted; numbers keep their digits; nested values are JSON.
      {R"j({"event": "e", "agent": "Mozilla/5.0 (X11)", "empty": "", "big": 12345678901234567890, "f": 2.50, "list": [1, {"a": "b c"}], "ok": true})j",
       "e                              agent=\"Mozilla/5.0 (X11)\" big=12345678901234567890 empty=\"\" f=2.50 list=[1,{\"a\":\"b c\"}] ok=true\n"},
      // Without the usual keys, only the pairs.
      {R"j({"b": 1, "a": 2})j", "a=2 b=1\n"},
      // An event that is not a string stays a pair.
      {R"j({"event": 5, "level": "info"})j", "[info    ] event=5\n"},
  };
  for (const Case& c : cases) EXPECT_EQ(c.expected, Console(c.json)) << c.json;
}

TEST(ConsoleRendererTest, ATracebackFollowsOnItsOwnLines) {
  EXPECT_EQ(
      "[error   ] boom                           [gunicorn.error]\n"
      "Traceback (most recent call last):\n  File \"x\", line 1\nValueError: x\n",
      Console(R"j({"event": "boom", "exception": "Traceback (most recent call last):\n  File \"x\", line 1\nValueError: x", "level": "error", "logger": "gunicorn.error"})j"));
}

TEST(ConsoleRendererTest, ControlCharactersCannotReachTheTerminal) {
  EXPECT_EQ("a\\x1b[31mb\\nc\\td\n",
            Console(R"j({"event": "a\u001b[31mb\nc\td"})j"));
  EXPECT_EQ("k=\\x07\n", Console(R"j({"k": "\u0007"})j"));
}

TEST(ConsoleRendererTest, ColoursOnlyWhenAsked) {
  const std::string json = R"j({"event": "e", "level": "warning", "logger": "l", "timestamp": "t", "k": 1})j";
  EXPECT_EQ(std::string::npos, Console(json, false).find('\x1b'));
  EXPECT_EQ(
      "\x1b[2mt\x1b[0m [\x1b[33mwarning\x1b[0m ] \x1b[1me\x1b[0m                              "
      "[\x1b[34m\x1b[1ml\x1b[0m] \x1b[36mk\x1b[0m=\x1b[35m1\x1b[0m\n",
      Console(json, true));
}

TEST(ConsoleRendererTest, AlignsByCharactersNotBytes) {
  EXPECT_EQ("caf\xc3\xa9                           [l]\n",
            Console("{\"event\": \"caf\xc3\xa9\", \"logger\": \"l\"}"));
}

TEST(ConsoleRendererTest, ALineThatIsNotAnObjectIsShownAsText) {
  EXPECT_EQ("[1, 2]\n", Console("[1, 2]"));
  EXPECT_EQ("{\"a\": \n", Console("{\"a\": "));
}

}  // namespace
}  // namespace logchain

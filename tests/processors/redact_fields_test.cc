#include <gtest/gtest.h>

#include "test_util.h"

namespace logchain {
namespace {

TEST(RedactFieldsTest, ForwardedForListsAreMaskedAddressByAddress) {
  testing::RunResult r = testing::RunText(
      testing::ConfigFor("add_fields,redact_fields",
                         "add_fields.fields=xff=198.51.100.23\\,2001:db8::7\\,unknown "
                         "redact_fields.ip_fields=xff"),
      "hello\n");
  ASSERT_TRUE(r.ok) << r.problems;
  EXPECT_EQ(R"({"event": "hello", "xff": "198.51.100.0,2001:db8::,unknown"})"
            "\n",
            r.output);
}

TEST(RedactFieldsTest, ReplaceModeAndCustomParameters) {
  const std::string line =
      R"(192.0.2.1 - - [15/Aug/2019:14:19:23 +0000] "GET /cb?Code=abc;sig=1&x=192.0.2.10 HTTP/1.1" 200 5 "https://example.com/?sig=zz#f" "curl/7.88.1")";
  testing::RunResult r = testing::RunText(
      testing::ConfigFor("add_logger_name,parse_combined,redact_fields",
                         "redact_fields.ip=replace redact_fields.params=code,sig redact_fields.replacement=***"),
      line + "\n");
  ASSERT_TRUE(r.ok) << r.problems;
  EXPECT_NE(std::string::npos, r.output.find(R"("host": "***")")) << r.output;
  EXPECT_NE(std::string::npos, r.output.find(R"("request": "GET /cb?Code=***;sig=***&x=192.0.2.10 HTTP/1.1")"))
      << r.output;
  EXPECT_NE(std::string::npos, r.output.find(R"("referer": "https://example.com/?sig=***#f")"))
      << r.output;
  // In event: the client address and the secrets are gone; another address stays.
  EXPECT_NE(std::string::npos, r.output.find(R"({"event": "*** - - [)")) << r.output;
  EXPECT_EQ(std::string::npos, r.output.find("192.0.2.1 ")) << r.output;
  EXPECT_EQ(std::string::npos, r.output.find("abc")) << r.output;
}

TEST(RedactFieldsTest, HostNamesAndEmptyHostsAreLeftAlone) {
  testing::RunResult r = testing::RunText(
      testing::ConfigFor("add_fields,redact_fields", "add_fields.fields=host=web-1.internal"),
      "hello\n");
  EXPECT_EQ(R"({"event": "hello", "host": "web-1.internal"})"
            "\n",
            r.output);
}

// A JSON object line (structlog's own JSON) used to pass through with its
// members unredacted: redact_fields only looked at fields the chain added.
TEST(RedactFieldsTest, JsonLineMembersAreRedactedInPlace) {
  const std::string line =
      R"({"event": "GET /cb?token=abc from 198.51.100.23", "host" :"198.51.100.23", "n": {"host": "10.0.0.1"}, "query": "a=1&password=hunter2", "level": "info"})";
  testing::RunResult r = testing::RunText(testing::ConfigFor("add_log_level,redact_fields",
                                                             "redact_fields.param_fields=event,query"),
                                          line + "\n");
  ASSERT_TRUE(r.ok) << r.problems;
  // Members keep their place and spacing; only the values change; nested
  // objects are not top-level members and stay as written.
  EXPECT_EQ(
      R"({"event": "GET /cb?token=REDACTED from 198.51.100.0", "host" :"198.51.100.0", "n": {"host": "10.0.0.1"}, "query": "a=1&password=REDACTED", "level": "info"})"
      "\n",
      r.output);
}

TEST(RedactFieldsTest, JsonLineDuplicateMembersAreAllRedacted) {
  testing::RunResult r = testing::RunText(
      testing::ConfigFor("redact_fields", "redact_fields.ip=replace"),
      R"({"host":"192.0.2.1","host":"192.0.2.2","path":"/x?api_key=k"})"
      "\n");
  ASSERT_TRUE(r.ok) << r.problems;
  EXPECT_EQ(R"({"host":"REDACTED","host":"REDACTED","path":"/x?api_key=REDACTED"})"
            "\n",
            r.output);
}

TEST(RedactFieldsTest, JsonLineWithFieldsAddedAndNothingToRedactIsKept) {
  testing::RunResult r = testing::RunText(testing::ConfigFor("add_log_level,redact_fields"),
                                          "{\"event\":\"caf\u00e9\",\"host\":\"web-1\",\"status\":1.50}\n");
  ASSERT_TRUE(r.ok) << r.problems;
  EXPECT_EQ("{\"event\":\"caf\u00e9\",\"host\":\"web-1\",\"status\":1.50, \"level\": \"info\"}\n",
            r.output);
}

}  // namespace
}  // namespace logchain

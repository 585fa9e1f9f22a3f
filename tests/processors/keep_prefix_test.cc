#include <gtest/gtest.h>

#include <string>

#include "json_check.h"
#include "test_util.h"

namespace logchain {
namespace {

std::string Member(const rapidjson::Document& doc, const char* name) {
  const auto it = doc.FindMember(name);
  return it == doc.MemberEnd() ? std::string()
                               : std::string(it->value.GetString(), it->value.GetStringLength());
}

// Every line comes back as logchain_prefix + event + logchain_suffix, in the
// default chain (gunicorn's error and access lines, plain lines) and after
// parse_auto (patterns whose event group is the message).
TEST(KeepPrefixTest, PrefixEventAndSuffixRebuildTheLine) {
  const std::string lines[] = {
      "[2019-08-15 14:19:14 +0000] [30099] [INFO] Booting worker with pid: 30099",
      "[2019-08-15 14:19:14 -0730] [7] [WARNING] Worker timeout",
      "[2019-08-15 14:19:14 +0000] [007] [custom] odd level, padded pid",
      "[2019-08-15 14:19:14 +0000] [1] [ERROR] ",
      "[2019-08-15 14:19:14 +0000] [1] [ERROR]",
      R"(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8")",
      "plain text from print()",
      "I0815 14:19:23.123456   12345 main.go:42] Starting controller",
      "WARNING:app.payments:card declined",
  };
  for (const char* chain : {"fold_traceback,add_log_level,add_logger_name,add_timestamp,"
                            "parse_combined,keep_prefix",
                            "parse_auto,keep_prefix"}) {
    std::string input;
    for (const std::string& line : lines) input += line + "\n";
    const testing::RunResult r = testing::RunText(testing::ConfigFor(chain, ""), input);
    ASSERT_TRUE(r.ok) << r.problems;
    const std::vector<std::string_view> out = testing::SplitLines(r.output);
    ASSERT_EQ(std::size(lines), out.size()) << r.output;
    for (size_t i = 0; i < out.size(); ++i) {
      rapidjson::Document doc;
      ASSERT_TRUE(testing::ParseJson(out[i], &doc)) << out[i];
      EXPECT_EQ(lines[i], Member(doc, "logchain_prefix") + Member(doc, "event") +
                              Member(doc, "logchain_suffix"))
          << chain << ": " << out[i];
    }
  }
}

}  // namespace
}  // namespace logchain

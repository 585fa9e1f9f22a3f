#include <gtest/gtest.h>
#include <stdlib.h>

#include "test_util.h"

namespace logchain {
namespace {

TEST(AddFieldsTest, EnvironmentVariablesAreReadAtStart) {
  ::setenv("LOGCHAIN_TEST_POD", "web-7d9f-abcde", 1);
  ::setenv("LOGCHAIN_TEST_EMPTY", "", 1);
  const testing::RunResult r = testing::RunText(
      testing::ConfigFor("add_fields",
                         "add_fields.fields=pod=${LOGCHAIN_TEST_POD},ns=${LOGCHAIN_TEST_EMPTY:-"
                         "default},cost=$5,list=a\\,b"),
      "hello\n");
  ASSERT_TRUE(r.ok) << r.problems;
  EXPECT_EQ(
      R"({"event": "hello", "pod": "web-7d9f-abcde", "ns": "default", "cost": "$5", "list": "a,b"})"
      "\n",
      r.output);
}

TEST(AddFieldsTest, ExistingFieldsAreKeptUnlessOverwriting) {
  const std::string input = R"({"event": "x", "team": "api"})"
                            "\n";
  testing::RunResult r =
      testing::RunText(testing::ConfigFor("add_fields", "add_fields.fields=team=web"), input);
  EXPECT_EQ(input, r.output);
  r = testing::RunText(testing::ConfigFor("add_logger_name,add_fields",
                                          "add_fields.fields=logger=web add_fields.overwrite=true"),
                       "hello\n");
  EXPECT_EQ(R"({"event": "hello", "logger": "web"})"
            "\n",
            r.output);
}

TEST(AddFieldsTest, UnsetVariablesAndBadPairsAreRefused) {
  ::unsetenv("LOGCHAIN_TEST_UNSET");
  testing::RunResult r = testing::RunText(
      testing::ConfigFor("add_fields", "add_fields.fields=pod=${LOGCHAIN_TEST_UNSET}"), "x\n");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(std::string::npos, r.problems.find("LOGCHAIN_TEST_UNSET is not set")) << r.problems;
  r = testing::RunText(testing::ConfigFor("add_fields", "add_fields.fields=justaname"), "x\n");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(std::string::npos, r.problems.find("'justaname' is not NAME=VALUE")) << r.problems;
}

}  // namespace
}  // namespace logchain

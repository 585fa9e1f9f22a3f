#include <gtest/gtest.h>

#include "test_util.h"

namespace logchain {
namespace {

constexpr std::string_view kProbe =
    R"(10.0.0.8 - - [15/Aug/2019:14:19:24 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.27")";
constexpr std::string_view kApp =
    R"(10.0.0.9 - - [15/Aug/2019:14:19:25 +0000] "GET /app HTTP/1.1" 200 5 "-" "curl/7.88.1")";

TEST(DropWhereTest, DroppedRecordsAreCountedAndTheInvariantHolds) {
  std::string input;
  for (int i = 0; i < 10; ++i) input.append(kProbe).append("\n");
  input.append(kApp).append("\n");
  input.append("not an access line\n");
  const testing::RunResult r = testing::RunText(
      testing::ConfigFor("add_logger_name,parse_combined,parse_request,drop_where",
                         "drop_where.when=path==/healthz"),
      input);
  ASSERT_TRUE(r.ok) << r.problems;
  EXPECT_EQ(12u, r.stats.lines);
  EXPECT_EQ(10u, r.stats.dropped);
  EXPECT_EQ(2u, r.stats.records);
  EXPECT_EQ(2u, testing::Lines(r.output).size());
  EXPECT_EQ(r.stats.lines, r.stats.records + r.stats.dropped);
}

TEST(DropWhereTest, ConfigurationMistakesAreRefusedAtStart) {
  testing::RunResult r = testing::RunText(testing::ConfigFor("drop_where"), "x\n");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(std::string::npos, r.problems.find("drop_where needs a condition")) << r.problems;
  EXPECT_NE(std::string::npos, r.problems.find("drop_where.when=path == /healthz")) << r.problems;

  // keep_where shares the filter and its checks, with its own name and hint.
  r = testing::RunText(testing::ConfigFor("keep_where"), "x\n");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(std::string::npos, r.problems.find("keep_where needs a condition")) << r.problems;
  EXPECT_NE(std::string::npos, r.problems.find("keep_where.when=level >= warning")) << r.problems;

  r = testing::RunText(testing::ConfigFor("keep_where,drop_where",
                                          "keep_where.when=status>x drop_where.when=level<loud"),
                       "x\n");
  EXPECT_FALSE(r.ok);
  // Both problems, each naming its option and column.
  EXPECT_NE(std::string::npos, r.problems.find("keep_where.when: at column 8")) << r.problems;
  EXPECT_NE(std::string::npos, r.problems.find("drop_where.when: at column 7")) << r.problems;
}

TEST(KeepWhereTest, KeepsOnlyMatches) {
  const std::string input = std::string(kProbe) + "\n" + std::string(kApp) + "\n";
  const testing::RunResult r = testing::RunText(
      testing::ConfigFor("add_logger_name,parse_combined,keep_where", "keep_where.when=agent^=curl"),
      input);
  ASSERT_TRUE(r.ok) << r.problems;
  ASSERT_EQ(1u, testing::Lines(r.output).size());
  EXPECT_NE(std::string::npos, r.output.find("curl/7.88.1"));
  EXPECT_EQ(1u, r.stats.dropped);
}

}  // namespace
}  // namespace logchain

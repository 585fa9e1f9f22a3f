#include "processors/option_lists.h"

#include <gtest/gtest.h>

namespace logchain {
namespace {

TEST(OptionListsTest, SplitsTrimsAndUnescapes) {
  EXPECT_EQ((std::vector<std::string>{"a", "b c", "d,e", "f\\g"}),
            SplitList(" a , b c,,d\\,e, f\\\\g "));
  EXPECT_TRUE(SplitList("").empty());
}

TEST(OptionListsTest, PairsNeedANameAndTheSeparator) {
  std::vector<std::pair<std::string, std::string>> pairs;
  std::string error;
  ASSERT_TRUE(SplitPairs("a=1, b = x=y ,c=", '=', &pairs, &error)) << error;
  EXPECT_EQ((std::vector<std::pair<std::string, std::string>>{{"a", "1"}, {"b", "x=y"}, {"c", ""}}),
            pairs);
  pairs.clear();
  EXPECT_FALSE(SplitPairs("a=1,=2", '=', &pairs, &error));
  EXPECT_EQ("'=2' is not NAME=VALUE", error);
  EXPECT_FALSE(SplitPairs("host", ':', &pairs, &error));
  EXPECT_EQ("'host' is not NAME:VALUE", error);
}

}  // namespace
}  // namespace logchain

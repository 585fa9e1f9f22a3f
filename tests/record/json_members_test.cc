#include "record/json_members.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace logchain {
namespace {

std::vector<std::string> Flatten(std::string_view object) {
  std::vector<JsonMemberSpan> spans;
  std::vector<std::string> out;
  if (!SplitJsonMembers(object, &spans)) return {"<refused>"};
  for (const JsonMemberSpan& s : spans) out.push_back(std::string(s.key) + "=" + std::string(s.value));
  return out;
}

TEST(SplitJsonMembersTest, FindsEveryTopLevelMemberAsWritten) {
  EXPECT_EQ((std::vector<std::string>{R"("a"=1)", R"("b"="x, \"}y")", R"("c"={"d": [1, "]"]})",
                                      R"("e"=[{}])", R"("f"=null)", R"("g"=-1.5e3)"}),
            Flatten(R"({"a":1, "b" : "x, \"}y", "c": {"d": [1, "]"]}, "e":[{}],"f":null,"g":-1.5e3})"));
}

TEST(SplitJsonMembersTest, KeepsDuplicatesAndEscapedKeysInOrder) {
  EXPECT_EQ((std::vector<std::string>{R"("k"=1)", R"("k\u0041"=2)", R"("k"=3)"}),
            Flatten(R"({ "k":1,"k\u0041":2 ,
"k":3 })"));
}

TEST(SplitJsonMembersTest, EmptyObject) {
  EXPECT_EQ(std::vector<std::string>{}, Flatten("{ }"));
  EXPECT_EQ(std::vector<std::string>{}, Flatten("{}"));
}

TEST(SplitJsonMembersTest, RefusesWhatIsNotOneObject) {
  for (std::string_view bad : {"", "[]", "{", R"({"a")", R"({"a":})", R"({"a":1,})", R"({"a":1} x)",
                               R"({"a":"unterminated})", R"({"a":{"b":1})", "{1:2}"}) {
    EXPECT_EQ(std::vector<std::string>{"<refused>"}, Flatten(bad)) << bad;
  }
}

}  // namespace
}  // namespace logchain

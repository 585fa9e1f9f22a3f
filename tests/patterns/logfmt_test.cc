#include "patterns/logfmt.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <string>
#include <utility>

namespace logchain {
namespace {

std::vector<std::pair<std::string, std::string>> Pairs(std::string_view text, bool* ok) {
  Arena arena;
  std::vector<LogfmtPair> out;
  *ok = ParseLogfmt(text, arena, &out);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (const LogfmtPair& p : out) pairs.emplace_back(p.key, p.value);
  return pairs;
}

TEST(LogfmtTest, SplitsBareQuotedAndEmptyValuesInLineOrder) {
  bool ok = false;
  const auto pairs =
      Pairs("  level=info msg=\"GET /a b\" empty= took=1.5ms path=/x?a=b\tq=\"\"", &ok);
  ASSERT_TRUE(ok);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"level", "info"}, {"msg", "GET /a b"}, {"empty", ""},
      {"took", "1.5ms"}, {"path", "/x?a=b"},  {"q", ""},
  };
  EXPECT_EQ(expected, pairs);
}

TEST(LogfmtTest, UnescapesQuotedValues) {
  bool ok = false;
  const auto pairs = Pairs(R"(a="say \"hi\"\n" b="\u00e9\ud83d\ude00 \ud800 \/ \q")", &ok);
  ASSERT_TRUE(ok);
  ASSERT_EQ(2u, pairs.size());
  EXPECT_EQ("say \"hi\"\n", pairs[0].second);
  // A pair of surrogates is one code point; a lone one is U+FFFD; an escape
  // writers never use keeps its backslash.
  EXPECT_EQ("\xC3\xA9\xF0\x9F\x98\x80 \xEF\xBF\xBD / \\q", pairs[1].second);
}

TEST(LogfmtTest, RefusesWhatIsNotLogfmt) {
  for (const char* text : {"", "   ", "hello world", "a=1 word", "a=\"open", "a=b\"c",
                           "a=\"x\"y", "=v", "\"k\"=v", "a=1 =2"}) {
    bool ok = true;
    Pairs(text, &ok);
    EXPECT_FALSE(ok) << text;
  }
}

TEST(LogfmtTest, TheRecognisingRegexAgreesWithTheParser) {
  const RE2 re(kLogfmtRegex);
  ASSERT_TRUE(re.ok()) << re.error();
  for (const char* text : {"a=1", " a=1 b=\"x y\"\t", "a= b=", "k=\"\\\"\"", "", "hello",
                           "a=1 word", "a=\"open", "a=b\"c", "a=\"x\"y", "=v", "k=v=w"}) {
    bool parsed = false;
    Pairs(text, &parsed);
    EXPECT_EQ(parsed, RE2::FullMatch(text, re)) << text;
  }
}

}  // namespace
}  // namespace logchain

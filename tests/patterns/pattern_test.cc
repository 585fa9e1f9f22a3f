#include "patterns/pattern.h"

#include <gtest/gtest.h>

namespace logchain {
namespace {

TEST(PatternTest, TypesDashesAndOptionalGroups) {
  FieldSpec size{.name = "size", .type = FieldSpec::Type::kInt, .dash = FieldSpec::Dash::kZero};
  FieldSpec user{.name = "user", .dash = FieldSpec::Dash::kNull};
  FieldSpec took{.name = "took", .type = FieldSpec::Type::kFloat};
  FieldSpec big{.name = "big", .type = FieldSpec::Type::kInt};
  Pattern p("t", R"((?P<user>\S+) (?P<size>\S+) (?P<took>[0-9.]+)(?: (?P<big>[0-9]+))?)",
            {size, user, took, big});
  ASSERT_TRUE(p.ok()) << p.error();
  Arena arena;
  std::vector<MatchedField> out;
  ASSERT_TRUE(p.Match("- - 0.5", arena, false, &out));
  ASSERT_EQ(3u, out.size());  // big did not take part
  EXPECT_EQ(ValueKind::kNull, out[0].value.kind);
  EXPECT_EQ(0, out[1].value.int_value);
  EXPECT_EQ(0.5, out[2].value.double_value);
  ASSERT_TRUE(p.Match("bob 12 1 123456789012345678901234", arena, false, &out));
  EXPECT_EQ(ValueKind::kNumber, out[3].value.kind);
  EXPECT_EQ("123456789012345678901234", out[3].value.text);
  EXPECT_FALSE(p.Match("bob x 1", arena, false, &out)) << "an int field that is not a number";
  EXPECT_FALSE(p.Match("bob 1 1 trailing", arena, false, &out)) << "the whole line must match";
}

TEST(PatternTest, UnescapeEachServersEscaping) {
  Arena arena;
  using E = FieldSpec::Escapes;
  EXPECT_EQ(R"(say "hi" \ ok)", Unescape(R"(say \"hi\" \\ ok)", E::kBackslash, arena));
  EXPECT_EQ("say \"hi\" caf\xC3\xA9", Unescape(R"(say \x22hi\x22 caf\xC3\xA9)", E::kNginx, arena));
  // nginx leaves a backslash it did not write alone; a lone byte is not UTF-8.
  EXPECT_EQ(R"(a\"b)", Unescape(R"(a\"b)", E::kNginx, arena));
  EXPECT_EQ("\xEF\xBF\xBD", Unescape(R"(\xFF)", E::kNginx, arena));
  EXPECT_EQ(R"(unchanged)", Unescape("unchanged", E::kBackslash, arena));
  EXPECT_EQ(R"(\"kept\")", Unescape(R"(\"kept\")", E::kNone, arena));
}

TEST(PatternTest, LevelsAreSpelledAsStructlogDoes) {
  FieldSpec level{.name = "level", .type = FieldSpec::Type::kLevel};
  Arena arena;
  Value v;
  const std::pair<const char*, const char*> cases[] = {
      {"WARNING", "warning"}, {"warn", "warning"}, {"W", "warning"}, {"I", "info"},
      {"crit", "critical"},   {"ERROR", "error"},  {"notice", "notice"},
  };
  for (const auto& [in, expected] : cases) {
    ASSERT_TRUE(ConvertField(level, in, arena, false, &v));
    EXPECT_EQ(expected, v.text) << in;
  }
}

TEST(PatternTest, RefusesWhatRe2RefusesAndSpecsWithoutAGroup) {
  Pattern backref("b", R"((?P<a>x)\1)", {});
  EXPECT_FALSE(backref.ok());
  EXPECT_NE(std::string::npos, backref.error().find("escape")) << backref.error();
  Pattern lookahead("l", R"((?=x)x)", {});
  EXPECT_FALSE(lookahead.ok());
  FieldSpec typo{.name = "stauts", .type = FieldSpec::Type::kInt};
  Pattern p("t", R"((?P<status>[0-9]+))", {typo});
  EXPECT_FALSE(p.ok());
  EXPECT_EQ("a type is declared for 'stauts' but there is no group (?P<stauts>...)", p.error());
}

TEST(PatternTest, NumbersAreValidJsonOrRefused) {
  FieldSpec i{.name = "i", .type = FieldSpec::Type::kInt};
  FieldSpec f{.name = "f", .type = FieldSpec::Type::kFloat};
  FieldSpec ms{.name = "ms", .type = FieldSpec::Type::kDuration, .scale = 0.001};
  Arena arena;
  Value v;
  ASSERT_TRUE(ConvertField(i, "+42", arena, false, &v));
  EXPECT_EQ(42, v.int_value);
  ASSERT_TRUE(ConvertField(i, "-7", arena, false, &v));
  EXPECT_EQ(-7, v.int_value);
  ASSERT_TRUE(ConvertField(i, "007", arena, false, &v));
  EXPECT_EQ(7, v.int_value);
  // Beyond 64 bits the digits are kept, without the leading zeros JSON forbids.
  ASSERT_TRUE(ConvertField(i, "000123456789012345678901234", arena, false, &v));
  EXPECT_EQ(ValueKind::kNumber, v.kind);
  EXPECT_EQ("123456789012345678901234", v.text);
  ASSERT_TRUE(ConvertField(i, "-0099999999999999999999", arena, false, &v));
  EXPECT_EQ("-99999999999999999999", v.text);
  for (const char* bad : {"", "+", "-", "+-5", "1.5", "0x10", " 1", "1 "}) {
    EXPECT_FALSE(ConvertField(i, bad, arena, false, &v)) << bad;
  }
  ASSERT_TRUE(ConvertField(f, "0.25", arena, false, &v));
  EXPECT_EQ(0.25, v.double_value);
  for (const char* bad : {"inf", "nan", "-inf", "1e999", "", "1,5"}) {
    EXPECT_FALSE(ConvertField(f, bad, arena, false, &v)) << bad;
  }
  ASSERT_TRUE(ConvertField(ms, "1500", arena, false, &v));
  EXPECT_DOUBLE_EQ(1.5, v.double_value);
  FieldSpec empty{.name = "e", .type = FieldSpec::Type::kInt, .empty_is_null = true};
  ASSERT_TRUE(ConvertField(empty, "", arena, false, &v));
  EXPECT_EQ(ValueKind::kNull, v.kind);
}

}  // namespace
}  // namespace logchain

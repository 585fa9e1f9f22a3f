#include "record/json_object.h"

#include <gtest/gtest.h>

#include <string>

namespace logchain {
namespace {

bool Decode(JsonObjectDecoder& d, std::string_view text, Record& r) {
  r.Reset();
  r.SetLine(text, text);
  return d.Decode(text, /*padded=*/false, r);
}

TEST(JsonObjectTest, CollectsTopLevelMembers) {
  JsonObjectDecoder d;
  Record r;
  ASSERT_TRUE(Decode(d, R"({"event": "x", "n": 1, "f": 1.5, "b": true, "z": null, "o": {"a": 1}, "l": [1]})", r));
  EXPECT_EQ(LineKind::kJson, r.origin().kind);
  ASSERT_EQ(7u, r.json_members().size());
  EXPECT_EQ("x", *r.FindString("event"));
  EXPECT_EQ(ValueKind::kInt, r.Find("n")->kind);
  EXPECT_EQ(ValueKind::kDouble, r.Find("f")->kind);
  EXPECT_EQ(ValueKind::kBool, r.Find("b")->kind);
  EXPECT_EQ(ValueKind::kNull, r.Find("z")->kind);
  EXPECT_EQ(ValueKind::kComposite, r.Find("o")->kind);
  EXPECT_EQ(nullptr, r.Find("a"));  // not top-level
  EXPECT_FALSE(r.json_object_empty());
}

TEST(JsonObjectTest, TheLastDuplicateWinsAsInPython) {
  JsonObjectDecoder d;
  Record r;
  ASSERT_TRUE(Decode(d, R"({"level": "a", "level": "b"})", r));
  EXPECT_EQ("b", *r.FindString("level"));
}

TEST(JsonObjectTest, AcceptsValidNumbersSimdjsonRefuses) {
  JsonObjectDecoder d;
  Record r;
  ASSERT_TRUE(Decode(d, R"({"event": "x", "n": 123456789012345678901234567890})", r));
  EXPECT_EQ(ValueKind::kNumber, r.Find("n")->kind);
  EXPECT_EQ("123456789012345678901234567890", r.Find("n")->text);
  EXPECT_EQ("x", *r.FindString("event"));
  const std::string digits300 = std::string(300, '7');
  ASSERT_TRUE(Decode(d, "{\"n\": " + digits300 + "}", r));
  EXPECT_EQ(digits300, r.Find("n")->text);
  // Beyond double's exponent range both readers refuse the number; the line
  // is then kept whole as a text record (documented in docs/manual.md).
  EXPECT_FALSE(Decode(d, R"({"big": 1e999, "neg": -1e999})", r));
}

TEST(JsonObjectTest, RefusesWhatIsNotOneObject) {
  JsonObjectDecoder d;
  Record r;
  for (std::string_view text : std::initializer_list<std::string_view>{
           "[1, 2]", "\"s\"", "42", "{", R"({"a": 1)", R"({"a": tru})", R"({"a": 1} {"b": 2})",
        R"({"a": 1} x)", R"({"a": 1,})", R"({'a': 1})", R"({"a": NaN})", std::string_view("{}\0x", 4),
        R"({"n": 1e999} x)", R"({"n": 1e999, "s": "\ud800"})"}) {
    EXPECT_FALSE(Decode(d, text, r)) << text;
    EXPECT_TRUE(r.json_members().empty()) << text;
  }
}

// Regression (found by fuzz_json_object): with a number simdjson refuses,
// the line went to RapidJSON, which decodes an unpaired low surrogate escape
// into bytes that are not UTF-8 and accepted a line that simdjson refuses.
TEST(JsonObjectTest, UnpairedSurrogateEscapesAreRefusedByEitherReader) {
  JsonObjectDecoder d;
  Record r;
  for (std::string_view text : std::initializer_list<std::string_view>{
           R"({"s": "\udc00"})", R"({"n": 123456789012345678901234567890, "s": "\udc00"})",
           R"({"n": 123456789012345678901234567890, "k\udfff": 1})",
           R"({"n": 123456789012345678901234567890, "o": {"deep": ["\udc00"]}})"}) {
    EXPECT_FALSE(Decode(d, text, r)) << text;
    EXPECT_TRUE(r.json_members().empty()) << text;
  }
  // A pair is one character, accepted on both paths.
  EXPECT_TRUE(Decode(d, R"({"n": 123456789012345678901234567890, "s": "\ud83d\ude00"})", r));
  EXPECT_EQ("\xf0\x9f\x98\x80", *r.FindString("s"));
}

TEST(JsonObjectTest, DepthIsLimited) {
  JsonObjectDecoder d;
  Record r;
  std::string ok = "{\"a\": " + std::string(1000, '[') + std::string(1000, ']') + "}";
  EXPECT_TRUE(Decode(d, ok, r));
  std::string deep = "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_FALSE(Decode(d, deep, r));
  // The fallback reader has the same limit (a big number forces it).
  std::string deep_big = "{\"n\": 1e999, \"a\": " + std::string(5000, '[') +
                         std::string(5000, ']') + "}";
  EXPECT_FALSE(Decode(d, deep_big, r));
}

TEST(JsonObjectTest, LargeDocumentsStreamThroughTheFallback) {
  JsonObjectDecoder d;
  Record r;
  std::string big = R"({"event": ")" + std::string(JsonObjectDecoder::kLargeDocument, 'x') + "\"}";
  ASSERT_TRUE(Decode(d, big, r));
  EXPECT_EQ(JsonObjectDecoder::kLargeDocument, r.FindString("event")->size());
}

TEST(JsonObjectTest, ObjectTextExcludesSurroundingWhitespace) {
  JsonObjectDecoder d;
  Record r;
  ASSERT_TRUE(Decode(d, "  { }  ", r));
  EXPECT_EQ("{ }", r.json_object_text());
  EXPECT_TRUE(r.json_object_empty());
}

}  // namespace
}  // namespace logchain

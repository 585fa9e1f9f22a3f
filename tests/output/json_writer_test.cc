#include "output/json_writer.h"

#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "test_util.h"

namespace logchain {
namespace {

std::string Str(std::string_view s, JsonStyle style) {
  OutBuffer out(16);
  WriteJsonString(out, s, style);
  return std::string(out.view());
}

std::string Float(double d) {
  OutBuffer out(16);
  WritePythonFloat(out, d);
  return std::string(out.view());
}

struct EscapeCase {
  std::string_view input;
  std::string_view seed;     // Python: json.dumps(s)
  std::string_view compact;  // Python: json.dumps(s, ensure_ascii=False)
};

// Expected values were produced by Python 3.11's json module.
constexpr EscapeCase kEscapes[] = {
    {"", R"("")", R"("")"},
    {"plain", R"("plain")", R"("plain")"},
    {"quote\"back\\slash/", R"("quote\"back\\slash/")", R"("quote\"back\\slash/")"},
    {"\b\f\n\r\t", R"("\b\f\n\r\t")", R"("\b\f\n\r\t")"},
    {std::string_view("\x00\x01\x1f\x7f", 4), R"("\u0000\u0001\u001f\u007f")",
     "\"\\u0000\\u0001\\u001f\x7f\""},
    {"\xc3\xa9", R"("\u00e9")", "\"\xc3\xa9\""},
    {"\xe2\x82\xac", R"("\u20ac")", "\"\xe2\x82\xac\""},
    {"\xf0\x9f\x98\x80", R"("\ud83d\ude00")", "\"\xf0\x9f\x98\x80\""},
    {"\xe2\x80\xa8", R"("\u2028")", "\"\xe2\x80\xa8\""},
    {"\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf", R"("\ud7ff\ue000\uffff")",
     "\"\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\""},
    {std::string_view("mix \xc3\xa9\"\xf0\x9f\x98\x80\x00", 12), R"("mix \u00e9\"\ud83d\ude00\u0000")",
     "\"mix \xc3\xa9\\\"\xf0\x9f\x98\x80\\u0000\""},
    // Bytes that are not UTF-8 still give valid JSON: U+FFFD per byte.
    {"a\xff" "b", R"("a\ufffdb")", "\"a\xef\xbf\xbd" "b\""},
    // One U+FFFD per maximal invalid subsequence, as bytes.decode("utf-8",
    // "replace") and the line decoder do (found by fuzz_json_writer: the
    // writer used to write one per byte).
    {"\xe2\x82", R"("\ufffd")", "\"\xef\xbf\xbd\""},
    {"\xf0\x9f\xed\x80\xe2\x80\xa8", R"("\ufffd\ufffd\u2028")",
     "\"\xef\xbf\xbd\xef\xbf\xbd\xe2\x80\xa8\""},
    {"\xc0\xaf\x80", R"("\ufffd\ufffd\ufffd")",
     "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""},
};

TEST(JsonWriterTest, EscapesLikePythonJsonDumps) {
  for (const EscapeCase& c : kEscapes) {
    EXPECT_EQ(c.seed, Str(c.input, JsonStyle::kSeed)) << "input: " << c.input;
    EXPECT_EQ(c.compact, Str(c.input, JsonStyle::kCompact)) << "input: " << c.input;
  }
}

TEST(JsonWriterTest, SpecialBytesAtEveryPositionOfAVectorBlock) {
  // The escaper scans 16 bytes at a time: put each special byte at each
  // offset, with runs to copy on both sides.
  for (char special : {'"', '\\', '\n', '\x01', '\x7f'}) {
    for (size_t pos = 0; pos < 40; ++pos) {
      std::string s(40, 'x');
      s[pos] = special;
      const std::string seed = Str(s, JsonStyle::kSeed);
      std::string expected = "\"" + std::string(pos, 'x');
      switch (special) {
        case '"': expected += "\\\""; break;
        case '\\': expected += "\\\\"; break;
        case '\n': expected += "\\n"; break;
        case '\x01': expected += "\\u0001"; break;
        case '\x7f': expected += "\\u007f"; break;
      }
      expected += std::string(40 - pos - 1, 'x') + "\"";
      EXPECT_EQ(expected, seed) << "byte " << int(special) << " at " << pos;
    }
  }
}

// Escapes `line` with marks and says which slices come out clean.
TEST(JsonWriterTest, EscapeMarksFindTheSlicesEscapingLeavesAlone) {
  const std::string line =
      "10.0.0.1 - - \"GET /caf\xC3\xA9 HTTP/1.1\" 200 \"-\" \"curl/8.1 \\\"x\\\" long agent text\"";
  std::string buffer(JsonStringBound(line.size()), '\0');
  EscapeMarks marks;
  char* end = WriteJsonStringTo(buffer.data(), line, JsonStyle::kSeed, &marks);
  EXPECT_EQ(Str(line, JsonStyle::kSeed), std::string(buffer.data(), end));
  auto slice = [&line](std::string_view text) {
    const size_t at = line.find(text);
    EXPECT_NE(std::string::npos, at) << text;
    return std::string_view(line).substr(at, text.size());
  };
  EXPECT_TRUE(marks.Clean(slice("10.0.0.1")));
  EXPECT_TRUE(marks.Clean(slice("GET /caf")));
  EXPECT_TRUE(marks.Clean(slice(" long agent text")));
  EXPECT_FALSE(marks.Clean(slice("\"GET")));             // a quote
  EXPECT_FALSE(marks.Clean(slice("caf\xC3\xA9")));        // a character escaped as \u00e9
  EXPECT_FALSE(marks.Clean(slice("\xA9 HTTP")));          // from inside that character
  EXPECT_FALSE(marks.Clean(slice("8.1 \\\"x")));          // an escaped quote in the agent
  EXPECT_FALSE(marks.Clean(std::string_view("10.0.0.1")));  // equal text, not a slice
  EXPECT_FALSE(marks.Clean(std::string_view(line).substr(0, 0)));

  // Past the ranges it keeps, marks know nothing: slices there are not clean.
  std::string many;
  for (int i = 0; i < 40; ++i) many += "ab\"";
  many += "clean tail";
  buffer.assign(JsonStringBound(many.size()), '\0');
  WriteJsonStringTo(buffer.data(), many, JsonStyle::kSeed, &marks);
  EXPECT_TRUE(marks.Clean(std::string_view(many).substr(0, 2)));
  EXPECT_FALSE(marks.Clean(std::string_view(many).substr(many.size() - 10)));
}

// The members of a record as the renderer writes them: every kind of value,
// keys and short values that need escaping, and long values sliced from
// the first long one, clean (copied) or not (escaped).
TEST(JsonWriterTest, MembersAreWrittenAsEachValueAlone) {
  const std::string event = "GET /caf\xC3\xA9 \"long enough to be marked\" then clean text after it";
  const std::string_view line(event);
  const Field members[] = {
      {"event", Value::String(line)},
      {"k\"ey", Value::String("short \"quoted\"")},
      {"level", Value::String("info")},
      {"clean", Value::String(line.substr(line.find(" then")))},
      {"dirty", Value::String(line.substr(0, 40))},
      {"not\xFFutf8", Value::String("x\x01y")},
      {"n", Value::Int(-42)},
      {"number", Value::Number("1.50")},
      {"yes", Value::Bool(true)},
      {"no", Value::Bool(false)},
      {"none", Value::Null()},
      {"", Value::String("")},
  };
  auto written = [](const std::string& buffer, const char* end) {
    return std::string(buffer.data(), static_cast<size_t>(end - buffer.data()));
  };
  for (const JsonStyle style : {JsonStyle::kSeed, JsonStyle::kCompact}) {
    std::string expected;
    for (const Field& f : members) {
      expected += expected.empty() ? "" : std::string(ItemSeparator(style));
      expected += Str(f.key, style) + std::string(KeySeparator(style));
      OutBuffer value;
      WriteJsonValue(value, f.value, style);
      expected += value.view();
    }
    std::string buffer(MembersBound(std::begin(members), std::end(members)).value(), '\0');
    EXPECT_EQ(expected, written(buffer, WriteMembersTo(buffer.data(), std::begin(members),
                                                       std::end(members), style, true)));
    // Not first: a separator before the first member too.
    EXPECT_EQ(std::string(ItemSeparator(style)) + Str("event", style) +
                  std::string(KeySeparator(style)) + Str(event, style),
              written(buffer, WriteMembersTo(buffer.data(), std::begin(members),
                                             std::begin(members) + 1, style, false)));
  }
  // A double takes the general path (Python's repr): no bound.
  const Field with_double[] = {{"a", Value::Int(1)}, {"d", Value::Double(0.5)}};
  EXPECT_FALSE(MembersBound(std::begin(with_double), std::end(with_double)).has_value());
}

// WriteMembersTo's output for one member, against the member's key and
// value written alone.
void ExpectOneMemberAsAlone(std::string_view value) {
  const Field member[] = {{"k", Value::String(value)}};
  for (const JsonStyle style : {JsonStyle::kSeed, JsonStyle::kCompact}) {
    std::string buffer(MembersBound(std::begin(member), std::end(member)).value(), '\0');
    const char* end = WriteMembersTo(buffer.data(), std::begin(member), std::end(member), style,
                                     true);
    ASSERT_EQ(Str("k", style) + std::string(KeySeparator(style)) + Str(value, style),
              std::string(buffer.data(), static_cast<size_t>(end - buffer.data())))
        << value.size();
  }
}

TEST(JsonWriterTest, ShortValuesOfEveryLengthWithSpecialBytesAnywhere) {
  // Values up to 32 bytes are checked 32 bytes at a time whatever their
  // length: a special byte at any position, or just past the value's end,
  // must be escaped or left alone as it should.
  for (size_t n = 0; n <= 40; ++n) {
    std::string backing(n + 32, 'x');
    for (size_t at = 0; at < n + 8; ++at) {
      for (char special : {'"', '\\', '\n', '\x01', '\x7f', '\xc3'}) {
        backing.assign(n + 32, 'x');
        backing[at] = special;
        ASSERT_NO_FATAL_FAILURE(ExpectOneMemberAsAlone(std::string_view(backing).substr(0, n)));
      }
    }
  }
}

TEST(JsonWriterTest, ShortValuesAtTheEndOfReadableMemory) {
  // A value that ends where readable memory ends (the next page cannot be
  // read) is written without touching that page.
  const testing::ReadableEdge memory;
  for (size_t n = 0; n <= 40; ++n) {
    char* const text = memory.Last(n);
    std::memset(text, 'v', n);
    ASSERT_NO_FATAL_FAILURE(ExpectOneMemberAsAlone(std::string_view(text, n)));
    if (n != 0) {
      text[n - 1] = '"';
      ASSERT_NO_FATAL_FAILURE(ExpectOneMemberAsAlone(std::string_view(text, n)));
    }
  }
}

TEST(JsonWriterTest, IntegersOfEveryLength) {
  // Integers below 10^8 are written eight digits at a time, whatever their
  // length, in a record's members and alone: every value below 200,000,
  // each power of ten and its neighbours, and a spread up to 10^8 and past
  // it, against to_string.
  std::vector<int64_t> values;
  for (int64_t v = 0; v < 200'000; ++v) values.push_back(v);
  int64_t power = 1;
  for (int exponent = 0; exponent <= 18; ++exponent) {  // 10^18 is the last in int64_t
    for (int64_t d : {-1, 0, 1}) values.insert(values.end(), {power + d, -(power + d)});
    if (exponent < 18) power *= 10;
  }
  for (int64_t v = 200'000; v < 120'000'000; v += 9'973) values.push_back(v);
  values.insert(values.end(),
                {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()});
  for (const int64_t v : values) {
    const Field member[] = {{"n", Value::Int(v)}};
    std::string buffer(MembersBound(std::begin(member), std::end(member)).value(), '\0');
    const char* end = WriteMembersTo(buffer.data(), std::begin(member), std::end(member),
                                     JsonStyle::kCompact, true);
    ASSERT_EQ("\"n\":" + std::to_string(v),
              std::string(buffer.data(), static_cast<size_t>(end - buffer.data())));
    OutBuffer alone(16);
    WriteJsonInt(alone, v);
    ASSERT_EQ(std::to_string(v), alone.view());
  }
}

TEST(JsonWriterTest, LongStringsCrossSliceBoundaries) {
  // Multi-byte characters straddling the writer's 64 KiB slices.
  std::string s;
  while (s.size() < 200'000) s += "a\xe2\x82\xac";
  const std::string out = Str(s, JsonStyle::kSeed);
  std::string expected = "\"";
  for (size_t i = 0; i < s.size(); i += 4) expected += "a\\u20ac";
  expected += "\"";
  EXPECT_EQ(expected, out);
  EXPECT_EQ("\"" + s + "\"", Str(s, JsonStyle::kCompact));
}

TEST(JsonWriterTest, FloatsLikePythonRepr) {
  EXPECT_EQ("1764050575.0", Float(1764050575.0));
  EXPECT_EQ("1764050575.123456", Float(1764050575.123456));
  EXPECT_EQ("1e+16", Float(1e16));
  EXPECT_EQ("1.5e-05", Float(1.5e-05));
  EXPECT_EQ("0.0001", Float(0.0001));
  EXPECT_EQ("123.0", Float(123.0));
  EXPECT_EQ("1e+22", Float(1e22));
  EXPECT_EQ("-0.5", Float(-0.5));
  EXPECT_EQ("0.1", Float(0.1));
  EXPECT_EQ("1234567890123456.8", Float(1234567890123456.7));
  EXPECT_EQ("null", Float(1.0 / 0.0));
}

TEST(JsonWriterTest, Values) {
  OutBuffer out(8);
  WriteJsonValue(out, Value::Null(), JsonStyle::kSeed);
  out.Push(' ');
  WriteJsonValue(out, Value::Bool(true), JsonStyle::kSeed);
  out.Push(' ');
  WriteJsonValue(out, Value::Int(-9223372036854775807LL - 1), JsonStyle::kSeed);
  out.Push(' ');
  WriteJsonValue(out, Value::Number("123456789012345678901234567890"), JsonStyle::kSeed);
  EXPECT_EQ("null true -9223372036854775808 123456789012345678901234567890", out.view());
}

// Regression: the short-string fast path loaded 16 bytes from an empty
// view's data(), which may be null (a default-constructed value).
TEST(JsonWriterTest, EmptyViewWithoutData) {
  for (JsonStyle style : {JsonStyle::kSeed, JsonStyle::kCompact}) {
    OutBuffer out(16);
    WriteJsonString(out, std::string_view(), style);
    EXPECT_EQ("\"\"", out.view());
  }
}

}  // namespace
}  // namespace logchain

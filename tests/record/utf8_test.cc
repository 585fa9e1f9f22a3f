#include "record/utf8.h"

#include <gtest/gtest.h>

#include <string>

#include "common/arena.h"

namespace logchain {
namespace {

TEST(Utf8Test, Validity) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("ascii \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_TRUE(IsValidUtf8(std::string_view("nul\0inside", 10)));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xff"));
}

// IsValidUtf8 looks at ASCII 64, 16 and 8 bytes at a time before it hands
// the rest to simdjson: a sequence anywhere, across any of those block
// edges, must be judged as on its own.
TEST(Utf8Test, ValidityAtEveryPositionOfLongLines) {
  const std::string_view valid[] = {"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
  const std::string_view invalid[] = {"\xc0\xaf", "\xed\xa0\x80", "\x80", "\xff", "\xe2\x82"};
  for (size_t size = 0; size <= 140; ++size) {
    const std::string ascii(size, 'a');
    ASSERT_TRUE(IsValidUtf8(ascii)) << size;
    for (size_t at = 0; at <= size; ++at) {
      for (std::string_view seq : valid) {
        const std::string s = ascii.substr(0, at) + std::string(seq) + ascii.substr(at);
        ASSERT_TRUE(IsValidUtf8(s)) << size << " " << at;
      }
      for (std::string_view seq : invalid) {
        const std::string s = ascii.substr(0, at) + std::string(seq) + ascii.substr(at);
        ASSERT_FALSE(IsValidUtf8(s)) << size << " " << at;
      }
    }
    // A sequence cut by the end of the line.
    ASSERT_FALSE(IsValidUtf8(ascii + "\xf0\x9f\x98")) << size;
  }
}

TEST(Utf8Test, AsciiSingleLineAtEveryPosition) {
  EXPECT_TRUE(IsAsciiSingleLine(""));
  for (size_t size = 1; size <= 70; ++size) {
    const std::string ascii(size, 'a');
    ASSERT_TRUE(IsAsciiSingleLine(ascii)) << size;
    for (size_t at = 0; at < size; ++at) {
      for (const char c : {'\n', '\x80', '\xff'}) {
        std::string s = ascii;
        s[at] = c;
        ASSERT_FALSE(IsAsciiSingleLine(s)) << size << " " << at << " " << int(c);
      }
      std::string s = ascii;
      s[at] = '\r';  // a carriage return is not a line feed
      ASSERT_TRUE(IsAsciiSingleLine(s)) << size << " " << at;
    }
  }
}

TEST(Utf8Test, SanitizesLikePythonReplace) {
  // Python 3.11: b'...'.decode('utf-8', 'replace'): one U+FFFD per maximal
  // invalid subsequence.
  Arena arena;
  const std::string_view fffd = "\xef\xbf\xbd";
  auto times = [&](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += fffd;
    return s;
  };
  EXPECT_EQ(times(3) + "abc" + times(6) + "x" + times(5),
            SanitizeUtf8("\xf0\x80\x80" "abc\xe2\x82\xed\xa0\x80\xc0\xafx\xf4\x90\x80\x80\xff",
                         arena));
  EXPECT_EQ("ok \xc3\xa9", SanitizeUtf8("ok \xc3\xa9", arena));
  EXPECT_EQ(times(1), SanitizeUtf8("\xe2\x82", arena));
  EXPECT_EQ("a" + times(1) + "b", SanitizeUtf8("a\xf0\x9f\x98" "b", arena));
}

TEST(Utf8Test, SequenceLength) {
  EXPECT_EQ(1u, Utf8SequenceLength("a"));
  EXPECT_EQ(2u, Utf8SequenceLength("\xc3\xa9"));
  EXPECT_EQ(3u, Utf8SequenceLength("\xe2\x82\xac"));
  EXPECT_EQ(4u, Utf8SequenceLength("\xf0\x9f\x98\x80"));
  EXPECT_EQ(0u, Utf8SequenceLength("\xe2\x82"));
  EXPECT_EQ(0u, Utf8SequenceLength("\x80"));
  // What one U+FFFD replaces: the maximal invalid subsequence.
  EXPECT_EQ(2u, Utf8InvalidLength("\xe2\x82"));
  EXPECT_EQ(2u, Utf8InvalidLength("\xf0\x9f\xed"));
  EXPECT_EQ(1u, Utf8InvalidLength("\xc0\xaf"));
  EXPECT_EQ(1u, Utf8InvalidLength("\x80\x80"));
  EXPECT_EQ(1u, Utf8InvalidLength("\xed\xa0\x80"));
}

TEST(Utf8Test, SafeCutNeverSplitsACharacter) {
  const std::string s = "ab\xe2\x82\xac" "cd";  // "ab€cd"
  EXPECT_EQ(2u, Utf8SafeCut(s, 2));
  EXPECT_EQ(2u, Utf8SafeCut(s, 3));
  EXPECT_EQ(2u, Utf8SafeCut(s, 4));
  EXPECT_EQ(5u, Utf8SafeCut(s, 5));
  EXPECT_EQ(s.size(), Utf8SafeCut(s, 100));
  // Not UTF-8 at the cut: cut at the limit.
  EXPECT_EQ(3u, Utf8SafeCut("\x80\x80\x80\x80\x80", 3));
}

TEST(Utf8Test, Base64) {
  std::string out;
  AppendBase64("", out);
  EXPECT_EQ("", out);
  for (auto [in, expected] : {std::pair<std::string_view, std::string_view>{"f", "Zg=="},
                              {"fo", "Zm8="},
                              {"foo", "Zm9v"},
                              {"foob", "Zm9vYg=="},
                              {"\xff\xfe bad", "//4gYmFk"}}) {
    out.clear();
    AppendBase64(in, out);
    EXPECT_EQ(expected, out);
  }
}

}  // namespace
}  // namespace logchain

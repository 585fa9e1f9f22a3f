#include "processors/combined_parser.h"

#include <gtest/gtest.h>

#include <cstring>
#include <optional>
#include <random>
#include <string>

#include "common/arena.h"
#include "test_util.h"

namespace logchain {
namespace {

struct SplitCase {
  std::string_view line;
  bool matches;
  CombinedFields fields;  // host, user, time, request, status, size, referer, agent
};

// Every expectation below is what Python 3.11's re module gives for the
// seed's regex (re.match(...).groupdict()), including where it does not match.
const SplitCase kCases[] = {
    {R"(10.96.78.6 - - [15/Aug/2019:14:19:23 +0000] "GET /metrics HTTP/1.1" 200 14134 "-" "Prometheus/2.11.0")",
     true,
     {"10.96.78.6", "-", "15/Aug/2019:14:19:23 +0000", "GET /metrics HTTP/1.1", "200", "14134", "-",
      "Prometheus/2.11.0"}},
    {R"(::1 - bob [15/Aug/2019:14:19:23 +0000] "GET /?q=\"x\" HTTP/1.1" 304 - "https://e.com/" "Mozilla/5.0 \"q\"")",
     true,
     {"::1", "bob", "15/Aug/2019:14:19:23 +0000", R"(GET /?q=\"x\" HTTP/1.1)", "304", "-",
      "https://e.com/", R"(Mozilla/5.0 \"q\")"}},
    {R"(h - u [t] "r" 1 2 "" "")", true, {"h", "u", "t", "r", "1", "2", "", ""}},
    {"h - u [t] \"r\" 1 2 \"f\" \"a\"   ", true, {"h", "u", "t", "r", "1", "2", "f", "a"}},
    {R"(h - u [a] b] "r" 1 2 "f" "a")", true, {"h", "u", "a] b", "r", "1", "2", "f", "a"}},
    {R"(h - u [a] "x" 9 9 "y" "z"] "r" 1 2 "f" "a")", true,
     {"h", "u", R"(a] "x" 9 9 "y" "z")", "r", "1", "2", "f", "a"}},
    {R"(h - u [t] "GET /a" 200 5 "b" 300 6 "c" "d" "e")", true,
     {"h", "u", "t", R"(GET /a" 200 5 "b)", "300", "6", R"(c" "d)", "e"}},
    {R"(h - u [t] "r" 200 5 "f" "a" "b")", true,
     {"h", "u", "t", "r", "200", "5", R"(f" "a)", "b"}},
    {R"(h - u [t] "r" 200 5 "f" "a"x")", true, {"h", "u", "t", "r", "200", "5", "f", R"(a"x)"}},
    {"h - u [t] \"r\" 200 5 \"f\"\t\"a\"", true, {"h", "u", "t", "r", "200", "5", "f", "a"}},
    // Python's \s is Unicode whitespace: NBSP, EM SPACE, IDEOGRAPHIC SPACE, \x1c.
    {"h\xc2\xa0- u [t] \"r\" 200 5 \"f\" \"a\"", true, {"h", "u", "t", "r", "200", "5", "f", "a"}},
    {"h - u [t] \"r\"\xe2\x80\x83" "200 5 \"f\" \"a\"", true,
     {"h", "u", "t", "r", "200", "5", "f", "a"}},
    {"h - u [t] \"r\" 200 5 \"f\" \"a\"\xe3\x80\x80", true,
     {"h", "u", "t", "r", "200", "5", "f", "a"}},
    {"h - u [t] \"r\" 200 5 \"f\" \"a\" \x1c", true, {"h", "u", "t", "r", "200", "5", "f", "a"}},
    {R"(h - u [t] "" 200 5 "f" "a")", false, {}},
    {R"(h - u [] "r" 200 5 "f" "a")", false, {}},
    {R"( - - [t] "r" 200 5 "f" "a")", false, {}},
    {R"(h - john doe [t] "r" 200 5 "f" "a")", false, {}},
    {R"(h - u [t] "r" 200 5 "f" "a" trailing)", false, {}},
    {R"(h - u [t] "r" 2x0 5 "f" "a")", false, {}},
    {R"(h - u [t] "r" 200 5"x "f" "a")", true, {"h", "u", "t", "r", "200", R"(5"x)", "f", "a"}},
    {R"(h - u [t] "r" 200 -- "f" "a")", true, {"h", "u", "t", "r", "200", "--", "f", "a"}},
    {R"(h - u [t] "a" 1 2 "b" "c" 3 4 "d" "e")", true,
     {"h", "u", "t", R"(a" 1 2 "b" "c)", "3", "4", "d", "e"}},
    {R"(h - u [t] "a"  1  2  "b"  "c")", true, {"h", "u", "t", "a", "1", "2", "b", "c"}},
    {R"(h - u [t]] "r" 1 2 "f" "a")", true, {"h", "u", "t]", "r", "1", "2", "f", "a"}},
    {R"(h - u [[t] "r" 1 2 "f" "a")", true, {"h", "u", "[t", "r", "1", "2", "f", "a"}},
    {R"(h - u [t] "r" 1 2 "f" ""a")", true, {"h", "u", "t", "r", "1", "2", "f", R"("a)"}},
    {R"(h - u [t] "r" 1 2 "f"" "a")", true, {"h", "u", "t", "r", "1", "2", R"(f")", "a"}},
    {R"(h - u [t] "r "1 2 "f" "a"" 3 4 "g" "h")", true,
     {"h", "u", "t", R"(r "1 2 "f" "a")", "3", "4", "g", "h"}},
};

TEST(CombinedParserTest, SplitsExactlyAsPythonRe) {
  CombinedParser parser;
  for (const SplitCase& c : kCases) {
    CombinedFields scanned, re2;
    EXPECT_EQ(c.matches, CombinedParser::ScanSeed(c.line, &scanned)) << c.line;
    EXPECT_EQ(c.matches, parser.ParseWithRe2(c.line, &re2)) << c.line;
    if (c.matches) {
      EXPECT_EQ(c.fields, scanned) << c.line;
      EXPECT_EQ(c.fields, re2) << c.line;
    }
  }
}

TEST(CombinedParserTest, LenientAcceptsWhatTheSeedLoses) {
  CombinedParser parser;
  CombinedFields f;
  ASSERT_TRUE(parser.ParseLenient(R"( - - [t] "r" 200 5 "f" "a")", &f));
  EXPECT_EQ("", f.host);
  ASSERT_TRUE(parser.ParseLenient(R"(h - john doe [t] "r" 200 5 "f" "a")", &f));
  EXPECT_EQ("john doe", f.user);
  ASSERT_TRUE(parser.ParseLenient(R"(h - u [t] "" 200 5 "f" "a")", &f));
  EXPECT_EQ("", f.request);
  EXPECT_FALSE(parser.ParseLenient(R"(h - u [t] "r" 200)", &f));
}

TEST(CombinedParserTest, NewlinesGoThroughRe2) {
  // Only a JSON record's event can hold "\n"; `.` does not match it.
  CombinedParser parser;
  CombinedFields f;
  EXPECT_FALSE(parser.ParseSeed("h - u [t] \"r\nx\" 1 2 \"f\" \"a\"", &f));
  ASSERT_TRUE(parser.ParseSeed("h -\nu [t] \"r\" 1 2 \"f\" \"a\"\n", &f));
  EXPECT_EQ("u", f.user);
}

// The scanner and RE2 agree on whether `line` matches and, where it does,
// on every field; *matched says whether it did.
void ExpectScannerAgrees(const CombinedParser& parser, const std::string& line, bool* matched) {
  CombinedFields scanned, re2;
  *matched = CombinedParser::ScanSeed(line, &scanned);
  ASSERT_EQ(parser.ParseWithRe2(line, &re2), *matched) << "line: " << line;
  if (*matched) {
    ASSERT_EQ(re2, scanned) << "line: " << line;
  }
}

// Random lines over an alphabet rich in the characters the regex cares
// about; the scanner must agree with RE2 (leftmost-first, as Python's
// backtracking) on every one. fuzz/fuzz_combined_diff.cc runs the same
// comparison coverage-guided.
TEST(CombinedParserTest, ScannerAgreesWithRe2OnRandomLines) {
  CombinedParser parser;
  std::mt19937 rng(20261125);
  const std::string_view alphabet[] = {
      " ", " ", "  ", "\t", "\"", "\"", "\"", "[", "]", "]", "-", "1", "23", "x", "ab",
      "\\\"", "\xc2\xa0", "\xe2\x80\x83", "\x1c", "\xc3\xa9", "GET / HTTP/1.1", "200", "5",
      // Tokens longer than the scanner's 16-byte step, and a control byte
      // that is not whitespace, so that whitespace falls inside a block.
      "0123456789abcdefghij", "x.example.org.dns.host", "\x01",
  };
  const std::string_view skeleton[] = {
      "h", " ", "-", " ", "u", " ", "[", "t", "]", " ", "\"", "r", "\"", " ", "200", " ", "5",
      " ", "\"", "f", "\"", " ", "\"", "a", "\"",
  };
  int matched = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string line;
    // Start from the skeleton, then mutate: it keeps most lines near a match.
    for (std::string_view piece : skeleton) {
      // Half the lines have no user, as most real ones: " - - [", which the
      // scanner recognises in one comparison, and near misses of it.
      if (piece == "u" && rng() % 2 == 0) piece = "-";
      // Mostly the piece itself; sometimes dropped, sometimes followed by a
      // troublesome extra.
      const unsigned roll = rng() % 100;
      if (roll >= 3) line += piece;
      if (roll >= 88) line += alphabet[rng() % std::size(alphabet)];
    }
    bool match = false;
    ASSERT_NO_FATAL_FAILURE(ExpectScannerAgrees(parser, line, &match));
    matched += match;
  }
  EXPECT_GT(matched, 10000);  // the generator must exercise the matching paths
}

// The same on lines of 50 to 2,500 bytes: the scanner indexes the quotes
// and brackets of lines up to 1,024 bytes in 64-byte words (with a partial
// last word and a last block overlapping the one before), and searches
// longer lines instead.
TEST(CombinedParserTest, ScannerAgreesWithRe2OnLongLines) {
  CombinedParser parser;
  std::mt19937 rng(20261126);
  const std::string_view filler[] = {"x", "ab", " ", "\"", "]", "[", "\\\"", "\xc3\xa9", "-"};
  // The request, referer and agent, and the time, grow by random filler.
  const auto grow = [&](std::string_view piece) {
    std::string out(piece);
    const unsigned extra = rng() % 4 == 0 ? rng() % 700 : rng() % 60;
    for (unsigned k = 0; k < extra; ++k) {
      // Mostly plain bytes, so that most lines still match.
      out += rng() % 10 == 0 ? filler[rng() % std::size(filler)] : std::string_view("q");
    }
    return out;
  };
  int matched = 0;
  int longer = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string line = "h - u [" + grow("t") + "] \"" + grow("GET / HTTP/1.1") +
                             "\" 200 5 \"" + grow("f") + "\" \"" + grow("a") + "\"";
    if (line.size() > 1024) ++longer;
    bool match = false;
    ASSERT_NO_FATAL_FAILURE(ExpectScannerAgrees(parser, line, &match));
    matched += match;
  }
  EXPECT_GT(matched, 5000);
  EXPECT_GT(longer, 100);  // and the searched path
}

TEST(PythonIntTest, FollowsPythonInt) {
  Arena arena;
  Value v;
  ASSERT_TRUE(PythonInt("14134", arena, &v));
  EXPECT_EQ(ValueKind::kInt, v.kind);
  EXPECT_EQ(14134, v.int_value);
  ASSERT_TRUE(PythonInt("+007", arena, &v));
  EXPECT_EQ(7, v.int_value);
  ASSERT_TRUE(PythonInt("-0", arena, &v));
  EXPECT_EQ(0, v.int_value);
  ASSERT_TRUE(PythonInt("1_000", arena, &v));
  EXPECT_EQ(1000, v.int_value);
  ASSERT_TRUE(PythonInt("\xd9\xa1\xd9\xa2", arena, &v));  // Arabic-Indic 1, 2
  EXPECT_EQ(12, v.int_value);
  ASSERT_TRUE(PythonInt("123456789012345678901234567890", arena, &v));
  EXPECT_EQ(ValueKind::kNumber, v.kind);
  EXPECT_EQ("123456789012345678901234567890", v.text);
  ASSERT_TRUE(PythonInt("-000123456789012345678901234567890", arena, &v));
  EXPECT_EQ("-123456789012345678901234567890", v.text);
  for (std::string_view bad : {"", "-", "_1", "1_", "1__0", "12a", "0x10", "--1", "1.5"}) {
    EXPECT_FALSE(PythonInt(bad, arena, &v)) << bad;
  }
}

// Python's int() for ASCII text with at most one byte that is not a digit:
// a sign may lead, an underscore may sit between two digits.
std::optional<int64_t> ReferenceInt(std::string_view text) {
  std::string digits;
  bool negative = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if ((c == '+' || c == '-') && i == 0 && text.size() > 1) {
      negative = c == '-';
    } else if (c == '_' && i > 0 && i + 1 < text.size() && text[i - 1] >= '0' &&
               text[i - 1] <= '9' && text[i + 1] >= '0' && text[i + 1] <= '9') {
      continue;
    } else {
      return std::nullopt;
    }
  }
  if (digits.empty()) return std::nullopt;
  const int64_t value = std::stoll(digits);
  return negative ? -value : value;
}

TEST(PythonIntTest, ShortNumbersWithEveryByteAtEveryPosition) {
  // Up to eight bytes take a path that reads them as one word: every byte
  // value at every position must still be judged as Python's int() does.
  Arena arena;
  Value v;
  for (size_t n = 1; n <= 9; ++n) {
    const std::string digits = std::string("987654321").substr(9 - n);
    for (size_t at = 0; at < n; ++at) {
      for (int b = 0; b < 256; ++b) {
        std::string text = digits;
        text[at] = static_cast<char>(b);
        const std::optional<int64_t> want = ReferenceInt(text);
        if (static_cast<unsigned char>(b) >= 0x80) {  // no lone byte >= 0x80 is a digit
          ASSERT_FALSE(PythonInt(text, arena, &v)) << n << " " << at << " " << b;
          continue;
        }
        ASSERT_EQ(want.has_value(), PythonInt(text, arena, &v)) << n << " " << at << " " << b;
        if (!want) continue;
        ASSERT_EQ(ValueKind::kInt, v.kind);
        ASSERT_EQ(*want, v.int_value) << text;
      }
    }
  }
}

TEST(PythonIntTest, NumberAtTheEndOfReadableMemory) {
  // A number ending where readable memory ends (the next page cannot be
  // read) is read without touching that page.
  const testing::ReadableEdge memory;
  Arena arena;
  Value v;
  for (size_t n = 1; n <= 8; ++n) {
    char* const text = memory.Last(n);
    std::memcpy(text, "12345678", n);
    ASSERT_TRUE(PythonInt(std::string_view(text, n), arena, &v)) << n;
    EXPECT_EQ(std::stoll(std::string("12345678", n)), v.int_value);
  }
}

TEST(PythonSpaceTest, MatchesPythonIsspace) {
  // Every code point Python 3.11's re matches with \s.
  const std::string_view spaces[] = {
      "\t", "\n", "\v", "\f", "\r", "\x1c", "\x1d", "\x1e", "\x1f", " ",
      "\xc2\x85", "\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\x80", "\xe2\x80\x8a",
      "\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80"};
  for (std::string_view s : spaces) {
    EXPECT_EQ(s.size(), PythonSpaceLength(s.data(), s.data() + s.size())) << s;
  }
  for (std::string_view s : {"a", "\xc2\xa9", "\xe2\x80\x8b", "\xe2\x81\xa0", "\x1b", "\xe2\x80"}) {
    EXPECT_EQ(0u, PythonSpaceLength(s.data(), s.data() + s.size())) << s;
  }
}

}  // namespace
}  // namespace logchain

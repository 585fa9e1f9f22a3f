#include "record/line_decoder.h"

#include <gtest/gtest.h>

#include <string>

#include "record/fields.h"

namespace logchain {
namespace {

std::string_view Event(const Record& record) {
  const std::string_view* event = record.FindString(fields::kEvent);
  return event == nullptr ? std::string_view() : *event;
}

// Regression (found by fuzz_chain under UBSan): a traceback header with no
// line after it was joined with an empty rest by memcpy from a null pointer,
// and its text gained a "\n" the input did not have.
TEST(LineDecoderTest, LoneTracebackHeaderIsItsOwnTextWithoutANewline) {
  LineDecoder decoder(DecoderOptions{});
  Record record;
  const std::string header = "Traceback (most recent call last):";
  decoder.DecodeTraceback(header, std::string_view(), std::string_view(), record);
  EXPECT_EQ(header, Event(record));
  EXPECT_EQ(header, record.continuation());
  EXPECT_EQ("", record.raw());
}

TEST(LineDecoderTest, TracebackTextIsItsLinesJoined) {
  LineDecoder decoder(DecoderOptions{});
  Record record;
  decoder.DecodeTraceback("Traceback (most recent call last):", "  File \"x\"\nKeyError: 'k'",
                          "KeyError: 'k'", record);
  EXPECT_EQ("KeyError: 'k'", Event(record));
  EXPECT_EQ("Traceback (most recent call last):\n  File \"x\"\nKeyError: 'k'",
            record.continuation());
}

TEST(LineDecoderTest, TracebackNotUtf8KeepsItsBytes) {
  LineDecoder decoder(DecoderOptions{});
  Record record;
  decoder.DecodeTraceback("Traceback (most recent call last):", "  File \"\xff\"", "", record);
  EXPECT_EQ("Traceback (most recent call last):\n  File \"\xff\"", record.raw());
  EXPECT_EQ("Traceback (most recent call last):\n  File \"\xef\xbf\xbd\"",
            record.continuation());
}

// The decoder tells the parsers when a line is known to hold no line feed
// (nearly every line: the reader splits at them), so that they need not
// search for one; anything else is "not known".
TEST(LineDecoderTest, KnowsWhenALineHoldsNoLineFeed) {
  LineDecoder decoder(DecoderOptions{});
  Record record;
  decoder.Decode(R"(1.2.3.4 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "-")",
                 false, record);
  EXPECT_TRUE(record.text_is_single_line());
  decoder.Decode("1.2.3.4 - - [15/Aug/2019:14:19:23 +0000] \"GET /\nx HTTP/1.1\" 200 5 \"-\" \"-\"",
                 false, record);
  EXPECT_FALSE(record.text_is_single_line());
  decoder.Decode("caf\xc3\xa9", false, record);
  EXPECT_FALSE(record.text_is_single_line());
  decoder.Decode("caf\xff", false, record);
  EXPECT_FALSE(record.text_is_single_line());
  // A folded traceback's text is its first line; the rest is kept apart.
  decoder.DecodeTraceback("Traceback (most recent call last):", "  File \"x\"", "", record);
  EXPECT_TRUE(record.text_is_single_line());
  EXPECT_EQ("Traceback (most recent call last):", record.text());
}

}  // namespace
}  // namespace logchain

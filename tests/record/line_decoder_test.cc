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

}  // namespace
}  // namespace logchain

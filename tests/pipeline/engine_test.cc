#include "pipeline/engine.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "json_check.h"
#include "record/utf8.h"
#include "test_util.h"

namespace logchain {
namespace {

using testing::Lines;
using testing::RunText;

PipelineConfig Default() {
  PipelineConfig c;
  c.chain = DefaultChainConfig();
  return c;
}

void ExpectInvariant(const Stats& s) {
  EXPECT_EQ(s.records + s.dropped, s.lines - s.folded + s.extra_parts);
  EXPECT_EQ(0u, s.internal_errors);
}

void ExpectEveryLineIsAJsonObject(std::string_view output) {
  ASSERT_TRUE(output.empty() || output.back() == '\n');
  for (const std::string& line : Lines(output)) {
    EXPECT_EQ("", testing::JsonObjectProblem(line)) << line;
  }
}

TEST(EngineTest, SeedOutputForGunicornsDefaultLines) {
  const std::string input =
      "[2019-08-15 14:19:14 +0000] [30099] [INFO] Booting worker with pid: 30099\n"
      R"(10.96.78.6 - - [15/Aug/2019:14:19:23 +0000] "GET /metrics HTTP/1.1" 200 14134 "-" "Prometheus/2.11.0")"
      "\n";
  const testing::RunResult r = RunText(Default(), input);
  ASSERT_TRUE(r.ok);
  // The seed article's own sample output, byte for byte.
  EXPECT_EQ(
      R"({"event": "Booting worker with pid: 30099", "level": "info", "logger": "gunicorn.error", "timestamp": "2019-08-15 14:19:14"})"
      "\n"
      R"({"event": "10.96.78.6 - - [15/Aug/2019:14:19:23 +0000] \"GET /metrics HTTP/1.1\" 200 14134 \"-\" \"Prometheus/2.11.0\"", "level": "info", "logger": "gunicorn.access", "timestamp": "2019-08-15 14:19:23", "host": "10.96.78.6", "user": null, "time": "15/Aug/2019:14:19:23 +0000", "request": "GET /metrics HTTP/1.1", "status": 200, "size": 14134, "referer": null, "agent": "Prometheus/2.11.0"})"
      "\n",
      r.output);
  ExpectInvariant(r.stats);
}

TEST(EngineTest, JsonLinesPassThroughOrGetKeysAppended) {
  const std::string complete =
      R"({"event": "x", "level": "debug", "logger": "a", "timestamp": "t", "n": 12345678901234567890123})";
  const std::string missing = R"({"event": "y",  "level": "warning" })";
  const testing::RunResult r = RunText(Default(), complete + "\n" + missing + "\n{}\n");
  ASSERT_TRUE(r.ok);
  const auto lines = Lines(r.output);
  ASSERT_EQ(3u, lines.size());
  EXPECT_EQ(complete, lines[0]);  // unchanged, byte for byte
  EXPECT_EQ(
      R"({"event": "y",  "level": "warning", "logger": "app", "timestamp": "2019-08-15 14:19:30"})",
      lines[1]);
  EXPECT_EQ(R"({"level": "info", "logger": "app", "timestamp": "2019-08-15 14:19:30"})", lines[2]);
}

TEST(EngineTest, AJsonAccessEventIsParsedToo) {
  const testing::RunResult r = RunText(
      Default(),
      R"({"event": "1.2.3.4 - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"c\"", "logger": "gunicorn.access"})"
      "\n");
  EXPECT_NE(std::string::npos, r.output.find(R"("host": "1.2.3.4")")) << r.output;
  EXPECT_NE(std::string::npos, r.output.find(R"("agent": "c")")) << r.output;
}

TEST(EngineTest, OtherLinesUseTheConfiguredDefaults) {
  PipelineConfig c = Default();
  c.decoder.default_level = "warning";
  c.decoder.default_logger = "stdout";
  const testing::RunResult r = RunText(c, "hello from print()\n");
  EXPECT_EQ(
      R"j({"event": "hello from print()", "level": "warning", "logger": "stdout", "timestamp": "2019-08-15 14:19:30"})j"
      "\n",
      r.output);
}

TEST(EngineTest, InvalidUtf8IsReplacedAndKeptAsBase64) {
  const std::string line = "caf\xe9 \xff\xfe";
  const testing::RunResult r = RunText(testing::ConfigFor("add_log_level"), line + "\n");
  EXPECT_EQ(
      R"({"event": "caf\ufffd \ufffd\ufffd", "level": "info", "logchain_raw_base64": "Y2Fm6SD//g=="})"
      "\n",
      r.output);
  EXPECT_EQ(1u, r.stats.invalid_utf8);
}

TEST(EngineTest, CompactStyle) {
  PipelineConfig c = testing::ConfigFor("add_log_level");
  c.style = JsonStyle::kCompact;
  const testing::RunResult r = RunText(c, "caf\xc3\xa9 \x01\n{\"event\": \"x\"}\n");
  EXPECT_EQ("{\"event\":\"caf\xc3\xa9 \\u0001\",\"level\":\"info\"}\n"
            "{\"event\": \"x\",\"level\":\"info\"}\n",
            r.output);
}

TEST(EngineTest, OverlongLinesBecomeNumberedPieces) {
  PipelineConfig c = Default();
  c.max_line_bytes = 100;
  const std::string long_line(250, 'q');
  const testing::RunResult r = RunText(c, "short\n" + long_line + "\nafter\n");
  const auto lines = Lines(r.output);
  ASSERT_EQ(5u, lines.size());
  EXPECT_NE(std::string::npos, lines[1].find(R"("logchain_part": 1, "logchain_last_part": false)"));
  EXPECT_NE(std::string::npos, lines[3].find(R"("logchain_part": 3, "logchain_last_part": true)"));
  EXPECT_EQ(3u, r.stats.lines);
  EXPECT_EQ(1u, r.stats.split_lines);
  EXPECT_EQ(2u, r.stats.extra_parts);
  ExpectInvariant(r.stats);
}

TEST(EngineTest, UnparsableAccessLineKeepsItsTextAndSaysWhy) {
  const testing::RunResult r = RunText(
      Default(), R"(1.2.3.4 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "x" junk)"
                 "\n");
  EXPECT_NE(std::string::npos, r.output.find(R"("event": "1.2.3.4 - - )")) << r.output;
  EXPECT_NE(std::string::npos,
            r.output.find(R"("logchain_error": "parse_combined: the event is not a combined-format access line")"))
      << r.output;
  EXPECT_EQ(1u, r.stats.records);
}

// Any bytes at all: one valid JSON object per record, counts that add up, and
// every line's bytes recoverable (from event, or from logchain_raw_base64).
TEST(EngineTest, RandomBytesAlwaysGiveValidJson) {
  std::mt19937 rng(42);
  const std::string_view pieces[] = {
      "[2019-08-15 14:19:14 +0000] [1] [ERROR] x", "Traceback (most recent call last):",
      "  File \"x\"", "E: y", "", "{\"a\": 1}", "{", "\"", "\\", "\xff", "\xe2\x82", "\r",
      R"(h - u [15/Aug/2019:14:19:23 +0000] "r" 1 2 "f" "a")", "\x00", "\x1b[31m", "\xf0\x9f\x98\x80",
  };
  std::string input;
  for (int i = 0; i < 20000; ++i) {
    if (rng() % 3 == 0) {
      input.push_back(static_cast<char>(rng() % 256));
    } else {
      input += pieces[rng() % std::size(pieces)];
    }
    if (rng() % 4 == 0) input.push_back('\n');
  }
  for (JsonStyle style : {JsonStyle::kSeed, JsonStyle::kCompact}) {
    PipelineConfig c = Default();
    c.style = style;
    c.max_line_bytes = 500;
    const testing::RunResult r = RunText(c, input);
    ASSERT_TRUE(r.ok);
    ExpectEveryLineIsAJsonObject(r.output);
    ExpectInvariant(r.stats);
    EXPECT_EQ(r.stats.records, Lines(r.output).size());
  }
}

}  // namespace
}  // namespace logchain

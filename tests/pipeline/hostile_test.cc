// Hostile input, through the real binary with the default chain. Every test
// checks logchain's promises for its input:
//  1. it exits 0 and writes one complete JSON object per record, in valid
//     UTF-8, with the expected number of records;
//  2. each line's original text is recoverable from its record
//     (logchain_raw_base64 when it was not UTF-8, else the event, the JSON
//     object the output starts with, or a gunicorn message);
//  3. nothing of the input reaches stderr.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "json_check.h"
#include "process_util.h"
#include "test_util.h"

namespace logchain {
namespace {

using testing::BinaryResult;
using testing::RunBinary;

// A marker in every hostile line: stderr must never contain it.
constexpr std::string_view kSecret = "s3cr3t-Authorization-Basic";

// The input's lines as logchain frames them ("\r\n" and "\n" end a line).
std::vector<std::string> Frame(std::string_view input) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < input.size()) {
    size_t nl = input.find('\n', start);
    const bool terminated = nl != std::string_view::npos;
    if (!terminated) nl = input.size();
    std::string line(input.substr(start, nl - start));
    if (terminated && !line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = nl + 1;
  }
  return lines;
}

std::string Member(const rapidjson::Document& doc, const char* key) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

// The text of one record as the documented policy recovers it, and whether
// the record's line is recoverable.
::testing::AssertionResult Recoverable(const std::string& line, std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag>(json.data(),
                                                                                     json.size());
  if (doc.HasParseError() || !doc.IsObject()) return ::testing::AssertionFailure() << "not JSON";
  if (doc.HasMember("logchain_raw_base64")) {
    std::string original;
    if (!testing::DecodeBase64(Member(doc, "logchain_raw_base64"), &original) || original != line) {
      return ::testing::AssertionFailure() << "logchain_raw_base64 is not the line";
    }
    return ::testing::AssertionSuccess();
  }
  if (json == line) return ::testing::AssertionSuccess();  // a JSON line, unchanged
  const std::string event = Member(doc, "event");
  if (event == line) return ::testing::AssertionSuccess();
  const size_t close = line.rfind('}');
  if (close != std::string::npos && line.find_first_not_of(" \t") == line.find('{')) {
    std::string object = line.substr(line.find('{'), close - line.find('{'));
    while (!object.empty() && (object.back() == ' ' || object.back() == '\t')) object.pop_back();
    if (json.starts_with(object)) return ::testing::AssertionSuccess();
  }
  // A gunicorn error line: its message is the event, after the prefix.
  if (line.starts_with("[") && !event.empty() && line.ends_with(event)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "the line cannot be recovered from its record";
}

// Every stderr line is one of logchain's own messages and nothing of the
// input appears in it.
void ExpectCleanStderr(const std::string& err) {
  EXPECT_EQ(std::string::npos, err.find(kSecret)) << err;
  size_t start = 0;
  while (start < err.size()) {
    const size_t nl = err.find('\n', start);
    const std::string line = err.substr(start, nl - start);
    EXPECT_TRUE(line.starts_with("logchain: ")) << line;
    start = nl == std::string::npos ? err.size() : nl + 1;
  }
}

// Runs input through logchain (default chain, extra args) and checks the
// promises, with one record per line.
BinaryResult ExpectHostileInputHandled(const std::string& input,
                                       const std::vector<std::string>& args = {}) {
  BinaryResult r = RunBinary(args, input);
  EXPECT_EQ(0, r.exit_code);
  ExpectCleanStderr(r.err);
  const std::vector<std::string> lines = Frame(input);
  const std::vector<std::string> records = testing::Lines(r.out);
  EXPECT_TRUE(r.out.empty() || r.out.back() == '\n');
  EXPECT_EQ(lines.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ("", testing::JsonObjectProblem(records[i])) << "record " << i;
    if (i < lines.size()) {
      EXPECT_TRUE(Recoverable(lines[i], records[i])) << "record " << i;
    }
  }
  return r;
}

std::string Secret(std::string_view line) { return std::string(kSecret) + " " + std::string(line); }

TEST(HostileInputTest, InvalidUtf8OfEveryKind) {
  const std::string kinds[] = {
      "\xc0\xaf",              // overlong "/"
      "\xe0\x80\xaf",          // overlong, three bytes
      "\xf0\x80\x80\xaf",      // overlong, four bytes
      "\xed\xa0\x80",          // high surrogate U+D800
      "\xed\xbf\xbf",          // low surrogate U+DFFF
      "\xed\xa0\xbd\xed\xb8\x80",  // a surrogate pair written as UTF-8 (CESU-8)
      "\xe2\x82",              // truncated three-byte sequence
      "\xf0\x9f\x98",          // truncated four-byte sequence
      "\xc3",                  // truncated at the end of the line
      "\x80",                  // lone continuation byte
      "\xbf\x80\x80",          // run of continuation bytes
      "\xf4\x90\x80\x80",      // above U+10FFFF
      "\xfe\xff",              // bytes that never occur in UTF-8
  };
  std::string input;
  for (const std::string& k : kinds) {
    input += Secret("text " + k + " end") + "\n";
    input += "[2019-08-15 14:19:14 +0000] [1] [INFO] " + Secret(k) + "\n";
    input += "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"GET /" + k +
             " HTTP/1.1\" 200 5 \"-\" \"" + Secret(k) + "\"\n";
    input += "{\"event\": \"" + Secret(k) + "\"}\n";
  }
  const BinaryResult r = ExpectHostileInputHandled(input);
  // Every record carries the original bytes, and the text shows U+FFFD.
  for (const std::string& record : testing::Lines(r.out)) {
    EXPECT_NE(std::string::npos, record.find("\"logchain_raw_base64\": ")) << record;
    EXPECT_NE(std::string::npos, record.find("\\ufffd")) << record;
  }
}

TEST(HostileInputTest, NulBytes) {
  using namespace std::string_literals;
  ExpectHostileInputHandled(Secret("a\0b"s) + "\n\0\n"s +
                            "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"GET /\0 HTTP/1.1\" 200 5 \"-\" \"\0\"\n"s +
                            "{\"event\": \"x\0\"}\n"s + "\0\0\0"s);
}

TEST(HostileInputTest, CrOnlyAndCrlfLineEndings) {
  // "\r" alone ends nothing: three CR-separated lines are one line.
  BinaryResult r = ExpectHostileInputHandled(Secret("one\rtwo\rthree\r"));
  EXPECT_NE(std::string::npos, r.out.find("one\\rtwo\\rthree\\r\"")) << r.out;
  r = ExpectHostileInputHandled(Secret("one\r\ntwo\r\n\r\nthree\r\n"));
  EXPECT_EQ(std::string::npos, r.out.find("\\r")) << r.out;
}

TEST(HostileInputTest, LastLineWithoutNewline) {
  const BinaryResult r = ExpectHostileInputHandled(Secret("first\nlast, unterminated"));
  EXPECT_NE(std::string::npos, r.out.find("last, unterminated\"")) << r.out;
}

TEST(HostileInputTest, EmptyInput) {
  const BinaryResult r = ExpectHostileInputHandled("");
  EXPECT_EQ("", r.out);
}

TEST(HostileInputTest, BinaryGarbage) {
  std::mt19937 rng(4);
  std::string input = Secret("garbage follows\n");
  for (int i = 0; i < (1 << 20); ++i) input.push_back(static_cast<char>(rng()));
  ExpectHostileInputHandled(input);
}

TEST(HostileInputTest, TruncatedJson) {
  ExpectHostileInputHandled(
      "{\n{\"event\": \"" + Secret("x") + "\"\n{\"a\": [1, 2\n{\"a\": \"unterminated\n" +
      "{\"a\": 1,\n{\"a\": tru\n{\"a\": 1e\n{\"a\": \"\\u12\"}\n{\"" + Secret("") + "\n");
}

TEST(HostileInputTest, DeeplyNestedJson) {
  constexpr int kLevels = 100000;
  const std::string arrays =
      "{\"" + Secret("k") + "\": " + std::string(kLevels, '[') + std::string(kLevels, ']') + "}";
  std::string objects = "{\"event\": \"" + Secret("deep") + "\"";
  for (int i = 0; i < kLevels; ++i) objects += ", \"a\": {\"b\": 1";
  objects += std::string(kLevels, '}') + "}";
  // Both nest far beyond the JSON decoder's depth limit: text records.
  const BinaryResult r = ExpectHostileInputHandled(arrays + "\n" + objects + "\n");
  for (const std::string& record : testing::Lines(r.out)) {
    EXPECT_TRUE(record.starts_with("{\"event\": \"{")) << record.substr(0, 80);
  }
}

TEST(HostileInputTest, DuplicateKeys) {
  const std::string line = "{\"event\": \"a\", \"event\": \"" + Secret("b") +
                           "\", \"level\": \"debug\", \"level\": \"error\"}";
  const BinaryResult r = ExpectHostileInputHandled(line + "\n");
  // The object is kept byte for byte; keys it has are not added again.
  EXPECT_TRUE(r.out.starts_with(line.substr(0, line.size() - 1) + ", \"logger\": \"app\"")) << r.out;
  EXPECT_EQ(std::string::npos, r.out.find("\"level\": \"info\"")) << r.out;
}

TEST(HostileInputTest, HugeNumbers) {
  const std::string kept = "{\"event\": \"" + Secret("n") +
                           "\", \"big\": 123456789012345678901234567890123456789, "
                           "\"neg\": -98765432109876543210987654321, \"tiny\": 1e-999999, "
                           "\"long\": 3." + std::string(5000, '1') + ", \"max\": 1.7976931348623157e308}";
  // Beyond the double range (about 1.8e308): not a JSON record (documented
  // in docs/guarantees.md), so the whole line is the event, verbatim.
  const std::string beyond[] = {
      "{\"event\": \"" + Secret("e") + "\", \"exp\": 1e999999}",
      "{\"event\": \"" + Secret("d") + "\", \"digits\": 1" + std::string(400, '0') + "}",
  };
  const BinaryResult r = ExpectHostileInputHandled(kept + "\n" + beyond[0] + "\n" + beyond[1] + "\n");
  const auto records = testing::Lines(r.out);
  ASSERT_EQ(3u, records.size());
  // Every number keeps its digits.
  EXPECT_TRUE(records[0].starts_with(kept.substr(0, kept.size() - 1))) << records[0].substr(0, 200);
  for (size_t i = 1; i < 3; ++i) EXPECT_TRUE(records[i].starts_with("{\"event\": \"{")) << records[i];
}

TEST(HostileInputTest, NonObjectJsonLines) {
  const BinaryResult r = ExpectHostileInputHandled(
      "[1, 2, \"" + Secret("") + "\"]\n\"" + Secret("string") +
      "\"\n42\n-1.5e3\nnull\ntrue\n[]\n{\"a\": 1} {\"b\": 2}\n");
  for (const std::string& record : testing::Lines(r.out)) {
    EXPECT_TRUE(record.starts_with("{\"event\": ")) << record;
  }
}

TEST(HostileInputTest, JsonStringsWithUnpairedSurrogateEscapesAreText) {
  // "\udc00" is valid JSON syntax but no Unicode text (Python writes it for
  // undecodable bytes): such a line is a text line, kept verbatim.
  const BinaryResult r = ExpectHostileInputHandled(
      "{\"event\": \"" + Secret("\\udc00") + "\"}\n{\"event\": \"\\ud800 x\"}\n" +
      "{\"event\": \"\\ud83d\\ude00 paired\"}\n");
  const auto records = testing::Lines(r.out);
  ASSERT_EQ(3u, records.size());
  EXPECT_TRUE(records[0].starts_with("{\"event\": \"{")) << records[0];
  EXPECT_TRUE(records[1].starts_with("{\"event\": \"{")) << records[1];
  EXPECT_TRUE(records[2].starts_with("{\"event\": \"\\ud83d\\ude00 paired\", ")) << records[2];
}

TEST(HostileInputTest, AccessLinesWithEveryFieldEmptyOrDash) {
  const std::string time = "[15/Aug/2019:14:19:23 +0000]";
  ExpectHostileInputHandled(
      "- - - " + time + " \"-\" 200 - \"-\" \"-\"\n" +             // every field "-"
      "  " + time + " \"\" 200 - \"\" \"\"\n" +                    // empty host, user, request
      " - - " + time + " \"\" 0 0 \"\" \"\"\n" +
      "- - - [] \"\" - - \"\" \"\"\n" +                             // nothing at all
      "- - - " + time + " \"" + Secret("") + "\" - - \"-\" \"-\"\n" +  // status "-"
      "\"\" \"\" \"\" " + time + " \"\" \"\" \"\" \"\" \"\"\n");
}

TEST(HostileInputTest, SixtyFourKilobyteRequestLine) {
  const std::string request = "GET /" + Secret(std::string(64 * 1024, 'q')) + " HTTP/1.1";
  const BinaryResult r = ExpectHostileInputHandled(
      "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"" + request + "\" 200 5 \"-\" \"curl\"\n");
  EXPECT_NE(std::string::npos, r.out.find("\"request\": \"" + request + "\"")) << r.out.size();
}

TEST(HostileInputTest, ControlCharactersAndAnsiEscapesStayEscaped) {
  // Log injection: a terminal escape, a bell, a backspace, a fake newline
  // with a forged record, and DEL in the agent.
  const std::string agent = "\x1b[31m" + Secret("red") +
                            "\x1b[0m\x07\x08\r{\\\"event\\\": \\\"forged\\\"}\x7f\x1b]0;title\x07";
  const std::string line =
      "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"" + agent + "\"";
  for (const char* style : {"seed", "compact"}) {
    const BinaryResult r = ExpectHostileInputHandled(line + "\n", {"--json", style});
    ASSERT_EQ(1u, testing::Lines(r.out).size());
    // No raw control character (or DEL in the ASCII style) reaches the output.
    for (size_t i = 0; i + 1 < r.out.size(); ++i) {
      const auto c = static_cast<unsigned char>(r.out[i]);
      EXPECT_TRUE(c >= 0x20 && (c != 0x7F || std::string_view(style) == "compact"))
          << style << ": byte " << i;
    }
    EXPECT_NE(std::string::npos, r.out.find("\\u001b[31m")) << r.out;
    rapidjson::Document doc;
    doc.Parse(r.out.data(), r.out.size() - 1);
    ASSERT_TRUE(doc.IsObject());
    EXPECT_EQ(agent, Member(doc, "agent"));
  }
}

TEST(HostileInputTest, OutOfRangeTimeStrings) {
  const std::string access_times[] = {
      "[99/Aug/2019:14:19:23 +0000]", "[31/Feb/2019:14:19:23 +0000]",
      "[15/Foo/2019:14:19:23 +0000]", "[15/Aug/0000:00:00:00 +0000]",
      "[15/Aug/9999:23:59:59 -2359]", "[15/Aug/2019:25:61:61 +9999]",
      "[00/Jan/1970:00:00:00 +0000]", "[31/Dec/1969:23:59:60 +2400]",
  };
  const std::string error_times[] = {
      "[2019-13-45 25:61:61 +9999]", "[0000-00-00 00:00:00 +0000]",
      "[9999-12-31 23:59:59 -2359]", "[2019-02-29 12:00:00 +0000]",
      "[1969-12-31 23:59:60 +0000]",
  };
  std::string input;
  for (const std::string& t : access_times) {
    input += "10.0.0.1 - - " + t + " \"GET / HTTP/1.1\" 200 5 \"-\" \"" + Secret("") + "\"\n";
  }
  for (const std::string& t : error_times) input += t + " [1] [INFO] " + Secret("e") + "\n";
  for (const char* fmt : {"%Y-%m-%d %H:%M:%S", "iso"}) {
    const BinaryResult r =
        ExpectHostileInputHandled(input, {"--set", std::string("add_timestamp.fmt=") + fmt});
    // The access time stays verbatim, whatever it says.
    for (const std::string& t : access_times) {
      EXPECT_NE(std::string::npos,
                r.out.find("\"time\": \"" + t.substr(1, t.size() - 2) + "\""))
          << t;
    }
  }
}

TEST(HostileInputTest, HundredMegabyteLine) {
  // Longer than the default maximum line length (16 MiB): the line comes
  // out in numbered pieces that rejoin to it exactly, and memory stays
  // bounded by the maximum line length, not the line.
  const size_t size = 100u << 20;
  std::string line = Secret("");
  line.reserve(size);
  while (line.size() + 4 <= size) line += (line.size() % 1000 == 0) ? "\xe2\x82\xac" : "ab";
  BinaryResult r = RunBinary({}, line + "\nafter\n");
  EXPECT_EQ(0, r.exit_code);
  ExpectCleanStderr(r.err);
  const std::vector<std::string> records = testing::Lines(r.out);
  ASSERT_EQ(8u, records.size());  // 100 MiB / 16 MiB: 7 pieces, then the next line
  std::string rejoined;
  for (size_t i = 0; i < records.size() - 1; ++i) {
    rapidjson::Document doc;
    doc.Parse(records[i].data(), records[i].size());
    ASSERT_FALSE(doc.HasParseError()) << "piece " << i;
    ASSERT_TRUE(doc.IsObject());
    EXPECT_EQ(i + 1, doc["logchain_part"].GetUint64());
    EXPECT_EQ(i + 2 == records.size(), doc["logchain_last_part"].GetBool());
    EXPECT_FALSE(doc.HasMember("logchain_raw_base64"));  // cut between characters
    rejoined += Member(doc, "event");
  }
  EXPECT_TRUE(rejoined == line);
  EXPECT_EQ("", testing::JsonObjectProblem(records.back()));
  r.out.clear();
  if (!testing::kSanitizerBuild) {  // ASan's shadow memory makes RSS meaningless
    EXPECT_GT(r.peak_rss, 0u);
    EXPECT_LT(r.peak_rss, 64u << 20) << "peak RSS " << (r.peak_rss >> 20) << " MiB";
  }
}

TEST(HostileInputTest, TenMillionEmptyLines) {
  // Under ASan the count is scaled down to one million to keep the suite fast.
  const size_t count = testing::kSanitizerBuild ? 1000000 : 10000000;
  testing::TempDir dir;
  const std::string path = dir.Write("input", std::string(count, '\n'));
  testing::Child child({"--stats"}, path);
  // Every record is the same; compare them as they stream by.
  const std::string expected =
      R"({"event": "", "level": "info", "logger": "app", "timestamp": ")";
  size_t records = 0;
  bool all_match = true;
  std::string partial;
  const int exit_code = child.Finish([&](std::string_view chunk) {
    partial.append(chunk);
    size_t start = 0;
    for (size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1) {
      const std::string_view record(partial.data() + start, nl - start);
      all_match = all_match && record.starts_with(expected) && record.size() == expected.size() + 21;
      ++records;
    }
    partial.erase(0, start);
  });
  EXPECT_EQ(0, exit_code);
  EXPECT_TRUE(partial.empty());
  EXPECT_TRUE(all_match);
  EXPECT_EQ(count, records);
  EXPECT_NE(std::string::npos,
            child.stderr_text().find(std::to_string(count) + " lines read"))
      << child.stderr_text();
  if (!testing::kSanitizerBuild) {  // memory does not grow with the number of lines
    EXPECT_GT(child.peak_rss(), 0u);
    EXPECT_LT(child.peak_rss(), 64u << 20) << "peak RSS " << (child.peak_rss() >> 20) << " MiB";
  }
}

}  // namespace
}  // namespace logchain

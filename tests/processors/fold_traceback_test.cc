#include "processors/fold_traceback.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_util.h"

namespace logchain {
namespace {

struct Got {
  std::string head;
  std::string continuation;
  std::string summary;
  bool standalone;
  uint32_t lines;
  bool operator==(const Got&) const = default;
};

std::vector<Got> Fold(const std::vector<std::string>& lines, FoldSettings settings = {}) {
  TracebackFolder folder(settings);
  std::vector<Got> got;
  auto emit = [&](const Entry& e) {
    got.push_back(Got{std::string(e.head), std::string(e.continuation), std::string(e.summary),
                      e.standalone_traceback, e.lines});
  };
  for (const std::string& l : lines) folder.Push(l, false, emit);
  folder.Flush(emit);
  return got;
}

const std::string kError = "[2019-08-15 14:19:30 +0000] [7] [ERROR] Error handling request /boom";
const std::string kInfo = "[2019-08-15 14:19:30 +0000] [7] [INFO] Booting worker";
const std::string kAccess =
    R"(1.2.3.4 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "curl")";
const std::vector<std::string> kTraceback = {
    "Traceback (most recent call last):",
    "  File \"/app/views.py\", line 4, in boom",
    "    1/0",
    "    ~^~",
    "ZeroDivisionError: division by zero",
};

std::string Join(const std::vector<std::string>& lines, size_t from = 0) {
  std::string s;
  for (size_t i = from; i < lines.size(); ++i) s += (i == from ? "" : "\n") + lines[i];
  return s;
}

TEST(FoldTracebackTest, FoldsATracebackIntoTheErrorLineBeforeIt) {
  std::vector<std::string> lines = {kInfo, kError};
  lines.insert(lines.end(), kTraceback.begin(), kTraceback.end());
  lines.push_back(kAccess);
  const std::vector<Got> got = Fold(lines);
  ASSERT_EQ(3u, got.size());
  EXPECT_EQ((Got{kInfo, "", "", false, 1}), got[0]);
  EXPECT_EQ(kError, got[1].head);
  EXPECT_EQ(Join(kTraceback), got[1].continuation);
  EXPECT_EQ(6u, got[1].lines);
  EXPECT_EQ((Got{kAccess, "", "", false, 1}), got[2]);
}

TEST(FoldTracebackTest, FoldsChainedExceptions) {
  std::vector<std::string> tb = kTraceback;
  for (const std::string& l :
       {std::string(""), std::string("The above exception was the direct cause of the following exception:"),
        std::string(""), std::string("Traceback (most recent call last):"),
        std::string("  File \"x\", line 9, in f"), std::string("KeyError: 'k'"), std::string(""),
        std::string("During handling of the above exception, another exception occurred:"),
        std::string(""), std::string("Traceback (most recent call last):"),
        std::string("  File \"y\", line 1, in g"), std::string("ValueError")}) {
    tb.push_back(l);
  }
  std::vector<std::string> lines = {kError};
  lines.insert(lines.end(), tb.begin(), tb.end());
  lines.push_back(kAccess);
  const std::vector<Got> got = Fold(lines);
  ASSERT_EQ(2u, got.size());
  EXPECT_EQ(Join(tb), got[0].continuation);
  EXPECT_EQ(kAccess, got[1].head);
}

TEST(FoldTracebackTest, AnEmptyLineThatStartsNoChainIsARecord) {
  std::vector<std::string> lines = {kError};
  lines.insert(lines.end(), kTraceback.begin(), kTraceback.end());
  lines.push_back("");
  lines.push_back(kAccess);
  const std::vector<Got> got = Fold(lines);
  ASSERT_EQ(3u, got.size());
  EXPECT_EQ(Join(kTraceback), got[0].continuation);
  EXPECT_EQ((Got{"", "", "", false, 1}), got[1]);
  EXPECT_EQ(kAccess, got[2].head);
  // ... also when the input ends (or goes idle) right after it.
  lines.pop_back();
  EXPECT_EQ(2u, Fold(lines).size());
}

TEST(FoldTracebackTest, ExceptionGroupsFoldWhileIndented) {
  const std::vector<std::string> group = {
      "  + Exception Group Traceback (most recent call last):",
      "  |   File \"<string>\", line 4, in <module>",
      "  | ExceptionGroup: eg (2 sub-exceptions)",
      "  +-+---------------- 1 ----------------",
      "    | ValueError: a",
      "    +------------------------------------",
  };
  std::vector<std::string> lines = {kError};
  lines.insert(lines.end(), group.begin(), group.end());
  lines.push_back(kInfo);
  const std::vector<Got> got = Fold(lines);
  ASSERT_EQ(2u, got.size());
  EXPECT_EQ(Join(group), got[0].continuation);
  EXPECT_EQ(kInfo, got[1].head);
}

TEST(FoldTracebackTest, ATracebackAfterALineItCannotFoldIntoStandsAlone) {
  for (const std::string& before : {kAccess, std::string(R"({"event": "x"})")}) {
    std::vector<std::string> lines = {before};
    lines.insert(lines.end(), kTraceback.begin(), kTraceback.end());
    const std::vector<Got> got = Fold(lines);
    ASSERT_EQ(2u, got.size()) << before;
    EXPECT_EQ(before, got[0].head);
    EXPECT_TRUE(got[1].standalone);
    EXPECT_EQ(kTraceback[0], got[1].head);
    EXPECT_EQ(Join(kTraceback, 1), got[1].continuation);
    EXPECT_EQ("ZeroDivisionError: division by zero", got[1].summary);
    EXPECT_EQ(5u, got[1].lines);
  }
}

// Found by the integration test with gunicorn --log-level debug: the
// "Current configuration:" message spans many indented lines, which the
// structlog setup prints as one event and logchain made a record each.
TEST(FoldTracebackTest, IndentedLinesAfterAGunicornLineContinueItsMessage) {
  const std::string head = "[2019-08-15 14:19:30 +0000] [7] [DEBUG] Current configuration:";
  std::vector<std::string> lines = {head, "  config: ./gunicorn.conf.py", "  bind: ['x']",
                                    kAccess};
  std::vector<Got> got = Fold(lines);
  ASSERT_EQ(2u, got.size());
  EXPECT_EQ((Got{head + "\n  config: ./gunicorn.conf.py\n  bind: ['x']", "", "", false, 3}),
            got[0]);
  EXPECT_EQ(kAccess, got[1].head);

  // A traceback may still follow the message's lines.
  lines = {kError, "  more of the message"};
  lines.insert(lines.end(), kTraceback.begin(), kTraceback.end());
  got = Fold(lines);
  ASSERT_EQ(1u, got.size());
  EXPECT_EQ(kError + "\n  more of the message", got[0].head);
  EXPECT_EQ(Join(kTraceback), got[0].continuation);
  EXPECT_EQ(7u, got[0].lines);
}

// Found by the integration test's UNIX-socket run at DEBUG level: an access
// line with an empty host starts with a space and is not a continuation.
TEST(FoldTracebackTest, AccessAndJsonLinesAfterAGunicornLineAreRecords) {
  const std::string unix_access =
      R"( - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "curl")";
  const std::string json = R"(  {"event": "x"})";
  const std::vector<Got> got = Fold({kInfo, unix_access, kInfo, json});
  ASSERT_EQ(4u, got.size());
  EXPECT_EQ((Got{kInfo, "", "", false, 1}), got[0]);
  EXPECT_EQ((Got{unix_access, "", "", false, 1}), got[1]);
  EXPECT_EQ((Got{json, "", "", false, 1}), got[3]);
}

TEST(FoldTracebackTest, IndentedLinesAfterOtherLinesAreNotFolded) {
  for (const std::string& before :
       {kAccess, std::string("plain text from the app"), std::string(R"({"event": "x"})")}) {
    const std::vector<Got> got = Fold({before, "  indented"});
    ASSERT_EQ(2u, got.size()) << before;
    EXPECT_EQ((Got{before, "", "", false, 1}), got[0]);
    EXPECT_EQ((Got{"  indented", "", "", false, 1}), got[1]);
  }
}

// logger.info("...", exc_info=True) writes a traceback after an INFO line;
// the structlog setup keeps exc_info whatever the level.
TEST(FoldTracebackTest, ATracebackFoldsIntoAGunicornLineOfAnyLevel) {
  std::vector<std::string> lines = {kInfo};
  lines.insert(lines.end(), kTraceback.begin(), kTraceback.end());
  const std::vector<Got> got = Fold(lines);
  ASSERT_EQ(1u, got.size());
  EXPECT_EQ(kInfo, got[0].head);
  EXPECT_EQ(Join(kTraceback), got[0].continuation);
}

TEST(FoldTracebackTest, AnUnrecognisedLineCanReceiveATraceback) {
  std::vector<std::string> lines = {"ERROR:django.request:Internal Server Error: /boom"};
  lines.insert(lines.end(), kTraceback.begin(), kTraceback.end());
  const std::vector<Got> got = Fold(lines);
  ASSERT_EQ(1u, got.size());
  EXPECT_EQ(Join(kTraceback), got[0].continuation);
}

TEST(FoldTracebackTest, StopsGrowingAtMaxBytes) {
  std::vector<std::string> lines = {kError, "Traceback (most recent call last):"};
  for (int i = 0; i < 100; ++i) lines.push_back("  File \"f\", line " + std::to_string(i));
  FoldSettings small;
  small.max_bytes = 1024;
  const std::vector<Got> got = Fold(lines, small);
  ASSERT_GT(got.size(), 2u);
  EXPECT_LE(got[0].head.size() + 1 + got[0].continuation.size(), 1024u);
  uint32_t total = 0;
  for (const Got& g : got) total += g.lines;
  EXPECT_EQ(lines.size(), total);  // nothing lost
}

TEST(FoldTracebackTest, SafeBoundariesAreBetweenTwoPlainLines) {
  EXPECT_TRUE(TracebackFolder::IsSafeBoundary(kAccess, kInfo));
  EXPECT_TRUE(TracebackFolder::IsSafeBoundary("ZeroDivisionError: x", kError));
  EXPECT_FALSE(TracebackFolder::IsSafeBoundary(kError, "Traceback (most recent call last):"));
  EXPECT_FALSE(TracebackFolder::IsSafeBoundary("    1/0", "ZeroDivisionError: x"));
  EXPECT_FALSE(TracebackFolder::IsSafeBoundary("", kAccess));
  EXPECT_FALSE(TracebackFolder::IsSafeBoundary("Traceback (most recent call last):", "x"));
}

TEST(FoldTracebackTest, ThroughThePipelineTheExceptionFollowsTheEvent) {
  std::string input = kError + "\n" + Join(kTraceback) + "\n";
  const testing::RunResult r = testing::RunText(testing::ConfigFor("fold_traceback,add_log_level"), input);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(1u, r.stats.records);
  EXPECT_EQ(5u, r.stats.folded);
  EXPECT_EQ(6u, r.stats.lines);
  EXPECT_EQ(0u, r.output.find(R"({"event": "Error handling request /boom", "exception": "Traceback)"));
}

}  // namespace
}  // namespace logchain

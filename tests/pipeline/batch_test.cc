#include "pipeline/batch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "pipeline/run.h"
#include "test_util.h"

namespace logchain {
namespace {

class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/logchain-batch-test-XXXXXX";
    const int fd = ::mkstemp(name);
    path_ = name;
    if (fd >= 0) {
      EXPECT_EQ(static_cast<ssize_t>(content.size()), ::write(fd, content.data(), content.size()));
      ::close(fd);
    }
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs logchain over the files with `jobs` threads; returns the output.
std::string RunFiles(const PipelineConfig& config, const std::vector<std::string>& files,
                     int jobs) {
  TempFile out("");
  RunOptions options;
  options.inputs = files;
  options.output = out.path();
  options.jobs = jobs;
  EXPECT_EQ(kExitOk, Run(config, options, &testing::TestClock()));
  return ReadFile(out.path());
}

// Lines of every kind, with tracebacks (chained ones too), multi-line
// gunicorn messages, JSON lines, blank lines, CRLF lines, bytes that are not
// UTF-8 and lines longer than the maximum line length, so that chunk boundaries fall
// everywhere a fold could be cut.
std::string MixedInput(size_t bytes) {
  std::string s;
  for (int i = 0; s.size() < bytes; ++i) {
    const std::string n = std::to_string(i);
    switch (i % 11) {
      case 0:
        s += "[2019-08-15 14:19:30 +0000] [7] [ERROR] Error handling request /boom/" + n +
             "\nTraceback (most recent call last):\n  File \"/app/views.py\", line " + n +
             ", in boom\n    1/0\nZeroDivisionError: division by zero\n";
        break;
      case 1:
        s += "[2019-08-15 14:19:31 +0000] [7] [DEBUG] Current configuration:\n  workers: " + n +
             "\n  bind: 127.0.0.1\n";
        break;
      case 2:
        s += "{\"event\": \"json " + n + "\", \"level\": \"debug\"}\n";
        break;
      case 3:
        s += "plain print " + n + "\nTraceback (most recent call last):\n  File \"x\", line 1\n"
             "KeyError: 'k'\n\nDuring handling of the above exception, another exception "
             "occurred:\n\nTraceback (most recent call last):\n  File \"y\", line 2\n"
             "ValueError: " + n + "\n";
        break;
      case 4:
        s += "not utf-8 \xff\xfe " + n + "\n\n";
        break;
      case 5:
        s += std::string(1500 + static_cast<size_t>(i % 700), 'x') + " long " + n + "\n";
        break;
      case 6:
        s += "crlf " + n + "\r\n";
        break;
      default:
        s += "10.0.0." + n + " - - [15/Aug/2019:14:19:23 +0000] \"GET /a?i=" + n +
             " HTTP/1.1\" 200 " + n + " \"-\" \"curl/7.88.1\"\n";
    }
  }
  return s;
}

TEST(BatchTest, OutputIsIdenticalToOneThread) {
  PipelineConfig config;
  config.chain = DefaultChainConfig();
  config.max_line_bytes = 1024;  // case 5 lines are cut into pieces
  const TempFile a(MixedInput(3 * BatchRunner::kChunkBytes + 12345));
  const TempFile b(MixedInput(BatchRunner::kChunkBytes / 3));
  const TempFile c(MixedInput(BatchRunner::kChunkBytes + 99) + "unterminated\r");
  const std::vector<std::string> files = {a.path(), b.path(), a.path(), c.path()};
  const std::string one = RunFiles(config, files, 1);
  ASSERT_FALSE(one.empty());
  EXPECT_EQ(one, RunFiles(config, files, 2));
  EXPECT_EQ(one, RunFiles(config, files, 3));
}

TEST(BatchTest, WithoutFoldingCutsAnywhere) {
  const PipelineConfig config = testing::ConfigFor("add_log_level,parse_combined");
  const TempFile a(MixedInput(2 * BatchRunner::kChunkBytes));
  const std::string one = RunFiles(config, {a.path()}, 1);
  ASSERT_FALSE(one.empty());
  EXPECT_EQ(one, RunFiles(config, {a.path()}, 2));
}

TEST(BatchTest, NoSafeCutFallsBackToOrderedProcessing) {
  // One gunicorn message followed by more indented lines than a chunk may
  // hold: no cut is safe, so the rest of the file runs in order.
  PipelineConfig config;
  config.chain = DefaultChainConfig();
  std::string input = "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"c\"\n";
  input += "[2019-08-15 14:19:31 +0000] [7] [DEBUG] Current configuration:\n";
  while (input.size() < BatchRunner::kMaxChunkBytes + BatchRunner::kChunkBytes) {
    input += "  setting: " + std::to_string(input.size()) + "\n";
  }
  input += MixedInput(BatchRunner::kChunkBytes);
  const TempFile a(input);
  const std::string one = RunFiles(config, {a.path()}, 1);
  ASSERT_FALSE(one.empty());
  EXPECT_EQ(one, RunFiles(config, {a.path()}, 2));
}

}  // namespace
}  // namespace logchain

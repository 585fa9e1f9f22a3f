#include "pipeline/stream.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "test_util.h"

namespace logchain {
namespace {

// A generous bound: the test waits for output, it does not time it.
constexpr int kPatienceMs = 20000;

// One line from fd, or "" when nothing complete arrived within kPatienceMs.
std::string ReadLine(int fd) {
  std::string line;
  char c = 0;
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, kPatienceMs) != 1) return "";
    if (::read(fd, &c, 1) != 1) return "";
    if (c == '\n') return line;
    line.push_back(c);
  }
}

void WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    ASSERT_GT(n, 0);
    text.remove_prefix(static_cast<size_t>(n));
  }
}

// logchain between two pipes, as in `gunicorn ... | logchain | consumer`:
// the input stays open while the test reads what came out so far.
class LivePipeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(0, ::pipe2(in_, O_CLOEXEC));
    ASSERT_EQ(0, ::pipe2(out_, O_CLOEXEC));
    PipelineConfig config;
    config.chain = DefaultChainConfig();
    Diagnostics diagnostics;
    engine_ = Engine::Create(config, &testing::TestClock(), diagnostics);
    ASSERT_NE(nullptr, engine_);
    worker_ = std::thread([this] {
      LineReader reader(1 << 20);
      OutBuffer buffer(kFlushBytes + kFlushBytes / 2);
      Sink sink(out_[1]);
      int error = 0;
      end_ = StreamInput(in_[0], /*regular_file=*/false, reader, *engine_, buffer, sink, &error);
      sink.Flush(buffer);
      ::close(out_[1]);
    });
  }
  void TearDown() override {
    if (in_[1] >= 0) ::close(in_[1]);
    if (worker_.joinable()) worker_.join();
    ::close(in_[0]);
    ::close(out_[0]);
  }
  void CloseInput() {
    ::close(in_[1]);
    in_[1] = -1;
    worker_.join();
  }

  int in_[2] = {-1, -1};
  int out_[2] = {-1, -1};
  std::unique_ptr<Engine> engine_;
  std::thread worker_;
  StreamEnd end_ = StreamEnd::kReadError;
};

TEST_F(LivePipeTest, EachRecordAppearsBeforeTheInputEnds) {
  WriteAll(in_[1],
           R"(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "curl")"
           "\n");
  EXPECT_EQ(
      R"({"event": "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"", "level": "info", "logger": "gunicorn.access", "timestamp": "2019-08-15 14:19:23", "host": "10.0.0.1", "user": null, "time": "15/Aug/2019:14:19:23 +0000", "request": "GET / HTTP/1.1", "status": 200, "size": 5, "referer": null, "agent": "curl"})",
      ReadLine(out_[0]));

  // An error line could still get a traceback: it is held, and written once
  // the input has been idle for fold_traceback.idle_ms.
  WriteAll(in_[1], "[2019-08-15 14:19:30 +0000] [7] [ERROR] Error handling request /a\n");
  EXPECT_EQ(
      R"({"event": "Error handling request /a", "level": "error", "logger": "gunicorn.error", "timestamp": "2019-08-15 14:19:30"})",
      ReadLine(out_[0]));

  // A traceback that arrives with its line is folded.
  WriteAll(in_[1],
           "[2019-08-15 14:19:31 +0000] [7] [ERROR] Error handling request /b\n"
           "Traceback (most recent call last):\n"
           "  File \"app.py\", line 1, in f\n"
           "ZeroDivisionError: division by zero\n");
  EXPECT_EQ(
      R"({"event": "Error handling request /b", "exception": "Traceback (most recent call last):\n  File \"app.py\", line 1, in f\nZeroDivisionError: division by zero", "level": "error", "logger": "gunicorn.error", "timestamp": "2019-08-15 14:19:31"})",
      ReadLine(out_[0]));

  CloseInput();
  EXPECT_EQ(StreamEnd::kEndOfInput, end_);
  EXPECT_EQ("", ReadLine(out_[0]));  // nothing more, and no partial line
  EXPECT_EQ(6u, engine_->stats().lines);
  EXPECT_EQ(3u, engine_->stats().records);
}

TEST_F(LivePipeTest, TheEndOfInputFlushesAHeldRecord) {
  WriteAll(in_[1], "unrecognised text, which a traceback could follow");  // no newline yet
  WriteAll(in_[1], "\n");
  CloseInput();
  EXPECT_EQ(StreamEnd::kEndOfInput, end_);
  EXPECT_EQ(
      R"({"event": "unrecognised text, which a traceback could follow", "level": "info", "logger": "app", "timestamp": "2019-08-15 14:19:30"})",
      ReadLine(out_[0]));
}

}  // namespace
}  // namespace logchain

#include "pipeline/wrap.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "record/clock.h"
#include "test_util.h"

namespace logchain {
namespace {

// The status waitpid reports for a child that runs `body`.
template <typename Body>
int StatusOf(Body body) {
  const pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

TEST(WrapTest, ExitCodeOfAnExitedChildIsItsStatus) {
  EXPECT_EQ(0, ExitCodeOfStatus(StatusOf([] { _exit(0); })));
  EXPECT_EQ(3, ExitCodeOfStatus(StatusOf([] { _exit(3); })));
  EXPECT_EQ(255, ExitCodeOfStatus(StatusOf([] { _exit(255); })));
}

TEST(WrapTest, ExitCodeOfAKilledChildIs128PlusTheSignal) {
  EXPECT_EQ(128 + SIGTERM, ExitCodeOfStatus(StatusOf([] { raise(SIGTERM); })));
  EXPECT_EQ(128 + SIGKILL, ExitCodeOfStatus(StatusOf([] { raise(SIGKILL); })));
}

// RunCommand changes the process's signal handling, so it runs in a forked
// child (a death test) and writes to a file the test reads afterwards.
TEST(WrapTest, RunCommandProcessesBothStreamsAndReturnsTheChildsCode) {
  char path[] = "/tmp/logchain-wrap-test-XXXXXX";
  const int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  RunOptions options;
  options.output = path;
  options.command = {"sh", "-c", "echo out; echo err >&2; exit 5"};
  PipelineConfig config = testing::ConfigFor("add_log_level,add_logger_name");
  EXPECT_EXIT(std::exit(RunCommand(config, options, &testing::TestClock())),
              ::testing::ExitedWithCode(5), "");
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::remove(path);
  std::vector<std::string> lines = testing::Lines(text.str());
  std::sort(lines.begin(), lines.end());
  const std::vector<std::string> expected = {
      R"({"event": "err", "level": "info", "logger": "app"})",
      R"({"event": "out", "level": "info", "logger": "app"})",
  };
  EXPECT_EQ(expected, lines);
}

}  // namespace
}  // namespace logchain

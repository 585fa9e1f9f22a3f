// Faults around a run, with the real binary: the reader of stdout going
// away, stop signals mid-stream, a slow reader, an output that cannot be
// written, and inputs that cannot be read. Exit codes as documented in
// docs/guarantees.md (0 ok, 1 an input failed, 2 configuration, 3 output).
#include "pipeline/run.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "json_check.h"
#include "process_util.h"
#include "test_util.h"

namespace logchain {
namespace {

using testing::Child;
using testing::TempDir;

constexpr std::string_view kAccess =
    R"(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET /private?token=s3cr3t HTTP/1.1" 200 5 "-" "curl")";

std::string AccessLines(size_t n) {
  std::string s;
  s.reserve(n * (kAccess.size() + 1));
  for (size_t i = 0; i < n; ++i) s.append(kAccess).push_back('\n');
  return s;
}

void WriteAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    ASSERT_GT(n, 0) << "write to logchain failed";
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

// Reads from fd until `lines` complete lines arrived (appending to *out).
void ReadLines(int fd, size_t lines, std::string* out) {
  size_t seen = 0;
  for (char c : *out) seen += c == '\n';
  char buf[65536];
  while (seen < lines) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    ASSERT_GT(n, 0) << "logchain's output ended early";
    for (ssize_t i = 0; i < n; ++i) seen += buf[i] == '\n';
    out->append(buf, static_cast<size_t>(n));
  }
}

void ExpectWholeJsonLines(std::string_view out) {
  ASSERT_TRUE(out.empty() || out.back() == '\n');
  for (const std::string& line : testing::Lines(out)) {
    EXPECT_EQ("", testing::JsonObjectProblem(line)) << line;
  }
}

// A test that writes into a pipe whose reader may be gone must see EPIPE,
// not die of SIGPIPE.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() { previous_ = signal(SIGPIPE, SIG_IGN); }
  ~IgnoreSigpipe() { signal(SIGPIPE, previous_); }

 private:
  sighandler_t previous_;
};

TEST(RunFaultTest, ReaderOfStdoutGoesAwayMidStream) {
  IgnoreSigpipe ignore;
  Child child({});
  std::string out;
  // Less than a pipe holds, so neither side can block the other.
  WriteAll(child.stdin_fd(), AccessLines(100));
  ReadLines(child.stdout_fd(), 10, &out);
  child.CloseStdout();  // like `logchain | head`
  // logchain notices when it next writes; keep feeding it until it exits.
  const std::string more = AccessLines(1000);
  while (::write(child.stdin_fd(), more.data(), more.size()) > 0) {
  }
  child.CloseStdin();
  EXPECT_EQ(0, child.Finish());
  EXPECT_EQ("", child.stderr_text());  // quiet: no error, no spam
}

class StopSignalTest : public ::testing::TestWithParam<int> {};

TEST_P(StopSignalTest, RecordsAlreadyReadAreWrittenWholeThenExitZero) {
  Child child({});
  std::string out;
  WriteAll(child.stdin_fd(), AccessLines(100));
  ReadLines(child.stdout_fd(), 100, &out);
  // One complete line and the start of another in one write: once the
  // complete line's record is out, logchain has read both.
  WriteAll(child.stdin_fd(), std::string(kAccess) + "\nan unfinished li");
  ReadLines(child.stdout_fd(), 101, &out);
  ASSERT_EQ(0, kill(child.pid(), GetParam()));
  // stdin stays open: the signal alone must end the run.
  const int exit_code = child.Finish([&out](std::string_view chunk) { out.append(chunk); });
  EXPECT_EQ(0, exit_code);
  EXPECT_EQ("", child.stderr_text());
  ExpectWholeJsonLines(out);
  const auto records = testing::Lines(out);
  ASSERT_EQ(102u, records.size());
  EXPECT_TRUE(records.back().starts_with(R"({"event": "an unfinished li")")) << records.back();
}

INSTANTIATE_TEST_SUITE_P(TermAndInt, StopSignalTest, ::testing::Values(SIGTERM, SIGINT),
                         [](const ::testing::TestParamInfo<int>& signal_info) {
                           return signal_info.param == SIGTERM ? "Sigterm" : "Sigint";
                         });

// Resident memory of a process in bytes, from /proc.
uint64_t ResidentBytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      uint64_t kb = 0;
      status >> kb;
      return kb * 1024;
    }
    status.ignore(1 << 20, '\n');
  }
  return 0;
}

// True once the process sleeps in write(1, ...): it is blocked on its reader.
// /proc/PID/syscall names the system call and its arguments; wchan the
// kernel function it sleeps in (its name varies between kernels).
bool BlockedWritingStdout(pid_t pid) {
  const std::string proc = "/proc/" + std::to_string(pid);
  std::ifstream syscall(proc + "/syscall");
  std::string number, fd;
  syscall >> number >> fd;
  if (number == "1" && fd == "0x1") return true;
  std::ifstream wchan(proc + "/wchan");
  std::string where;
  wchan >> where;
  return where.find("pipe_write") != std::string::npos;
}

TEST(RunFaultTest, SlowReaderBlocksLogchainWithoutDropsOrUnboundedMemory) {
  // 200,000 lines make about 90 MB of output, far beyond what any buffer holds.
  const size_t lines = 200000;
  TempDir dir;
  const std::string input = dir.Write("access.log", AccessLines(lines));
  Child child({input});
  // Read nothing until logchain waits for the reader (backpressure).
  bool blocked = false;
  for (int i = 0; i < 6000 && !blocked; ++i) {
    blocked = BlockedWritingStdout(child.pid());
    if (!blocked) poll(nullptr, 0, 10);
  }
  EXPECT_TRUE(blocked) << "logchain never waited for its reader";
  const uint64_t rss_while_blocked = ResidentBytes(child.pid());
  size_t records = 0;
  bool whole = true;
  std::string partial;
  const int exit_code = child.Finish([&](std::string_view chunk) {
    partial.append(chunk);
    size_t start = 0;
    for (size_t nl; (nl = partial.find('\n', start)) != std::string::npos; start = nl + 1) {
      whole = whole && partial.compare(start, 12, R"({"event": "1)") == 0 && partial[nl - 1] == '}';
      ++records;
    }
    partial.erase(0, start);
  });
  EXPECT_EQ(0, exit_code);
  EXPECT_EQ(lines, records);  // nothing dropped
  EXPECT_TRUE(whole);
  if (!testing::kSanitizerBuild) {  // ASan's shadow memory makes RSS meaningless
    EXPECT_LT(rss_while_blocked, 48u << 20) << (rss_while_blocked >> 20) << " MiB";
    EXPECT_LT(child.peak_rss(), 48u << 20) << (child.peak_rss() >> 20) << " MiB";
  }
}

void ExpectOutputErrorReported(const std::string& output_path, const std::string& err,
                               std::string_view reason) {
  EXPECT_NE(std::string::npos, err.find("logchain: error: cannot write '" + output_path + "'"))
      << err;
  EXPECT_NE(std::string::npos, err.find(reason)) << err;
  EXPECT_EQ(std::string::npos, err.find("s3cr3t")) << err;
}

TEST(RunFaultTest, OutputOnAFullDevice) {
  // /dev/full fails every write with ENOSPC, as a full disk does.
  TempDir dir;
  const std::string input = dir.Write("access.log", AccessLines(10000));
  Child child({input, "-o", "/dev/full"});
  child.CloseStdin();
  EXPECT_EQ(kExitOutputError, child.Finish());
  ExpectOutputErrorReported("/dev/full", child.stderr_text(), "No space left on device");
}

TEST(RunFaultTest, OutputFileOnAFullFilesystem) {
  if (geteuid() != 0) GTEST_SKIP() << "mounting a small tmpfs needs root; /dev/full covers ENOSPC";
  TempDir dir;
  const std::string mount_point = dir.path() + "/small";
  ASSERT_EQ(0, mkdir(mount_point.c_str(), 0700));
  if (mount("logchain-test", mount_point.c_str(), "tmpfs", 0, "size=256k") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno)
                 << "); /dev/full covers ENOSPC";
  }
  const std::string output = mount_point + "/out.jsonl";
  const std::string input = dir.Write("access.log", AccessLines(20000));
  Child child({input, "-o", output});
  child.CloseStdin();
  const int exit_code = child.Finish();
  std::string written;
  {
    std::ifstream in(output, std::ios::binary);
    written.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  umount2(mount_point.c_str(), MNT_DETACH);
  EXPECT_EQ(kExitOutputError, exit_code);
  ExpectOutputErrorReported(output, child.stderr_text(), "No space left on device");
  EXPECT_GT(written.size(), 0u);  // what fit was written, and the run says it is incomplete
}

TEST(RunFaultTest, UnwritableOutput) {
  TempDir dir;
  const std::string input = dir.Write("access.log", AccessLines(10));
  for (const std::string& output : {dir.path() + "/missing-dir/out.jsonl", dir.path()}) {
    Child child({input, "-o", output});
    child.CloseStdin();
    EXPECT_EQ(kExitOutputError, child.Finish()) << output;
    EXPECT_NE(std::string::npos,
              child.stderr_text().find("logchain: error: cannot write '" + output + "'"))
        << child.stderr_text();
    EXPECT_EQ("", child.stdout_text());
  }
}

TEST(RunFaultTest, MissingOrUnreadableInputAmongSeveral) {
  TempDir dir;
  const std::string first = dir.Write("first.log", AccessLines(3));
  const std::string last = dir.Write("last.log", AccessLines(4));
  const std::string missing = dir.path() + "/missing.log";
  const std::string directory = dir.path();  // opens, but cannot be read as a file
  Child child({first, missing, directory, last});
  child.CloseStdin();
  EXPECT_EQ(kExitInputError, child.Finish());
  const std::string& err = child.stderr_text();
  EXPECT_NE(std::string::npos, err.find("cannot read '" + missing + "': No such file or directory"))
      << err;
  EXPECT_NE(std::string::npos, err.find("'" + directory + "'")) << err;
  EXPECT_NE(std::string::npos, err.find("Is a directory")) << err;
  // The other inputs are processed, in order.
  EXPECT_EQ(7u, testing::Lines(child.stdout_text()).size());
  ExpectWholeJsonLines(child.stdout_text());
}

}  // namespace
}  // namespace logchain

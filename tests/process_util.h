// Helpers for tests that run the real logchain binary as a child process:
// input from a file or a pipe the test writes, output read back through
// pipes, the exit status and the child's peak memory.
#ifndef LOGCHAIN_TESTS_PROCESS_UTIL_H_
#define LOGCHAIN_TESTS_PROCESS_UTIL_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace logchain::testing {

/// The logchain binary built with these tests.
std::string LogchainBinary();

/// True in a build with AddressSanitizer, where tests that move hundreds of
/// megabytes scale down (each says so where it does).
constexpr bool kSanitizerBuild =
#if defined(__SANITIZE_ADDRESS__)
    true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
    true;
#else
    false;
#endif
#else
    false;
#endif

/// A temporary directory, removed with its contents when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  /// Writes content to path()/name and returns the full path.
  std::string Write(std::string_view name, std::string_view content) const;

 private:
  std::string path_;
};

/// A running logchain. stdin is either a file (stdin_path) or a pipe the
/// test writes (stdin_fd); stdout and stderr are pipes the test reads.
class Child {
 public:
  /// Starts LogchainBinary() with args. An empty stdin_path gives a pipe.
  Child(const std::vector<std::string>& args, const std::string& stdin_path = {});
  ~Child();
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  int stdin_fd() const { return stdin_fd_; }
  int stdout_fd() const { return stdout_fd_; }
  void CloseStdin();
  void CloseStdout();

  /// Reads stdout to its end, handing each chunk to on_output, and stderr
  /// into stderr_text(); then waits for the exit. Returns the exit code
  /// (128 + signal number when killed by a signal).
  int Finish(const std::function<void(std::string_view)>& on_output);
  /// Finish(), collecting stdout into stdout_text().
  int Finish();

  const std::string& stdout_text() const { return stdout_; }
  const std::string& stderr_text() const { return stderr_; }
  /// Peak resident memory of the child in bytes, as last sampled while
  /// Finish() read its output (valid after Finish).
  uint64_t peak_rss() const { return peak_rss_; }

 private:
  void SamplePeakRss();

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  int stderr_fd_ = -1;
  std::string stdout_;
  std::string stderr_;
  uint64_t peak_rss_ = 0;
};

/// Runs logchain with args over input (written to a file that is its stdin).
struct BinaryResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  uint64_t peak_rss = 0;
};
BinaryResult RunBinary(const std::vector<std::string>& args, std::string_view input);

}  // namespace logchain::testing

#endif  // LOGCHAIN_TESTS_PROCESS_UTIL_H_

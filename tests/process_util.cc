#include "process_util.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace logchain::testing {

std::string LogchainBinary() { return LOGCHAIN_BINARY; }

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "logchain-test-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Write(std::string_view name, std::string_view content) const {
  const std::string path = path_ + "/" + std::string(name);
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) throw std::runtime_error("cannot write " + path);
  return path;
}

Child::Child(const std::vector<std::string>& args, const std::string& stdin_path) {
  int in[2] = {-1, -1}, out[2], err[2];
  if ((stdin_path.empty() && pipe2(in, O_CLOEXEC) != 0) || pipe2(out, O_CLOEXEC) != 0 ||
      pipe2(err, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  std::vector<std::string> argv_storage = {LogchainBinary()};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int stdin_source = stdin_path.empty() ? in[0] : open(stdin_path.c_str(), O_RDONLY);
    if (stdin_source < 0 || dup2(stdin_source, 0) < 0 || dup2(out[1], 1) < 0 ||
        dup2(err[1], 2) < 0) {
      _exit(127);
    }
    // A clean signal state, whatever the test process set for itself.
    signal(SIGPIPE, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  if (stdin_path.empty()) {
    close(in[0]);
    stdin_fd_ = in[1];
  }
  close(out[1]);
  close(err[1]);
  stdout_fd_ = out[0];
  stderr_fd_ = err[0];
}

Child::~Child() {
  CloseStdin();
  CloseStdout();
  if (stderr_fd_ >= 0) close(stderr_fd_);
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void Child::CloseStdin() {
  if (stdin_fd_ >= 0) close(stdin_fd_);
  stdin_fd_ = -1;
}

void Child::CloseStdout() {
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
}

int Child::Finish(const std::function<void(std::string_view)>& on_output) {
  std::vector<char> buf(1 << 20);
  while (stdout_fd_ >= 0 || stderr_fd_ >= 0) {
    pollfd fds[2];
    nfds_t n = 0;
    if (stdout_fd_ >= 0) fds[n++] = {stdout_fd_, POLLIN, 0};
    if (stderr_fd_ >= 0) fds[n++] = {stderr_fd_, POLLIN, 0};
    if (poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("poll failed");
    }
    for (nfds_t i = 0; i < n; ++i) {
      if (fds[i].revents == 0) continue;
      const ssize_t got = read(fds[i].fd, buf.data(), buf.size());
      if (got > 0) {
        const std::string_view chunk(buf.data(), static_cast<size_t>(got));
        if (fds[i].fd == stdout_fd_) {
          SamplePeakRss();
          on_output(chunk);
        } else {
          stderr_.append(chunk);
        }
      } else if (got == 0 || errno != EINTR) {
        if (fds[i].fd == stdout_fd_) {
          CloseStdout();
        } else {
          close(stderr_fd_);
          stderr_fd_ = -1;
        }
      }
    }
  }
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  }
  pid_ = -1;
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

// VmHWM is the peak resident memory of the process since its exec (the
// rusage of a forked child would also count the test's own memory from
// before the exec); it only grows, so the last sample before the exit is
// the peak of the run up to then.
void Child::SamplePeakRss() {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string key;
  while (status >> key) {
    if (key == "VmHWM:") {
      uint64_t kb = 0;
      status >> kb;
      peak_rss_ = std::max(peak_rss_, kb * 1024);
      return;
    }
    status.ignore(1 << 20, '\n');
  }
}

int Child::Finish() {
  return Finish([this](std::string_view chunk) { stdout_.append(chunk); });
}

BinaryResult RunBinary(const std::vector<std::string>& args, std::string_view input) {
  TempDir dir;
  const std::string path = dir.Write("input", input);
  Child child(args, path);
  BinaryResult result;
  result.exit_code = child.Finish();
  result.out = child.stdout_text();
  result.err = child.stderr_text();
  result.peak_rss = child.peak_rss();
  return result;
}

}  // namespace logchain::testing

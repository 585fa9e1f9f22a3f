// logchain_latency: live latency, as `gunicorn ... | logchain` sees it.
//
//   logchain_latency INPUT COUNT GAP_US -- COMMAND [ARGS...]
//
// Starts COMMAND with pipes on its stdin and stdout, then writes the first
// COUNT lines of INPUT one at a time: each line in one write(), then waits
// until one whole output line has arrived on COMMAND's stdout and records
// the time between the two, then pauses GAP_US microseconds (input that
// trickles in, as from a live server). Prints the percentiles in
// microseconds on one line:
//   latency_us count=N p50=.. p90=.. p99=.. max=..
// Exits non-zero when COMMAND fails to answer a line within 5 s.
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

bool WriteAll(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 6 || std::strcmp(argv[4], "--") != 0) {
    std::fprintf(stderr, "usage: logchain_latency INPUT COUNT GAP_US -- COMMAND [ARGS...]\n");
    return 2;
  }
  const long count = std::strtol(argv[2], nullptr, 10);
  const long gap_us = std::strtol(argv[3], nullptr, 10);
  std::ifstream input(argv[1]);
  std::vector<std::string> lines;
  for (std::string line; static_cast<long>(lines.size()) < count && std::getline(input, line);) {
    lines.push_back(line + "\n");
  }
  if (lines.empty()) {
    std::fprintf(stderr, "logchain_latency: no lines in %s\n", argv[1]);
    return 2;
  }

  int to_child[2], from_child[2];
  if (::pipe(to_child) != 0 || ::pipe(from_child) != 0) return 2;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(to_child[0], STDIN_FILENO);
    ::dup2(from_child[1], STDOUT_FILENO);
    ::close(to_child[0]);
    ::close(to_child[1]);
    ::close(from_child[0]);
    ::close(from_child[1]);
    ::execvp(argv[5], argv + 5);
    std::perror("logchain_latency: exec");
    ::_exit(127);
  }
  ::close(to_child[0]);
  ::close(from_child[1]);

  std::vector<double> micros;
  micros.reserve(lines.size());
  std::string pending;  // output bytes after the last complete line
  char buf[65536];
  bool failed = false;
  for (const std::string& line : lines) {
    const Clock::time_point start = Clock::now();
    if (!WriteAll(to_child[1], line)) {
      failed = true;
      break;
    }
    // Wait for one complete output line.
    for (;;) {
      const size_t nl = pending.find('\n');
      if (nl != std::string::npos) {
        pending.erase(0, nl + 1);
        break;
      }
      pollfd p{from_child[0], POLLIN, 0};
      if (::poll(&p, 1, 5000) != 1) {
        failed = true;
        break;
      }
      const ssize_t n = ::read(from_child[0], buf, sizeof buf);
      if (n <= 0) {
        failed = true;
        break;
      }
      pending.append(buf, static_cast<size_t>(n));
    }
    if (failed) break;
    micros.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
    if (gap_us > 0) std::this_thread::sleep_for(std::chrono::microseconds(gap_us));
  }
  ::close(to_child[1]);
  while (::read(from_child[0], buf, sizeof buf) > 0) {
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (failed || micros.empty()) {
    std::fprintf(stderr, "logchain_latency: no record within 5 s after line %zu\n",
                 micros.size() + 1);
    return 1;
  }
  std::sort(micros.begin(), micros.end());
  auto at = [&](double q) {
    return micros[std::min(micros.size() - 1, static_cast<size_t>(q * micros.size()))];
  };
  std::printf("latency_us count=%zu p50=%.0f p90=%.0f p99=%.0f max=%.0f\n", micros.size(),
              at(0.50), at(0.90), at(0.99), micros.back());
  return 0;
}

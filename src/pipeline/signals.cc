#include "pipeline/signals.h"

#include <poll.h>
#include <signal.h>

#include <atomic>
#include <ctime>

namespace logchain {
namespace {

volatile sig_atomic_t g_stop = 0;
sigset_t g_wait_mask;  // the mask while waiting: the stop signals unblocked

void OnStop(int) { g_stop = 1; }

}  // namespace

void InstallStopSignals() {
  struct sigaction action {};
  action.sa_handler = OnStop;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a wait returns EINTR
  sigaction(SIGTERM, &action, nullptr);
  sigaction(SIGINT, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);

  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  sigset_t previous;
  sigprocmask(SIG_BLOCK, &stop_signals, &previous);
  g_wait_mask = previous;
  sigdelset(&g_wait_mask, SIGTERM);
  sigdelset(&g_wait_mask, SIGINT);
}

bool StopRequested() { return g_stop != 0; }

int WaitReadable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  timespec timeout{};
  timespec* limit = nullptr;
  if (timeout_ms >= 0) {
    timeout.tv_sec = timeout_ms / 1000;
    timeout.tv_nsec = static_cast<long>(timeout_ms % 1000) * 1000000L;
    limit = &timeout;
  }
  const int n = ppoll(&p, 1, limit, &g_wait_mask);
  if (n < 0) return -1;
  return n > 0 ? 1 : 0;
}

}  // namespace logchain

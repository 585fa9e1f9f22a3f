// Stop signals, handled without races.
//
// SIGTERM and SIGINT ask logchain to stop: everything already read is
// processed and written whole, then it exits 0. The signals stay blocked
// except while logchain waits for input inside ppoll(), so a stop can never
// slip in between checking the flag and starting to wait. SIGPIPE is
// ignored: a closed output shows up as EPIPE and ends the run quietly.
#ifndef LOGCHAIN_PIPELINE_SIGNALS_H_
#define LOGCHAIN_PIPELINE_SIGNALS_H_

namespace logchain {

/// Installs the handlers and blocks the stop signals. Call once, early.
void InstallStopSignals();

/// True once SIGTERM or SIGINT arrived.
bool StopRequested();

/// Waits until fd is readable (or at end of input), at most timeout_ms
/// (-1: no limit). Stop signals are delivered during the wait. Returns 1
/// when readable, 0 on timeout, -1 when interrupted.
int WaitReadable(int fd, int timeout_ms);

}  // namespace logchain

#endif  // LOGCHAIN_PIPELINE_SIGNALS_H_

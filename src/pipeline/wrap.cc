#include "pipeline/wrap.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <ctime>

#include "common/pipes.h"
#include "input/line_reader.h"
#include "output/sink.h"
#include "pipeline/stream.h"

extern char** environ;

namespace logchain {
namespace {

// What process managers send and gunicorn acts on (TTIN/TTOU change the
// number of workers, HUP reloads, USR1 reopens logs, USR2 upgrades).
constexpr int kForwarded[] = {SIGTERM, SIGINT,  SIGHUP,  SIGQUIT,
                              SIGUSR1, SIGUSR2, SIGTTIN, SIGTTOU};

// A handler that does nothing: the signals are blocked and read from a
// signalfd, but PID 1 only receives signals it has a handler for.
void Nothing(int) {}

int64_t NowMs() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<int64_t>(t.tv_sec) * 1000 + t.tv_nsec / 1000000;
}

// One of the child's output streams.
struct ChildStream {
  explicit ChildStream(size_t max_line_bytes) : reader(max_line_bytes) {}
  int fd = -1;
  LineReader reader;
  bool ended = false;
};

// Blocks the forwarded signals and SIGCHLD and returns a signalfd that
// reads them (-1 on failure, errno set).
int TakeOverSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : kForwarded) sigaddset(&set, s);
  sigaddset(&set, SIGCHLD);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  struct sigaction action {};
  action.sa_handler = Nothing;
  sigemptyset(&action.sa_mask);
  for (int s : kForwarded) sigaction(s, &action, nullptr);
  sigaction(SIGCHLD, &action, nullptr);
  return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

// Starts the command with stdout and stderr on the pipes' write ends, with
// default signal dispositions and nothing blocked. Returns 0 or an errno.
int Spawn(const std::vector<std::string>& command, int out_fd, int err_fd, pid_t* pid) {
  std::vector<char*> argv;
  for (const std::string& arg : command) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  sigset_t all;
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &all);  // SIGPIPE too, which logchain ignores
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  const int error = posix_spawnp(pid, argv[0], &actions, &attr, argv.data(), environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  return error;
}

}  // namespace

int ExitCodeOfStatus(int status) {
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return kExitConfigError;  // not reached: stopped children are not reported
}

int RunCommand(const PipelineConfig& config, const RunOptions& options, const Clock* clock) {
  // Before any thread starts (the metrics endpoint's): threads inherit the
  // blocked mask, so every forwarded signal and every SIGCHLD reaches the
  // signalfd. A thread that had them unblocked would take them silently, and
  // logchain would neither forward a SIGTERM nor see the command exit.
  const int signal_fd = TakeOverSignals();
  if (signal_fd < 0) {
    PrintError(std::string("cannot receive signals for the command: ") + std::strerror(errno));
    return kExitCannotExecute;
  }
  RunStart start;
  if (const int failed = StartRun(config, options, clock, &start); failed != kExitOk) {
    return failed;
  }
  Engine& engine = *start.engine;

  // Orphans of the child's children are reparented to logchain, which reaps them.
  prctl(PR_SET_CHILD_SUBREAPER, 1);

  ChildStream streams[2] = {ChildStream(config.max_line_bytes),
                            ChildStream(config.max_line_bytes)};
  int pipes[2][2];
  for (auto& p : pipes) {
    if (pipe2(p, O_CLOEXEC) != 0) {
      PrintError(std::string("cannot create a pipe for the command: ") + std::strerror(errno));
      return kExitCannotExecute;
    }
  }
  pid_t child = -1;
  const int spawn_error = Spawn(options.command, pipes[0][1], pipes[1][1], &child);
  ::close(pipes[0][1]);
  ::close(pipes[1][1]);
  if (spawn_error != 0) {
    PrintError("cannot run '" + options.command.front() + "': " + std::strerror(spawn_error) +
               (spawn_error == ENOENT ? "\n  hint: is it installed and on PATH?" : ""));
    return spawn_error == ENOENT ? kExitCommandNotFound : kExitCannotExecute;
  }
  for (int i = 0; i < 2; ++i) {
    streams[i].fd = pipes[i][0];
    WidenPipe(streams[i].fd);
    ::fcntl(streams[i].fd, F_SETFL, ::fcntl(streams[i].fd, F_GETFL) | O_NONBLOCK);
    streams[i].reader.Reset(streams[i].fd);
  }

  Sink sink(start.out_fd);
  OutBuffer out(kFlushBytes + kFlushBytes / 2);
  sink.AttachSpill(out, 8 * kFlushBytes);
  bool child_running = true;
  int child_status = 0;
  int64_t last_activity = NowMs();  // child exit or input, for the drain limit
  int64_t last_input[2] = {last_activity, last_activity};
  int holder = -1;                  // the stream whose record the engine holds

  auto end_stream = [&](int i) {
    streams[i].ended = true;
    ::close(streams[i].fd);
    streams[i].fd = -1;
    if (holder == i) engine.Flush(out);  // a traceback never spans the end of its stream
  };

  for (;;) {
    // While a record waits for a possible traceback, only its own stream is
    // read, so a traceback written in pieces folds exactly as on one stream;
    // it waits at most the folder's idle time, measured on that stream.
    if (engine.holding() && NowMs() - last_input[holder] >= engine.idle_ms()) {
      engine.Flush(out);
    }
    const int exclusive = engine.holding() ? holder : -1;

    if (!child_running && (streams[0].ended && streams[1].ended)) break;
    if (!child_running && NowMs() - last_activity >= kDrainQuietMs) {
      for (int i = 0; i < 2; ++i) {
        if (streams[i].ended) continue;
        streams[i].reader.Finish();  // what is buffered still goes out, a partial line too
        holder = i;
        PushBufferedLines(streams[i].reader, engine, out, sink);
        end_stream(i);
      }
      break;
    }

    pollfd fds[3];
    nfds_t n_fds = 0;
    fds[n_fds++] = pollfd{signal_fd, POLLIN, 0};
    int stream_of[3] = {-1, -1, -1};
    for (int i = 0; i < 2; ++i) {
      if (streams[i].ended || (exclusive >= 0 && exclusive != i)) continue;
      stream_of[n_fds] = i;
      fds[n_fds++] = pollfd{streams[i].fd, POLLIN, 0};
    }
    int timeout = -1;
    if (exclusive >= 0) {
      timeout = static_cast<int>(
          std::max<int64_t>(0, engine.idle_ms() - (NowMs() - last_input[exclusive])));
    }
    if (!child_running) {
      const int left = static_cast<int>(
          std::max<int64_t>(0, kDrainQuietMs - (NowMs() - last_activity)));
      timeout = timeout < 0 ? left : std::min(timeout, left);
    }
    int ready = 0;
    engine.PublishMetrics();  // before anything is written, and before waiting
    if (!out.empty()) {
      ready = ::poll(fds, n_fds, 0);
      if (ready == 0) {
        sink.Flush(out);  // nothing more is ready: show what is done
        ready = ::poll(fds, n_fds, timeout);
      }
    } else {
      ready = ::poll(fds, n_fds, timeout);
    }
    if (ready <= 0) continue;  // a timeout (handled above) or EINTR

    if (fds[0].revents != 0) {
      bool reap = false;
      signalfd_siginfo info{};
      while (::read(signal_fd, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        const int signo = static_cast<int>(info.ssi_signo);
        if (signo == SIGCHLD) {
          reap = true;
        } else if (child_running) {
          ::kill(child, signo);
        }
      }
      if (reap) {
        int status = 0;
        pid_t pid;
        while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
          if (pid == child) {
            child_running = false;
            child_status = status;
            last_activity = NowMs();
          }
        }
      }
    }

    for (nfds_t j = 1; j < n_fds; ++j) {
      if (fds[j].revents == 0) continue;
      const int i = stream_of[j];
      ChildStream& s = streams[i];
      const ssize_t n = s.reader.Fill();
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n > 0) {
        engine.stats().bytes_in += static_cast<uint64_t>(n);
        last_activity = last_input[i] = NowMs();
      } else if (n < 0) {
        s.reader.Finish();  // a read error on a pipe: keep what came
      }
      if (engine.holding() && holder != i) engine.Flush(out);
      holder = i;
      if (PushBufferedLines(s.reader, engine, out, sink) == LineReader::Status::kEnd) {
        end_stream(i);
      }
      if (engine.holding()) break;  // its stream alone until the record is complete
    }
  }
  engine.Flush(out);
  engine.PublishMetrics();
  sink.Flush(out);
  ::close(signal_fd);

  int exit_code = ExitCodeOfStatus(child_status);
  if (!FinishOutput(sink, start.out_fd, options.output) && exit_code == kExitOk) {
    exit_code = kExitOutputError;
  }
  if (!FinishMetrics(options.metrics, start.metrics) && exit_code == kExitOk) {
    exit_code = kExitOutputError;
  }
  PrintSummary(engine, options.stats);
  return exit_code;
}

}  // namespace logchain

#include "pipeline/run.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/pipes.h"
#include "input/gzip_input.h"
#include "input/line_reader.h"
#include "metrics/endpoint.h"
#include "metrics/hub.h"
#include "output/sink.h"
#include "pipeline/batch.h"
#include "pipeline/progress.h"
#include "pipeline/signals.h"
#include "pipeline/stream.h"

namespace logchain {
namespace {

std::string Quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

bool IsRegularFile(int fd) {
  struct stat st {};
  return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

std::string HumanBytes(uint64_t bytes) {
  char buf[32];
  if (bytes >= (1u << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  } else if (bytes >= 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024);
  } else {
    std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(bytes));
  }
  return buf;
}

uint64_t FileSize(int fd) {
  struct stat st {};
  return fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? static_cast<uint64_t>(st.st_size) : 0;
}

uint64_t TotalBytes(const std::vector<std::string>& inputs) {
  uint64_t total = 0;
  for (const std::string& name : inputs) {
    struct stat st {};
    if (name != "-" && ::stat(name.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
      total += static_cast<uint64_t>(st.st_size);
    }
  }
  return total;
}

// Progress (and the summary with it): asked for, or on by default when a
// person is watching stderr and there are files to read.
bool ShowProgress(const RunOptions& options, const std::vector<std::string>& inputs) {
  if (options.progress != 0) return options.progress > 0;
  if (::isatty(STDERR_FILENO) == 0) return false;
  for (const std::string& name : inputs) {
    if (name != "-") return true;
  }
  return false;
}

// The engine for config, or null after every configuration problem has
// been printed.
std::unique_ptr<Engine> BuildEngine(const PipelineConfig& config, const Clock* clock) {
  Diagnostics diagnostics;
  std::unique_ptr<Engine> engine = Engine::Create(config, clock, diagnostics);
  if (engine == nullptr) PrintRaw(diagnostics.Format());
  return engine;
}

}  // namespace

std::string FormatStats(const Stats& s, const Chain& chain) {
  std::string out = "logchain: note: " + std::to_string(s.lines) + " lines read (" +
                    HumanBytes(s.bytes_in) + "), " + std::to_string(s.records) +
                    " records written (" + HumanBytes(s.bytes_out) + "), " +
                    std::to_string(s.folded) + " lines folded into the record before them, " +
                    std::to_string(s.dropped) + " records dropped\n";
  if (s.split_lines != 0) {
    out += "logchain: note: " + std::to_string(s.split_lines) +
           " lines longer than --max-line-bytes were cut into " +
           std::to_string(s.split_lines + s.extra_parts) + " pieces\n";
  }
  if (s.invalid_utf8 != 0) {
    out += "logchain: note: " + std::to_string(s.invalid_utf8) +
           " records were not valid UTF-8 (original bytes kept in logchain_raw_base64)\n";
  }
  for (size_t i = 0; i < chain.size(); ++i) {
    if (chain.name(i).starts_with("parse_")) {
      out += "logchain: note: " + std::string(chain.name(i)) + " parsed " +
             std::to_string(chain.counts(i).applied) + " records, failed on " +
             std::to_string(chain.counts(i).failed) + "\n";
    } else if (chain.counts(i).failed != 0) {
      out += "logchain: note: " + std::string(chain.name(i)) + " failed on " +
             std::to_string(chain.counts(i).failed) + " records (see logchain_error)\n";
    }
  }
  if (s.internal_errors != 0) {
    out += "logchain: warning: " + std::to_string(s.internal_errors) +
           " records hit an internal error and were written as plain events\n";
  }
  return out;
}

int Check(const PipelineConfig& config, const Clock* clock) {
  if (BuildEngine(config, clock) == nullptr) return kExitConfigError;
  std::string text = "logchain: the configuration is valid; the chain is:\n";
  for (const ProcessorConfig& entry : config.chain) {
    text.append("  ").append(entry.name);
    for (const RawOption& option : entry.options) {
      text.append(" ").append(option.name).append("=").append(option.value);
    }
    text.append("\n");
  }
  PrintStdout(text);
  return kExitOk;
}

int StartRun(const PipelineConfig& config, const RunOptions& options, const Clock* clock,
             RunStart* start) {
  start->engine = BuildEngine(config, clock);
  if (start->engine == nullptr) return kExitConfigError;
  if (!StartMetrics(options.metrics, clock, *start->engine, &start->metrics)) {
    return kExitConfigError;
  }
  start->out_fd = OpenOutput(options.output);
  if (start->out_fd < 0) return kExitOutputError;
  WidenPipe(start->out_fd);
  return kExitOk;
}

int Run(const PipelineConfig& config, const RunOptions& options, const Clock* clock) {
  RunStart start;
  if (const int failed = StartRun(config, options, clock, &start); failed != kExitOk) {
    return failed;
  }
  Engine& engine = *start.engine;

  Sink sink(start.out_fd);
  OutBuffer out(kFlushBytes + kFlushBytes / 2);
  sink.AttachSpill(out, 8 * kFlushBytes);
  LineReader reader(config.max_line_bytes);
  int exit_code = kExitOk;

  std::unique_ptr<BatchRunner> batch;  // started at the first regular file, with -j 2 and up
  std::vector<std::string> inputs = options.inputs;
  if (inputs.empty()) inputs.emplace_back("-");
  const bool show_progress = ShowProgress(options, inputs);
  std::unique_ptr<Progress> progress;
  if (show_progress) {
    progress = std::make_unique<Progress>(STDERR_FILENO, TotalBytes(inputs), &engine.stats().lines);
  }
  uint64_t done_before = 0;  // bytes of the finished file inputs, for progress
  for (const std::string& name : inputs) {
    const bool is_stdin = name == "-";
    const int fd = is_stdin ? STDIN_FILENO : ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      PrintError("cannot read " + Quoted(name) + ": " + std::strerror(errno) +
                 " (going on with the other inputs)");
      exit_code = kExitInputError;
      continue;
    }
    int error = 0;
    const bool regular_file = IsRegularFile(fd);
    if (is_stdin) WidenPipe(fd);
    // A gzip file (by its magic bytes, not its name) is inflated into a pipe.
    std::unique_ptr<GzipInput> gzip;
    if (!is_stdin && regular_file && IsGzip(fd)) {
      std::string problem;
      gzip = GzipInput::Start(fd, &problem);
      if (gzip == nullptr) {
        PrintError("cannot read " + Quoted(name) + ": " + problem);
        exit_code = kExitInputError;
        ::close(fd);
        continue;
      }
    }
    if (progress != nullptr) {
      progress->BeginInput(fd, gzip != nullptr ? &gzip->compressed_bytes() : nullptr,
                           done_before);
    }
    if (!is_stdin && regular_file && gzip == nullptr && options.jobs > 1 && batch == nullptr) {
      batch = BatchRunner::Create(config, clock, options.jobs, start.metrics.hub.get());
    }
    const StreamEnd end =
        gzip != nullptr
            ? StreamInput(gzip->fd(), /*regular_file=*/false, reader, engine, out, sink, &error)
        : !is_stdin && regular_file && batch != nullptr
            ? batch->Run(fd, reader, engine, out, sink, &error)
            : StreamInput(fd, regular_file, reader, engine, out, sink, &error);
    if (progress != nullptr) progress->EndInput();
    if (!is_stdin) done_before += FileSize(fd);
    if (gzip != nullptr) {
      const std::string problem = gzip->Finish();
      if (!problem.empty() && end != StreamEnd::kStopped && end != StreamEnd::kOutputGone) {
        PrintError("reading " + Quoted(name) + ": " + problem +
                   "; the lines before that were processed");
        exit_code = kExitInputError;
      }
    }
    if (!is_stdin) ::close(fd);
    if (end == StreamEnd::kReadError) {
      PrintError("reading " + (is_stdin ? std::string("standard input") : Quoted(name)) +
                 " failed: " + std::strerror(error));
      exit_code = kExitInputError;
    }
    if (end == StreamEnd::kStopped || end == StreamEnd::kOutputGone) break;
  }
  sink.Flush(out);
  // The workers published their own counts: publish this thread's before
  // theirs are added to it.
  engine.PublishMetrics();
  if (batch != nullptr) batch->MergeCountsInto(engine);

  progress.reset();  // erases the progress line before the summary
  if (!FinishOutput(sink, start.out_fd, options.output)) exit_code = kExitOutputError;
  if (!FinishMetrics(options.metrics, start.metrics) && exit_code == kExitOk) {
    exit_code = kExitOutputError;
  }
  PrintSummary(engine, options.stats || show_progress);
  return exit_code;
}

bool StartMetrics(const MetricsOptions& options, const Clock* clock, Engine& engine,
                  MetricsRun* run) {
  if (!options.enabled()) return true;
  Diagnostics diagnostics;
  metrics::RouteTable routes;
  if (!metrics::RouteTable::Build(options.routes, "--metrics-route", &routes, diagnostics)) {
    PrintRaw(diagnostics.Format());
    return false;
  }
  run->hub = std::make_shared<metrics::MetricsHub>(std::move(routes), options.max_loggers, clock);
  engine.EnableMetrics(run->hub->NewShard());
  std::string problem;
  if (!options.textfile.empty() && !metrics::CheckTextfilePath(options.textfile, &problem)) {
    PrintError("--metrics-textfile: cannot write the metrics there: " + problem +
               "\n  hint: give a file in an existing, writable directory");
    return false;
  }
  if (!options.listen.empty()) {
    metrics::ListenAddress address;
    if (!metrics::ParseListenAddress(options.listen, &address, &problem)) {
      PrintError("--metrics-listen: " + problem +
                 "\n  hint: write ADDR:PORT, e.g. 127.0.0.1:9100 or 0.0.0.0:9100");
      return false;
    }
    run->endpoint = metrics::MetricsEndpoint::Start(address, run->hub, &problem);
    if (run->endpoint == nullptr) {
      PrintError("--metrics-listen: cannot listen on " + address.ToString() + ": " + problem +
                 "\n  hint: choose a free port on an address of this machine "
                 "(0.0.0.0 for every interface)");
      return false;
    }
    PrintNote("serving metrics at " + run->endpoint->url());
  }
  return true;
}

bool FinishMetrics(const MetricsOptions& options, const MetricsRun& run) {
  if (run.hub == nullptr || options.textfile.empty()) return true;
  std::string error;
  if (run.hub->WriteTextfile(options.textfile, &error)) return true;
  PrintError("--metrics-textfile: " + error);
  return false;
}

int OpenOutput(const std::string& path) {
  if (path.empty() || path == "-") return STDOUT_FILENO;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) PrintError("cannot write " + Quoted(path) + ": " + std::strerror(errno));
  return fd;
}

bool FinishOutput(const Sink& sink, int fd, const std::string& path) {
  if (sink.state() == Sink::State::kFailed) {
    PrintError("cannot write " + (path.empty() ? std::string("standard output") : Quoted(path)) +
               ": " + std::strerror(sink.error()) + "; the output is incomplete");
    if (fd != STDOUT_FILENO) ::close(fd);
    return false;
  }
  if (fd != STDOUT_FILENO && ::close(fd) != 0) {
    PrintError("cannot write " + Quoted(path) + ": " + std::strerror(errno));
    return false;
  }
  return true;
}

void PrintSummary(const Engine& engine, bool requested) {
  bool trouble = engine.stats().internal_errors != 0;
  for (size_t i = 0; i < engine.chain().size(); ++i) {
    trouble = trouble || engine.chain().counts(i).failed != 0;
  }
  if (requested || trouble) PrintRaw(FormatStats(engine.stats(), engine.chain()));
}

}  // namespace logchain

// Running a whole configuration: inputs in order, one output, exit code.
#ifndef LOGCHAIN_PIPELINE_RUN_H_
#define LOGCHAIN_PIPELINE_RUN_H_

#include <string>
#include <vector>

#include "metrics/endpoint.h"
#include "metrics/hub.h"
#include "metrics/metrics_options.h"
#include "output/sink.h"
#include "pipeline/engine.h"

namespace logchain {

/// logchain's exit codes (docs/manual.md lists them for users).
enum ExitCode : int {
  kExitOk = 0,           // everything read was written (also: the reader of stdout went away)
  kExitInputError = 1,   // an input could not be read; the others were processed
  kExitConfigError = 2,  // the configuration is wrong; nothing was read
  kExitOutputError = 3,  // the output could not be written (disk full, no permission)
};

struct RunOptions {
  std::vector<std::string> inputs;  // empty or "-": standard input
  std::vector<std::string> command; // after "--": run it and read its output (pipeline/wrap.h)
  std::string output;               // empty: standard output
  bool stats = false;               // print counts to stderr at exit
  int progress = 0;                 // progress line on stderr: 1 always, -1 never, 0 on a terminal
  int jobs = 1;                     // worker threads for regular-file inputs
  MetricsOptions metrics;           // off unless an endpoint or a textfile is asked for
};

/// Runs the pipeline over every input into the output and returns the exit
/// code. Reports read and write problems on stderr (naming the file, never
/// the data) and, with options.stats or when something went wrong, a summary.
int Run(const PipelineConfig& config, const RunOptions& options, const Clock* clock);

/// --check: builds the chain (every problem reported) and prints it,
/// without reading input. Returns kExitOk or kExitConfigError.
int Check(const PipelineConfig& config, const Clock* clock);

/// Metrics for one run: the shared totals and, with --metrics-listen, the
/// HTTP endpoint serving them. It must live until every engine counting
/// into it has published for the last time.
struct MetricsRun {
  std::shared_ptr<metrics::MetricsHub> hub;  // null: metrics off
  std::unique_ptr<metrics::MetricsEndpoint> endpoint;
};

/// Starts what options ask for (engine then counts into it), before any
/// input is read. False, after reporting the problem, when the routes are
/// wrong, the textfile cannot be written or the address cannot be served:
/// the caller exits with kExitConfigError.
bool StartMetrics(const MetricsOptions& options, const Clock* clock, Engine& engine,
                  MetricsRun* run);

/// What every run opens before it reads input: the engine built from the
/// configuration, the metrics it counts into, and the output. Members are
/// destroyed metrics first, then the engine, after the caller's last publish.
struct RunStart {
  std::unique_ptr<Engine> engine;
  MetricsRun metrics;
  int out_fd = -1;
};

/// The start-up Run and RunCommand share: builds the engine (every
/// configuration problem reported), starts metrics, opens the output.
/// Returns kExitOk, or after reporting the problem kExitConfigError (bad
/// configuration, metrics cannot be served) or kExitOutputError (the output
/// cannot be opened). Nothing is read or started before it returns kExitOk.
int StartRun(const PipelineConfig& config, const RunOptions& options, const Clock* clock,
             RunStart* start);

/// Writes the textfile, if asked for, after the last record. False, after
/// reporting why, when it could not be written.
bool FinishMetrics(const MetricsOptions& options, const MetricsRun& run);

/// Opens the output ("" or "-": standard output). Returns the descriptor,
/// or -1 after reporting why it cannot be written.
int OpenOutput(const std::string& path);

/// Closes the output after the last write; reports a failed sink or close.
/// Returns false when the output is incomplete.
bool FinishOutput(const Sink& sink, int fd, const std::string& path);

/// Prints the summary on stderr when asked (--stats) or when something
/// failed (a processor failed on some records, an internal error).
void PrintSummary(const Engine& engine, bool requested);

/// The summary --stats prints.
std::string FormatStats(const Stats& stats, const Chain& chain);

}  // namespace logchain

#endif  // LOGCHAIN_PIPELINE_RUN_H_

// The process wrapper: `logchain [options] -- CMD ARGS...`.
//
// Starts CMD as a child whose stdout and stderr are pipes into logchain, and
// runs both streams through the same chain into logchain's output, each kept
// in order. The signals a process manager sends (SIGTERM, SIGINT, SIGHUP,
// SIGQUIT, SIGUSR1, SIGUSR2, SIGTTIN, SIGTTOU: gunicorn uses all of them) are
// forwarded to the child instead of stopping logchain; logchain keeps reading
// until the child is gone and its pipes are drained, then exits with the
// child's exit status. It reaps every process that ends up as its child, so
// it can be PID 1 of a container (and is a subreaper otherwise).
//
// This is what lets a container say CMD ["logchain", "--", "gunicorn", ...]
// with no shell pipe, which would swallow signals and exit codes.
#ifndef LOGCHAIN_PIPELINE_WRAP_H_
#define LOGCHAIN_PIPELINE_WRAP_H_

#include <string>
#include <vector>

#include "pipeline/engine.h"
#include "pipeline/run.h"

namespace logchain {

/// Exit codes of the wrapper when the child could not be started, as shells use them.
inline constexpr int kExitCannotExecute = 126;
inline constexpr int kExitCommandNotFound = 127;

/// After the child has exited, its pipes are read until every writer has
/// closed them, or until they have been quiet this long (a grandchild that
/// outlives the child may keep them open).
inline constexpr int kDrainQuietMs = 500;

/// Runs options.command as a child through the pipeline. Returns the child's
/// exit code (128 + N when signal N killed it); kExitConfigError for a bad
/// configuration (nothing is started); 126/127 when the command could not be
/// run. When the child exits 0 but logchain's output could not be written,
/// returns kExitOutputError.
///
/// Must be called from the main thread before other threads exist: it
/// changes the signal mask and dispositions of the process.
int RunCommand(const PipelineConfig& config, const RunOptions& options, const Clock* clock);

/// 128 + signal for a child killed by a signal, else its exit status
/// (`status` as waitpid returns it).
int ExitCodeOfStatus(int status);

}  // namespace logchain

#endif  // LOGCHAIN_PIPELINE_WRAP_H_

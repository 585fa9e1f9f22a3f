// The command line: flags and the configuration file become plain options.
//
// Everything that can be wrong with a configuration is found here or when
// the chain is built, before any input is read, and reported all at once.
#ifndef LOGCHAIN_CLI_CLI_H_
#define LOGCHAIN_CLI_CLI_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostics.h"
#include "pipeline/engine.h"
#include "pipeline/run.h"

namespace logchain {

struct CommandLine {
  enum class Action : uint8_t {
    kRun,    // process input
    kCheck,  // validate the configuration and exit
    kExit,   // already handled (help, version, a listing, an error): exit with exit_code
  };
  Action action = Action::kRun;
  int exit_code = kExitOk;
  PipelineConfig pipeline;
  RunOptions run;
};

/// Parses argv (and the configuration file it names). Help, the version,
/// --list-processors and --describe are printed here (to stdout); problems
/// are printed to stderr with exit code 2.
CommandLine ParseCommandLine(int argc, const char* const* argv);

/// "16MiB", "512KiB", "2M", "1048576" -> bytes. False when malformed.
bool ParseByteSize(std::string_view text, size_t* bytes);

/// The text of `logchain --list-processors` and `--describe NAME`.
std::string ListProcessors();
std::string DescribeProcessor(const ProcessorDescriptor& descriptor);

/// logchain's version string.
std::string_view Version();

}  // namespace logchain

#endif  // LOGCHAIN_CLI_CLI_H_

// logchain: options -> chain -> run -> exit code.
#include "cli/cli.h"
#include "pipeline/run.h"
#include "pipeline/signals.h"
#include "pipeline/wrap.h"
#include "record/clock.h"

int main(int argc, char** argv) {
  using logchain::CommandLine;
  const CommandLine command = logchain::ParseCommandLine(argc, argv);
  if (command.action == CommandLine::Action::kExit) return command.exit_code;

  const logchain::SystemClock clock;
  if (command.action == CommandLine::Action::kCheck) {
    return logchain::Check(command.pipeline, &clock);
  }
  logchain::InstallStopSignals();
  if (!command.run.command.empty()) {
    return logchain::RunCommand(command.pipeline, command.run, &clock);
  }
  return logchain::Run(command.pipeline, command.run, &clock);
}

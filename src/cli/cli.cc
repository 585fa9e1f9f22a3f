#include "cli/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdlib>
#include <thread>

#include "cli/config_file.h"
#include "cli/processor_docs.h"
#include "metrics/endpoint.h"
#include "metrics/hub.h"
#include "metrics/route_table.h"
#include "patterns/library.h"
#include "pipeline/chain.h"
#include "processors/registry.h"
#include "record/clock.h"

namespace logchain {
namespace {

constexpr std::string_view kVersion = "logchain 0.1.0";

constexpr char kDescription[] =
    "logchain reads log lines from FILEs (or standard input), runs a chain of processors over "
    "each, and writes one JSON object per line: gunicorn's plain output becomes the JSON a "
    "structlog ProcessorFormatter setup prints, byte for byte, without losing a line.";

constexpr char kFooter[] = R"(Examples:
  Pipe after gunicorn (each record appears as soon as its line is complete):
    gunicorn app.wsgi 2>&1 | logchain

  Run gunicorn as a child (signals forwarded, its exit code returned; a
  container's PID 1):
    logchain -- gunicorn app.wsgi

  Reprocess rotated logs in order into one file, with a summary (gzip files
  are read as such, whatever their name):
    logchain --stats access.log.3.gz access.log.2.gz access.log.1 access.log -o access.jsonl

  ISO timestamps and compact UTF-8 JSON:
    logchain --set add_timestamp.fmt=iso --json compact

  A human view while developing (colours on a terminal; NO_COLOR respected):
    gunicorn app.wsgi 2>&1 | logchain --format console

  Only split access lines, no levels or timestamps:
    logchain --chain add_logger_name,parse_combined

  A configuration file (see docs/manual.md), checked before use:
    logchain -c logchain.toml --check && gunicorn app.wsgi 2>&1 | logchain -c logchain.toml

Processors: logchain --list-processors, and logchain --describe NAME for one.
Exit status: 0 success; 1 an input could not be read (the others were processed);
2 bad configuration (nothing was read); 3 the output could not be written.
With -- CMD: the command's exit code (128+N if signal N killed it; 127 not found).)";

int DefaultJobs() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

std::vector<std::string_view> LongOptionNames(const CLI::App& app) {
  static std::vector<std::string> storage;
  storage.clear();
  for (const CLI::Option* o : app.get_options()) {
    for (const std::string& n : o->get_lnames()) storage.push_back("--" + n);
  }
  return {storage.begin(), storage.end()};
}

// Adds options to every chain entry named `processor`; reports it when the
// chain has none.
void ApplyOptions(std::vector<ProcessorConfig>& chain, const std::string& processor,
                  const std::vector<RawOption>& options, const std::string& where,
                  Diagnostics& diagnostics) {
  bool found = false;
  for (ProcessorConfig& entry : chain) {
    if (entry.name != processor) continue;
    found = true;
    entry.options.insert(entry.options.end(), options.begin(), options.end());
  }
  if (!found) {
    const std::vector<std::string_view> names = ProcessorNames();
    if (FindProcessor(processor) == nullptr) {
      diagnostics.Error(where,
                        "unknown processor '" + processor + "'" + DidYouMean(processor, names),
                        "logchain --list-processors shows every processor");
    } else {
      diagnostics.Error(where,
                        "options for '" + processor + "', which is not in the chain",
                        "add it to the chain (--chain or chain = [...]) or drop these options");
    }
  }
}

// Puts parse_format for a server's format string into the chain: in place of
// parse_combined (whose combined format it replaces), else after the last
// parse_format, else at the end.
void AddFormat(std::vector<ProcessorConfig>& chain, std::string_view server,
               const std::string& format, const std::string& where) {
  ProcessorConfig entry{"parse_format", where,
                        {RawOption{"server", std::string(server), where},
                         RawOption{"format", format, where}}};
  for (ProcessorConfig& p : chain) {
    if (p.name == "parse_combined") {
      p = std::move(entry);
      return;
    }
  }
  auto at = chain.end();
  for (auto it = chain.begin(); it != chain.end(); ++it) {
    if (it->name == "parse_format") at = it + 1;
  }
  chain.insert(at, std::move(entry));
}

}  // namespace

std::string_view Version() { return kVersion; }

bool ParseByteSize(std::string_view text, size_t* bytes) {
  uint64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr == text.data()) return false;
  std::string_view unit(ptr, static_cast<size_t>(text.data() + text.size() - ptr));
  uint64_t scale = 1;
  if (unit.empty() || unit == "B") {
    scale = 1;
  } else if (unit == "K" || unit == "KiB" || unit == "k") {
    scale = 1ull << 10;
  } else if (unit == "M" || unit == "MiB") {
    scale = 1ull << 20;
  } else if (unit == "G" || unit == "GiB") {
    scale = 1ull << 30;
  } else {
    return false;
  }
  if (value > (UINT64_MAX / scale)) return false;
  *bytes = static_cast<size_t>(value * scale);
  return true;
}

std::string ListProcessors() {
  std::string out;
  size_t width = 0;
  for (const ProcessorDescriptor* d : Registry()) width = std::max(width, d->name.size());
  const auto defaults = DefaultChain();
  for (const ProcessorDescriptor* d : Registry()) {
    const bool in_default =
        std::find(defaults.begin(), defaults.end(), d->name) != defaults.end();
    out.append("  ").append(d->name).append(width - d->name.size() + 2, ' ');
    out.append(d->summary);
    if (in_default) out.append(" [default chain]");
    out.push_back('\n');
  }
  out.append("\nDefault chain: ");
  for (size_t i = 0; i < defaults.size(); ++i) {
    out.append(i == 0 ? "" : ",").append(defaults[i]);
  }
  out.append("\nDetails: logchain --describe NAME\n");
  return out;
}

std::string DescribeProcessor(const ProcessorDescriptor& d) {
  std::string out;
  out.append(d.name).append(" - ").append(d.summary).append("\n\n");
  out.append(d.description).append("\n");
  if (!d.options.empty()) {
    out.append("\nOptions (--set ").append(d.name).append(".OPTION=VALUE):\n");
    for (const OptionSpec& o : d.options) {
      out.append("  ").append(o.name).append(" (default: ");
      out.append(o.default_value.empty() ? "empty" : o.default_value).append(")\n");
      out.append("      ").append(o.help).append("\n");
    }
  }
  if (!d.failures.empty()) {
    out.append("\nError notes it can add (in logchain_error):\n");
    for (std::string_view f : d.failures) {
      out.append("  ").append(d.name).append(": ").append(f).append("\n");
    }
  }
  for (const Example& e : d.examples) {
    out.append("\nExample: ").append(e.title).append("\n  $ logchain --chain ").append(e.chain);
    // One --set per setting, quoted for a POSIX shell when needed.
    for (const std::string& setting : CLI::detail::split(std::string(e.settings), ' ')) {
      if (setting.empty()) continue;
      const bool plain = setting.find_first_of(" |&<>;()$*?'\"\\!#~`{}[]") == std::string::npos;
      out.append(" --set ").append(plain ? setting : "'" + setting + "'");
    }
    auto indented = [](std::string_view text) {
      std::string lines(text);
      for (size_t at = lines.find('\n'); at != std::string::npos; at = lines.find('\n', at + 1)) {
        lines.insert(at + 1, "          ");
      }
      return lines;
    };
    out.append("\n  input:  ").append(indented(e.input));
    out.append("\n  output: ").append(indented(e.output));
    out.append("\n");
  }
  return out;
}

CommandLine ParseCommandLine(int argc, const char* const* argv) {
  CommandLine result;
  CLI::App app(kDescription, "logchain");
  app.footer(kFooter);
  app.get_formatter()->column_width(32);

  std::vector<std::string> files;
  std::string output, config_path, chain_text, json_style, default_level, default_logger;
  std::string max_line_bytes;
  std::string metrics_listen, metrics_textfile;
  std::vector<std::string> metrics_routes;
  std::vector<std::string> settings;
  std::string describe;
  int jobs = 0;
  int progress = 0;
  std::string format, color;
  std::string access_format, nginx_format, apache_format;
  bool stats = false, check = false, list = false, version = false;

  app.add_option("FILE", files, "inputs, read in order; - is standard input (the default). Or: -- CMD ARGS... runs CMD and reads its stdout and stderr");
  app.add_option("-o,--output", output, "write to FILE instead of standard output")
      ->option_text("FILE");
  app.add_option("-c,--config", config_path, "read settings from a TOML file; flags win")
      ->option_text("FILE");
  app.add_option("--chain", chain_text,
                 "processors to run, in order, comma-separated (default: "
                 "fold_traceback,add_log_level,add_logger_name,add_timestamp,parse_combined)")
      ->option_text("LIST");
  app.add_option("--set", settings,
                 "set a processor option, e.g. --set add_timestamp.fmt=iso (repeatable)")
      ->option_text("PROC.OPTION=VALUE")
      ->allow_extra_args(false);  // one value per --set, so FILE arguments may follow
  app.add_option("--json", json_style,
                 "seed: byte-compatible with the structlog setup (Python json.dumps); "
                 "compact: no spaces, UTF-8 kept (default: seed)")
      ->option_text("STYLE");
  std::string schema_name;
  app.add_option("--schema", schema_name,
                 "field names: seed (the structlog setup's, default), ecs (Elastic Common "
                 "Schema), otel (OpenTelemetry log data model); see docs/schemas.md")
      ->option_text("NAME");
  app.add_option("--default-level", default_level,
                 "level of lines logchain does not recognise (default: info)")
      ->option_text("LEVEL");
  app.add_option("--default-logger", default_logger,
                 "logger of lines logchain does not recognise (default: app)")
      ->option_text("NAME");
  app.add_option("--max-line-bytes", max_line_bytes,
                 "longer lines are cut into numbered pieces, never dropped (default: 16MiB)")
      ->option_text("SIZE");
  app.add_option("-j,--jobs", jobs,
                 "threads for file inputs; output order is kept (default: all cores)")
      ->option_text("N");
  app.add_option("--format", format,
                 "json: one JSON object per line (default); console: a human view for "
                 "development, like structlog's ConsoleRenderer")
      ->option_text("FORMAT");
  app.add_option("--color", color,
                 "colours in the console view: auto (a terminal, unless NO_COLOR is set), "
                 "always, never (default: auto)")
      ->option_text("WHEN");
  app.add_option("--metrics-listen", metrics_listen,
                 "serve Prometheus metrics at http://ADDR:PORT/metrics (default: off; "
                 "port 0 picks a free one)")
      ->option_text("ADDR:PORT");
  app.add_option("--metrics-textfile", metrics_textfile,
                 "write the metrics to FILE at exit, atomically (node_exporter's textfile "
                 "collector)")
      ->option_text("FILE");
  app.add_option("--metrics-route", metrics_routes,
                 "a path template such as /api/items/{id} for the route label of request "
                 "metrics; unmatched paths count as other (repeatable)")
      ->option_text("TEMPLATE")
      ->allow_extra_args(false);
  app.add_option("--access-format", access_format,
                 "parse access lines by gunicorn's access_log_format, pasted from "
                 "gunicorn.conf.py (replaces parse_combined; see docs/formats.md)")
      ->option_text("FORMAT");
  app.add_option("--nginx-format", nginx_format,
                 "parse nginx access lines by this log_format string")
      ->option_text("FORMAT");
  app.add_option("--apache-format", apache_format,
                 "parse Apache access lines by this LogFormat string")
      ->option_text("FORMAT");
  app.add_flag("--stats", stats, "print what happened to the input on stderr at exit");
  app.add_flag("--progress,!--no-progress", progress,
               "a progress line for file inputs and the --stats summary on stderr (default: "
               "when stderr is a terminal)");
  app.add_flag("--check", check, "validate the configuration and exit without reading input");
  app.add_flag("--list-processors", list, "list every processor with a one-line summary");
  std::vector<std::string> patterns_dirs;
  app.add_option("--patterns-dir", patterns_dirs,
                 "also load *.pattern and *.blocks files from DIR (repeatable; "
                 "docs/patterns.md)")
      ->option_text("DIR")
      ->allow_extra_args(false);
  bool processors_markdown = false;
  app.add_flag("--processors-markdown", processors_markdown,
               "print the processor reference (docs/processors.md) generated from the registry");
  app.add_option("--describe", describe, "show a processor's options and examples")
      ->option_text("PROC");
  app.add_flag("-V,--version", version, "print the version and exit");

  // Everything after the first "--" is a command to run (pipeline/wrap.h).
  int own_argc = argc;
  for (int i = 1; i < argc; ++i) {
    if (std::string_view(argv[i]) == "--") {
      own_argc = i;
      result.run.command.assign(argv + i + 1, argv + argc);
      break;
    }
  }
  const bool wraps = own_argc != argc;

  try {
    app.parse(own_argc, argv);
  } catch (const CLI::CallForHelp&) {
    PrintStdout(app.help());
    result.action = CommandLine::Action::kExit;
    return result;
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg.size() > 2 && arg.substr(0, 2) == "--") {
          const std::string_view flag = arg.substr(0, arg.find('='));
          std::vector<std::string_view> known = LongOptionNames(app);
          if (std::find(known.begin(), known.end(), flag) == known.end()) {
            message = "unknown option '" + std::string(flag) + "'" + DidYouMean(flag, known);
            break;
          }
        }
      }
    }
    PrintError(message + "\n  hint: logchain --help lists every option");
    result.action = CommandLine::Action::kExit;
    result.exit_code = kExitConfigError;
    return result;
  }

  auto print = [&result](const std::string& text) {
    PrintStdout(text);
    result.action = CommandLine::Action::kExit;
  };
  if (version) {
    print(std::string(kVersion) + "\n");
    return result;
  }
  if (list) {
    print(ListProcessors());
    return result;
  }
  if (processors_markdown) {
    print(ProcessorsMarkdown());
    return result;
  }
  if (!describe.empty()) {
    if (const ProcessorDescriptor* d = FindProcessor(describe)) {
      print(DescribeProcessor(*d));
    } else {
      PrintError("unknown processor '" + describe + "'" +
                 DidYouMean(describe, ProcessorNames()) +
                 "\n  hint: logchain --list-processors shows every processor");
      result.action = CommandLine::Action::kExit;
      result.exit_code = kExitConfigError;
    }
    return result;
  }

  Diagnostics diagnostics;
  FileSettings file;
  if (!config_path.empty()) LoadConfigFile(config_path, &file, diagnostics);

  // The chain: --chain, else the file's, else the default.
  std::vector<ProcessorConfig>& chain = result.pipeline.chain;
  if (!chain_text.empty()) {
    for (const std::string& name : CLI::detail::split(chain_text, ',')) {
      std::string trimmed = CLI::detail::trim_copy(name);
      if (!trimmed.empty()) chain.push_back(ProcessorConfig{trimmed, "--chain", {}});
    }
    if (chain.empty()) {
      diagnostics.Error("--chain", "the chain is empty",
                        "name at least one processor, e.g. --chain add_log_level");
    }
  } else if (file.chain.has_value()) {
    chain = *file.chain;
  } else {
    chain = DefaultChainConfig();
  }

  // Access-log format strings: a flag wins over the file.
  {
    const std::pair<const std::string*, const std::optional<std::pair<std::string, std::string>>*>
        formats[] = {{&access_format, &file.access_format},
                     {&nginx_format, &file.nginx_format},
                     {&apache_format, &file.apache_format}};
    constexpr std::string_view kServers[] = {"gunicorn", "nginx", "apache"};
    constexpr const char* kFlags[] = {"--access-format", "--nginx-format", "--apache-format"};
    for (size_t i = 0; i < 3; ++i) {
      if (!formats[i].first->empty()) {
        AddFormat(chain, kServers[i], *formats[i].first, kFlags[i]);
      } else if (formats[i].second->has_value()) {
        AddFormat(chain, kServers[i], (*formats[i].second)->first, (*formats[i].second)->second);
      }
    }
  }

  // Options, weakest first: the file's [processors.X], then --set.
  for (const auto& [processor, options] : file.processor_options) {
    ApplyOptions(chain, processor, options,
                 config_path + ": [processors." + processor + "]", diagnostics);
  }
  for (const std::string& setting : settings) {
    const size_t dot = setting.find('.');
    const size_t eq = setting.find('=');
    if (dot == std::string::npos || eq == std::string::npos || dot > eq || dot == 0 ||
        eq == dot + 1) {
      diagnostics.Error("--set " + setting, "expected PROCESSOR.OPTION=VALUE",
                        "e.g. --set add_timestamp.fmt=iso");
      continue;
    }
    const std::string processor = setting.substr(0, dot);
    RawOption option{setting.substr(dot + 1, eq - dot - 1), setting.substr(eq + 1),
                     "--set " + setting.substr(0, eq)};
    ApplyOptions(chain, processor, {option}, option.where, diagnostics);
  }

  // Plain settings: a flag wins over the file.
  auto pick = [](const std::string& flag, const auto& from_file, const char* flag_name) {
    if (!flag.empty()) return std::make_pair(flag, std::string(flag_name));
    if (from_file.has_value()) return *from_file;
    return std::make_pair(std::string(), std::string());
  };
  const auto [style, style_where] = pick(json_style, file.json, "--json");
  if (style == "compact") {
    result.pipeline.style = JsonStyle::kCompact;
  } else if (!style.empty() && style != "seed") {
    static constexpr std::string_view kStyles[] = {"seed", "compact"};
    diagnostics.Error(style_where, "unknown JSON style '" + style + "'" + DidYouMean(style, kStyles),
                      "use seed (Python json.dumps, as the structlog setup prints) or compact");
  }
  const auto [schema, schema_where] = pick(schema_name, file.schema, "--schema");
  if (!schema.empty() && !ParseSchema(schema, &result.pipeline.schema)) {
    static constexpr std::string_view kSchemas[] = {"seed", "ecs", "otel"};
    diagnostics.Error(schema_where,
                      "unknown schema '" + schema + "'" + DidYouMean(schema, kSchemas),
                      "use seed (the structlog setup's names), ecs (Elastic Common Schema) or "
                      "otel (OpenTelemetry log data model)");
  }
  const auto [level, level_where] = pick(default_level, file.default_level, "--default-level");
  if (!level.empty()) result.pipeline.decoder.default_level = level;
  const auto [logger, logger_where] =
      pick(default_logger, file.default_logger, "--default-logger");
  if (!logger.empty()) result.pipeline.decoder.default_logger = logger;
  const auto [max_line, max_line_where] =
      pick(max_line_bytes, file.max_line_bytes, "--max-line-bytes");
  if (!max_line.empty()) {
    size_t bytes = 0;
    if (!ParseByteSize(max_line, &bytes) || bytes < 64 || bytes > (1ull << 30)) {
      diagnostics.Error(max_line_where, "'" + max_line + "' is not a size from 64 bytes to 1GiB",
                        "write bytes or a size with a unit: 1048576, 512KiB, 16MiB");
    } else {
      result.pipeline.max_line_bytes = bytes;
    }
  }
  if (jobs == 0 && file.jobs.has_value()) {
    int64_t n = 0;
    auto [ptr, ec] = std::from_chars(file.jobs->first.data(),
                                     file.jobs->first.data() + file.jobs->first.size(), n);
    if (ec != std::errc() || n < 0 || n > 1024) {
      diagnostics.Error(file.jobs->second, "jobs must be a number from 0 (all cores) to 1024",
                        "jobs = 2");
    }
    jobs = static_cast<int>(n);
  }
  if (jobs < 0 || jobs > 1024) {
    diagnostics.Error("--jobs", "must be a number from 0 (all cores) to 1024", "-j 2");
  }
  result.run.jobs = jobs <= 0 ? DefaultJobs() : jobs;
  if (wraps && result.run.command.empty()) {
    diagnostics.Error("--", "no command after '--'",
                      "name the command to run, e.g. logchain -- gunicorn app.wsgi");
  }
  if (wraps && !files.empty()) {
    diagnostics.Error(files.front(), "input files and a command after '--' cannot be combined",
                      "either read files, or run a command and read its output");
  }
  if (format == "console") {
    result.pipeline.console = true;
  } else if (!format.empty() && format != "json") {
    static constexpr std::string_view kFormats[] = {"json", "console"};
    diagnostics.Error("--format", "unknown format '" + format + "'" + DidYouMean(format, kFormats),
                      "use json (the default) or console");
  }
  if (color == "always") {
    result.pipeline.color = true;
  } else if (color.empty() || color == "auto") {
    const char* no_color = std::getenv("NO_COLOR");
    result.pipeline.color = (no_color == nullptr || *no_color == '\0') &&
                            (output.empty() || output == "-") && ::isatty(STDOUT_FILENO) == 1;
  } else if (color != "never") {
    static constexpr std::string_view kWhen[] = {"auto", "always", "never"};
    diagnostics.Error("--color", "unknown value '" + color + "'" + DidYouMean(color, kWhen),
                      "use auto, always or never");
  }
  result.run.inputs = files;
  result.run.output = output;
  result.run.stats = stats;
  if (!patterns_dirs.empty()) {
    result.pipeline.patterns_dirs = patterns_dirs;
  } else if (file.patterns_dirs.has_value()) {
    result.pipeline.patterns_dirs = file.patterns_dirs->first;
  }
  result.run.progress = progress > 0 ? 1 : progress < 0 ? -1 : 0;

  // Metrics: flags win over the file; every problem is reported here so that
  // --check finds it too.
  MetricsOptions& metrics = result.run.metrics;
  const auto [listen, listen_where] = pick(metrics_listen, file.metrics_listen, "--metrics-listen");
  metrics.listen = listen;
  if (!listen.empty()) {
    metrics::ListenAddress address;
    std::string problem;
    if (!metrics::ParseListenAddress(listen, &address, &problem)) {
      diagnostics.Error(listen_where, problem,
                        "write ADDR:PORT, e.g. 127.0.0.1:9100, 0.0.0.0:9100 or [::1]:9100");
    }
  }
  const auto [textfile, textfile_where] =
      pick(metrics_textfile, file.metrics_textfile, "--metrics-textfile");
  metrics.textfile = textfile;
  if (!textfile.empty()) {
    std::string problem;
    if (!metrics::CheckTextfilePath(textfile, &problem)) {
      diagnostics.Error(textfile_where, "cannot write the metrics there: " + problem,
                        "give a file in an existing, writable directory");
    }
  }
  std::string routes_where = "--metrics-route";
  if (!metrics_routes.empty()) {
    metrics.routes = metrics_routes;
  } else if (file.metrics_routes.has_value()) {
    metrics.routes = file.metrics_routes->first;
    routes_where = file.metrics_routes->second;
  }
  metrics::RouteTable routes;
  metrics::RouteTable::Build(metrics.routes, routes_where, &routes, diagnostics);
  if (!metrics.routes.empty() && !metrics.enabled()) {
    diagnostics.Error(routes_where, "route templates are given but metrics are off",
                      "add --metrics-listen ADDR:PORT or --metrics-textfile FILE");
  }

  if (!diagnostics.ok()) {
    // The chain itself (processor names, options) is otherwise checked when
    // it is built; check it now too, so that one run reports every problem.
    const SystemClock clock;
    ProcessorContext context;
    context.clock = &clock;
    context.decoder = &result.pipeline.decoder;
    PatternLibraryHandle patterns(result.pipeline.shipped_patterns_dir,
                                  result.pipeline.patterns_dirs);
    context.patterns = &patterns;
    Chain::Build(result.pipeline.chain, context, diagnostics);
    PrintRaw(diagnostics.Format());
    result.action = CommandLine::Action::kExit;
    result.exit_code = kExitConfigError;
    return result;
  }
  result.action = check ? CommandLine::Action::kCheck : CommandLine::Action::kRun;
  return result;
}

}  // namespace logchain

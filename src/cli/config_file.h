// The TOML configuration file (-c FILE).
//
//   chain = ["fold_traceback", "add_log_level", "add_logger_name",
//            { name = "add_timestamp", fmt = "iso" }, "parse_combined"]
//   json = "seed"                 # or "compact"
//   schema = "ecs"                # field names: "seed" (default), "ecs", "otel"
//   default_level = "info"
//   default_logger = "app"
//   max_line_bytes = "16MiB"
//   jobs = 2
//   metrics_listen = "127.0.0.1:9100"   # serve /metrics (default: off)
//   metrics_textfile = "/var/lib/node_exporter/logchain.prom"
//   metrics_routes = ["/api/items/{id}", "/health"]
//   patterns_dirs = ["patterns"]  # as --patterns-dir; relative to this file
//   [processors.add_timestamp]    # options for every add_timestamp in the chain
//   utc = true
//
// Every problem is reported with file:line:column; command-line flags win
// over the file.
#ifndef LOGCHAIN_CLI_CONFIG_FILE_H_
#define LOGCHAIN_CLI_CONFIG_FILE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/diagnostics.h"
#include "processors/processor.h"

namespace logchain {

struct FileSettings {
  std::optional<std::vector<ProcessorConfig>> chain;
  /// [processors.NAME] tables, in file order.
  std::vector<std::pair<std::string, std::vector<RawOption>>> processor_options;
  std::string processor_options_where;  // for problems about a whole table
  std::optional<std::pair<std::string, std::string>> json;  // value, where
  std::optional<std::pair<std::string, std::string>> schema;
  std::optional<std::pair<std::string, std::string>> default_level;
  std::optional<std::pair<std::string, std::string>> default_logger;
  std::optional<std::pair<std::string, std::string>> max_line_bytes;
  std::optional<std::pair<std::string, std::string>> jobs;
  std::optional<std::pair<std::string, std::string>> metrics_listen;
  std::optional<std::pair<std::string, std::string>> metrics_textfile;
  /// metrics_routes: the templates, and where the list is.
  std::optional<std::pair<std::vector<std::string>, std::string>> metrics_routes;
  /// patterns_dirs: the directories (a relative one made relative to the
  /// file's own directory), and where the list is.
  std::optional<std::pair<std::vector<std::string>, std::string>> patterns_dirs;
  // Access-log format strings (as --access-format, --nginx-format, --apache-format).
  std::optional<std::pair<std::string, std::string>> access_format;
  std::optional<std::pair<std::string, std::string>> nginx_format;
  std::optional<std::pair<std::string, std::string>> apache_format;
};

/// Reads path into *out. Returns false (problems reported) when the file
/// cannot be read or parsed, or holds keys logchain does not know.
bool LoadConfigFile(const std::string& path, FileSettings* out, Diagnostics& diagnostics);

/// The same for TOML text (tests); `name` is used in messages.
bool ParseConfigText(std::string_view text, const std::string& name, FileSettings* out,
                     Diagnostics& diagnostics);

}  // namespace logchain

#endif  // LOGCHAIN_CLI_CONFIG_FILE_H_

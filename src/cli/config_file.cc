#include "cli/config_file.h"

#define TOML_EXCEPTIONS 1
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "processors/registry.h"

namespace logchain {
namespace {

constexpr std::string_view kTopLevelKeys[] = {
    "chain", "json", "default_level", "default_logger", "max_line_bytes", "jobs", "processors",
    "metrics_listen", "metrics_textfile", "metrics_routes",
    "access_format", "nginx_format", "apache_format", "schema", "patterns_dirs",
};

std::string Where(const std::string& name, const toml::source_region& region) {
  return name + ":" + std::to_string(region.begin.line) + ":" +
         std::to_string(region.begin.column);
}

// A scalar as option text; false (with a problem) for arrays and tables.
bool ScalarText(const toml::node& node, std::string* text) {
  if (const auto* s = node.as_string()) {
    *text = s->get();
  } else if (const auto* b = node.as_boolean()) {
    *text = b->get() ? "true" : "false";
  } else if (const auto* i = node.as_integer()) {
    *text = std::to_string(i->get());
  } else if (const auto* f = node.as_floating_point()) {
    std::ostringstream os;
    os << f->get();
    *text = os.str();
  } else {
    return false;
  }
  return true;
}

bool ReadOptions(const toml::table& table, const std::string& name, std::string_view skip,
                 std::vector<RawOption>* options, Diagnostics& diagnostics) {
  bool ok = true;
  for (const auto& [key, value] : table) {
    if (key.str() == skip) continue;
    std::string text;
    if (!ScalarText(value, &text)) {
      diagnostics.Error(Where(name, key.source()),
                        "option '" + std::string(key.str()) + "' must be a string, number or "
                        "boolean",
                        "write it as key = \"value\"");
      ok = false;
      continue;
    }
    options->push_back(RawOption{std::string(key.str()), text, Where(name, key.source())});
  }
  return ok;
}

void ReadString(const toml::node& node, const std::string& name, std::string_view key,
                std::optional<std::pair<std::string, std::string>>* out,
                Diagnostics& diagnostics) {
  std::string text;
  if (!ScalarText(node, &text)) {
    diagnostics.Error(Where(name, node.source()), std::string(key) + " must be a single value",
                      "write it as " + std::string(key) + " = \"...\"");
    return;
  }
  *out = std::make_pair(text, Where(name, node.source()));
}

// A list of strings, and where it is; nothing (with a problem) otherwise.
void ReadStringList(const toml::node& node, const std::string& name, std::string_view key,
                    std::string_view example,
                    std::optional<std::pair<std::vector<std::string>, std::string>>* out,
                    Diagnostics& diagnostics) {
  const toml::array* array = node.as_array();
  std::vector<std::string> items;
  bool ok = array != nullptr;
  for (size_t i = 0; ok && i < array->size(); ++i) {
    const auto* s = array->get(i)->as_string();
    ok = s != nullptr;
    if (ok) items.push_back(s->get());
  }
  if (!ok) {
    diagnostics.Error(Where(name, node.source()), std::string(key) + " must be a list of strings",
                      std::string(key) + " = " + std::string(example));
    return;
  }
  *out = std::make_pair(std::move(items), Where(name, node.source()));
}

bool Interpret(const toml::table& root, const std::string& name, FileSettings* out,
               Diagnostics& diagnostics) {
  const size_t problems_before = diagnostics.problems().size();
  for (const auto& [key, value] : root) {
    const std::string_view k = key.str();
    const std::string where = Where(name, value.source());
    if (k == "chain") {
      const toml::array* array = value.as_array();
      if (array == nullptr) {
        diagnostics.Error(where, "chain must be a list of processor names",
                          "chain = [\"add_log_level\", \"add_timestamp\"]");
        continue;
      }
      std::vector<ProcessorConfig> chain;
      for (const toml::node& item : *array) {
        const std::string item_where = Where(name, item.source());
        if (const auto* s = item.as_string()) {
          chain.push_back(ProcessorConfig{s->get(), item_where, {}});
        } else if (const auto* t = item.as_table()) {
          const auto* processor = t->get_as<std::string>("name");
          if (processor == nullptr) {
            diagnostics.Error(item_where, "a chain entry written as a table needs a name",
                              "{ name = \"add_timestamp\", fmt = \"iso\" }");
            continue;
          }
          ProcessorConfig entry{processor->get(), item_where, {}};
          ReadOptions(*t, name, "name", &entry.options, diagnostics);
          chain.push_back(std::move(entry));
        } else {
          diagnostics.Error(item_where, "a chain entry must be a processor name or a table",
                            "\"add_log_level\" or { name = \"add_timestamp\", fmt = \"iso\" }");
        }
      }
      out->chain = std::move(chain);
    } else if (k == "processors") {
      const toml::table* tables = value.as_table();
      if (tables == nullptr) {
        diagnostics.Error(where, "processors must be a table of tables",
                          "[processors.add_timestamp] then fmt = \"iso\" on the next line");
        continue;
      }
      out->processor_options_where = where;
      for (const auto& [processor, options] : *tables) {
        const toml::table* t = options.as_table();
        if (t == nullptr) {
          diagnostics.Error(Where(name, options.source()),
                            "processors." + std::string(processor.str()) + " must be a table",
                            "[processors." + std::string(processor.str()) + "]");
          continue;
        }
        std::vector<RawOption> raw;
        ReadOptions(*t, name, {}, &raw, diagnostics);
        out->processor_options.emplace_back(std::string(processor.str()), std::move(raw));
      }
    } else if (k == "json") {
      ReadString(value, name, k, &out->json, diagnostics);
    } else if (k == "schema") {
      ReadString(value, name, k, &out->schema, diagnostics);
    } else if (k == "default_level") {
      ReadString(value, name, k, &out->default_level, diagnostics);
    } else if (k == "default_logger") {
      ReadString(value, name, k, &out->default_logger, diagnostics);
    } else if (k == "max_line_bytes") {
      ReadString(value, name, k, &out->max_line_bytes, diagnostics);
    } else if (k == "jobs") {
      ReadString(value, name, k, &out->jobs, diagnostics);
    } else if (k == "metrics_listen") {
      ReadString(value, name, k, &out->metrics_listen, diagnostics);
    } else if (k == "metrics_textfile") {
      ReadString(value, name, k, &out->metrics_textfile, diagnostics);
    } else if (k == "access_format") {
      ReadString(value, name, k, &out->access_format, diagnostics);
    } else if (k == "nginx_format") {
      ReadString(value, name, k, &out->nginx_format, diagnostics);
    } else if (k == "apache_format") {
      ReadString(value, name, k, &out->apache_format, diagnostics);
    } else if (k == "metrics_routes") {
      ReadStringList(value, name, k, R"(["/api/items/{id}", "/health"])", &out->metrics_routes,
                     diagnostics);
    } else if (k == "patterns_dirs") {
      ReadStringList(value, name, k, R"(["/etc/logchain/patterns"])", &out->patterns_dirs,
                     diagnostics);
      if (out->patterns_dirs.has_value()) {
        // Relative to the file, so that a configuration and its patterns move together.
        const std::filesystem::path base = std::filesystem::path(name).parent_path();
        for (std::string& dir : out->patterns_dirs->first) {
          if (!dir.empty() && std::filesystem::path(dir).is_relative()) dir = base / dir;
        }
      }
    } else {
      diagnostics.Error(Where(name, key.source()), "unknown setting '" + std::string(k) + "'" +
                                   DidYouMean(k, kTopLevelKeys),
                        "known settings: chain, json, default_level, default_logger, "
                        "max_line_bytes, jobs, metrics_listen, metrics_textfile, "
                        "metrics_routes, access_format, nginx_format, apache_format, "
                        "schema, patterns_dirs, [processors.NAME]");
    }
  }
  return diagnostics.problems().size() == problems_before;
}

}  // namespace

bool ParseConfigText(std::string_view text, const std::string& name, FileSettings* out,
                     Diagnostics& diagnostics) {
  try {
    toml::table root = toml::parse(text, name);
    return Interpret(root, name, out, diagnostics);
  } catch (const toml::parse_error& e) {
    diagnostics.Error(Where(name, e.source()), std::string(e.description()),
                      "the file must be TOML (https://toml.io)");
    return false;
  }
}

bool LoadConfigFile(const std::string& path, FileSettings* out, Diagnostics& diagnostics) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.Error(path, "cannot read the configuration file",
                      "check the path given to -c/--config");
    return false;
  }
  std::ostringstream content;
  content << in.rdbuf();
  return ParseConfigText(content.str(), path, out, diagnostics);
}

}  // namespace logchain

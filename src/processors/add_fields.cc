// add_fields: static fields, and values taken from environment variables at
// start-up (a pod's name and namespace through the Kubernetes downward API).
#include <cstdlib>

#include "processors/option_lists.h"
#include "processors/processor.h"

namespace logchain {
namespace {

class AddFields final : public Processor {
 public:
  AddFields(std::vector<std::pair<std::string, std::string>> fields, bool overwrite)
      : fields_(std::move(fields)), overwrite_(overwrite) {}

  Outcome Process(Record& record) noexcept override {
    Outcome outcome = Outcome::kNotApplicable;
    for (const auto& [key, value] : fields_) {
      if (overwrite_) {
        if (Field* f = record.FindField(key)) {
          f->value = Value::String(value);
          outcome = Outcome::kApplied;
          continue;
        }
      }
      if (AddIfMissing(record, key, Value::String(value)) == Outcome::kApplied) {
        outcome = Outcome::kApplied;
      }
    }
    return outcome;
  }

 private:
  // Owned here for the life of the chain; records hold views of them.
  const std::vector<std::pair<std::string, std::string>> fields_;
  const bool overwrite_;
};

// Expands ${NAME} and ${NAME:-default}; a lone '$' is literal.
bool Expand(const std::string& text, std::string* out, std::string* error) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 >= text.size() || text[i + 1] != '{') {
      out->push_back(text[i]);
      continue;
    }
    const size_t close = text.find('}', i + 2);
    if (close == std::string::npos) {
      *error = "'${' without a closing '}' in '" + text + "'";
      return false;
    }
    std::string name = text.substr(i + 2, close - i - 2);
    std::string fallback;
    bool has_fallback = false;
    if (const size_t dash = name.find(":-"); dash != std::string::npos) {
      fallback = name.substr(dash + 2);
      name.resize(dash);
      has_fallback = true;
    }
    if (name.empty()) {
      *error = "an empty variable name in '" + text + "'";
      return false;
    }
    const char* env = std::getenv(name.c_str());
    if (env != nullptr && (*env != '\0' || !has_fallback)) {
      out->append(env);
    } else if (has_fallback) {
      out->append(fallback);
    } else {
      *error = "the environment variable " + name + " is not set";
      return false;
    }
    i = close;
  }
  return true;
}

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues& options,
                                  const ProcessorContext&, std::string_view where,
                                  Diagnostics& diagnostics) {
  std::vector<std::pair<std::string, std::string>> raw;
  std::string error;
  if (!SplitPairs(options.Text("fields"), '=', &raw, &error)) {
    diagnostics.Error(std::string(where), "add_fields.fields: " + error,
                      "write NAME=VALUE pairs separated by commas, e.g. "
                      "add_fields.fields=pod=${POD_NAME},team=web");
    return nullptr;
  }
  if (raw.empty()) {
    diagnostics.Error(std::string(where), "add_fields needs at least one field",
                      "e.g. --set 'add_fields.fields=pod=${POD_NAME},namespace=${POD_NAMESPACE}'");
    return nullptr;
  }
  std::vector<std::pair<std::string, std::string>> fields;
  bool ok = true;
  for (auto& [key, value] : raw) {
    std::string expanded;
    if (!Expand(value, &expanded, &error)) {
      diagnostics.Error(std::string(where), "add_fields.fields: " + key + ": " + error,
                        "export it, or give a default: ${NAME:-default}");
      ok = false;
      continue;
    }
    fields.emplace_back(std::move(key), std::move(expanded));
  }
  if (!ok) return nullptr;
  return std::make_unique<AddFields>(std::move(fields), options.Bool("overwrite"));
}

constexpr OptionSpec kOptions[] = {
    {"fields", OptionType::kString, "",
     "NAME=VALUE pairs separated by commas; ${VAR} and ${VAR:-default} take environment "
     "variables at start-up; \\, is a literal comma (required)"},
    {"overwrite", OptionType::kBool, "false",
     "replace a field the chain already added under the same name (a JSON line's own "
     "members are never replaced)"},
};

constexpr Example kExamples[] = {
    {"Static fields, appended in order.", "add_fields", "add_fields.fields=service=shop,team=web",
     "hello", R"j({"event": "hello", "service": "shop", "team": "web"})j"},
    {"An unset variable with a default.", "add_fields",
     "add_fields.fields=namespace=${LOGCHAIN_EXAMPLE_UNSET:-default}", "hello",
     R"j({"event": "hello", "namespace": "default"})j"},
};

}  // namespace

extern const ProcessorDescriptor kAddFields = {
    .name = "add_fields",
    .summary = "add static fields and values of environment variables (pod, namespace)",
    .description =
        "Adds each NAME=VALUE of `fields` to every record, in order. ${VAR} in a value is "
        "the environment variable VAR, read once at start-up (in Kubernetes, expose the pod's "
        "name and namespace with the downward API: env POD_NAME from metadata.name); an unset "
        "variable is refused at start unless a default is given as ${VAR:-default}. A record "
        "that already has a field keeps it, unless `overwrite` is true.",
    .options = kOptions,
    .failures = {},
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

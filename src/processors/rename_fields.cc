// rename_fields: give fields the names a consumer expects, in place.
#include "processors/option_lists.h"
#include "processors/processor.h"

namespace logchain {
namespace {

class RenameFields final : public Processor {
 public:
  explicit RenameFields(std::vector<std::pair<std::string, std::string>> renames)
      : renames_(std::move(renames)) {}

  Outcome Process(Record& record) noexcept override {
    bool renamed = false;
    for (const auto& [from, to] : renames_) {
      renamed = record.RenameField(from, to) || renamed;
    }
    return renamed ? Outcome::kApplied : Outcome::kNotApplicable;
  }

 private:
  const std::vector<std::pair<std::string, std::string>> renames_;
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues& options,
                                  const ProcessorContext&, std::string_view where,
                                  Diagnostics& diagnostics) {
  std::vector<std::pair<std::string, std::string>> renames;
  std::string error;
  if (!SplitPairs(options.Text("fields"), ':', &renames, &error) || renames.empty()) {
    diagnostics.Error(std::string(where),
                      "rename_fields.fields: " + (error.empty() ? "no fields given" : error),
                      "write OLD:NEW pairs separated by commas, e.g. "
                      "rename_fields.fields=host:client_ip,agent:user_agent");
    return nullptr;
  }
  for (const auto& [from, to] : renames) {
    if (to.empty()) {
      diagnostics.Error(std::string(where), "rename_fields.fields: '" + from + "' has no new name",
                        "write OLD:NEW; to drop a field use remove_fields");
      return nullptr;
    }
  }
  return std::make_unique<RenameFields>(std::move(renames));
}

constexpr OptionSpec kOptions[] = {
    {"fields", OptionType::kString, "", "OLD:NEW pairs separated by commas (required)"},
};

constexpr Example kExamples[] = {
    {"Renamed fields keep their place.", "add_logger_name,parse_combined,rename_fields",
     "rename_fields.fields=host:client_ip,agent:user_agent",
     R"j(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/7.88.1")j",
     R"j({"event": "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/7.88.1\"", "logger": "gunicorn.access", "client_ip": "10.0.0.1", "user": null, "time": "15/Aug/2019:14:19:23 +0000", "request": "GET / HTTP/1.1", "status": 200, "size": 5, "referer": null, "user_agent": "curl/7.88.1"})j"},
};

}  // namespace

extern const ProcessorDescriptor kRenameFields = {
    .name = "rename_fields",
    .summary = "rename fields, keeping their place in the record",
    .description =
        "Renames each OLD:NEW of `fields`, in order, keeping the field's position; a field "
        "already named NEW is replaced. Applies to fields the chain added; a JSON object "
        "line's own members are written byte for byte and keep their names. For whole "
        "naming schemes (Elastic Common Schema, OpenTelemetry) use --schema instead.",
    .options = kOptions,
    .failures = {},
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

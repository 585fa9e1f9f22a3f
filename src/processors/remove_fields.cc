// remove_fields: drop fields the chain added (a record stays a record).
#include "processors/option_lists.h"
#include "processors/processor.h"

namespace logchain {
namespace {

class RemoveFields final : public Processor {
 public:
  explicit RemoveFields(std::vector<std::string> names) : names_(std::move(names)) {}

  Outcome Process(Record& record) noexcept override {
    bool removed = false;
    for (const std::string& name : names_) removed = record.RemoveField(name) || removed;
    return removed ? Outcome::kApplied : Outcome::kNotApplicable;
  }

 private:
  const std::vector<std::string> names_;
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues& options,
                                  const ProcessorContext&, std::string_view where,
                                  Diagnostics& diagnostics) {
  std::vector<std::string> names = SplitList(options.Text("fields"));
  if (names.empty()) {
    diagnostics.Error(std::string(where), "remove_fields needs at least one field name",
                      "e.g. --set remove_fields.fields=time,referer");
    return nullptr;
  }
  return std::make_unique<RemoveFields>(std::move(names));
}

constexpr OptionSpec kOptions[] = {
    {"fields", OptionType::kString, "", "field names separated by commas (required)"},
};

constexpr Example kExamples[] = {
    {"Keep the parsed fields, drop the raw line and the bracketed time.",
     "add_logger_name,parse_combined,remove_fields", "remove_fields.fields=event,time,user",
     R"j(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/7.88.1")j",
     R"j({"logger": "gunicorn.access", "host": "10.0.0.1", "request": "GET / HTTP/1.1", "status": 200, "size": 5, "referer": null, "agent": "curl/7.88.1"})j"},
};

}  // namespace

extern const ProcessorDescriptor kRemoveFields = {
    .name = "remove_fields",
    .summary = "remove fields by name",
    .description =
        "Removes every field named in `fields` that the chain added. A JSON object line's "
        "own members are written byte for byte and are not removed. Removing `event` from "
        "a parsed access line keeps only its parts; error notes (logchain_error) always stay.",
    .options = kOptions,
    .failures = {},
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

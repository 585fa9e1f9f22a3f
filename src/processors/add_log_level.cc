// add_log_level: structlog.stdlib.add_log_level, from outside the app.
//
// The simplest processor, and the one to copy when writing a new one
// (docs/HACKING.md): it reads what the line decoder recognised and adds one
// field unless the record already has it.
#include "processors/processor.h"
#include "record/fields.h"

namespace logchain {
namespace {

class AddLogLevel final : public Processor {
 public:
  Outcome Process(Record& record) noexcept override {
    return AddIfMissing(record, fields::kLevel, Value::String(record.origin().level));
  }
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues&,
                                  const ProcessorContext&, std::string_view, Diagnostics&) {
  return std::make_unique<AddLogLevel>();
}

constexpr Example kExamples[] = {
    {"A gunicorn error-log line gets its level, lower-cased as structlog writes it.",
     "add_log_level", "",
     "[2019-08-15 14:19:14 +0000] [30099] [WARNING] Worker exiting (pid: 30099)",
     R"j({"event": "Worker exiting (pid: 30099)", "level": "warning"})j"},
    {"An access line is logged at info, as gunicorn's access logger does.", "add_log_level", "",
     R"j(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/7.88.1")j",
     R"j({"event": "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/7.88.1\"", "level": "info"})j"},
    {"A JSON line that has a level keeps it.", "add_log_level", "",
     R"j({"event": "user logged in", "level": "debug"})j",
     R"j({"event": "user logged in", "level": "debug"})j"},
};

}  // namespace

extern const ProcessorDescriptor kAddLogLevel = {
    .name = "add_log_level",
    .summary = "add `level`: the line's level, lower-cased (info, warning, error, ...)",
    .description =
        "Adds `level` as structlog's add_log_level does: the level of a gunicorn error-log "
        "line lower-cased, `info` for an access line, and the input's default level "
        "(--default-level) for any other line. A record that already has `level` (a JSON "
        "line) keeps it.",
    .options = {},
    .failures = {},
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

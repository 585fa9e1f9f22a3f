// add_logger_name: structlog.stdlib.add_logger_name, from outside the app.
#include "processors/processor.h"
#include "record/fields.h"

namespace logchain {
namespace {

class AddLoggerName final : public Processor {
 public:
  Outcome Process(Record& record) noexcept override {
    return AddIfMissing(record, fields::kLogger, Value::String(record.origin().logger));
  }
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues&,
                                  const ProcessorContext&, std::string_view, Diagnostics&) {
  return std::make_unique<AddLoggerName>();
}

constexpr Example kExamples[] = {
    {"gunicorn's error log is the gunicorn.error logger.", "add_logger_name", "",
     "[2019-08-15 14:19:14 +0000] [30099] [INFO] Booting worker with pid: 30099",
     R"j({"event": "Booting worker with pid: 30099", "logger": "gunicorn.error"})j"},
    {"A line logchain does not recognise gets the default logger.", "add_logger_name", "",
     "hello from print()", R"j({"event": "hello from print()", "logger": "app"})j"},
};

}  // namespace

extern const ProcessorDescriptor kAddLoggerName = {
    .name = "add_logger_name",
    .summary = "add `logger`: gunicorn.error, gunicorn.access, or the default logger",
    .description =
        "Adds `logger` as structlog's add_logger_name does: `gunicorn.error` for gunicorn's "
        "error-log lines, `gunicorn.access` for access lines, and the input's default logger "
        "(--default-logger, `app` unless set) for any other line. A record that already has "
        "`logger` keeps it.",
    .options = {},
    .failures = {},
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

// keep_prefix: the parts of the line a parser took off its event, kept.
#include "processors/processor.h"
#include "record/fields.h"

namespace logchain {
namespace {

class KeepPrefix final : public Processor {
 public:
  Outcome Process(Record& record) noexcept override {
    const std::string_view* event = record.FindString(fields::kEvent);
    const std::string_view text = record.text();
    // Only an event that is a slice of the line itself has a place in it.
    if (event == nullptr || text.empty() || event->data() < text.data() ||
        event->data() + event->size() > text.data() + text.size()) {
      return Outcome::kNotApplicable;
    }
    const auto before = static_cast<size_t>(event->data() - text.data());
    const size_t after = before + event->size();
    bool applied = false;
    if (before != 0) {
      applied = AddIfMissing(record, fields::kPrefix, Value::String(text.substr(0, before))) ==
                Outcome::kApplied;
    }
    if (after != text.size() &&
        AddIfMissing(record, fields::kSuffix, Value::String(text.substr(after))) ==
            Outcome::kApplied) {
      applied = true;
    }
    return applied ? Outcome::kApplied : Outcome::kNotApplicable;
  }
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues&,
                                  const ProcessorContext&, std::string_view, Diagnostics&) {
  return std::make_unique<KeepPrefix>();
}

constexpr Example kExamples[] = {
    {"gunicorn's error-log prefix: the worker's pid and the time with its own UTC offset.",
     "keep_prefix", "", "[2019-08-15 14:19:14 +0200] [30099] [INFO] Booting worker with pid: 30099",
     R"j({"event": "Booting worker with pid: 30099", "logchain_prefix": "[2019-08-15 14:19:14 +0200] [30099] [INFO] "})j"},
    {"After a pattern whose `event` group is the message.", "parse_pattern,keep_prefix",
     "parse_pattern.pattern=klog",
     "I0815 14:19:23.123456   12345 main.go:42] Starting controller",
     R"j({"event": "Starting controller", "level": "info", "time": "0815 14:19:23.123456", "thread": 12345, "source": "main.go:42", "logchain_prefix": "I0815 14:19:23.123456   12345 main.go:42] "})j"},
    {"An access line's event is the whole line: nothing to keep.", "keep_prefix", "",
     R"(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8")",
     R"j({"event": "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8\""})j"},
};

}  // namespace

extern const ProcessorDescriptor kKeepPrefix = {
    .name = "keep_prefix",
    .summary = "keep the text before (and after) the event as `logchain_prefix` (`logchain_suffix`)",
    .description =
        "Keeps what a parser took off the line around its event, so that the line can be "
        "rebuilt exactly from the record: `logchain_prefix` + `event` + `logchain_suffix`. "
        "gunicorn's error-log lines lose their prefix (`[time] [pid] [LEVEL] `, with the "
        "worker's pid and the time's own UTC offset) in the seed-compatible output; with "
        "keep_prefix they keep it. Put it after any parse_pattern or parse_auto whose `event` "
        "group is the message. Records whose event is the whole line (access lines, plain "
        "lines) or not a slice of it (JSON lines, decoded text) get nothing.",
    .options = {},
    .failures = {},
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

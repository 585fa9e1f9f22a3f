// add_timestamp: structlog.processors.TimeStamper, with the event's own time.
#include "processors/processor.h"
#include "record/clock.h"
#include "record/fields.h"
#include "record/time_format.h"

namespace logchain {
namespace {

enum class Source : uint8_t { kAuto, kNow, kEvent };

class AddTimestamp final : public Processor {
 public:
  AddTimestamp(TimeFormat format, std::string key, Source source, const Clock* clock)
      : format_(std::move(format)),
        name_(std::move(key)),
        key_(name_),
        source_(source),
        clock_(clock) {}

  Outcome Process(Record& record) noexcept override {
    if (record.Has(key_)) return Outcome::kNotApplicable;
    const EventTime& own = record.origin().time;
    EventTime t;
    switch (source_) {
      case Source::kAuto:
        t = own.valid ? own : clock_->Now();
        break;
      case Source::kNow:
        t = clock_->Now();
        break;
      case Source::kEvent:
        if (!own.valid) return Outcome::kNotApplicable;
        t = own;
        break;
    }
    record.Add(key_, format_.Format(t));
    return Outcome::kApplied;
  }

 private:
  TimeFormat format_;
  std::string name_;
  fields::Key key_;  // name_, recognised once rather than on every record
  Source source_;
  const Clock* clock_;
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor& self, const OptionValues& options,
                                  const ProcessorContext& context, std::string_view where,
                                  Diagnostics& diagnostics) {
  TimeFormat format;
  std::string error;
  if (!TimeFormat::Create(options.Text("fmt"), options.Bool("utc"), &format, &error)) {
    diagnostics.Error(std::string(where),
                      std::string(self.name) + ".fmt '" + std::string(options.Text("fmt")) +
                          "' cannot be used: " + error,
                      "use a strftime format such as '%Y-%m-%d %H:%M:%S', or 'iso', or 'none'");
    return nullptr;
  }
  if (options.Text("key").empty()) {
    diagnostics.Error(std::string(where), std::string(self.name) + ".key is empty",
                      "name the field, e.g. key=timestamp");
    return nullptr;
  }
  const std::string_view source = options.Text("source");
  const Source s = source == "now" ? Source::kNow : source == "event" ? Source::kEvent : Source::kAuto;
  return std::make_unique<AddTimestamp>(std::move(format), std::string(options.Text("key")), s,
                                        context.clock);
}

constexpr std::string_view kSources[] = {"auto", "now", "event"};

constexpr OptionSpec kOptions[] = {
    {"fmt", OptionType::kString, "%Y-%m-%d %H:%M:%S",
     "strftime format (%f: microseconds), 'iso' for ISO 8601, or 'none' for a Unix float"},
    {"utc", OptionType::kBool, "true", "format in UTC (true) or in the local time zone"},
    {"key", OptionType::kString, "timestamp", "the field to add"},
    {"source", OptionType::kEnum, "auto",
     "auto: the line's own time when it has one, else now; now: the time of processing; "
     "event: only the line's own time (no field when it has none)",
     kSources},
};

constexpr Example kExamples[] = {
    {"An access line is stamped with its own time, in UTC, as the seed prints it.",
     "add_timestamp", "",
     R"j(10.0.0.1 - - [15/Aug/2019:16:19:23 +0200] "GET / HTTP/1.1" 200 5 "-" "curl/7.88.1")j",
     R"j({"event": "10.0.0.1 - - [15/Aug/2019:16:19:23 +0200] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/7.88.1\"", "timestamp": "2019-08-15 14:19:23"})j"},
    {"ISO 8601 with the Z suffix.", "add_timestamp", "add_timestamp.fmt=iso",
     "[2019-08-15 14:19:14 +0000] [30099] [INFO] Booting worker with pid: 30099",
     R"j({"event": "Booting worker with pid: 30099", "timestamp": "2019-08-15T14:19:14Z"})j"},
    {"A line without a time of its own gets the time of processing.", "add_timestamp",
     "add_timestamp.fmt=none", "hello",
     R"j({"event": "hello", "timestamp": 1565878770.0})j"},
};

}  // namespace

extern const ProcessorDescriptor kAddTimestamp = {
    .name = "add_timestamp",
    .summary = "add `timestamp`: the line's own time (else now), formatted like TimeStamper",
    .description =
        "Adds a timestamp as structlog's TimeStamper does, with the same `fmt` and `utc` "
        "options. Unlike TimeStamper inside an app, logchain may run long after the event "
        "(reprocessing last month's logs), so by default it stamps the event's own time "
        "from the line (gunicorn's error-log prefix or an access line's [time], converted "
        "to UTC) and the time of processing only for lines that carry none. A record that "
        "already has the key keeps it.",
    .options = kOptions,
    .failures = {},
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

// parse_combined: the seed's combined_logformat, exact where it works, and
// lenient where it raised and lost the line.
#include "processors/combined_parser.h"
#include "processors/processor.h"
#include "record/fields.h"

namespace logchain {
namespace {

constexpr std::string_view kName = "parse_combined";
constexpr std::string_view kNoEvent = "the record has no string event to parse";
constexpr std::string_view kNoMatch = "the event is not a combined-format access line";
constexpr std::string_view kBadSize = "the size field is not a number";

class ParseCombined final : public Processor {
 public:
  explicit ParseCombined(bool lenient) : lenient_(lenient) {}

  Outcome Process(Record& record) noexcept override {
    // The seed parses records whose logger is gunicorn.access; without a
    // logger field, a line recognised as an access line.
    const std::string_view* logger = record.FindString(fields::kLogger);
    const bool access = logger != nullptr ? *logger == fields::kGunicornAccess
                                          : record.origin().kind == LineKind::kGunicornAccess;
    if (!access) return Outcome::kNotApplicable;

    const std::string_view* event = record.FindString(fields::kEvent);
    if (event == nullptr) return Fail(record, kNoEvent);
    CombinedFields f;
    // An event that is the record's whole line may be known to hold no line
    // feed (as nearly every access line is).
    const bool single_line = record.text_is_single_line() &&
                             event->data() == record.text().data() &&
                             event->size() == record.text().size();
    bool seed = parser_.ParseSeed(*event, &f, single_line);
    if (!seed && !(lenient_ && parser_.ParseLenient(*event, &f))) return Fail(record, kNoMatch);

    // The seed's conversions: "-" user and referer become null, status and
    // size become integers (Python's int()), a "-" size is 0.
    Value status;
    Value size = Value::Int(0);
    if (!PythonInt(f.status, record.arena(), &status)) return Fail(record, kNoMatch);
    if (f.size != "-" && !PythonInt(f.size, record.arena(), &size)) return Fail(record, kBadSize);

    Put(record, fields::kHost, f.host.empty() ? Value::Null() : Value::String(f.host));
    Put(record, fields::kUser, f.user == "-" ? Value::Null() : Value::String(f.user));
    Put(record, fields::kTime, Value::String(f.time));
    Put(record, fields::kRequest, Value::String(f.request));
    Put(record, fields::kStatus, status);
    Put(record, fields::kSize, size);
    Put(record, fields::kReferer, f.referer == "-" ? Value::Null() : Value::String(f.referer));
    Put(record, fields::kAgent, Value::String(f.agent));
    return Outcome::kApplied;
  }

 private:
  static void Put(Record& record, fields::Key key, const Value& value) {
    AddIfMissing(record, key, value);
  }
  static Outcome Fail(Record& record, std::string_view reason) {
    record.AddError(kName, reason);
    return Outcome::kFailed;
  }

  CombinedParser parser_;
  bool lenient_;
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues& options,
                                  const ProcessorContext&, std::string_view, Diagnostics&) {
  return std::make_unique<ParseCombined>(options.Bool("lenient"));
}

constexpr OptionSpec kOptions[] = {
    {"lenient", OptionType::kBool, "true",
     "also parse what the seed's regex refuses: an empty host (gunicorn on a UNIX socket, "
     "written as null), a user containing spaces, an empty request"},
};

constexpr std::string_view kFailures[] = {kNoEvent, kNoMatch, kBadSize};

constexpr Example kExamples[] = {
    {"The seed's own example line.", "add_logger_name,parse_combined", "",
     R"j(10.96.78.6 - - [15/Aug/2019:14:19:23 +0000] "GET /metrics HTTP/1.1" 200 14134 "-" "Prometheus/2.11.0")j",
     R"j({"event": "10.96.78.6 - - [15/Aug/2019:14:19:23 +0000] \"GET /metrics HTTP/1.1\" 200 14134 \"-\" \"Prometheus/2.11.0\"", "logger": "gunicorn.access", "host": "10.96.78.6", "user": null, "time": "15/Aug/2019:14:19:23 +0000", "request": "GET /metrics HTTP/1.1", "status": 200, "size": 14134, "referer": null, "agent": "Prometheus/2.11.0"})j"},
    {"Quotes inside values stay escaped as gunicorn wrote them; a '-' size is 0.",
     "add_logger_name,parse_combined", "",
     R"j(::1 - bob [15/Aug/2019:14:19:23 +0000] "GET /?q=\"x\" HTTP/1.1" 304 - "https://example.com/" "Mozilla/5.0 \"quoted\"")j",
     R"j({"event": "::1 - bob [15/Aug/2019:14:19:23 +0000] \"GET /?q=\\\"x\\\" HTTP/1.1\" 304 - \"https://example.com/\" \"Mozilla/5.0 \\\"quoted\\\"\"", "logger": "gunicorn.access", "host": "::1", "user": "bob", "time": "15/Aug/2019:14:19:23 +0000", "request": "GET /?q=\\\"x\\\" HTTP/1.1", "status": 304, "size": 0, "referer": "https://example.com/", "agent": "Mozilla/5.0 \\\"quoted\\\""})j"},
    {"gunicorn on a UNIX socket prints an empty host; the seed loses such lines.",
     "add_logger_name,parse_combined", "",
     R"j( - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.0" 200 5 "-" "curl/7.88.1")j",
     R"j({"event": " - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.0\" 200 5 \"-\" \"curl/7.88.1\"", "logger": "gunicorn.access", "host": null, "user": null, "time": "15/Aug/2019:14:19:23 +0000", "request": "GET / HTTP/1.0", "status": 200, "size": 5, "referer": null, "agent": "curl/7.88.1"})j"},
    {"A line that is not an access line after all keeps its text and says why.",
     "add_logger_name,parse_combined", "",
     R"j(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200)j",
     R"j({"event": "10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.1\" 200", "logger": "gunicorn.access", "logchain_error": "parse_combined: the event is not a combined-format access line"})j"},
};

}  // namespace

extern const ProcessorDescriptor kParseCombined = {
    .name = "parse_combined",
    .summary = "split access lines into host, user, time, request, status, size, referer, agent",
    .description =
        "Splits a gunicorn.access record's event with the seed's combined_logformat regex, "
        "with Python's exact semantics, and its conversions: a '-' user or referer becomes "
        "null, status and size become integers (a '-' size is 0), quotes stay escaped as "
        "gunicorn wrote them. Where the seed raised and lost the line, parse_combined "
        "(lenient, the default) still parses an empty host and a user with spaces; a line "
        "that is not an access line at all keeps its text and gets a logchain_error note. "
        "Applies to records whose logger is gunicorn.access, or, without a logger field, "
        "to lines recognised as access lines.",
    .options = kOptions,
    .failures = kFailures,
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

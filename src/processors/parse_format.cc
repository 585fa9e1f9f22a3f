// parse_format: access lines in the format the user already configured in
// gunicorn (access_log_format), nginx (log_format) or Apache (LogFormat),
// compiled into a parser (patterns/log_format.h) at start.
#include "patterns/log_format.h"
#include "processors/processor.h"
#include "record/fields.h"

namespace logchain {
namespace {

constexpr std::string_view kName = "parse_format";
constexpr std::string_view kNoEvent = "the record has no string event to parse";
constexpr std::string_view kNoMatch = "the event does not match the configured access format";

class ParseFormat final : public Processor {
 public:
  ParseFormat(std::shared_ptr<const CompiledFormat> format, bool decode)
      : format_(std::move(format)), decode_(decode) {}

  Outcome Process(Record& record) noexcept override {
    // Records of this format's logger: lines the decoder recognised by this
    // format (or, for gunicorn, by the default format's shape), and JSON
    // records that name the logger.
    const std::string_view* logger = record.FindString(fields::kLogger);
    const std::string_view own = logger != nullptr ? *logger : record.origin().logger;
    if (own != format_->logger()) return Outcome::kNotApplicable;

    const std::string_view* event = record.FindString(fields::kEvent);
    if (event == nullptr) return Fail(record, kNoEvent);
    // The decoder's match, when the event is the line it matched.
    const bool matched =
        record.origin().format_groups != nullptr && event->data() == record.text().data() &&
                event->size() == record.text().size()
            ? format_->Convert(record.origin().format_groups, record.arena(), decode_, &matched_)
            : format_->Parse(*event, record.arena(), decode_, &matched_);
    if (!matched) return Fail(record, kNoMatch);
    for (const MatchedField& f : matched_) AddIfMissing(record, f.name, f.value);
    return Outcome::kApplied;
  }

 private:
  static Outcome Fail(Record& record, std::string_view reason) {
    record.AddError(kName, reason);
    return Outcome::kFailed;
  }

  std::shared_ptr<const CompiledFormat> format_;
  bool decode_;
  std::vector<MatchedField> matched_;  // reused: views into the record
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues& options,
                                  const ProcessorContext& context, std::string_view where,
                                  Diagnostics& diagnostics) {
  const std::string_view server = options.Text("server");
  const std::string_view text = options.Text("format");
  LogFormatKind kind = LogFormatKind::kGunicorn;
  const char* flag = "--access-format";
  if (server == "nginx") {
    kind = LogFormatKind::kNginx;
    flag = "--nginx-format";
  } else if (server == "apache") {
    kind = LogFormatKind::kApache;
    flag = "--apache-format";
  }
  if (text.empty()) {
    diagnostics.Error(std::string(where), "parse_format has no format to parse",
                      std::string("give the server's format string with ") + flag +
                          " (or parse_format's format option)");
    return nullptr;
  }
  LogFormatError error;
  std::shared_ptr<const CompiledFormat> format = CompiledFormat::Compile(kind, text, &error);
  if (format == nullptr) {
    diagnostics.Error(std::string(where),
                      "the " + std::string(server) + " format cannot be compiled: column " +
                          std::to_string(error.column) + ": " + error.reason,
                      // The string with a caret under the column ("  hint: " and
                      // "in: " come before it).
                      "in: " + std::string(text) + "\n" +
                          std::string(8 + 4 + error.column - 1, ' ') + "^");
    return nullptr;
  }
  if (context.access_formats != nullptr) context.access_formats->push_back(format);
  return std::make_unique<ParseFormat>(std::move(format), options.Bool("decode"));
}

constexpr std::string_view kServers[] = {"gunicorn", "nginx", "apache"};

constexpr OptionSpec kOptions[] = {
    {"server", OptionType::kEnum, "gunicorn",
     "whose format string it is: gunicorn (access_log_format), nginx (log_format) or apache "
     "(LogFormat)",
     kServers},
    {"format", OptionType::kString, "",
     "the format string as written in the server's configuration (--access-format, "
     "--nginx-format and --apache-format set it)"},
    {"decode", OptionType::kBool, "false",
     "undo the server's escaping in text fields (gunicorn \\\", nginx \\xHH, Apache \\\" \\\\ "
     "\\xHH); by default text is kept as the server wrote it, as the seed keeps it"},
};

constexpr std::string_view kFailures[] = {kNoEvent, kNoMatch};

constexpr Example kExamples[] = {
    {"An nginx log_format with the request time, pipe-separated; '-' is null.",
     "add_logger_name,parse_format",
     "parse_format.server=nginx "
     "parse_format.format=$remote_addr|$time_iso8601|$status|$request_time|$upstream_response_time|$http_x_forwarded_for",
     "2001:db8::7|2019-08-15T14:19:23+00:00|200|0.013|0.012|-",
     R"j({"event": "2001:db8::7|2019-08-15T14:19:23+00:00|200|0.013|0.012|-", "logger": "nginx.access", "host": "2001:db8::7", "time": "2019-08-15T14:19:23+00:00", "status": 200, "request_time": 0.013, "upstream_response_time": 0.012, "http_x_forwarded_for": null})j"},
    {"gunicorn's durations and pid as numbers, with their units in their names.",
     "add_logger_name,parse_format",
     "parse_format.format=%(h)s|%(s)s|%(D)s|%(M)s|%(L)s|%(p)s",
     "10.0.0.5|503|1503020|1503|1.503020|<4242>",
     R"j({"event": "10.0.0.5|503|1503020|1503|1.503020|<4242>", "logger": "gunicorn.access", "host": "10.0.0.5", "status": 503, "request_time_us": 1503020, "request_time_ms": 1503, "request_time": 1.50302, "pid": 4242})j"},
    {"Apache's \\\" escapes are undone on request; a line of another shape says why.",
     "add_logger_name,parse_format",
     "parse_format.server=apache parse_format.format=%>s|\"%{User-Agent}i\" parse_format.decode=true",
     R"j(200|"Mozilla/5.0 \"x\" \\o/")j",
     R"j({"event": "200|\"Mozilla/5.0 \\\"x\\\" \\\\o/\"", "logger": "apache.access", "status": 200, "agent": "Mozilla/5.0 \"x\" \\o/"})j"},
};

}  // namespace

extern const ProcessorDescriptor kParseFormat = {
    .name = "parse_format",
    .summary = "split access lines by the server's own format string (gunicorn, nginx, Apache)",
    .description =
        "Compiles a gunicorn access_log_format, nginx log_format or Apache LogFormat string "
        "into a parser at start (a string that cannot be compiled is refused, with the column "
        "and the reason) and splits every line of that format into typed fields: durations "
        "as numbers with their unit in the name (request_time_us, request_time_ms, "
        "request_time in seconds), status, sizes and pids as integers, '-' as null; the "
        "fields combined lines share keep parse_combined's names and values (docs/formats.md "
        "lists every field). Lines of the format are access lines: logger gunicorn.access, "
        "nginx.access or apache.access, level info, and their own time. "
        "--access-format, --nginx-format and --apache-format put it in the chain in place "
        "of parse_combined.",
    .options = kOptions,
    .failures = kFailures,
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

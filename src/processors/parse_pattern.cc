// parse_pattern: split a record's text with one named pattern from the
// pattern library (patterns/, --patterns-dir).
#include "patterns/library.h"
#include "processors/pattern_fields.h"
#include "processors/processor.h"

namespace logchain {
namespace {

constexpr std::string_view kName = "parse_pattern";

class ParsePattern final : public Processor {
 public:
  ParsePattern(std::shared_ptr<const PatternLibrary> library, const NamedPattern* pattern,
               std::string field, bool decode)
      : library_(std::move(library)),
        pattern_(pattern),
        field_(std::move(field)),
        decode_(decode),
        reason_("the " + (field_.empty() ? std::string("line") : field_) +
                " does not match pattern '" + pattern->name + "'") {}

  Outcome Process(Record& record) noexcept override {
    std::string_view text;
    if (!PatternInput(record, field_, &text)) return Outcome::kNotApplicable;
    if (!pattern_->Parse(text, record.arena(), decode_, &matched_)) {
      record.AddError(kName, reason_);
      return Outcome::kFailed;
    }
    CommitMatchedFields(record, field_, matched_);
    return Outcome::kApplied;
  }

 private:
  std::shared_ptr<const PatternLibrary> library_;
  const NamedPattern* pattern_;
  const std::string field_;
  const bool decode_;
  const std::string reason_;
  std::vector<MatchedField> matched_;  // reused scratch
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues& options,
                                  const ProcessorContext& context, std::string_view where,
                                  Diagnostics& diagnostics) {
  const std::string name(options.Text("pattern"));
  if (context.patterns == nullptr) {
    diagnostics.Error(std::string(where), "no pattern library in this context",
                      "build the chain through Engine::Create");
    return nullptr;
  }
  std::shared_ptr<const PatternLibrary> library = context.patterns->Get(diagnostics);
  if (library == nullptr) return nullptr;
  const NamedPattern* info = library->Find(name);
  if (info == nullptr) {
    const std::vector<std::string_view> names = library->Names();
    std::string listed;
    for (std::string_view n : names) listed.append(listed.empty() ? "" : ", ").append(n);
    diagnostics.Error(std::string(where),
                      name.empty() ? "parse_pattern needs a pattern name"
                                   : "no pattern named '" + name + "'" + DidYouMean(name, names),
                      "--set parse_pattern.pattern=NAME; patterns: " + listed);
    return nullptr;
  }
  return std::make_unique<ParsePattern>(library, info,
                                        std::string(options.Text("field")),
                                        options.Bool("decode"));
}

constexpr OptionSpec kOptions[] = {
    {"pattern", OptionType::kString, "", "the pattern's name (docs/patterns.md) (required)"},
    {"field", OptionType::kString, "",
     "the string field to parse; empty: the line as read (JSON object lines are left alone)"},
    {"decode", OptionType::kBool, "false",
     "undo the server's escaping in fields whose pattern declares it (\\\" and \\xHH)"},
};

constexpr std::string_view kFailures[] = {"the line does not match pattern 'NAME'",
                                          "the FIELD does not match pattern 'NAME'"};

constexpr Example kExamples[] = {
    {"An nginx error-log line.", "parse_pattern", "parse_pattern.pattern=nginx_error",
     R"j(2019/08/15 14:19:23 [error] 31#31: *7 open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory), client: 10.0.0.5, server: localhost, request: "GET /favicon.ico HTTP/1.1", host: "localhost")j",
     R"j({"event": "open() \"/usr/share/nginx/html/favicon.ico\" failed (2: No such file or directory), client: 10.0.0.5, server: localhost, request: \"GET /favicon.ico HTTP/1.1\", host: \"localhost\"", "time": "2019/08/15 14:19:23", "level": "error", "pid": 31, "tid": 31, "connection": 7})j"},
    {"Python's logging default format; the level and logger come from the line.",
     "parse_pattern,add_log_level,add_logger_name", "parse_pattern.pattern=python_logging",
     "WARNING:app.payments:card declined",
     R"j({"event": "card declined", "level": "warning", "logger": "app.payments"})j"},
    {"A line the pattern does not fit keeps its text and says why.", "parse_pattern",
     "parse_pattern.pattern=python_logging", "hello",
     R"j({"event": "hello", "logchain_error": "parse_pattern: the line does not match pattern 'python_logging'"})j"},
};

}  // namespace

extern const ProcessorDescriptor kParsePattern = {
    .name = "parse_pattern",
    .summary = "split a line with a named pattern (nginx, Apache, syslog, klog, ...)",
    .description =
        "Matches the line as read (or, with `field`, a string field) against one pattern of "
        "the library: the shipped patterns (docs/patterns.md) and the user's "
        "(--patterns-dir). Each named group becomes a field with its declared type, unless "
        "the record has it already; a group named `event` replaces the event text (the "
        "message without its prefix). Put parse_pattern before add_log_level and "
        "add_logger_name so that the line's own `level` and `logger` win. JSON object lines, "
        "and records without the field, are left alone; a text that does not match keeps "
        "its fields and gets an error note. With decode, the escaping a field's pattern "
        "declares (Apache's \\\" and \\\\, nginx's \\xHH) is undone.",
    .options = kOptions,
    .failures = kFailures,
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

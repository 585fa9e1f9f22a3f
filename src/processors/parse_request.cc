// parse_request: split an access line's `request` ("GET /a?b=1 HTTP/1.1")
// into method, path, query and protocol.
#include "processors/processor.h"
#include "record/fields.h"

namespace logchain {
namespace {

constexpr std::string_view kName = "parse_request";
constexpr std::string_view kNotRequest = "the request is not METHOD TARGET [PROTOCOL]";

// RFC 9110 token characters, which a method consists of.
bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

class ParseRequest final : public Processor {
 public:
  explicit ParseRequest(std::string field) : field_(std::move(field)) {}

  Outcome Process(Record& record) noexcept override {
    const std::string_view* request = record.FindString(field_);
    if (request == nullptr || request->empty() || *request == "-") return Outcome::kNotApplicable;
    const std::string_view r = *request;
    const size_t space = r.find(' ');
    if (space == 0 || space == std::string_view::npos || space + 1 >= r.size()) {
      return Fail(record);
    }
    const std::string_view method = r.substr(0, space);
    for (char c : method) {
      if (!IsTokenChar(c)) return Fail(record);
    }
    std::string_view target = r.substr(space + 1);
    std::string_view protocol;
    const size_t last = target.rfind(' ');
    if (last != std::string_view::npos && target.substr(last + 1).starts_with("HTTP/")) {
      protocol = target.substr(last + 1);
      target = target.substr(0, last);
    }
    if (target.empty()) return Fail(record);
    const size_t question = target.find('?');
    const std::string_view path = target.substr(0, question);
    AddIfMissing(record, fields::kMethod, Value::String(method));
    AddIfMissing(record, fields::kPath, Value::String(path));
    AddIfMissing(record, fields::kQuery,
                 question == std::string_view::npos ? Value::Null()
                                                    : Value::String(target.substr(question + 1)));
    AddIfMissing(record, fields::kProtocol,
                 protocol.empty() ? Value::Null() : Value::String(protocol));
    return Outcome::kApplied;
  }

 private:
  static Outcome Fail(Record& record) {
    record.AddError(kName, kNotRequest);
    return Outcome::kFailed;
  }
  const std::string field_;
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues& options,
                                  const ProcessorContext&, std::string_view, Diagnostics&) {
  return std::make_unique<ParseRequest>(std::string(options.Text("field")));
}

constexpr OptionSpec kOptions[] = {
    {"field", OptionType::kString, "request", "the field holding the request line"},
};

constexpr std::string_view kFailures[] = {kNotRequest};

constexpr Example kExamples[] = {
    {"Method, path, query (without '?') and protocol.",
     "add_logger_name,parse_combined,parse_request,remove_fields",
     "remove_fields.fields=event,host,user,time,status,size,referer,agent",
     R"j(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET /search?q=shoes&page=2 HTTP/1.1" 200 5 "-" "curl/7.88.1")j",
     R"j({"logger": "gunicorn.access", "request": "GET /search?q=shoes&page=2 HTTP/1.1", "method": "GET", "path": "/search", "query": "q=shoes&page=2", "protocol": "HTTP/1.1"})j"},
    {"No query string: query is null. HTTP/0.9 has no protocol: null too.",
     "add_logger_name,parse_combined,parse_request,remove_fields",
     "remove_fields.fields=event,host,user,time,status,size,referer,agent",
     R"j(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET /" 200 5 "-" "curl/7.88.1")j",
     R"j({"logger": "gunicorn.access", "request": "GET /", "method": "GET", "path": "/", "query": null, "protocol": null})j"},
    {"A TLS handshake sent to a plain-HTTP port is not a request.",
     "add_logger_name,parse_combined,parse_request,remove_fields",
     "remove_fields.fields=event,host,user,time,status,size,referer,agent",
     R"j(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "\x16\x03\x01\x00\xa5\x01" 400 0 "-" "-")j",
     R"j({"logger": "gunicorn.access", "request": "\\x16\\x03\\x01\\x00\\xa5\\x01", "logchain_error": "parse_request: the request is not METHOD TARGET [PROTOCOL]"})j"},
};

}  // namespace

extern const ProcessorDescriptor kParseRequest = {
    .name = "parse_request",
    .summary = "split `request` into method, path, query and protocol",
    .description =
        "Splits the request line (`field`, default `request`, as parse_combined or a "
        "pattern produces it) into `method`, `path`, `query` (the text after the first '?', "
        "null when there is none) and `protocol` (null for an HTTP/0.9 request without one). "
        "Values keep the server's escaping, as the request field does. An empty or '-' "
        "request is left alone; anything else that is not METHOD TARGET [PROTOCOL] keeps "
        "its fields and gets an error note.",
    .options = kOptions,
    .failures = kFailures,
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

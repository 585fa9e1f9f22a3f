// keep_where: keep only records that match a condition; the others are
// dropped and counted. The condition language is drop_where's (condition.h).
#include "processors/condition.h"
#include "processors/processor.h"

namespace logchain {
namespace {

std::unique_ptr<Processor> Create(const ProcessorDescriptor& self, const OptionValues& options,
                                  const ProcessorContext&, std::string_view where,
                                  Diagnostics& diagnostics) {
  return CreateConditionFilter(FilterSense::kKeepMatches, "level >= warning or status >= 500", self,
                               options, where, diagnostics);
}

constexpr OptionSpec kOptions[] = {
    {"when", OptionType::kString, "",
     "the condition (drop_where's syntax); records that do not match it are dropped "
     "(required)"},
};

constexpr Example kExamples[] = {
    {"Keep warnings and worse, and failed requests.",
     "add_log_level,add_logger_name,parse_combined,keep_where",
     "keep_where.when=level>=warning||status>=500",
     "[2019-08-15 14:19:14 +0000] [30099] [INFO] Booting worker with pid: 30099\n"
     "10.0.0.9 - - [15/Aug/2019:14:19:25 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/7.88.1\"\n"
     "10.0.0.9 - - [15/Aug/2019:14:19:26 +0000] \"POST /pay HTTP/1.1\" 502 0 \"-\" \"curl/7.88.1\"",
     R"j({"event": "10.0.0.9 - - [15/Aug/2019:14:19:26 +0000] \"POST /pay HTTP/1.1\" 502 0 \"-\" \"curl/7.88.1\"", "level": "info", "logger": "gunicorn.access", "host": "10.0.0.9", "user": null, "time": "15/Aug/2019:14:19:26 +0000", "request": "POST /pay HTTP/1.1", "status": 502, "size": 0, "referer": null, "agent": "curl/7.88.1"})j"},
};

}  // namespace

extern const ProcessorDescriptor kKeepWhere = {
    .name = "keep_where",
    .summary = "keep only records that match a condition; drop (and count) the rest",
    .description =
        "Keeps the records that match the condition in `when` and drops the others, "
        "counted as dropped (--stats). The condition syntax is drop_where's "
        "(logchain --describe drop_where): FIELD OP VALUE joined with and / or, not, "
        "parentheses, `exists`; level thresholds compare severities.",
    .options = kOptions,
    .failures = {},
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

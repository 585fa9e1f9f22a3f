// drop_where: remove records that match a condition (health checks, metric
// scrapes), counted as dropped. The condition language is in condition.h;
// keep_where is the same with the opposite sense.
#include "processors/condition.h"
#include "processors/processor.h"

namespace logchain {
namespace {

std::unique_ptr<Processor> Create(const ProcessorDescriptor& self, const OptionValues& options,
                                  const ProcessorContext&, std::string_view where,
                                  Diagnostics& diagnostics) {
  return CreateConditionFilter(FilterSense::kDropMatches, "path == /healthz or path ^= /metrics",
                               self, options, where, diagnostics);
}

constexpr OptionSpec kOptions[] = {
    {"when", OptionType::kString, "",
     "the condition; records that match it are dropped (required)"},
};

constexpr Example kExamples[] = {
    {"Drop Kubernetes probes and Prometheus scrapes; other requests go on.",
     "add_logger_name,parse_combined,parse_request,drop_where",
     "drop_where.when=path==/healthz||path^=/metrics",
     "10.0.0.7 - - [15/Aug/2019:14:19:23 +0000] \"GET /metrics HTTP/1.1\" 200 14134 \"-\" \"Prometheus/2.11.0\"\n"
     "10.0.0.8 - - [15/Aug/2019:14:19:24 +0000] \"GET /healthz HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.27\"\n"
     "10.0.0.9 - - [15/Aug/2019:14:19:25 +0000] \"GET /app?x=1 HTTP/1.1\" 200 5 \"-\" \"curl/7.88.1\"",
     R"j({"event": "10.0.0.9 - - [15/Aug/2019:14:19:25 +0000] \"GET /app?x=1 HTTP/1.1\" 200 5 \"-\" \"curl/7.88.1\"", "logger": "gunicorn.access", "host": "10.0.0.9", "user": null, "time": "15/Aug/2019:14:19:25 +0000", "request": "GET /app?x=1 HTTP/1.1", "status": 200, "size": 5, "referer": null, "agent": "curl/7.88.1", "method": "GET", "path": "/app", "query": "x=1", "protocol": "HTTP/1.1"})j"},
    {"A level threshold: drop debug and info records.", "add_log_level,drop_where",
     "drop_where.when=level<warning",
     "[2019-08-15 14:19:14 +0000] [30099] [INFO] Booting worker with pid: 30099\n"
     "[2019-08-15 14:19:15 +0000] [30099] [WARNING] Worker exiting (pid: 30099)",
     R"j({"event": "Worker exiting (pid: 30099)", "level": "warning"})j"},
};

}  // namespace

extern const ProcessorDescriptor kDropWhere = {
    .name = "drop_where",
    .summary = "drop records that match a condition (health checks, scrapes, low levels)",
    .description =
        "Drops every record that matches the condition in `when`; dropped records are "
        "counted (--stats) and the rest of the chain does not run for them. A condition "
        "compares fields as processors see them (seed names: host, status, level, path, "
        "agent, ...): `FIELD OP VALUE`, joined with `and` / `or` (`and` binds tighter), "
        "negated with `not`, grouped with parentheses; `FIELD exists` tests presence. "
        "Operators: == != < <= > >= ^= (starts with) $= (ends with) *= (contains) =~ "
        "(RE2 search) !~ (no RE2 match). A VALUE is a bare word (up to a space, a parenthesis, "
        "|| or &&) or quoted with \" or ' (backslash escapes the quote): quote regexes that "
        "hold spaces or parentheses. `level` with < <= > >= compares severities (debug < "
        "info < warning < error < critical); other < <= > >= compare numbers. == compares "
        "numbers numerically and text exactly; `null`, `true` and `false` match JSON null "
        "and booleans. A missing field makes a comparison false, except != and !~, which "
        "are the negations of == and =~. `||` and `&&` may be written for `or` and `and` "
        "when no spaces are wanted. Mistakes are refused at start with the column.",
    .options = kOptions,
    .failures = {},
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

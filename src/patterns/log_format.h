// Log format strings compiled into parsers: the access-log format a user
// already has in gunicorn.conf.py (access_log_format), nginx.conf (log_format)
// or httpd.conf (LogFormat) becomes a Pattern (RE2 with named groups and
// typed fields), so that no user has to write a regex for their access log.
//
// On a line's path: the line decoder recognises an access line of a
// configured format (CompiledFormat::Recognize: logger, level "info", the
// event time), then the parse_format processor splits it into fields
// (CompiledFormat::Parse). Field names, types and units are documented in
// docs/formats.md; the names shared with parse_combined (host, user, time,
// request, status, size, referer, agent) carry the same values, so a format
// equal to gunicorn's default gives parse_combined's output.
#ifndef LOGCHAIN_PATTERNS_LOG_FORMAT_H_
#define LOGCHAIN_PATTERNS_LOG_FORMAT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/arena.h"
#include "patterns/pattern.h"
#include "record/record.h"

namespace logchain {

enum class LogFormatKind : uint8_t {
  kGunicorn,  // access_log_format: %(h)s %({header}i)s ...
  kNginx,     // log_format: $remote_addr [$time_local] ...
  kApache,    // LogFormat: %h %l %u %t \"%r\" %>s %b ...
};

/// "gunicorn", "nginx", "apache".
std::string_view LogFormatKindName(LogFormatKind kind);
/// The logger of access lines of this kind: "gunicorn.access", "nginx.access",
/// "apache.access".
std::string_view AccessLogger(LogFormatKind kind);

/// Why a format string does not compile: the 1-based column in the string as
/// given, and the reason (with the fix, where there is one).
struct LogFormatError {
  size_t column = 0;
  std::string reason;
};

class CompiledFormat {
 public:
  /// How a field's text becomes a value beyond its FieldSpec.
  enum class Post : uint8_t {
    kNone,
    kGunicornQuotes,  // decoding undoes gunicorn's only escape: \" -> "
    kNumberOrText,    // nginx upstream times: a number when it is one, else text
    kIntOrNone,       // gunicorn %(B)s: an integer, or "None" -> null
  };
  enum class TimeSyntax : uint8_t { kNone, kClf, kIso8601 };

  /// Compiles `format` (the string as written in the server's configuration;
  /// an outer pair of quotes with their escapes is undone). Null with *error
  /// set when it cannot be compiled.
  static std::unique_ptr<CompiledFormat> Compile(LogFormatKind kind, std::string_view format,
                                                 LogFormatError* error);
  ~CompiledFormat();

  LogFormatKind kind() const { return kind_; }
  std::string_view logger() const { return AccessLogger(kind_); }
  const Pattern& pattern() const { return *pattern_; }

  /// Whether `line` is a whole access line of this format. Sets *groups to
  /// each field's text (an array of pattern().fields().size() views into
  /// line, in arena; null data where an optional field is absent) and
  /// *time_text to the event time's text (see time_syntax()), empty when the
  /// format has none. Thread-safe.
  bool Recognize(std::string_view line, Arena& arena, const std::string_view** groups,
                 std::string_view* time_text) const;
  TimeSyntax time_syntax() const { return time_syntax_; }

  /// Splits `line` into typed fields (views into line or arena), in format
  /// order. `decode` undoes the server's escaping in text fields. False when
  /// the line does not match or a typed field does not convert. Thread-safe.
  bool Parse(std::string_view line, Arena& arena, bool decode,
             std::vector<MatchedField>* out) const;
  /// The same from the groups Recognize() found.
  bool Convert(const std::string_view* groups, Arena& arena, bool decode,
               std::vector<MatchedField>* out) const;

 private:
  CompiledFormat() = default;

  LogFormatKind kind_ = LogFormatKind::kGunicorn;
  std::unique_ptr<Pattern> pattern_;
  int time_field_ = -1;                    // index into pattern fields
  std::vector<Post> post_;                // per pattern field
  TimeSyntax time_syntax_ = TimeSyntax::kNone;
};

}  // namespace logchain

#endif  // LOGCHAIN_PATTERNS_LOG_FORMAT_H_

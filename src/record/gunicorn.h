// Recognising gunicorn's plain output.
//
// gunicorn writes two kinds of lines with its default configuration
// (gunicorn/glogging.py):
//  - error log: "%(asctime)s [%(process)d] [%(levelname)s] %(message)s" with
//    datefmt "[%Y-%m-%d %H:%M:%S %z]", e.g.
//    "[2019-08-15 14:19:14 +0000] [30099] [INFO] Booting worker with pid: 30099";
//  - access log: the bare message in the combined format, whose %(t)s is
//    "[15/Aug/2019:14:19:23 +0000]".
// These functions only look at shape; parse_combined splits access lines.
#ifndef LOGCHAIN_RECORD_GUNICORN_H_
#define LOGCHAIN_RECORD_GUNICORN_H_

#include <cstdint>
#include <string_view>

#include "record/record.h"

namespace logchain::gunicorn {

struct ErrorLine {
  std::string_view time_text;   // "2019-08-15 14:19:14 +0000"
  std::string_view level_name;  // "INFO", as printed
  std::string_view message;     // everything after "] "
};

/// True when line starts with gunicorn's error-log prefix.
bool ParseErrorLine(std::string_view line, ErrorLine* out);

/// When line has the shape of an access line (a "[dd/Mon/yyyy:HH:MM:SS
/// +zzzz]" field, preceded by whitespace or at the start, followed by
/// whitespace and a '"'), sets *time_text to the text inside the brackets.
bool FindAccessTime(std::string_view line, std::string_view* time_text);

/// Parses gunicorn's two time formats into UTC. Remembers the last text it
/// parsed, so a stream where every line of a second shares a time costs one
/// comparison per line. Out-of-range fields give an invalid EventTime.
class TimeParser {
 public:
  EventTime ParseErrorTime(std::string_view text);   // "2019-08-15 14:19:14 +0000"
  EventTime ParseAccessTime(std::string_view text);  // "15/Aug/2019:14:19:23 +0000"

 private:
  struct Cache {
    char text[32] = {};
    size_t size = 0;
    EventTime time;
  };
  static EventTime Lookup(std::string_view text, Cache& cache,
                          EventTime (*parse)(std::string_view));
  Cache error_cache_;
  Cache access_cache_;
};

}  // namespace logchain::gunicorn

#endif  // LOGCHAIN_RECORD_GUNICORN_H_

// Line decoder: the first step of a line's path, line -> Record.
//
// It recognises what the line is and fills the record as structlog's
// ProcessorFormatter fills its event dict for a stdlib LogRecord: the event
// text, plus the level, logger and time that processors such as
// add_log_level and add_timestamp turn into fields.
//  - One JSON object: kept as is; level and logger default.
//  - gunicorn's error-log prefix: event = the message, level = the level
//    lower-cased, logger = "gunicorn.error", time from the prefix.
//  - A line of a configured access format (--access-format, ...): event =
//    the line, level = "info", logger = the format's, time from its time field.
//  - The shape of an access line: event = the line, level = "info",
//    logger = "gunicorn.access", time from the bracketed field.
//  - Anything else: event = the line, with the configured defaults.
// Bytes that are not UTF-8 are sanitised here, once, for everything after.
#ifndef LOGCHAIN_RECORD_LINE_DECODER_H_
#define LOGCHAIN_RECORD_LINE_DECODER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "patterns/log_format.h"
#include "record/gunicorn.h"
#include "record/json_object.h"
#include "record/record.h"

namespace logchain {

struct DecoderOptions {
  /// Level and logger for a line logchain does not recognise (a print() from
  /// the application, an unknown format) and for a JSON line without them.
  std::string default_level = "info";
  std::string default_logger = "app";
  /// Access-log formats the user configured (--access-format, --nginx-format,
  /// --apache-format), tried in order on every line that is neither JSON nor
  /// a gunicorn error line: a line one of them matches is an access line of
  /// that format's logger (parse_format splits it).
  std::vector<std::shared_ptr<const CompiledFormat>> access_formats;
};

class LineDecoder {
 public:
  explicit LineDecoder(DecoderOptions options);

  /// Builds the record for one line. `padded`: JsonObjectDecoder::kPadding
  /// bytes after the line are readable. `access_time`, when not empty, is
  /// what gunicorn::FindAccessTime already found in line (it is not looked
  /// for again).
  void Decode(std::string_view line, bool padded, Record& record,
              std::string_view access_time = {});

  /// Builds the record for piece `number` (from 1) of a line longer than the
  /// maximum line length. Pieces are plain text, never parsed.
  void DecodePart(std::string_view piece, uint32_t number, bool last, Record& record);

  /// Builds the record for a traceback that follows no record it could fold
  /// into: event = its final exception line (`summary`, or the first line
  /// when it has none), level "error", and the whole text as continuation.
  void DecodeTraceback(std::string_view first_line, std::string_view rest,
                       std::string_view summary, Record& record);

  /// Attaches the lines folded into a record (joined by "\n"), sanitised,
  /// and extends the record's raw bytes when anything was not UTF-8.
  void AttachContinuation(std::string_view continuation, Record& record);

  const DecoderOptions& options() const { return options_; }

 private:
  void Begin(std::string_view line, Record& record);
  void DecodeAccess(std::string_view text, std::string_view access_time, Record& record);
  bool DecodeFormatAccess(std::string_view text, Record& record);

  DecoderOptions options_;
  JsonObjectDecoder json_;
  gunicorn::TimeParser times_;
};

/// structlog's spelling of a stdlib level name: lower-case, "warn" as
/// "warning". Common names map to static strings; others are copied into arena.
std::string_view LevelFromName(std::string_view name, Arena& arena);

}  // namespace logchain

#endif  // LOGCHAIN_RECORD_LINE_DECODER_H_

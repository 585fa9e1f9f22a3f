#include "record/line_decoder.h"

#include <cstring>

#include "record/fields.h"
#include "record/utf8.h"

namespace logchain {

std::string_view LevelFromName(std::string_view name, Arena& arena) {
  if (name == "INFO") return "info";
  if (name == "ERROR") return "error";
  if (name == "WARNING") return "warning";
  if (name == "DEBUG") return "debug";
  if (name == "CRITICAL") return "critical";
  char* lower = arena.Allocate(name.size());
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view level(lower, name.size());
  return level == "warn" ? std::string_view("warning") : level;
}

LineDecoder::LineDecoder(DecoderOptions options) : options_(std::move(options)) {}

void LineDecoder::Begin(std::string_view line, Record& record) {
  record.Reset();
  if (IsAsciiSingleLine(line)) {
    record.SetLine(line, line, /*single_line=*/true);
  } else if (IsValidUtf8(line)) {
    record.SetLine(line, line);
  } else {
    record.SetLine(line, SanitizeUtf8(line, record.arena()));
    record.set_raw(line);
  }
  Origin& origin = record.origin();
  origin.kind = LineKind::kText;
  origin.level = options_.default_level;
  origin.logger = options_.default_logger;
}

void LineDecoder::Decode(std::string_view line, bool padded, Record& record,
                         std::string_view access_time) {
  Begin(line, record);
  const std::string_view text = record.text();
  Origin& origin = record.origin();
  if (!access_time.empty() && record.line_was_valid_utf8()) {
    // Found by FindAccessTime, which only succeeds where the line is neither
    // JSON nor an error-log line; a configured format (whose %t has the same
    // shape) comes first.
    if (!DecodeFormatAccess(text, record)) DecodeAccess(text, access_time, record);
    return;
  }

  size_t first = 0;
  while (first < text.size() && (text[first] == ' ' || text[first] == '\t')) ++first;
  if (first < text.size() && text[first] == '{' && record.line_was_valid_utf8() &&
      json_.Decode(text, padded, record)) {
    return;  // SetJson set the kind; level and logger keep the defaults
  }

  gunicorn::ErrorLine error_line;
  if (gunicorn::ParseErrorLine(text, &error_line)) {
    origin.kind = LineKind::kGunicornError;
    origin.level = LevelFromName(error_line.level_name, record.arena());
    origin.logger = fields::kGunicornError;
    origin.time = times_.ParseErrorTime(error_line.time_text);
    record.Add(fields::kEvent, Value::String(error_line.message));
  } else if (DecodeFormatAccess(text, record)) {
    return;
  } else if (gunicorn::FindAccessTime(text, &access_time)) {
    DecodeAccess(text, access_time, record);
  } else {
    record.Add(fields::kEvent, Value::String(text));
  }
}

void LineDecoder::DecodeAccess(std::string_view text, std::string_view access_time,
                               Record& record) {
  Origin& origin = record.origin();
  origin.kind = LineKind::kGunicornAccess;
  origin.level = "info";
  origin.logger = fields::kGunicornAccess;
  origin.time = times_.ParseAccessTime(access_time);
  record.Add(fields::kEvent, Value::String(text));
}

bool LineDecoder::DecodeFormatAccess(std::string_view text, Record& record) {
  for (const auto& format : options_.access_formats) {
    std::string_view time_text;
    const std::string_view* groups = nullptr;
    if (!format->Recognize(text, record.arena(), &groups, &time_text)) continue;
    Origin& origin = record.origin();
    origin.format_groups = groups;
    origin.kind = LineKind::kGunicornAccess;
    origin.level = "info";
    origin.logger = format->logger();
    if (format->time_syntax() == CompiledFormat::TimeSyntax::kClf) {
      origin.time = times_.ParseAccessTime(time_text);
    } else if (format->time_syntax() == CompiledFormat::TimeSyntax::kIso8601 &&
               time_text.size() >= 20) {
      // "2019-08-15T14:19:23+00:00" (or "...Z") in the error-log spelling
      // "2019-08-15 14:19:23 +0000".
      char buffer[25] = {};
      std::memcpy(buffer, time_text.data(), 19);
      buffer[10] = ' ';
      buffer[19] = ' ';
      const std::string_view zone = time_text.substr(19);
      if (zone == "Z") {
        std::memcpy(buffer + 20, "+0000", 5);
      } else if (zone.size() == 6) {
        buffer[20] = zone[0];
        std::memcpy(buffer + 21, zone.data() + 1, 2);
        std::memcpy(buffer + 23, zone.data() + 4, 2);
      }
      origin.time = times_.ParseErrorTime(std::string_view(buffer, sizeof buffer));
    }
    record.Add(fields::kEvent, Value::String(text));
    return true;
  }
  return false;
}

void LineDecoder::DecodePart(std::string_view piece, uint32_t number, bool last,
                             Record& record) {
  Begin(piece, record);
  record.origin().kind = LineKind::kPart;
  record.set_part(number, last);
  record.Add(fields::kEvent, Value::String(record.text()));
}

void LineDecoder::DecodeTraceback(std::string_view first_line, std::string_view rest,
                                  std::string_view summary, Record& record) {
  Begin(first_line, record);
  Origin& origin = record.origin();
  origin.kind = LineKind::kTraceback;
  origin.level = "error";
  std::string_view event = summary.empty() ? first_line : summary;
  if (!IsValidUtf8(event)) event = SanitizeUtf8(event, record.arena());
  record.Add(fields::kEvent, Value::String(event));

  // The traceback's whole text is what gets folded, its first line included
  // (alone when nothing followed it: no "\n" the input did not have, and no
  // copy from the null data of an empty view).
  std::string_view whole = first_line;
  if (!rest.empty()) {
    char* joined = record.arena().Allocate(first_line.size() + 1 + rest.size());
    std::memcpy(joined, first_line.data(), first_line.size());
    joined[first_line.size()] = '\n';
    std::memcpy(joined + first_line.size() + 1, rest.data(), rest.size());
    whole = std::string_view(joined, first_line.size() + 1 + rest.size());
  }
  if (IsValidUtf8(whole)) {
    record.set_continuation(whole);
    record.set_raw({});
  } else {
    record.set_continuation(SanitizeUtf8(whole, record.arena()));
    record.set_raw(whole);
  }
}

void LineDecoder::AttachContinuation(std::string_view continuation, Record& record) {
  if (continuation.empty()) return;
  const bool valid = IsValidUtf8(continuation);
  record.set_continuation(valid ? continuation : SanitizeUtf8(continuation, record.arena()));
  if (valid && record.raw().empty()) return;
  // Keep every original byte of the record: head, "\n", folded lines.
  const std::string_view head = record.line();
  char* joined = record.arena().Allocate(head.size() + 1 + continuation.size());
  std::memcpy(joined, head.data(), head.size());
  joined[head.size()] = '\n';
  std::memcpy(joined + head.size() + 1, continuation.data(), continuation.size());
  record.set_raw({joined, head.size() + 1 + continuation.size()});
}

}  // namespace logchain

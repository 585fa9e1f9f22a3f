// What the processors that parse with patterns (parse_pattern, parse_auto)
// share: which text they parse, and how matched fields join the record.
#ifndef LOGCHAIN_PROCESSORS_PATTERN_FIELDS_H_
#define LOGCHAIN_PROCESSORS_PATTERN_FIELDS_H_

#include <string_view>
#include <vector>

#include "patterns/pattern.h"
#include "processors/processor.h"
#include "record/fields.h"

namespace logchain {

/// The text to parse: the string field `field`, or, when `field` is empty,
/// the line as read (its UTF-8 text), which is what a line pattern
/// describes even where the line decoder has already split the line (a
/// gunicorn error line's event is its message alone). A JSON object line
/// has no line pattern: false, as for a record without the field.
inline bool PatternInput(const Record& record, std::string_view field, std::string_view* text) {
  if (field.empty()) {
    if (record.origin().kind == LineKind::kJson) return false;
    *text = record.text();
    return true;
  }
  const std::string_view* value = record.FindString(field);
  if (value == nullptr) return false;
  *text = *value;
  return true;
}

/// Adds each matched field unless the record has it. The first field named
/// `event` parsed out of the line or the event replaces the event's text
/// (the message without its prefix), as the line decoder does for
/// gunicorn's error lines.
inline void CommitMatchedFields(Record& record, std::string_view field,
                                const std::vector<MatchedField>& matched) {
  bool event_replaced = false;
  const bool from_event = field.empty() || field == fields::kEvent;
  for (const MatchedField& m : matched) {
    if (m.name == fields::kEvent && from_event) {
      if (event_replaced) continue;
      event_replaced = true;
      if (Field* event = record.FindField(fields::kEvent)) {
        event->value = m.value;
        continue;
      }
    }
    AddIfMissing(record, m.name, m.value);
  }
}

}  // namespace logchain

#endif  // LOGCHAIN_PROCESSORS_PATTERN_FIELDS_H_

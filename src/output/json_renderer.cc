#include "output/json_renderer.h"

#include "record/fields.h"
#include "record/utf8.h"

namespace logchain {
namespace {

bool HasNotes(const Record& r) {
  return !r.errors().empty() || !r.raw().empty() || r.part_number() != 0;
}

// Writes `, "key": ` (or `"key": ` for the first member).
void WriteKey(OutBuffer& out, std::string_view key, JsonStyle style, bool first) {
  if (!first) out.Append(ItemSeparator(style));
  WriteJsonString(out, key, style);
  out.Append(KeySeparator(style));
}

void WriteNotes(const Record& r, JsonStyle style, OutBuffer& out, bool first) {
  if (!r.errors().empty()) {
    WriteKey(out, fields::kError, style, first);
    first = false;
    std::string joined;
    for (const auto& note : r.errors()) {
      if (!joined.empty()) joined.append("; ");
      joined.append(note.processor).append(": ").append(note.reason);
    }
    WriteJsonString(out, joined, style);
  }
  if (!r.raw().empty()) {
    WriteKey(out, fields::kRawBase64, style, first);
    first = false;
    // Base64 needs no escaping; write it in one piece.
    out.Push('"');
    std::string encoded;
    AppendBase64(r.raw(), encoded);
    out.Append(encoded);
    out.Push('"');
  }
  if (r.part_number() != 0) {
    WriteKey(out, fields::kPart, style, first);
    WriteJsonInt(out, r.part_number());
    WriteKey(out, fields::kLastPart, style, false);
    out.Append(r.last_part() ? "true" : "false");
  }
}

}  // namespace

void RenderJson(const Record& record, JsonStyle style, OutBuffer& out) {
  if (record.origin().kind == LineKind::kJson) {
    if (record.fields().empty() && !HasNotes(record)) {
      out.Append(record.line());
      out.Push('\n');
      return;
    }
    // Splice before the closing brace, dropping whitespace in front of it.
    std::string_view object = record.json_object_text();
    object.remove_suffix(1);
    while (!object.empty() && (object.back() == ' ' || object.back() == '\t' ||
                               object.back() == '\n' || object.back() == '\r')) {
      object.remove_suffix(1);
    }
    out.Append(object);
    bool first = record.json_object_empty();
    for (const Field& f : record.fields()) {
      WriteKey(out, f.key, style, first);
      first = false;
      WriteJsonValue(out, f.value, style);
    }
    WriteNotes(record, style, out, first);
    out.Append("}\n");
    return;
  }

  out.Push('{');
  bool first = true;
  for (const Field& f : record.fields()) {
    WriteKey(out, f.key, style, first);
    first = false;
    WriteJsonValue(out, f.value, style);
  }
  WriteNotes(record, style, out, first);
  out.Append("}\n");
}

}  // namespace logchain

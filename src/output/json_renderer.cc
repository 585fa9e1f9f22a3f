#include "output/json_renderer.h"

#include <cstring>
#include <vector>

#include "record/fields.h"
#include "record/json_members.h"
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

// Records up to this bound are written with one reservation.
constexpr size_t kOneReservation = 256 * 1024;

// Writes every field (", " before each unless first) and then `suffix`,
// reserving the worst case once so that nothing in between checks for room
// or calls memcpy for a few bytes: this is the whole output of most
// records. Returns false, having written nothing, when a field needs the
// general path (a float, written as Python's repr) or the record is large.
bool WriteFieldsAtOnce(const std::vector<Field>& fields, JsonStyle style, OutBuffer& out,
                       bool first, std::string_view suffix) {
  const Field* const begin = fields.data();
  const Field* const end = begin + fields.size();
  const std::optional<size_t> members = MembersBound(begin, end);
  if (!members || *members + suffix.size() > kOneReservation) return false;
  char* const w0 = out.Reserve(*members + suffix.size());
  char* w = WriteMembersTo(w0, begin, end, style, first);
  std::memcpy(w, suffix.data(), suffix.size());
  w += suffix.size();
  out.Commit(static_cast<size_t>(w - w0));
  return true;
}

// Writes a JSON line's object without its closing brace, with the members a
// processor replaced (Record::ReplaceJsonMember) written from their new
// values and every other byte copied. `object` is the object's text without
// its closing brace and the whitespace before it.
void WriteObjectWithReplacements(const Record& record, std::string_view object, JsonStyle style,
                                 OutBuffer& out) {
  thread_local std::vector<JsonMemberSpan> spans;
  const std::vector<Field>& members = record.json_members();
  if (!SplitJsonMembers(record.json_object_text(), &spans) || spans.size() != members.size()) {
    // Not reached for an object the decoder validated; if it were, writing
    // the members from their values keeps the replaced ones from leaking.
    out.Push('{');
    for (size_t i = 0; i < members.size(); ++i) {
      WriteKey(out, members[i].key, style, i == 0);
      WriteJsonValue(out, members[i].value, style);
    }
    return;
  }
  const char* cursor = object.data();
  for (const uint32_t i : record.replaced_json_members()) {
    const std::string_view value = spans[i].value;
    out.Append({cursor, static_cast<size_t>(value.data() - cursor)});
    WriteJsonValue(out, members[i].value, style);
    cursor = value.data() + value.size();
  }
  out.Append({cursor, static_cast<size_t>(object.data() + object.size() - cursor)});
}

}  // namespace

void RenderJson(const Record& record, JsonStyle style, OutBuffer& out) {
  if (record.origin().kind == LineKind::kJson) {
    const bool replaced = !record.replaced_json_members().empty();
    if (record.fields().empty() && !HasNotes(record) && !replaced) {
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
    if (replaced) {
      WriteObjectWithReplacements(record, object, style, out);
    } else {
      out.Append(object);
    }
    bool first = record.json_object_empty();
    if (!HasNotes(record) && WriteFieldsAtOnce(record.fields(), style, out, first, "}\n")) {
      return;
    }
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
  if (!HasNotes(record) && WriteFieldsAtOnce(record.fields(), style, out, true, "}\n")) return;
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

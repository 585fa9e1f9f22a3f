// The JSON line decoder (simdjson, with RapidJSON for what simdjson
// refuses) against RapidJSON's DOM as an independent reader: a line the
// decoder accepts is one JSON object, with the same top-level members in
// the same order, and an object line within the depth limit is accepted.
#include <simdjson.h>

#include <algorithm>
#include <vector>

#include "fuzz_util.h"
#include "output/json_renderer.h"
#include "output/schema_renderer.h"
#include "record/json_members.h"
#include "record/json_object.h"
#include "record/record.h"
#include "record/utf8.h"

using logchain::JsonObjectDecoder;
using logchain::Record;
using logchain::ValueKind;

namespace {

// Deepest nesting of a valid JSON text.
size_t Depth(std::string_view text) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

// True when a string of a valid JSON text has a \u escape of a surrogate
// that is not part of a high-low pair. Such a string has no Unicode form;
// logchain treats the line as text (docs/guarantees.md).
bool HasUnpairedSurrogate(std::string_view text) {
  auto unit = [&text](size_t i) -> int {  // the code unit of "\uXXXX" at i, or -1
    if (i + 6 > text.size() || text[i] != '\\' || text[i + 1] != 'u') return -1;
    return static_cast<int>(std::strtol(std::string(text.substr(i + 2, 4)).c_str(), nullptr, 16));
  };
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!in_string) {
      in_string = text[i] == '"';
      continue;
    }
    if (text[i] == '"') {
      in_string = false;
    } else if (text[i] == '\\') {
      const int u = unit(i);
      if (u >= 0xDC00 && u <= 0xDFFF) return true;
      if (u >= 0xD800 && u <= 0xDBFF) {
        const int low = unit(i + 6);
        if (low < 0xDC00 || low > 0xDFFF) return true;
        i += 6;
      }
      i += u >= 0 ? 5 : 1;
    }
  }
  return false;
}

// One JSON object in valid UTF-8, newline-terminated.
void CheckOneObject(const logchain::OutBuffer& out) {
  std::string_view json = out.view();
  FUZZ_CHECK(!json.empty() && json.back() == '\n');
  json.remove_suffix(1);
  rapidjson::Document doc;
  FUZZ_CHECK(logchain::fuzz::ParseJson(json, &doc) && doc.IsObject());
}

// The record as every schema writes it, and with a member rewritten in place
// as redact_fields does: always one valid JSON object (checked on lines the
// reference parser can read: it refuses some valid numbers).
void CheckRendered(Record& record) {
  for (const logchain::Schema schema : {logchain::Schema::kEcs, logchain::Schema::kOtel}) {
    for (const auto style : {logchain::JsonStyle::kSeed, logchain::JsonStyle::kCompact}) {
      logchain::OutBuffer out(256);
      logchain::SchemaRenderer(schema).Render(record, style, out);
      CheckOneObject(out);
    }
  }
  if (record.json_members().empty()) return;
  const std::string_view key = record.json_members().back().key;
  record.ReplaceJsonMember(key, logchain::Value::String("REDACTED \"\xc3\xa9\""));
  logchain::OutBuffer out(256);
  logchain::RenderJson(record, logchain::JsonStyle::kSeed, out);
  CheckOneObject(out);
}

void Check(JsonObjectDecoder& decoder, Record& record, std::string_view text, bool padded) {
  record.Reset();
  record.SetLine(text, text);
  const bool accepted = decoder.Decode(text, padded, record);
  rapidjson::Document doc;
  const bool reference =
      logchain::fuzz::ParseJson(text, &doc) && doc.IsObject() && !HasUnpairedSurrogate(text);
  // RapidJSON refuses some valid numbers (an exponent beyond 308 even on a
  // zero, "0e400"); it cannot judge those lines.
  const bool reference_unsure =
      doc.HasParseError() && doc.GetParseError() == rapidjson::kParseErrorNumberTooBig;
  if (!accepted) {
    FUZZ_CHECK(record.json_members().empty());
    FUZZ_CHECK(record.origin().kind != logchain::LineKind::kJson);
    // A valid object is refused only beyond the depth limit.
    FUZZ_CHECK(!reference || Depth(text) > JsonObjectDecoder::kMaxDepth);
    return;
  }
  FUZZ_CHECK(reference || reference_unsure);
  FUZZ_CHECK(record.origin().kind == logchain::LineKind::kJson);
  // Where each member sits in the object (record/json_members.h), which the
  // renderers rely on to rewrite redacted members in place and to map keys
  // under a schema: one span per collected member, in the same order.
  std::vector<logchain::JsonMemberSpan> spans;
  FUZZ_CHECK(logchain::SplitJsonMembers(record.json_object_text(), &spans));
  FUZZ_CHECK(spans.size() == record.json_members().size());
  if (!reference) return;
  const std::string_view object = record.json_object_text();
  FUZZ_CHECK(logchain::fuzz::Inside(object, text));
  FUZZ_CHECK(object.size() >= 2 && object.front() == '{' && object.back() == '}');
  FUZZ_CHECK(record.json_object_empty() == doc.ObjectEmpty());
  const auto& members = record.json_members();
  FUZZ_CHECK(members.size() == doc.MemberCount());
  for (size_t i = 0; i < members.size(); ++i) {
    // Indexing, not iterator comparison, which is ambiguous in C++20 for RapidJSON 1.1.
    const auto* it = &doc.MemberBegin()[static_cast<ptrdiff_t>(i)];
    const std::string_view key(it->name.GetString(), it->name.GetStringLength());
    FUZZ_CHECK(members[i].key == key);
    rapidjson::Document span_key, span_value;
    FUZZ_CHECK(logchain::fuzz::ParseJson(spans[i].key, &span_key) && span_key.IsString());
    FUZZ_CHECK(key == std::string_view(span_key.GetString(), span_key.GetStringLength()));
    FUZZ_CHECK(logchain::fuzz::ParseJson(spans[i].value, &span_value));
    FUZZ_CHECK(span_value.GetType() == it->value.GetType());
    const logchain::Value& v = members[i].value;
    switch (it->value.GetType()) {
      case rapidjson::kStringType:
        if (it->value.IsString() && v.kind == ValueKind::kString) {
          FUZZ_CHECK(v.text ==
                     std::string_view(it->value.GetString(), it->value.GetStringLength()));
        } else {
          // With numbers kept as text, RapidJSON reports them as strings too.
          FUZZ_CHECK(v.kind == ValueKind::kInt || v.kind == ValueKind::kDouble ||
                     v.kind == ValueKind::kNumber);
        }
        break;
      case rapidjson::kNullType:
        FUZZ_CHECK(v.kind == ValueKind::kNull);
        break;
      case rapidjson::kTrueType:
      case rapidjson::kFalseType:
        FUZZ_CHECK(v.kind == ValueKind::kBool && v.bool_value == it->value.IsTrue());
        break;
      case rapidjson::kObjectType:
      case rapidjson::kArrayType:
        FUZZ_CHECK(v.kind == ValueKind::kComposite);
        break;
      case rapidjson::kNumberType:
        break;
    }
  }
  CheckRendered(record);  // last: it rewrites a member
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static JsonObjectDecoder decoder;
  static Record record;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The line decoder hands the JSON decoder valid UTF-8 only.
  if (!logchain::IsValidUtf8(text)) return 0;
  Check(decoder, record, text, /*padded=*/false);
  // The same bytes with readable padding after them, as LineReader provides.
  std::string padded(text);
  padded.append(JsonObjectDecoder::kPadding, '\0');
  Check(decoder, record, std::string_view(padded.data(), text.size()), /*padded=*/true);
  return 0;
}

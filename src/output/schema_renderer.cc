#include "output/schema_renderer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "record/fields.h"
#include "record/utf8.h"

namespace logchain {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
// days_from_civil), and its inverse.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

bool Digits(std::string_view s, size_t at, size_t n, int* out) {
  if (at + n > s.size()) return false;
  int v = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

// A point in time: seconds since the epoch and nanoseconds within it.
struct Instant {
  int64_t seconds = 0;
  int64_t nanos = 0;
};

// What add_timestamp writes: "YYYY-MM-DD HH:MM:SS" (its default, UTC),
// with optional ".fraction", or ISO 8601 with 'T' and "Z" or an offset.
bool ParseTimeText(std::string_view s, Instant* out) {
  int y, mo, d, h, mi, sec;
  if (!Digits(s, 0, 4, &y) || s.size() < 19 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d) || (s[10] != ' ' && s[10] != 'T') ||
      !Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' ||
      !Digits(s, 17, 2, &sec)) {
    return false;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return false;
  size_t at = 19;
  int64_t nanos = 0;
  if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
    ++at;
    int64_t scale = 100000000;
    const size_t start = at;
    while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
      nanos += (s[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
    if (at == start) return false;
  }
  int64_t offset = 0;
  if (at < s.size() && s[at] == 'Z') {
    ++at;
  } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
    const int sign = s[at] == '-' ? -1 : 1;
    int oh, om;
    if (!Digits(s, at + 1, 2, &oh)) return false;
    size_t m = at + 3;
    if (m < s.size() && s[m] == ':') ++m;
    if (!Digits(s, m, 2, &om)) return false;
    offset = sign * (oh * 3600 + om * 60);
    at = m + 2;
  }
  if (at != s.size()) return false;
  out->seconds = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 +
                 h * 3600 + mi * 60 + sec - offset;
  out->nanos = nanos;
  return true;
}

// add_timestamp's values: a time text, or Unix seconds (fmt=none).
bool ToInstant(const Value& v, Instant* out) {
  double seconds = 0;
  switch (v.kind) {
    case ValueKind::kString:
      return ParseTimeText(v.text, out);
    case ValueKind::kInt:
      // As below: beyond this the nanoseconds since the epoch overflow 64 bits.
      if (v.int_value < 0 || v.int_value > 9200000000) return false;
      out->seconds = v.int_value;
      out->nanos = 0;
      return true;
    case ValueKind::kDouble:
      seconds = v.double_value;
      break;
    case ValueKind::kNumber: {
      std::string text(v.text);
      char* end = nullptr;
      seconds = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size()) return false;
      break;
    }
    default:
      return false;
  }
  // Beyond this the nanoseconds since the epoch overflow 64 bits.
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 9.2e9) return false;
  const double whole = std::floor(seconds);
  out->seconds = static_cast<int64_t>(whole);
  out->nanos = std::llround((seconds - whole) * 1e9 / 1000) * 1000;  // microsecond precision
  if (out->nanos >= 1000000000) {
    out->seconds += 1;
    out->nanos -= 1000000000;
  }
  return true;
}

// "2019-08-15T14:19:14Z", with ".ffffff" (or 9 digits) when not whole.
std::string IsoText(const Instant& t) {
  const int64_t days = t.seconds >= 0 ? t.seconds / 86400 : (t.seconds - 86399) / 86400;
  const int64_t rest = t.seconds - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld",
                        static_cast<long long>(y), m, d, static_cast<long long>(rest / 3600),
                        static_cast<long long>(rest / 60 % 60), static_cast<long long>(rest % 60));
  std::string out(buf, static_cast<size_t>(n));
  if (t.nanos != 0) {
    n = t.nanos % 1000 == 0
            ? std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(t.nanos / 1000))
            : std::snprintf(buf, sizeof buf, ".%09lld", static_cast<long long>(t.nanos));
    out.append(buf, static_cast<size_t>(n));
  }
  out.push_back('Z');
  return out;
}

// OpenTelemetry's SeverityNumber for the level names Python's logging and
// structlog write (the smallest number of each range, as the data model
// recommends when a source has one level per range); 0 when unknown.
int SeverityNumber(std::string_view level) {
  std::string lower;
  for (char c : level) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  if (lower == "trace") return 1;
  if (lower == "debug") return 5;
  if (lower == "info") return 9;
  if (lower == "notice") return 10;
  if (lower == "warning" || lower == "warn") return 13;
  if (lower == "error" || lower == "exception") return 17;
  if (lower == "critical" || lower == "fatal") return 21;
  return 0;
}

// "GET /a?b=1 HTTP/1.1" -> method, target, protocol ("HTTP/1.1").
bool SplitRequestLine(std::string_view request, std::string_view* method,
                      std::string_view* target, std::string_view* protocol) {
  const size_t a = request.find(' ');
  if (a == std::string_view::npos || a == 0) return false;
  const size_t b = request.rfind(' ');
  if (b == a || b + 1 >= request.size()) return false;
  *method = request.substr(0, a);
  *target = request.substr(a + 1, b - a - 1);
  *protocol = request.substr(b + 1);
  return !target->empty() && target->find(' ') == std::string_view::npos;
}

// "HTTP/1.1" -> "1.1"; empty when the protocol is not HTTP/x.
std::string_view HttpVersion(std::string_view protocol) {
  return protocol.size() > 5 && protocol.substr(0, 5) == "HTTP/" ? protocol.substr(5)
                                                                 : std::string_view();
}

// A number of `unit` nanoseconds as an integer, for ECS event.duration.
bool DurationNanos(const Value& v, double unit, int64_t* out) {
  double x = 0;
  if (v.kind == ValueKind::kInt) {
    x = static_cast<double>(v.int_value);
  } else if (v.kind == ValueKind::kDouble) {
    x = v.double_value;
  } else if (v.kind == ValueKind::kNumber || v.kind == ValueKind::kString) {
    std::string text(v.text);
    char* end = nullptr;
    x = std::strtod(text.c_str(), &end);
    if (text.empty() || end != text.c_str() + text.size()) return false;
  } else {
    return false;
  }
  x *= unit;
  if (!std::isfinite(x) || x < 0 || x > 9.2e18) return false;
  *out = std::llround(x);
  return true;
}

}  // namespace

bool ParseSchema(std::string_view name, Schema* schema) {
  if (name == "seed") {
    *schema = Schema::kSeed;
  } else if (name == "ecs") {
    *schema = Schema::kEcs;
  } else if (name == "otel") {
    *schema = Schema::kOtel;
  } else {
    return false;
  }
  return true;
}

std::string_view SchemaRenderer::Keep(std::string text) {
  scratch_.push_back(std::move(text));
  return scratch_.back();
}

void SchemaRenderer::Add(Entry entry) {
  // The first value at a path wins; a path that is a prefix of another (a
  // value where an object is, or the reverse) is refused the same way.
  for (const Entry& e : entries_) {
    const size_t common = std::min(e.depth, entry.depth);
    size_t i = 0;
    while (i < common && e.path[i] == entry.path[i]) ++i;
    if (i == common) return;
  }
  entries_.push_back(entry);
}

void SchemaRenderer::Put(std::string_view root, std::string_view dotted, const Value& value,
                         std::string_view raw, bool in_array) {
  if (raw.empty() && value.kind == ValueKind::kNull) return;  // absent, as "-" means
  if (raw == "null") return;
  Entry e;
  if (!root.empty()) e.path[e.depth++] = root;
  while (true) {
    const size_t dot = dotted.find('.');
    if (dot == std::string_view::npos || e.depth + 1 == kMaxDepth) {
      e.path[e.depth++] = dotted;
      break;
    }
    e.path[e.depth++] = dotted.substr(0, dot);
    dotted.remove_prefix(dot + 1);
  }
  e.raw = !raw.empty();
  e.text = raw;
  e.value = value;
  e.in_array = in_array;
  Add(e);
}

void SchemaRenderer::PutFlat(std::string_view root, std::string_view key, const Value& value,
                             std::string_view raw) {
  if (raw.empty() && value.kind == ValueKind::kNull) return;
  if (raw == "null") return;
  Entry e;
  e.path[e.depth++] = root;
  e.path[e.depth++] = key;
  e.raw = !raw.empty();
  e.text = raw;
  e.value = value;
  Add(e);
}

void SchemaRenderer::Unmapped(std::string_view key, const Value& value, std::string_view raw) {
  PutFlat(schema_ == Schema::kEcs ? "labels" : "Attributes", key, value, raw);
}

void SchemaRenderer::Map(std::string_view key, const Value& value, std::string_view raw) {
  if (schema_ == Schema::kEcs) {
    MapEcs(key, value, raw);
  } else {
    MapOtel(key, value, raw);
  }
}

void SchemaRenderer::MapEcs(std::string_view key, const Value& v, std::string_view raw) {
  namespace f = fields;
  if (key == f::kEvent) return Put("", "message", v, raw);
  if (key == f::kLevel) return Put("", "log.level", v, raw);
  if (key == f::kLogger) return Put("", "log.logger", v, raw);
  if (key == f::kException) return Put("", "error.stack_trace", v, raw);
  if (key == f::kHost) return Put("", "source.address", v, raw);
  if (key == f::kUser) return Put("", "user.name", v, raw);
  if (key == f::kStatus) return Put("", "http.response.status_code", v, raw);
  if (key == f::kSize) return Put("", "http.response.body.bytes", v, raw);
  if (key == f::kReferer) return Put("", "http.request.referrer", v, raw);
  if (key == f::kAgent) return Put("", "user_agent.original", v, raw);
  if (key == f::kMethod) return Put("", "http.request.method", v, raw);
  if (key == f::kPath) return Put("", "url.path", v, raw);
  if (key == f::kQuery) return Put("", "url.query", v, raw);
  if (key == f::kTimestamp) {
    Instant t;
    if (ToInstant(v, &t)) return Put("", "@timestamp", Value::String(Keep(IsoText(t))));
    return Unmapped(key, v, raw);
  }
  if (key == f::kRequest && v.is_string()) {
    std::string_view method, target, protocol;
    if (!SplitRequestLine(v.text, &method, &target, &protocol)) return Unmapped(key, v, raw);
    Put("", "http.request.method", Value::String(method));
    Put("", "url.original", Value::String(target));
    const std::string_view version = HttpVersion(protocol);
    if (!version.empty()) Put("", "http.version", Value::String(version));
    return;
  }
  if (key == f::kProtocol && v.is_string() && !HttpVersion(v.text).empty()) {
    return Put("", "http.version", Value::String(HttpVersion(v.text)));
  }
  int64_t nanos = 0;
  if ((key == f::kRequestTimeUs && DurationNanos(v, 1e3, &nanos)) ||
      (key == f::kRequestTimeMs && DurationNanos(v, 1e6, &nanos)) ||
      (key == f::kRequestTime && DurationNanos(v, 1e9, &nanos))) {
    return Put("", "event.duration", Value::Int(nanos));
  }
  Unmapped(key, v, raw);
}

void SchemaRenderer::MapOtel(std::string_view key, const Value& v, std::string_view raw) {
  namespace f = fields;
  auto attribute = [&](std::string_view name, const Value& value, std::string_view r = {},
                       bool in_array = false) {
    if (r.empty() && value.kind == ValueKind::kNull) return;
    if (r == "null") return;
    Entry e;
    e.path[e.depth++] = "Attributes";
    e.path[e.depth++] = name;
    e.raw = !r.empty();
    e.text = r;
    e.value = value;
    e.in_array = in_array;
    Add(e);
  };
  if (key == f::kEvent) return Put("", "Body", v, raw);
  if (key == f::kLevel) {
    Put("", "SeverityText", v, raw);
    if (v.is_string()) {
      if (const int n = SeverityNumber(v.text); n != 0) Put("", "SeverityNumber", Value::Int(n));
    }
    return;
  }
  if (key == f::kLogger) return PutFlat("InstrumentationScope", "Name", v, raw);
  if (key == f::kTimestamp) {
    Instant t;
    if (ToInstant(v, &t) && t.seconds >= 0) {
      // uint64 nanoseconds; as a decimal string, as OTLP/JSON writes 64-bit
      // integers, so that no JSON reader rounds it to a double.
      return Put("", "Timestamp",
                 Value::String(Keep(std::to_string(t.seconds * 1000000000 + t.nanos))));
    }
    return Unmapped(key, v, raw);
  }
  if (key == f::kException) return attribute("exception.stacktrace", v, raw);
  if (key == f::kHost) return attribute("client.address", v, raw);
  if (key == f::kUser) return attribute("user.name", v, raw);
  if (key == f::kStatus) return attribute("http.response.status_code", v, raw);
  if (key == f::kSize) return attribute("http.response.body.size", v, raw);
  if (key == f::kReferer) return attribute("http.request.header.referer", v, raw, true);
  if (key == f::kAgent) return attribute("user_agent.original", v, raw);
  if (key == f::kMethod) return attribute("http.request.method", v, raw);
  if (key == f::kPath) return attribute("url.path", v, raw);
  if (key == f::kQuery) return attribute("url.query", v, raw);
  if ((key == f::kRequest || key == f::kProtocol) && v.is_string()) {
    std::string_view method, target, protocol = v.text;
    if (key == f::kRequest) {
      if (!SplitRequestLine(v.text, &method, &target, &protocol)) return Unmapped(key, v, raw);
      attribute("http.request.method", Value::String(method));
      const size_t q = target.find('?');
      attribute("url.path", Value::String(target.substr(0, q)));
      if (q != std::string_view::npos) attribute("url.query", Value::String(target.substr(q + 1)));
    }
    const std::string_view version = HttpVersion(protocol);
    if (!version.empty()) {
      attribute("network.protocol.name", Value::String("http"));
      attribute("network.protocol.version", Value::String(version));
    } else if (key == f::kProtocol) {
      Unmapped(key, v, raw);
    }
    return;
  }
  Unmapped(key, v, raw);
}

void SchemaRenderer::Render(const Record& record, JsonStyle style, OutBuffer& out) {
  entries_.clear();
  scratch_.clear();
  if (record.origin().kind == LineKind::kJson) {
    const std::vector<Field>& members = record.json_members();
    const std::vector<uint32_t>& replaced = record.replaced_json_members();
    const bool have_spans = SplitJsonMembers(record.json_object_text(), &spans_) &&
                            spans_.size() == members.size();
    size_t next_replaced = 0;
    for (size_t i = 0; i < members.size(); ++i) {
      bool was_replaced = false;
      while (next_replaced < replaced.size() && replaced[next_replaced] < i) ++next_replaced;
      if (next_replaced < replaced.size() && replaced[next_replaced] == i) was_replaced = true;
      // Values are written from their original text, so numbers keep their
      // digits and nested objects come through whole; a redacted member, or
      // one the schema transforms, is written from its value.
      const std::string_view raw =
          have_spans && !was_replaced ? spans_[i].value : std::string_view();
      Map(members[i].key, members[i].value, raw);
    }
  }
  for (const Field& f : record.fields()) Map(f.key, f.value, {});
  if (!record.errors().empty()) {
    std::string joined;
    for (const auto& note : record.errors()) {
      if (!joined.empty()) joined.append("; ");
      joined.append(note.processor).append(": ").append(note.reason);
    }
    Unmapped(fields::kError, Value::String(Keep(std::move(joined))), {});
  }
  if (!record.raw().empty()) {
    std::string encoded;
    AppendBase64(record.raw(), encoded);
    Unmapped(fields::kRawBase64, Value::String(Keep(std::move(encoded))), {});
  }
  if (record.part_number() != 0) {
    Unmapped(fields::kPart, Value::Int(record.part_number()), {});
    Unmapped(fields::kLastPart, Value::Bool(record.last_part()), {});
  }
  if (schema_ == Schema::kEcs) Put("", "ecs.version", Value::String(kEcsVersion));
  Emit(style, out);
}

void SchemaRenderer::Emit(JsonStyle style, OutBuffer& out) {
  // Top-level order: the schema's own fields first, in the order its
  // documents list them, then the rest as they came.
  static constexpr std::string_view kEcsFirst[] = {"@timestamp", "log", "message"};
  static constexpr std::string_view kOtelFirst[] = {
      "Timestamp", "SeverityText", "SeverityNumber", "Body", "InstrumentationScope", "Attributes"};
  const std::span<const std::string_view> first =
      schema_ == Schema::kEcs ? std::span<const std::string_view>(kEcsFirst)
                              : std::span<const std::string_view>(kOtelFirst);
  std::vector<uint32_t> order;
  order.reserve(entries_.size());
  for (std::string_view name : first) {
    for (uint32_t i = 0; i < entries_.size(); ++i) {
      if (entries_[i].path[0] == name) order.push_back(i);
    }
  }
  for (uint32_t i = 0; i < entries_.size(); ++i) {
    if (std::find(first.begin(), first.end(), entries_[i].path[0]) == first.end()) {
      order.push_back(i);
    }
  }
  EmitLevel(0, order, style, out);
  out.Push('\n');
}

// Writes one object: the members of `members` (indices into entries_, all
// sharing the first `depth` path components), grouped by component `depth`
// in the order each group first appears.
void SchemaRenderer::EmitLevel(size_t depth, const std::vector<uint32_t>& members,
                               JsonStyle style, OutBuffer& out) {
  out.Push('{');
  std::vector<bool> done(members.size(), false);
  bool first = true;
  for (size_t i = 0; i < members.size(); ++i) {
    if (done[i]) continue;
    const Entry& e = entries_[members[i]];
    if (!first) out.Append(ItemSeparator(style));
    first = false;
    WriteJsonString(out, e.path[depth], style);
    out.Append(KeySeparator(style));
    if (e.depth == depth + 1) {
      done[i] = true;
      if (e.in_array) out.Push('[');
      if (e.raw) {
        out.Append(e.text);
      } else {
        WriteJsonValue(out, e.value, style);
      }
      if (e.in_array) out.Push(']');
      continue;
    }
    std::vector<uint32_t> group;
    for (size_t j = i; j < members.size(); ++j) {
      if (!done[j] && entries_[members[j]].path[depth] == e.path[depth]) {
        group.push_back(members[j]);
        done[j] = true;
      }
    }
    EmitLevel(depth + 1, group, style, out);
  }
  out.Push('}');
}

}  // namespace logchain

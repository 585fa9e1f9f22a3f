// JSON writer: strings, numbers and separators in the two output styles.
//
// kSeed is byte-compatible with Python's json.dumps() defaults, which is what
// the structlog setup logchain replaces prints: separators ", " and ": ",
// ensure_ascii (every code point from U+007F up and every control character
// as \uXXXX with lower-case hex, non-BMP characters as surrogate pairs), the
// short escapes \" \\ \n \r \t \b \f, and "/" left alone.
// kCompact is RFC 8259 JSON without spaces and with UTF-8 kept as UTF-8.
//
// RapidJSON's Writer cannot produce kSeed (it has no separator setting and
// writes upper-case hex), so logchain writes JSON itself: the escaper scans
// 16 bytes at a time for the bytes that need work and copies the runs in
// between, which is what keeps rendering off the profile.
//
// Every function accepts arbitrary bytes and always produces valid JSON text
// in valid UTF-8: each maximal byte sequence that is not UTF-8 is written as
// one U+FFFD, as the line decoder sanitises text (record/utf8.h).
#ifndef LOGCHAIN_OUTPUT_JSON_WRITER_H_
#define LOGCHAIN_OUTPUT_JSON_WRITER_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "output/out_buffer.h"
#include "record/value.h"

namespace logchain {

enum class JsonStyle : uint8_t { kSeed, kCompact };

/// ", " or ",".
inline std::string_view ItemSeparator(JsonStyle style) {
  return style == JsonStyle::kSeed ? std::string_view(", ") : std::string_view(",");
}
/// ": " or ":".
inline std::string_view KeySeparator(JsonStyle style) {
  return style == JsonStyle::kSeed ? std::string_view(": ") : std::string_view(":");
}

/// Writes s as a quoted, escaped JSON string.
void WriteJsonString(OutBuffer& out, std::string_view s, JsonStyle style);

/// Most output bytes one input byte can become (a control byte as \u00XX).
inline constexpr size_t kMaxJsonExpansion = 6;
/// Room WriteJsonStringTo needs for a string of n bytes: the escaped text,
/// the quotes, and 16 bytes it may scribble past its end (it stores whole
/// vector blocks).
inline constexpr size_t JsonStringBound(size_t n) { return n * kMaxJsonExpansion + 2 + 16; }

/// WriteJsonString into raw memory with JsonStringBound(s.size()) bytes of
/// room; returns the end of what it wrote. For renderers that reserve a
/// whole record at once.
char* WriteJsonStringTo(char* w, std::string_view s, JsonStyle style);

/// Where escaping changed a string: the byte ranges WriteJsonStringTo did
/// not copy as they are. A renderer that writes the whole line as `event`
/// and then fields sliced from it (an access line's request, referer,
/// agent) copies each clean slice without scanning it a second time.
class EscapeMarks {
 public:
  /// Whether `slice` is a part of the marked string in which escaping
  /// changes nothing, so that its JSON string is its bytes in quotes.
  bool Clean(std::string_view slice) const {
    const char* const b = slice.data();
    const char* const e = b + slice.size();
    if (slice.empty() || b < begin_ || e > known_end_) return false;
    for (uint32_t i = 0; i < count_; ++i) {
      if (ranges_[i].from < e && ranges_[i].to > b) return false;
    }
    return true;
  }

  // The writer's side: Start() for a string, then Add() for each range.
  void Start(std::string_view s) {
    begin_ = s.data();
    known_end_ = s.data() + s.size();
    count_ = 0;
  }
  // [from, to) was escaped or replaced; ranges arrive in string order.
  void Add(const char* from, const char* to) {
    if (count_ != 0 && ranges_[count_ - 1].to == from) {
      ranges_[count_ - 1].to = to;
    } else if (count_ < kMaxRanges) {
      ranges_[count_++] = {from, to};
    } else if (from < known_end_) {
      known_end_ = from;  // past here, specials are no longer recorded
    }
  }

 private:
  static constexpr uint32_t kMaxRanges = 32;

  const char* begin_ = nullptr;
  const char* known_end_ = nullptr;  // every changed byte before this is in ranges_
  uint32_t count_ = 0;
  // Only the first count_ are ever read: left uninitialised, as this is
  // built for every record (a plain struct, since std::pair's constructor
  // would zero all of them: 70 instructions per access line).
  struct Range {
    const char* from;
    const char* to;
  };
  std::array<Range, kMaxRanges> ranges_;
};

/// WriteJsonStringTo that also records in *marks where s needed escaping.
char* WriteJsonStringTo(char* w, std::string_view s, JsonStyle style, EscapeMarks* marks);

/// Room WriteMembersTo needs for fields, or none when one of them must take
/// the general path (a double, written as Python's repr by WriteJsonValue).
std::optional<size_t> MembersBound(const Field* begin, const Field* end);

/// Writes fields as the members of a JSON object, `"key": value` each, with
/// the style's item separator before each unless `first`, into raw memory
/// with MembersBound() bytes of room. Returns the end of what it wrote.
/// This is the whole output of most records: short strings (keys, levels,
/// hosts) that need no escaping are written inline, and a long string that
/// is a clean slice of the first long one (an access line's request, referer
/// and agent, sliced from its event) is copied without a second scan.
char* WriteMembersTo(char* w, const Field* begin, const Field* end, JsonStyle style, bool first);

/// Writes an integer in decimal, without locale.
void WriteJsonInt(OutBuffer& out, int64_t value);

/// Writes a double as Python's repr() does (shortest round-trip digits,
/// "1764050575.0", "1e+16", "1.5e-05"). Non-finite values, which JSON
/// cannot express, are written as null.
void WritePythonFloat(OutBuffer& out, double value);

/// Writes any Value (a kComposite writes null: composites are never re-rendered).
void WriteJsonValue(OutBuffer& out, const Value& value, JsonStyle style);

}  // namespace logchain

#endif  // LOGCHAIN_OUTPUT_JSON_WRITER_H_

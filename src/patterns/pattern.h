// Pattern: one compiled line pattern (an RE2 with named groups) and the
// declared type of each group, turning a line into typed fields.
//
// Patterns come from pattern files (patterns/*.pattern, --patterns-dir; see
// library.h for the format) and from compiled log format strings
// (--access-format, --nginx-format, --apache-format). RE2 matches in time
// linear in the line, so no pattern can hang logchain on any input.
#ifndef LOGCHAIN_PATTERNS_PATTERN_H_
#define LOGCHAIN_PATTERNS_PATTERN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/arena.h"
#include "record/value.h"

namespace re2 {
class RE2;
}

namespace logchain {

/// How a group's text becomes a value.
struct FieldSpec {
  enum class Type : uint8_t {
    kString,
    kInt,       // decimal integer (beyond 64 bits: kept as a number literal)
    kFloat,     // decimal number
    kLevel,     // a level name, lower-cased as structlog writes it ("WARN" -> "warning")
    kDuration,  // a number scaled by `scale` (e.g. microseconds -> seconds)
  };
  /// What a "-" (a field the server had no value for) becomes.
  enum class Dash : uint8_t { kKeep, kNull, kZero };
  /// How escapes in the text are undone (only when decoding is asked for).
  enum class Escapes : uint8_t { kNone, kBackslash, kNginx, kApache };

  std::string name;
  Type type = Type::kString;
  Dash dash = Dash::kKeep;
  bool empty_is_null = false;
  double scale = 1;  // kDuration
  Escapes escapes = Escapes::kNone;
};

struct MatchedField {
  std::string_view name;
  Value value;
};

class Pattern {
 public:
  /// Compiles `regex` (anchored at both ends when matching). `fields` gives a
  /// spec per named group by name; groups without one are strings. On
  /// failure ok() is false and error() says why: RE2's message, or a spec
  /// naming a group the regex does not have. A Pattern is immutable once
  /// built; Match may be called from several threads at once.
  Pattern(std::string name, std::string regex, std::vector<FieldSpec> fields);
  ~Pattern();
  Pattern(const Pattern&) = delete;
  Pattern& operator=(const Pattern&) = delete;

  bool ok() const;
  std::string error() const;
  const std::string& name() const { return name_; }
  const std::string& regex() const { return regex_; }
  const re2::RE2& re2() const { return *re_; }
  /// The named groups, in the order they appear, with their specs.
  const std::vector<FieldSpec>& fields() const { return specs_; }

  /// Matches the whole of `text` and converts every group that took part
  /// into *out (views into text, the arena, static storage, or this
  /// Pattern's field names), in group order. False when the text does not
  /// match or a typed group does not convert; *out is then unspecified.
  /// `decode` undoes each field's declared escaping.
  bool Match(std::string_view text, Arena& arena, bool decode,
             std::vector<MatchedField>* out) const;

 private:
  std::string name_;
  std::string regex_;
  std::string error_;
  std::unique_ptr<re2::RE2> re_;
  std::vector<FieldSpec> specs_;   // per named group, in group order
  std::vector<int> group_index_;   // RE2 group number of specs_[i]
  int groups_ = 0;
};

/// Converts one group's text by its spec. False when it does not convert:
/// kInt takes [+-]digits (beyond int64 as a JSON number literal), kFloat and
/// kDuration a finite decimal number. "-" and "" first follow `dash` and
/// `empty_is_null`.
bool ConvertField(const FieldSpec& spec, std::string_view text, Arena& arena, bool decode,
                  Value* out);

/// Undoes a server's escaping: kBackslash: \" \\ \n \t \r and \xHH (gunicorn,
/// Apache); kNginx: \xHH (nginx writes " and \ and bytes outside printable
/// ASCII so); kApache: as kBackslash. Bytes that \xHH produce and that are
/// not UTF-8 are written as U+FFFD. Returns text itself when nothing changes.
std::string_view Unescape(std::string_view text, FieldSpec::Escapes escapes, Arena& arena);

}  // namespace logchain

#endif  // LOGCHAIN_PATTERNS_PATTERN_H_

// Splitting combined-format access lines exactly as the seed does.
//
// The seed's parser is one regular expression, run with Python's `re`:
//   (?P<host>\S+) \S+ (?P<user>\S+) \[(?P<time>.+)\] "(?P<request>.+)"
//   (?P<status>[0-9]+) (?P<size>\S+) "(?P<referer>.*)" "(?P<agent>.*)"
// joined by \s+ and ended by \s*\Z, anchored at the start (re.match). In
// Python, \s is Unicode whitespace (29 code points, \x1c-\x1f included),
// `.` is anything but "\n", and the greedy groups pick the split a
// backtracking matcher finds first.
//
// ParseSeed() computes that split with a linear-time scanner: after the
// three leading tokens, the greedy `.+`/`.*` groups are decided right to
// left (the agent's closing quote is the last non-space character; the
// referer ends at the last quote followed by spaces and a quote; the request
// ends at the last quote that starts a valid status/size tail; the time ends
// at the last "]" that leads to that request). Text containing "\n" (only
// possible in a JSON record's event) goes through RE2 instead.
// ParseWithRe2() runs the same regex through RE2, with Python's \s spelled
// out; RE2's leftmost-first submatches equal a backtracking matcher's, so it
// is the reference the scanner is tested and fuzzed against.
#ifndef LOGCHAIN_PROCESSORS_COMBINED_PARSER_H_
#define LOGCHAIN_PROCESSORS_COMBINED_PARSER_H_

#include <memory>
#include <string_view>

#include "record/value.h"

namespace re2 {
class RE2;
}

namespace logchain {

class Arena;

struct CombinedFields {
  std::string_view host, user, time, request, status, size, referer, agent;
  bool operator==(const CombinedFields&) const = default;
};

class CombinedParser {
 public:
  CombinedParser();
  ~CombinedParser();
  CombinedParser(const CombinedParser&) = delete;
  CombinedParser& operator=(const CombinedParser&) = delete;

  /// The seed regex's groups for s (valid UTF-8), or false where it does not
  /// match. `no_line_feed`: s is known to hold none (see
  /// Record::text_is_single_line), so the scanner needs no search for one.
  bool ParseSeed(std::string_view s, CombinedFields* out, bool no_line_feed = false) const;

  /// The linear-time scanner alone; s must not contain "\n".
  static bool ScanSeed(std::string_view s, CombinedFields* out);

  /// The seed regex through RE2.
  bool ParseWithRe2(std::string_view s, CombinedFields* out) const;

  /// A relaxed form for lines the seed regex refuses: an empty host (gunicorn
  /// on a UNIX socket), a user containing spaces, an empty request.
  bool ParseLenient(std::string_view s, CombinedFields* out) const;

 private:
  // Compiled on first use: the scanner decides nearly every line, and
  // compiling both (Unicode classes included) would be most of logchain's
  // start-up time. A parser belongs to one thread, as its processor does.
  const re2::RE2& Seed() const;
  const re2::RE2& Lenient() const;
  mutable std::unique_ptr<re2::RE2> seed_;
  mutable std::unique_ptr<re2::RE2> lenient_;
};

/// Python's int(text) for text without whitespace: optional sign, decimal
/// digits (any Unicode decimal digit, as Python accepts), single underscores
/// between digits. On success sets *out to an Int, or to a Number holding
/// the canonical decimal digits (in arena) when it exceeds 64 bits.
bool PythonInt(std::string_view text, Arena& arena, Value* out);

/// Python's whitespace (str.isspace(), which re's \s matches): the length in
/// bytes of the whitespace character starting at p, or 0.
size_t PythonSpaceLength(const char* p, const char* end);

}  // namespace logchain

#endif  // LOGCHAIN_PROCESSORS_COMBINED_PARSER_H_

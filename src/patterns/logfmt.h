// logfmt: lines of key=value pairs (`level=info msg="GET /" took=1.2ms`), as
// Go's logfmt, logrus's text formatter and Heroku's router write them.
//
// A logfmt line is not one fixed-group regex (its keys are the line's own),
// so the pattern library gives it its own kind (`@kind logfmt` in a pattern
// file): a regex recognises the line (and feeds parse_auto's prefilter),
// then ParseLogfmt splits it into pairs.
#ifndef LOGCHAIN_PATTERNS_LOGFMT_H_
#define LOGCHAIN_PATTERNS_LOGFMT_H_

#include <string_view>
#include <vector>

#include "common/arena.h"

namespace logchain {

struct LogfmtPair {
  std::string_view key;
  std::string_view value;  // unquoted and unescaped
};

/// The regex a logfmt line matches as a whole: one or more key=value pairs
/// separated by spaces or tabs. A key is any run of bytes other than space,
/// tab, '=' and '"'; a value is empty, a run of bytes other than space, tab
/// and '"', or a double-quoted string with backslash escapes.
extern const char kLogfmtRegex[];

/// Splits `text` (valid UTF-8) into pairs, in line order. Quoted values are
/// unescaped (\" \\ \/ \n \r \t \b \f \uXXXX, an unpaired surrogate as
/// U+FFFD; any other backslash is kept) into the arena when they contain an
/// escape; all other views point into text. Returns false, with *out
/// unspecified, when text is not logfmt as kLogfmtRegex defines it (a token
/// without '=', a stray or unterminated quote, no pair at all).
bool ParseLogfmt(std::string_view text, Arena& arena, std::vector<LogfmtPair>* out);

}  // namespace logchain

#endif  // LOGCHAIN_PATTERNS_LOGFMT_H_

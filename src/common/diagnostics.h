// Diagnostics: the one place logchain talks to its user on stderr.
//
// Set-up problems are collected (never thrown one at a time) so that a user
// sees every mistake in their configuration in one run, each with where it was
// found and how to fix it. Run-time messages name the problem, never the data:
// no line content, request or header ever reaches stderr from here.
#ifndef LOGCHAIN_COMMON_DIAGNOSTICS_H_
#define LOGCHAIN_COMMON_DIAGNOSTICS_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace logchain {

/// One configuration problem: where it was found (a flag, "config.toml:12"),
/// what is wrong, and a hint that says how to fix it.
struct Problem {
  std::string where;
  std::string what;
  std::string hint;
};

/// Collects set-up problems. Not thread-safe; used before input is read.
class Diagnostics {
 public:
  void Error(std::string where, std::string what, std::string hint = {});
  bool ok() const { return problems_.empty(); }
  const std::vector<Problem>& problems() const { return problems_; }

  /// Every problem as "logchain: error: <where>: <what>\n  hint: <hint>\n".
  std::string Format() const;

 private:
  std::vector<Problem> problems_;
};

/// Writes "logchain: error: <message>\n" (or warning/note) to stderr in one
/// write, so concurrent writers do not interleave within a message.
void PrintError(std::string_view message);
void PrintWarning(std::string_view message);
void PrintNote(std::string_view message);
/// Writes text to stderr unchanged (collected problems, the --stats summary).
void PrintRaw(std::string_view text);
/// Writes text to stdout unchanged (help, version, listings: what was asked for).
void PrintStdout(std::string_view text);

/// The candidate closest to `word` by edit distance, or empty when nothing is
/// close enough to be a plausible typo.
std::string_view Suggest(std::string_view word, std::span<const std::string_view> candidates);

/// " (did you mean 'x'?)" or "" — for building messages.
std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates);

}  // namespace logchain

#endif  // LOGCHAIN_COMMON_DIAGNOSTICS_H_

// The pattern library: named line patterns from the shipped pattern files
// (patterns/, installed in share/logchain/patterns) and from the user's
// --patterns-dir, loaded once at start-up, before any input is read.
//
// A pattern file NAME.pattern holds one pattern, written fragment by
// fragment because RE2 has no free-spacing mode (docs/patterns.md):
//
//   # Comment lines start with '#'; blank lines are ignored.
//   @format $remote_addr - $remote_user [$time_local] ...   the format it implements
//   @sample 192.0.2.1 - - [15/Aug/2019:14:19:23 +0000] ...  a line it must match
//   @type status int                     declared types (see below)
//   @type user string dash=null
//   (?P<host>\S*)  # $remote_addr        one fragment per line, each with
//   [ ]-[ ]  # literal " - "             a comment naming what it matches
//
// A fragment is the text before "  # " (two spaces, '#', space), trimmed;
// write a space at a fragment's edge as [ ]. The fragments are joined and
// the whole line must match. Named groups (?P<field>...) become fields, in
// the order they appear; a group that did not take part is left out.
// `@type FIELD TYPE [dash=null|dash=0] [empty=null] [escapes=KIND]`: TYPE is
// string, int, float or level; escapes= backslash, apache or nginx says how
// the server escaped the field, undone when the processor's decode is on.
// Grok-style references %{NAME}, %{NAME:field} and %{NAME:field:int|float}
// expand to named building blocks, defined in *.blocks files as lines
// `NAME REGEX  # comment`.
//
// `@kind logfmt` makes a pattern of key=value pairs (patterns/logfmt.h):
// its fragments recognise the line, its pairs become fields, `@type` applies
// to keys (a value that does not convert stays a string) and
// `@rename KEY FIELD` renames a key (msg -> event).
//
// Every problem in every file is reported in one run as file:line, and a
// pattern RE2 cannot compile (back-references, look-around) is refused with
// RE2's reason. A user file with a shipped pattern's name replaces it; a
// building block may be defined once.
#ifndef LOGCHAIN_PATTERNS_LIBRARY_H_
#define LOGCHAIN_PATTERNS_LIBRARY_H_

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/arena.h"
#include "common/diagnostics.h"
#include "patterns/pattern.h"

namespace logchain {

enum class PatternKind : uint8_t { kRegex, kLogfmt };

/// One named pattern of the library. Immutable once loaded; Parse may be
/// called from several threads at once.
struct NamedPattern {
  std::string name;
  std::string file;                  // "…/patterns/nginx_combined.pattern"
  std::string format;                // @format
  std::vector<std::string> samples;  // @sample lines, each checked at load
  PatternKind kind = PatternKind::kRegex;
  /// The compiled regex: the parser itself (kRegex) or the recogniser of
  /// whole lines (kLogfmt). parse_auto's prefilter is built from these.
  std::unique_ptr<Pattern> pattern;
  std::vector<FieldSpec> key_types;                          // kLogfmt: @type
  std::vector<std::pair<std::string, std::string>> renames;  // kLogfmt: @rename

  /// Splits `text` into typed fields (views into text, arena, or this
  /// pattern). False when the text is not what the pattern describes.
  bool Parse(std::string_view text, Arena& arena, bool decode,
             std::vector<MatchedField>* out) const;
};

/// A file's name and text (files read from a directory, or given by tests).
struct PatternFile {
  std::string name;  // file name, e.g. "nginx_combined.pattern"
  std::string text;
};

class PatternLibrary {
 public:
  /// Where the shipped patterns are looked for, in order: next to the binary
  /// in the build tree (<bin>/share/logchain/patterns), relative to an
  /// installed binary (<bin>/../share/logchain/patterns), the configured
  /// install prefix, then /usr/share/logchain/patterns.
  static std::vector<std::string> DefaultShippedDirs();

  /// Loads the shipped pattern directory (`shipped_dir`, or when empty the
  /// first of DefaultShippedDirs() that exists) and then every *.blocks and
  /// *.pattern file in `user_dirs`. Returns null when anything was wrong,
  /// with every problem reported.
  static std::unique_ptr<PatternLibrary> Load(std::string_view shipped_dir,
                                              std::span<const std::string> user_dirs,
                                              Diagnostics& diagnostics);

  /// Adds one directory's files: blocks first, then patterns. `dir` prefixes
  /// the file names in messages. False when any file had a problem.
  bool AddFiles(std::span<const PatternFile> files, std::string_view dir,
                Diagnostics& diagnostics);

  const NamedPattern* Find(std::string_view name) const;
  /// Every pattern's name, sorted.
  std::vector<std::string_view> Names() const;
  const std::map<std::string, std::string, std::less<>>& blocks() const { return blocks_; }

 private:
  bool AddBlocks(const std::string& file, std::string_view text, Diagnostics& diagnostics);
  bool AddPattern(const std::string& file, std::string_view name, std::string_view text,
                  Diagnostics& diagnostics);
  // Expands %{...} references into *out; false (with *error) on an unknown
  // block, a cycle or an expansion that grows too large.
  bool Expand(std::string_view fragment, int depth, std::string* out,
              std::vector<FieldSpec>* specs, std::string* error) const;

  std::map<std::string, std::string, std::less<>> blocks_;
  std::map<std::string, std::string, std::less<>> block_files_;  // where each was defined
  std::vector<std::unique_ptr<NamedPattern>> patterns_;
};

/// The library a chain's processors share, loaded on first use so that a
/// chain without pattern processors never pays for it (nor needs the
/// shipped files). Used while the chain is built, by one thread.
class PatternLibraryHandle {
 public:
  PatternLibraryHandle(std::string shipped_dir, std::vector<std::string> user_dirs)
      : shipped_dir_(std::move(shipped_dir)), user_dirs_(std::move(user_dirs)) {}
  /// The library, or null when it could not be loaded (problems reported
  /// once). Processors keep the pointer: the library lives as long as they do.
  std::shared_ptr<const PatternLibrary> Get(Diagnostics& diagnostics);

 private:
  std::string shipped_dir_;
  std::vector<std::string> user_dirs_;
  bool loaded_ = false;
  std::shared_ptr<const PatternLibrary> library_;
};

}  // namespace logchain

#endif  // LOGCHAIN_PATTERNS_LIBRARY_H_

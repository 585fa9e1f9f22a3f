// Conditions: the small language drop_where and keep_where filter with.
//
//   condition := term { "or" term }
//   term      := factor { "and" factor }
//   factor    := "not" factor | "(" condition ")" | FIELD "exists"
//              | FIELD OP VALUE
//   OP        := == != < <= > >= ^= (starts with) $= (ends with)
//              | *= (contains) =~ (RE2 search) !~ (no RE2 match)
//   VALUE     := "double" or 'single' quoted (\\ \" \' escapes) | a bare word
//
// FIELD is a record field as processors see it (seed names: host, status,
// level, path, ...). A condition is compiled once at start-up, where every
// mistake is reported with its column; evaluation never fails and never
// allocates. Semantics, per comparison:
//  - a missing field makes every comparison false; `!=` and `!~` are the
//    negations of `==` and `=~`, so they are true for a missing field;
//  - `level` with < <= > >= compares severities:
//    debug < info < warning < error < critical (VALUE must be a level);
//  - other < <= > >= compare numbers (VALUE must be a number); a field that
//    is not a number (or numeric text) compares false;
//  - == compares numbers numerically when the field is a number, text
//    exactly when it is a string, and `null`, `true`, `false` bare words
//    match JSON null and booleans;
//  - ^= $= *= =~ !~ apply to a string field's text or a number's digits.
#ifndef LOGCHAIN_PROCESSORS_CONDITION_H_
#define LOGCHAIN_PROCESSORS_CONDITION_H_

#include <memory>
#include <string>
#include <string_view>

#include "processors/processor.h"
#include "record/record.h"

namespace logchain {

class Condition {
 public:
  Condition(const Condition&) = delete;
  Condition& operator=(const Condition&) = delete;
  ~Condition();

  /// Compiles `text`; on failure returns null and sets *error to a message
  /// that names the column ("at column 7: expected an operator ...").
  static std::unique_ptr<Condition> Compile(std::string_view text, std::string* error);

  /// Whether the record satisfies the condition. Thread-compatible: const.
  bool Matches(const Record& record) const noexcept;

  struct Node;

 private:
  explicit Condition(std::unique_ptr<Node> root);
  std::unique_ptr<Node> root_;
};

/// Which records a condition filter lets through: drop_where drops the
/// records that match, keep_where keeps them and drops the rest.
enum class FilterSense : uint8_t { kDropMatches, kKeepMatches };

/// The one implementation of drop_where and keep_where: compiles the `when`
/// option into a filter of the given sense. A missing or wrong condition is
/// reported at `where` (the hint for a missing one shows `example`, a
/// condition typical for that filter) and null is returned.
std::unique_ptr<Processor> CreateConditionFilter(FilterSense sense, std::string_view example,
                                                 const ProcessorDescriptor& self,
                                                 const OptionValues& options,
                                                 std::string_view where,
                                                 Diagnostics& diagnostics);

/// The severity of a structlog level name (debug 10 ... critical 50), or -1.
int LevelSeverity(std::string_view level);

}  // namespace logchain

#endif  // LOGCHAIN_PROCESSORS_CONDITION_H_

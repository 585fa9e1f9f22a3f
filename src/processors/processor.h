// Processors: the steps of a chain, and how they describe themselves.
//
// Each processor has two parts, as Vector splits configuration from runtime:
//  - a ProcessorDescriptor (constant data): name, one-line summary, option
//    table, the ways it can fail, and examples that run as tests and appear
//    in the docs; its `create` validates options and reports every problem;
//  - a Processor instance, built once per pipeline (per thread in batch
//    mode), then called for every record.
// The one list of descriptors is in registry.cc.
#ifndef LOGCHAIN_PROCESSORS_PROCESSOR_H_
#define LOGCHAIN_PROCESSORS_PROCESSOR_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/diagnostics.h"
#include "record/record.h"

namespace logchain {

class Clock;
class CompiledFormat;
class PatternLibraryHandle;
struct DecoderOptions;

/// What one processor did to one record.
enum class Outcome : uint8_t {
  kApplied,        // changed the record
  kNotApplicable,  // nothing to do here (not a failure)
  kFailed,         // could not do its job; the record carries an error note
  kDropped,        // a filter removed the record from the output
};

class Processor {
 public:
  virtual ~Processor() = default;
  /// Called for every record. Never throws, never prints. A processor that
  /// fails leaves the record as it found it apart from its error note (parse
  /// into locals, commit at the end), and keeps no state between records
  /// unless merging records is its documented purpose.
  virtual Outcome Process(Record& record) noexcept = 0;
};

/// Adds key = value unless the record has key: processors never overwrite
/// what a line already carries.
template <typename KeyT>  // fields::Key, or any string
[[gnu::always_inline]] inline Outcome AddIfMissing(Record& record, const KeyT& key, const Value& value) {
  if (record.Has(key)) return Outcome::kNotApplicable;
  record.Add(key, value);
  return Outcome::kApplied;
}

enum class OptionType : uint8_t { kString, kBool, kInt, kEnum };

struct OptionSpec {
  std::string_view name;
  OptionType type;
  std::string_view default_value;  // as a user would write it
  std::string_view help;           // one sentence
  std::span<const std::string_view> choices = {};  // kEnum
  int64_t min = 0;                                 // kInt
  int64_t max = INT64_MAX;                         // kInt
};

/// A documented example: running `chain` (comma-separated processor names)
/// with `settings` (space-separated name.option=value, as --set takes them)
/// and a fixed clock (2019-08-15 14:19:30 UTC) over `input` gives `output`.
struct Example {
  std::string_view title;
  std::string_view chain;
  std::string_view settings;
  std::string_view input;
  std::string_view output;
};

/// One processor's validated options: every option of its table, set or
/// defaulted, in canonical text ("true"/"false" for booleans).
class OptionValues {
 public:
  void Set(std::string_view name, std::string value);
  /// The option's text; the option must be in the processor's table.
  std::string_view Text(std::string_view name) const;
  bool Bool(std::string_view name) const { return Text(name) == "true"; }
  int64_t Int(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

/// What a processor may use besides its options.
struct ProcessorContext {
  const Clock* clock = nullptr;
  const DecoderOptions* decoder = nullptr;
  /// Where a processor that parses a configured access-log format
  /// (parse_format) registers it, so that the line decoder recognises its
  /// lines as access lines; null when nothing decodes lines (--check).
  std::vector<std::shared_ptr<const CompiledFormat>>* access_formats = nullptr;
  /// The pattern library (patterns/ and --patterns-dir), loaded on first use.
  PatternLibraryHandle* patterns = nullptr;
};

struct ProcessorDescriptor;

/// Creates the processor from validated options, or reports why it cannot
/// (where: the place the processor was configured) and returns null.
using CreateFn = std::unique_ptr<Processor> (*)(const ProcessorDescriptor& self,
                                                const OptionValues& options,
                                                const ProcessorContext& context,
                                                std::string_view where, Diagnostics& diagnostics);

struct ProcessorDescriptor {
  std::string_view name;         // verb_object, snake_case
  std::string_view summary;      // one line, for --list-processors
  std::string_view description;  // a paragraph for --describe and the docs
  std::span<const OptionSpec> options;
  std::span<const std::string_view> failures;  // the error notes it can add
  std::span<const Example> examples;
  CreateFn create;
};

/// An option as the user wrote it, before validation.
struct RawOption {
  std::string name;
  std::string value;
  std::string where;  // "--set add_timestamp.fmt", "logchain.toml:7"
};

/// One entry of a configured chain, before validation.
struct ProcessorConfig {
  std::string name;
  std::string where;  // "--chain", "logchain.toml:3"
  std::vector<RawOption> options;
};

/// Checks raw options against the descriptor's table (unknown names, types,
/// ranges, choices; every problem reported) and fills `values` with every
/// option of the table. Returns false when something was wrong.
bool ValidateOptions(const ProcessorDescriptor& descriptor, std::span<const RawOption> raw,
                     OptionValues* values, Diagnostics& diagnostics);

}  // namespace logchain

#endif  // LOGCHAIN_PROCESSORS_PROCESSOR_H_

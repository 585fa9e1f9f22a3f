// Chain: the configured processors, run in order over each record.
//
// Built once from configuration, with every problem reported at once; then
// Run() is called per record. A chain is not thread-safe: batch mode builds
// one per worker thread from the same configuration.
#ifndef LOGCHAIN_PIPELINE_CHAIN_H_
#define LOGCHAIN_PIPELINE_CHAIN_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/diagnostics.h"
#include "processors/fold_traceback.h"
#include "processors/processor.h"
#include "record/record.h"

namespace logchain {

class Chain {
 public:
  /// Per-processor counts, for --stats and metrics.
  struct Counts {
    uint64_t applied = 0;
    uint64_t failed = 0;
    uint64_t dropped = 0;
  };

  /// Validates and builds every entry; null (with problems reported) when
  /// anything is wrong.
  static std::unique_ptr<Chain> Build(std::span<const ProcessorConfig> config,
                                      const ProcessorContext& context,
                                      Diagnostics& diagnostics);

  /// Runs every processor in order. Returns false when a filter dropped the
  /// record (the rest of the chain does not run).
  bool Run(Record& record) noexcept;

  /// Folding settings when fold_traceback is in the chain.
  const std::optional<FoldSettings>& fold() const { return fold_; }

  size_t size() const { return steps_.size(); }
  std::string_view name(size_t i) const { return steps_[i].descriptor->name; }
  const Counts& counts(size_t i) const { return steps_[i].counts; }
  /// Adds another chain's counts (the same configuration, another thread's).
  void AddCounts(const Chain& other);

 private:
  struct Step {
    const ProcessorDescriptor* descriptor;
    std::unique_ptr<Processor> processor;
    Counts counts;
  };
  std::vector<Step> steps_;
  std::optional<FoldSettings> fold_;
};

}  // namespace logchain

#endif  // LOGCHAIN_PIPELINE_CHAIN_H_

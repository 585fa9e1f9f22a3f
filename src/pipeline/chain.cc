#include "pipeline/chain.h"

#include "processors/registry.h"

namespace logchain {

std::unique_ptr<Chain> Chain::Build(std::span<const ProcessorConfig> config,
                                    const ProcessorContext& context, Diagnostics& diagnostics) {
  auto chain = std::make_unique<Chain>();
  const std::vector<std::string_view> names = ProcessorNames();
  bool ok = true;
  for (const ProcessorConfig& entry : config) {
    const ProcessorDescriptor* descriptor = FindProcessor(entry.name);
    if (descriptor == nullptr) {
      diagnostics.Error(entry.where,
                        "unknown processor '" + entry.name + "'" + DidYouMean(entry.name, names),
                        "logchain --list-processors shows every processor");
      ok = false;
      continue;
    }
    OptionValues values;
    if (!ValidateOptions(*descriptor, entry.options, &values, diagnostics)) {
      ok = false;
      continue;
    }
    std::unique_ptr<Processor> processor =
        descriptor->create(*descriptor, values, context, entry.where, diagnostics);
    if (processor == nullptr) {
      ok = false;
      continue;
    }
    if (descriptor->name == "fold_traceback") {
      if (chain->fold_.has_value()) {
        diagnostics.Error(entry.where, "fold_traceback appears twice in the chain",
                          "keep one: lines can be grouped only once");
        ok = false;
        continue;
      }
      FoldSettings settings;
      settings.idle_ms = static_cast<int>(values.Int("idle_ms"));
      settings.max_bytes = static_cast<size_t>(values.Int("max_bytes"));
      chain->fold_ = settings;
    }
    chain->steps_.push_back(Step{descriptor, std::move(processor), {}});
  }
  return ok ? std::move(chain) : nullptr;
}

void Chain::AddCounts(const Chain& other) {
  for (size_t i = 0; i < steps_.size() && i < other.steps_.size(); ++i) {
    steps_[i].counts.applied += other.steps_[i].counts.applied;
    steps_[i].counts.failed += other.steps_[i].counts.failed;
    steps_[i].counts.dropped += other.steps_[i].counts.dropped;
  }
}

bool Chain::Run(Record& record) noexcept {
  for (Step& step : steps_) {
    switch (step.processor->Process(record)) {
      case Outcome::kApplied:
        ++step.counts.applied;
        break;
      case Outcome::kNotApplicable:
        break;
      case Outcome::kFailed:
        ++step.counts.failed;
        break;
      case Outcome::kDropped:
        ++step.counts.dropped;
        return false;
    }
  }
  return true;
}

}  // namespace logchain

// The registry: THE list of processors.
//
// One constant array in registry.cc names every processor; nothing registers
// itself from a global constructor. The array drives --list-processors,
// --describe, "did you mean" suggestions, docs/processors.md (generated and
// checked by a test) and the example tests.
#ifndef LOGCHAIN_PROCESSORS_REGISTRY_H_
#define LOGCHAIN_PROCESSORS_REGISTRY_H_

#include <span>
#include <string_view>
#include <vector>

#include "processors/processor.h"

namespace logchain {

/// Every processor, in documentation order.
std::span<const ProcessorDescriptor* const> Registry();

/// The descriptor named `name`, or null.
const ProcessorDescriptor* FindProcessor(std::string_view name);

/// Every processor's name (for suggestions).
std::vector<std::string_view> ProcessorNames();

/// The chain logchain runs when none is configured: the seed article's
/// foreign_pre_chain, plus traceback folding.
std::span<const std::string_view> DefaultChain();

}  // namespace logchain

#endif  // LOGCHAIN_PROCESSORS_REGISTRY_H_

#include "processors/registry.h"

#include <array>

namespace logchain {

extern const ProcessorDescriptor kFoldTraceback;
extern const ProcessorDescriptor kAddLogLevel;
extern const ProcessorDescriptor kAddLoggerName;
extern const ProcessorDescriptor kAddTimestamp;
extern const ProcessorDescriptor kParseCombined;
extern const ProcessorDescriptor kParseFormat;
extern const ProcessorDescriptor kParseRequest;
extern const ProcessorDescriptor kParsePattern;
extern const ProcessorDescriptor kParseAuto;
extern const ProcessorDescriptor kDropWhere;
extern const ProcessorDescriptor kKeepWhere;
extern const ProcessorDescriptor kAddFields;
extern const ProcessorDescriptor kRenameFields;
extern const ProcessorDescriptor kRemoveFields;
extern const ProcessorDescriptor kRedactFields;
extern const ProcessorDescriptor kKeepPrefix;

namespace {

constexpr std::array kRegistry = {
    &kFoldTraceback, &kAddLogLevel,  &kAddLoggerName, &kAddTimestamp, &kParseCombined,
    &kParseFormat,   &kParseRequest, &kDropWhere,     &kKeepWhere,    &kAddFields,
    &kRenameFields,  &kRemoveFields, &kRedactFields,  &kParsePattern, &kParseAuto,
    &kKeepPrefix,
};

constexpr std::string_view kDefaultChain[] = {
    "fold_traceback", "add_log_level", "add_logger_name", "add_timestamp", "parse_combined",
};

}  // namespace

std::span<const ProcessorDescriptor* const> Registry() { return kRegistry; }

const ProcessorDescriptor* FindProcessor(std::string_view name) {
  for (const ProcessorDescriptor* d : kRegistry) {
    if (d->name == name) return d;
  }
  return nullptr;
}

std::vector<std::string_view> ProcessorNames() {
  std::vector<std::string_view> names;
  for (const ProcessorDescriptor* d : kRegistry) names.push_back(d->name);
  return names;
}

std::span<const std::string_view> DefaultChain() { return kDefaultChain; }

}  // namespace logchain

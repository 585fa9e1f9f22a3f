#include "cli/processor_docs.h"

#include <algorithm>

#include "cli/cli.h"
#include "processors/registry.h"

namespace logchain {
namespace {

// A Markdown table cell: '|' would end the cell, a newline the row.
std::string Cell(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '|') {
      out.append("\\|");
    } else if (c == '\n') {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string_view TypeName(const OptionSpec& o) {
  switch (o.type) {
    case OptionType::kString:
      return "string";
    case OptionType::kBool:
      return "bool";
    case OptionType::kInt:
      return "int";
    case OptionType::kEnum:
      return "one of";
  }
  return "";
}

}  // namespace

std::string ProcessorsMarkdown() {
  std::string out;
  out.append(
      "# Processors\n\n"
      "<!-- Generated from the processor registry (src/processors/registry.cc) by\n"
      "     `logchain --processors-markdown > docs/processors.md`; a test fails when this\n"
      "     file differs from what the registry says. Edit the descriptors, not this file. -->\n\n"
      "Every processor logchain has, in registry order. A chain is a comma-separated list\n"
      "of them (`--chain`, or `chain` in the TOML file); options are set with\n"
      "`--set PROCESSOR.OPTION=VALUE` (or a `[processors.NAME]` table). Each example below\n"
      "runs as a test with a fixed clock (2019-08-15 14:19:30 UTC) and prints what is\n"
      "shown; `logchain --describe NAME` prints the same text.\n\n");
  const auto defaults = DefaultChain();
  out.append("Default chain: `");
  for (size_t i = 0; i < defaults.size(); ++i) out.append(i == 0 ? "" : ",").append(defaults[i]);
  out.append("`\n\n| processor | what it does |\n|---|---|\n");
  for (const ProcessorDescriptor* d : Registry()) {
    const bool in_default = std::find(defaults.begin(), defaults.end(), d->name) != defaults.end();
    out.append("| [").append(d->name).append("](#").append(d->name).append(") | ");
    out.append(Cell(d->summary)).append(in_default ? " (default chain)" : "").append(" |\n");
  }
  for (const ProcessorDescriptor* d : Registry()) {
    out.append("\n## ").append(d->name).append("\n\n");
    out.append(d->summary).append("\n\n").append(d->description).append("\n");
    if (!d->options.empty()) {
      out.append("\n| option | type | default | meaning |\n|---|---|---|---|\n");
      for (const OptionSpec& o : d->options) {
        std::string type(TypeName(o));
        if (o.type == OptionType::kEnum) {
          for (size_t i = 0; i < o.choices.size(); ++i) {
            type.append(i == 0 ? " " : ", ").append(o.choices[i]);
          }
        }
        if (o.type == OptionType::kInt) {
          type.append(" (").append(std::to_string(o.min)).append("..");
          if (o.max != INT64_MAX) type.append(std::to_string(o.max));
          type.append(")");
        }
        out.append("| `").append(o.name).append("` | ").append(Cell(type)).append(" | ");
        if (o.default_value.empty()) {
          out.append("(empty)");
        } else {
          out.append("`").append(Cell(o.default_value)).append("`");
        }
        out.append(" | ").append(Cell(o.help)).append(" |\n");
      }
    }
    out.append("\n`logchain --describe ").append(d->name).append("`:\n\n```text\n");
    out.append(DescribeProcessor(*d)).append("```\n");
  }
  return out;
}

}  // namespace logchain

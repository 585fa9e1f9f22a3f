// docs/processors.md, generated from the registry.
//
// The reference of every processor (summary, description, options, error
// notes, examples) is written from the same descriptors that drive
// --list-processors and --describe, so the document cannot drift from the
// code: a test compares the checked-in file with this text, and
// `logchain --processors-markdown > docs/processors.md` regenerates it.
#ifndef LOGCHAIN_CLI_PROCESSOR_DOCS_H_
#define LOGCHAIN_CLI_PROCESSOR_DOCS_H_

#include <string>

namespace logchain {

/// The whole text of docs/processors.md.
std::string ProcessorsMarkdown();

}  // namespace logchain

#endif  // LOGCHAIN_CLI_PROCESSOR_DOCS_H_

#include "cli/processor_docs.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "processors/registry.h"

namespace logchain {
namespace {

TEST(ProcessorDocsTest, CheckedInFileIsUpToDate) {
  const std::string path = std::string(LOGCHAIN_SOURCE_DIR) + "/docs/processors.md";
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << path << " is missing; regenerate it with\n"
                         << "  logchain --processors-markdown > docs/processors.md";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(text.str() == ProcessorsMarkdown())
      << path << " differs from the registry; regenerate it with\n"
      << "  logchain --processors-markdown > docs/processors.md";
}

TEST(ProcessorDocsTest, EveryProcessorOptionAndExampleAppears) {
  const std::string md = ProcessorsMarkdown();
  for (const ProcessorDescriptor* d : Registry()) {
    EXPECT_NE(std::string::npos, md.find("\n## " + std::string(d->name) + "\n")) << d->name;
    for (const OptionSpec& o : d->options) {
      EXPECT_NE(std::string::npos, md.find("| `" + std::string(o.name) + "` |")) << d->name;
    }
    for (const Example& e : d->examples) {
      EXPECT_NE(std::string::npos, md.find(std::string(e.title))) << d->name;
    }
  }
}

}  // namespace
}  // namespace logchain

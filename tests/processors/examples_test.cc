// Every example in every processor's descriptor runs here, so the examples
// that --describe and docs/processors.md show are always true.
#include <gtest/gtest.h>

#include "processors/registry.h"
#include "test_util.h"

namespace logchain {
namespace {

TEST(ExamplesTest, EveryDescriptorExampleHolds) {
  size_t count = 0;
  for (const ProcessorDescriptor* d : Registry()) {
    EXPECT_FALSE(d->examples.empty()) << d->name << " has no example";
    for (const Example& e : d->examples) {
      const testing::RunResult r =
          testing::RunText(testing::ConfigFor(e.chain, e.settings), std::string(e.input) + "\n");
      ASSERT_TRUE(r.ok) << d->name << ": " << r.problems;
      // An example whose every line is dropped has an empty output.
      const std::string expected = e.output.empty() ? "" : std::string(e.output) + "\n";
      EXPECT_EQ(expected, r.output) << d->name << ": " << e.title;
      ++count;
    }
  }
  EXPECT_GT(count, 5u);
}

TEST(RegistryTest, NamesAreUniqueVerbObjectAndSummariesFitOneLine) {
  std::vector<std::string_view> seen;
  for (const ProcessorDescriptor* d : Registry()) {
    EXPECT_EQ(std::find(seen.begin(), seen.end(), d->name), seen.end()) << d->name;
    seen.push_back(d->name);
    EXPECT_NE(d->name.find('_'), std::string_view::npos) << d->name;
    for (char c : d->name) EXPECT_TRUE((c >= 'a' && c <= 'z') || c == '_') << d->name;
    EXPECT_LE(d->summary.size(), 90u) << d->name;
    EXPECT_FALSE(d->description.empty()) << d->name;
  }
  for (std::string_view name : DefaultChain()) EXPECT_NE(nullptr, FindProcessor(name)) << name;
}

}  // namespace
}  // namespace logchain

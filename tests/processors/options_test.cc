#include <gtest/gtest.h>

#include "pipeline/chain.h"
#include "processors/registry.h"
#include "record/clock.h"

namespace logchain {
namespace {

std::string Problems(std::vector<ProcessorConfig> config) {
  Diagnostics d;
  const FixedClock clock(EventTime{0, 0, true});
  ProcessorContext context;
  context.clock = &clock;
  auto chain = Chain::Build(config, context, d);
  EXPECT_EQ(chain == nullptr, !d.ok());
  return d.Format();
}

TEST(OptionsTest, ValidOptionsBuildAChain) {
  EXPECT_EQ("", Problems({{"add_timestamp", "t", {{"fmt", "iso", "--set"}, {"utc", "yes", "--set"}}},
                          {"fold_traceback", "t", {{"idle_ms", "10", "--set"}}}}));
}

TEST(OptionsTest, EveryProblemIsReportedWithAHint) {
  const std::string text = Problems({
      {"add_timestmp", "--chain", {}},
      {"add_timestamp", "--chain",
       {{"fmtt", "x", "--set add_timestamp.fmtt"},
        {"utc", "maybe", "--set add_timestamp.utc"},
        {"source", "evnt", "--set add_timestamp.source"}}},
      {"fold_traceback", "--chain", {{"idle_ms", "-5", "--set fold_traceback.idle_ms"}}},
      {"add_log_level", "--chain", {{"x", "1", "--set add_log_level.x"}}},
  });
  EXPECT_NE(std::string::npos,
            text.find("--chain: unknown processor 'add_timestmp' (did you mean 'add_timestamp'?)"))
      << text;
  EXPECT_NE(std::string::npos, text.find("has no option 'fmtt' (did you mean 'fmt'?)")) << text;
  EXPECT_NE(std::string::npos, text.find("add_timestamp.utc must be true or false")) << text;
  EXPECT_NE(std::string::npos, text.find("cannot be 'evnt' (did you mean 'event'?)")) << text;
  EXPECT_NE(std::string::npos, text.find("idle_ms must be an integer from 0 to 10000")) << text;
  EXPECT_NE(std::string::npos, text.find("it takes no options")) << text;
}

TEST(OptionsTest, ProcessorSpecificChecks) {
  EXPECT_NE(std::string::npos,
            Problems({{"add_timestamp", "t", {{"fmt", "none", "s"}, {"utc", "false", "s"}}}})
                .find("always UTC"));
  EXPECT_NE(std::string::npos,
            Problems({{"fold_traceback", "a", {}}, {"fold_traceback", "b", {}}}).find("twice"));
}

}  // namespace
}  // namespace logchain

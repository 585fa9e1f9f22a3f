#include "common/diagnostics.h"

#include <gtest/gtest.h>

namespace logchain {
namespace {

TEST(DiagnosticsTest, SuggestsOnlyPlausibleTypos) {
  constexpr std::string_view kNames[] = {"add_log_level", "add_logger_name", "add_timestamp"};
  EXPECT_EQ("add_timestamp", Suggest("add_timestmp", kNames));
  EXPECT_EQ("add_log_level", Suggest("add_loglevel", kNames));
  EXPECT_EQ("", Suggest("parse_yaml", kNames));
  EXPECT_EQ(" (did you mean 'add_timestamp'?)", DidYouMean("ad_timestamp", kNames));
  EXPECT_EQ("", DidYouMean("zzz", kNames));
}

TEST(DiagnosticsTest, FormatsEveryProblem) {
  Diagnostics d;
  d.Error("--chain", "unknown processor 'x'", "see --list-processors");
  d.Error("", "no where");
  EXPECT_EQ(
      "logchain: error: --chain: unknown processor 'x'\n  hint: see --list-processors\n"
      "logchain: error: no where\n",
      d.Format());
}

}  // namespace
}  // namespace logchain

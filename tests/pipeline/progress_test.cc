#include "pipeline/progress.h"

#include <gtest/gtest.h>

namespace logchain {
namespace {

TEST(ProgressTest, FormatsBytesPercentLinesRateAndTimeLeft) {
  struct Case {
    uint64_t done, total, lines;
    double seconds;
    const char* expected;
  };
  const Case cases[] = {
      {0, 1000, 0, 0.0, "0 B / 1000 B    0%  0 lines"},
      {12 << 20, 48 << 20, 120000, 2.0, "12.0 MiB / 48.0 MiB   25%  120000 lines  6.0 MiB/s  ETA 0:06"},
      {48 << 20, 48 << 20, 7, 4.0, "48.0 MiB / 48.0 MiB  100%  7 lines  12.0 MiB/s  ETA 0:00"},
      {1 << 20, 1ull << 32, 1, 1.0, "1.0 MiB / 4.0 GiB    0%  1 lines  1.0 MiB/s  ETA 68:15"},
      {0, 0, 0, 1.0, "0 B / 0 B  100%  0 lines"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(c.expected, FormatProgress(c.done, c.total, c.lines, c.seconds));
  }
}

TEST(ProgressTest, DoneNeverExceedsTheTotal) {
  EXPECT_EQ("2.0 KiB / 2.0 KiB  100%  3 lines  2.0 KiB/s  ETA 0:00",
            FormatProgress(5000, 2048, 3, 1.0));
}

}  // namespace
}  // namespace logchain

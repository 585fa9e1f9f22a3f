#include "common/pipes.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>

namespace logchain {
namespace {

TEST(PipesTest, WidensAPipeFromEitherEnd) {
  for (int end = 0; end < 2; ++end) {
    int fds[2];
    ASSERT_EQ(0, pipe(fds));
    ASSERT_LT(fcntl(fds[end], F_GETPIPE_SZ), static_cast<int>(kWidePipeBytes));
    WidenPipe(fds[end]);
    // The buffer belongs to the pipe: both ends see it.
    EXPECT_EQ(static_cast<int>(kWidePipeBytes), fcntl(fds[0], F_GETPIPE_SZ));
    EXPECT_EQ(static_cast<int>(kWidePipeBytes), fcntl(fds[1], F_GETPIPE_SZ));
    close(fds[0]);
    close(fds[1]);
  }
}

TEST(PipesTest, LeavesOtherFilesAlone) {
  FILE* file = tmpfile();
  ASSERT_NE(nullptr, file);
  WidenPipe(fileno(file));  // not a pipe: nothing to do, nothing fails
  EXPECT_EQ(-1, fcntl(fileno(file), F_GETPIPE_SZ));
  fclose(file);
  WidenPipe(-1);  // not even a descriptor
}

}  // namespace
}  // namespace logchain

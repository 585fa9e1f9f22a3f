#include "common/arena.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string_view>

namespace logchain {
namespace {

TEST(ArenaTest, ResetKeepsOneBlockAndDropsHugeOnes) {
  Arena arena;
  arena.Copy("hello");
  char* big = arena.Allocate(10 * Arena::kBlockSize);
  big[0] = 'x';
  EXPECT_GE(arena.capacity(), 11 * Arena::kBlockSize);
  arena.Reset();
  EXPECT_EQ(Arena::kBlockSize, arena.capacity());
  EXPECT_EQ("abc", arena.Copy("abc"));
  EXPECT_EQ("", arena.Copy(""));
}

TEST(ArenaTest, ArraysAreAlignedAndValueInitialised) {
  Arena arena;
  for (size_t odd = 1; odd < 9; ++odd) {
    arena.Allocate(odd);  // leave the cursor at every misalignment
    std::string_view* views = arena.AllocateArray<std::string_view>(3);
    EXPECT_EQ(0u, reinterpret_cast<uintptr_t>(views) % alignof(std::string_view));
    for (int i = 0; i < 3; ++i) EXPECT_EQ(nullptr, views[i].data());
    views[2] = arena.Copy("x");  // all three are usable storage
    EXPECT_EQ("x", views[2]);
  }
}

}  // namespace
}  // namespace logchain

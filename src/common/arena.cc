#include "common/arena.h"

#include <algorithm>
#include <cstring>

namespace logchain {

char* Arena::Allocate(size_t n) {
  if (static_cast<size_t>(limit_ - cursor_) < n) {
    const size_t size = std::max(n, kBlockSize);
    blocks_.push_back(Block{std::make_unique_for_overwrite<char[]>(size), size});
    cursor_ = blocks_.back().data.get();
    limit_ = cursor_ + size;
  }
  char* p = cursor_;
  cursor_ += n;
  return p;
}

std::string_view Arena::Copy(std::string_view s) {
  if (s.empty()) return {};
  char* p = Allocate(s.size());
  std::memcpy(p, s.data(), s.size());
  return {p, s.size()};
}

void Arena::Reset() {
  if (blocks_.empty()) return;
  // Keep the first standard-sized block; drop the rest.
  auto keep = std::find_if(blocks_.begin(), blocks_.end(),
                           [](const Block& b) { return b.size == kBlockSize; });
  if (keep == blocks_.end()) {
    blocks_.clear();
    cursor_ = limit_ = nullptr;
    return;
  }
  Block kept = std::move(*keep);
  blocks_.clear();
  blocks_.push_back(std::move(kept));
  cursor_ = blocks_.front().data.get();
  limit_ = cursor_ + blocks_.front().size;
}

size_t Arena::capacity() const {
  size_t total = 0;
  for (const Block& b : blocks_) total += b.size;
  return total;
}

}  // namespace logchain

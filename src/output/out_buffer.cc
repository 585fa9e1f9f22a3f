#include "output/out_buffer.h"

#include <algorithm>

namespace logchain {

OutBuffer::OutBuffer(size_t initial_capacity)
    : data_(std::make_unique_for_overwrite<char[]>(initial_capacity)), capacity_(initial_capacity) {}

void OutBuffer::Grow(size_t n) {
  if (spill_ != nullptr && size_ > 0 && size_ + n > spill_limit_) {
    spill_(spill_context_, view());
    size_ = 0;
    if (capacity_ >= n) return;
  }
  size_t capacity = std::max(capacity_ * 2, size_ + n);
  auto data = std::make_unique_for_overwrite<char[]>(capacity);
  std::memcpy(data.get(), data_.get(), size_);
  data_ = std::move(data);
  capacity_ = capacity;
}

void OutBuffer::ShrinkTo(size_t keep) {
  if (size_ != 0 || capacity_ <= keep) return;
  data_ = std::make_unique_for_overwrite<char[]>(keep);
  capacity_ = keep;
}

}  // namespace logchain

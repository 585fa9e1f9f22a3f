// OutBuffer: where rendered JSON lines accumulate before a large write.
//
// Renderers write straight into it (Reserve/Commit) so that a record is
// serialised with no intermediate strings. Normally whole records are handed
// to the sink between records; a spill target lets a record far larger than
// the buffer (a 100 MB line) stream out mid-record instead of growing memory
// without bound.
#ifndef LOGCHAIN_OUTPUT_OUT_BUFFER_H_
#define LOGCHAIN_OUTPUT_OUT_BUFFER_H_

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>

namespace logchain {

class OutBuffer {
 public:
  /// Receives buffered bytes when the buffer spills. Returns false when the
  /// bytes could not be delivered (the buffer then discards them).
  using SpillFn = bool (*)(void* context, std::string_view bytes);

  explicit OutBuffer(size_t initial_capacity = 64 * 1024);
  OutBuffer(const OutBuffer&) = delete;
  OutBuffer& operator=(const OutBuffer&) = delete;
  OutBuffer(OutBuffer&&) noexcept = default;
  OutBuffer& operator=(OutBuffer&&) noexcept = default;

  /// A pointer to at least n writable bytes at the end of the buffer. Invalid
  /// after the next Reserve/Append. May spill (see SetSpill).
  char* Reserve(size_t n) {
    if (capacity_ - size_ < n) Grow(n);
    return data_.get() + size_;
  }
  /// Marks n bytes written at the pointer Reserve returned as part of the buffer.
  void Commit(size_t n) { size_ += n; }

  void Append(std::string_view s) {
    std::memcpy(Reserve(s.size()), s.data(), s.size());
    size_ += s.size();
  }
  void Push(char c) {
    *Reserve(1) = c;
    ++size_;
  }

  std::string_view view() const { return {data_.get(), size_}; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  void Clear() { size_ = 0; }
  /// Drops everything after the first n bytes (undoes a partly rendered record).
  void Truncate(size_t n) {
    if (n < size_) size_ = n;
  }

  /// When set, a Reserve that would grow the buffer past `limit` bytes first
  /// hands the buffered bytes to `fn` and empties the buffer.
  void SetSpill(SpillFn fn, void* context, size_t limit) {
    spill_ = fn;
    spill_context_ = context;
    spill_limit_ = limit;
  }

  /// Returns memory beyond `keep` bytes of capacity to the system when empty.
  void ShrinkTo(size_t keep);

 private:
  void Grow(size_t n);

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
  SpillFn spill_ = nullptr;
  void* spill_context_ = nullptr;
  size_t spill_limit_ = 0;
};

}  // namespace logchain

#endif  // LOGCHAIN_OUTPUT_OUT_BUFFER_H_

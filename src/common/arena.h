// Arena: per-record scratch memory for values a processor computes (a
// lower-cased level, a sanitised copy of a line, a joined traceback).
//
// A Record owns one Arena and resets it before each line, so the hot path
// allocates nothing once the first block is warm. Views handed out stay valid
// until the next Reset(); nothing is ever freed individually.
#ifndef LOGCHAIN_COMMON_ARENA_H_
#define LOGCHAIN_COMMON_ARENA_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <string_view>
#include <type_traits>
#include <vector>

namespace logchain {

class Arena {
 public:
  static constexpr size_t kBlockSize = 64 * 1024;

  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  /// Returns n writable bytes, valid until Reset(). Never returns null
  /// (throws std::bad_alloc like operator new on exhaustion).
  char* Allocate(size_t n);

  /// n value-initialised objects of a trivially destructible type, aligned
  /// for it, valid until Reset() (their destructors never run).
  template <typename T>
  T* AllocateArray(size_t n) {
    static_assert(std::is_trivially_destructible_v<T>);
    char* raw = Allocate(n * sizeof(T) + alignof(T) - 1);
    const auto misalignment = reinterpret_cast<uintptr_t>(raw) % alignof(T);
    if (misalignment != 0) raw += alignof(T) - misalignment;
    T* first = reinterpret_cast<T*>(raw);
    for (size_t i = 0; i < n; ++i) new (first + i) T();
    return first;
  }

  /// Copies s into the arena and returns a view of the copy.
  std::string_view Copy(std::string_view s);

  /// Forgets every allocation. Keeps one standard block for reuse and returns
  /// oversized blocks (from a huge line) to the system, so memory tracks the
  /// current record, not the largest one ever seen.
  void Reset();

  /// Bytes currently held from the system (for tests of the memory bound).
  size_t capacity() const;

 private:
  struct Block {
    std::unique_ptr<char[]> data;
    size_t size = 0;
  };
  std::vector<Block> blocks_;
  char* cursor_ = nullptr;
  char* limit_ = nullptr;
};

}  // namespace logchain

#endif  // LOGCHAIN_COMMON_ARENA_H_

// Finding one byte in a log line's worth of text.
#ifndef LOGCHAIN_COMMON_FIND_BYTE_H_
#define LOGCHAIN_COMMON_FIND_BYTE_H_

#include <cstddef>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace logchain {

/// The first c in [p, end), or null. What is looked for on the record path
/// (a line's end, an access time's '[') is usually within a few hundred
/// bytes: the first 256 are scanned 16 at a time inline, where memchr would
/// cost a call and its set-up each time; memchr, with wider vectors, takes
/// over beyond them.
inline const char* FindByte(const char* p, const char* end, char c) {
#if defined(__SSE2__)
  const __m128i needle = _mm_set1_epi8(c);
  const char* const inline_end = end - p > 256 ? p + 256 : end;
  for (; inline_end - p >= 16; p += 16) {
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), needle)));
    if (mask != 0) return p + __builtin_ctz(mask);
  }
#endif
  if (p == end) return nullptr;  // memchr may not be given a null pointer, even for no bytes
  return static_cast<const char*>(std::memchr(p, c, static_cast<size_t>(end - p)));
}

}  // namespace logchain

#endif  // LOGCHAIN_COMMON_FIND_BYTE_H_

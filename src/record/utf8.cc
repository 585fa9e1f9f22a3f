#include "record/utf8.h"

#include <simdjson.h>

#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/arena.h"

namespace logchain {
namespace {

constexpr unsigned char kReplacement[] = {0xEF, 0xBF, 0xBD};  // U+FFFD

// Expected byte count and the allowed range of the second byte for a lead
// byte (Unicode Table 3-7, "Well-Formed UTF-8 Byte Sequences").
struct LeadInfo {
  unsigned char length;  // 0: never a valid lead
  unsigned char second_lo;
  unsigned char second_hi;
};

constexpr LeadInfo Lead(unsigned char b) {
  if (b < 0x80) return {1, 0, 0};
  if (b < 0xC2) return {0, 0, 0};
  if (b < 0xE0) return {2, 0x80, 0xBF};
  if (b == 0xE0) return {3, 0xA0, 0xBF};
  if (b < 0xED) return {3, 0x80, 0xBF};
  if (b == 0xED) return {3, 0x80, 0x9F};
  if (b < 0xF0) return {3, 0x80, 0xBF};
  if (b == 0xF0) return {4, 0x90, 0xBF};
  if (b < 0xF4) return {4, 0x80, 0xBF};
  if (b == 0xF4) return {4, 0x80, 0x8F};
  return {0, 0, 0};
}

// Number of bytes starting at s[0] that form either a complete well-formed
// sequence (*complete = true) or the maximal subpart of one (false).
size_t Scan(std::string_view s, bool* complete) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const LeadInfo info = Lead(p[0]);
  if (info.length == 0) {
    *complete = false;
    return 1;
  }
  if (info.length == 1) {
    *complete = true;
    return 1;
  }
  size_t i = 1;
  for (; i < info.length && i < s.size(); ++i) {
    unsigned char lo = i == 1 ? info.second_lo : 0x80;
    unsigned char hi = i == 1 ? info.second_hi : 0xBF;
    if (p[i] < lo || p[i] > hi) break;
  }
  *complete = i == info.length;
  return i;
}

// Whether every byte of s is ASCII (and, with kNoLineFeed, none is '\n').
// Written for the branch predictor as much as for the instruction count:
// one loop whose length varies with the line, no exit from it before the
// end, and the last bytes read as one block that overlaps the loop's last,
// so that a line costs about one mispredicted branch (the loop's end)
// however long it is.
template <bool kNoLineFeed>
inline bool IsAscii(std::string_view s) {
  const char* const p = s.data();
  const size_t n = s.size();
#if defined(__SSE2__)
  if (n >= 16) {
    const auto load = [](const char* q) {
      return _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    };
    const __m128i lf = _mm_set1_epi8('\n');
    __m128i v = load(p + n - 16);
    __m128i any = v;
    __m128i lfs = _mm_cmpeq_epi8(v, lf);
    for (size_t i = 0; i + 16 <= n; i += 16) {
      v = load(p + i);
      any = _mm_or_si128(any, v);
      if constexpr (kNoLineFeed) lfs = _mm_or_si128(lfs, _mm_cmpeq_epi8(v, lf));
    }
    if constexpr (kNoLineFeed) any = _mm_or_si128(any, lfs);  // a match is 0xFF
    return _mm_movemask_epi8(any) == 0;
  }
#endif
  bool ok = true;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    ok &= c < 0x80 && (!kNoLineFeed || c != '\n');
  }
  return ok;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  // Most lines are ASCII, which is valid UTF-8; simdjson's validator is
  // reached through its run-time dispatch, about 50 instructions before it
  // reads a byte, so it sees only the other lines.
  return IsAscii<false>(s) || simdjson::validate_utf8(s.data(), s.size());
}

bool IsAsciiSingleLine(std::string_view s) { return IsAscii<true>(s); }

size_t Utf8SequenceLength(std::string_view s) {
  bool complete = false;
  size_t n = Scan(s, &complete);
  return complete ? n : 0;
}

size_t Utf8InvalidLength(std::string_view s) {
  bool complete = false;
  return Scan(s, &complete);
}

std::string_view SanitizeUtf8(std::string_view s, Arena& arena) {
  // Worst case: every byte becomes a 3-byte U+FFFD.
  char* out = arena.Allocate(s.size() * 3);
  char* w = out;
  size_t i = 0;
  while (i < s.size()) {
    bool complete = false;
    size_t n = Scan(s.substr(i), &complete);
    if (complete) {
      for (size_t k = 0; k < n; ++k) *w++ = s[i + k];
    } else {
      for (unsigned char c : kReplacement) *w++ = static_cast<char>(c);
    }
    i += n;
  }
  return {out, static_cast<size_t>(w - out)};
}

size_t Utf8SafeCut(std::string_view s, size_t limit) {
  if (limit >= s.size()) return s.size();
  // Step back over at most three continuation bytes to the lead byte; cut
  // before it if the sequence it starts would cross the limit.
  size_t lead = limit;
  for (int back = 0; back < 3 && lead > 0; ++back) {
    auto b = static_cast<unsigned char>(s[lead]);
    if ((b & 0xC0) != 0x80) break;
    --lead;
  }
  auto b = static_cast<unsigned char>(s[lead]);
  if ((b & 0xC0) == 0x80 || lead == 0) return limit;
  const LeadInfo info = Lead(b);
  if (info.length > 1 && lead + info.length > limit) return lead;
  return limit;
}

void AppendBase64(std::string_view s, std::string& out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t i = 0;
  out.reserve(out.size() + (s.size() + 2) / 3 * 4);
  for (; i + 3 <= s.size(); i += 3) {
    uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  if (i < s.size()) {
    uint32_t v = p[i] << 16;
    if (i + 1 < s.size()) v |= p[i + 1] << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < s.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
}

std::string_view Base64(std::string_view s, Arena& arena) {
  std::string tmp;
  AppendBase64(s, tmp);
  return arena.Copy(tmp);
}

}  // namespace logchain

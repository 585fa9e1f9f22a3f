#include "output/json_writer.h"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "record/utf8.h"

namespace logchain {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// For ASCII bytes: 0 = copy as is, 'u' = \u00XX, else the short escape letter.
constexpr std::array<char, 128> kAsciiEscape = [] {
  std::array<char, 128> t{};
  for (int c = 0; c < 0x20; ++c) t[c] = 'u';
  t['\b'] = 'b';
  t['\f'] = 'f';
  t['\n'] = 'n';
  t['\r'] = 'r';
  t['\t'] = 't';
  t['"'] = '"';
  t['\\'] = '\\';
  return t;
}();

inline char* WriteU16(char* w, uint32_t unit) {
  w[0] = '\\';
  w[1] = 'u';
  w[2] = kHex[(unit >> 12) & 0xF];
  w[3] = kHex[(unit >> 8) & 0xF];
  w[4] = kHex[(unit >> 4) & 0xF];
  w[5] = kHex[unit & 0xF];
  return w + 6;
}

uint32_t DecodeScalar(const unsigned char* p, size_t n) {
  switch (n) {
    case 2:
      return ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
    case 3:
      return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
    default:
      return ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
             (p[3] & 0x3Fu);
  }
}

// Largest input slice escaped per reservation, so a huge string never needs
// one huge reservation (the buffer may spill between slices).
constexpr size_t kSlice = 64 * 1024;
// Room for a multi-byte sequence that starts inside a slice and ends after it.
constexpr size_t kSliceSlack = 3 * kMaxJsonExpansion;

#if defined(__SSE2__)
// Bits for the bytes of v that need attention: a control character, '"',
// '\\', any byte >= 0x80 (escaped or validated), and 0x7F in the seed style.
inline unsigned SpecialMask(__m128i v, bool escape_del) {
  // As signed bytes, the controls and every byte >= 0x80 are exactly those
  // below 0x20: one comparison for both.
  __m128i hit = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                             _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                          _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
  if (escape_del) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
  return static_cast<unsigned>(_mm_movemask_epi8(hit));
}

// kBlocks blocks of 16 bytes from p into out, of which only those before
// `end` are the string's. A load within the string, or one that stays
// within p's memory page, cannot fault, whatever lies after `end`; the
// bytes past `end` are masked off by the caller (they are zero when the
// string is copied out first). p may be null when end == p.
template <size_t kBlocks>
#if defined(__clang__) || defined(__GNUC__)
__attribute__((no_sanitize("address")))
#endif
inline void LoadBlocks(const char* p, const char* end, __m128i* out) {
  constexpr size_t kBytes = 16 * kBlocks;
  const auto n = static_cast<size_t>(end - p);
  if (n >= kBytes || (n != 0 && (reinterpret_cast<uintptr_t>(p) & 4095) <= 4096 - kBytes)) {
    for (size_t i = 0; i < kBlocks; ++i) {
      out[i] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    }
    return;
  }
  alignas(16) char tmp[kBytes] = {};
  if (n != 0) std::memcpy(tmp, p, n);
  for (size_t i = 0; i < kBlocks; ++i) {
    out[i] = _mm_load_si128(reinterpret_cast<const __m128i*>(tmp + 16 * i));
  }
}

inline __m128i Load16(const char* p, const char* end) {
  __m128i v;
  LoadBlocks<1>(p, end, &v);
  return v;
}
#endif

// Writes value in decimal when it is from 0 to 99,999,999 (a status, most
// sizes and durations) and returns the end, or returns nullptr. The eight
// digits are made in one 64-bit word, with no branch on how many there are:
// that changes from line to line, and to_chars's branches on it were
// mispredicted as often. Stores 8 bytes at w.
inline char* WriteSmallDecimal(char* w, int64_t value) {
  if constexpr (std::endian::native != std::endian::little) return nullptr;
  if (value < 0 || value > 99'999'999) return nullptr;
  const auto v = static_cast<uint64_t>(value);
  // Four digits in each 32-bit half, the leading ones in the low half
  // (which a little-endian store writes first); then two in each 16-bit
  // quarter, then one in each byte. n / 100 == n * 5243 >> 19 and
  // n / 10 == n * 103 >> 10 hold for every n that occurs here.
  uint64_t x = v / 10000 | (v % 10000) << 32;
  const uint64_t hundreds = (x * 5243 >> 19) & 0x0000007F0000007Full;
  x = hundreds | (x - hundreds * 100) << 16;
  const uint64_t tens = (x * 103 >> 10) & 0x000F000F000F000Full;
  x = tens | (x - tens * 10) << 8;
  // Leading zeros are whole zero bytes at the low end; the last digit is
  // always kept, so that 0 is written as "0".
  const auto zeros = static_cast<unsigned>(std::countr_zero(x | uint64_t{1} << 56)) / 8;
  x = (x + 0x3030303030303030ull) >> (8 * zeros);
  std::memcpy(w, &x, 8);
  return w + 8 - zeros;
}

// Writes value in decimal into 24 bytes of room; returns the end.
inline char* WriteDecimal(char* w, int64_t value) {
  char* const small = WriteSmallDecimal(w, value);
  return small != nullptr ? small : std::to_chars(w, w + 24, value).ptr;
}

// Escapes the bytes [p, stop) into w, 16 at a time: each block is stored
// whole and w advances past the bytes that need no work, so runs are copied
// without a call. The string's bytes end at `end` (>= stop): a multi-byte
// sequence starting before stop is read to its end. Returns the position
// after the last byte consumed (>= stop). w needs room for
// (stop - p) * kMaxJsonExpansion + kSliceSlack + 16 bytes. Each byte range
// not copied as it is goes to `marked` when that is not null.
template <typename Marks>
const char* EscapeRun(const char* p, const char* stop, const char* end, char*& out,
                      bool ensure_ascii, Marks* marked) {
  char* w = out;
  const char* special = nullptr;
  while (p < stop) {
    if constexpr (!std::is_same_v<Marks, std::nullptr_t>) {
      if (special != nullptr) marked->Add(special, p);
      special = nullptr;
    }
#if defined(__SSE2__)
    for (;;) {
      const auto avail = static_cast<size_t>(stop - p);
      const __m128i v = Load16(p, end);
      unsigned mask = SpecialMask(v, ensure_ascii);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(w), v);
      if (avail >= 16) {
        if (mask == 0) {
          p += 16;
          w += 16;
          if (p >= stop) break;
          continue;
        }
      } else {
        mask |= 1u << avail;  // stop ends the run
      }
      const auto k = static_cast<unsigned>(__builtin_ctz(mask));
      p += k;
      w += k;
      break;
    }
#else
    while (p < stop) {
      const auto c = static_cast<unsigned char>(*p);
      if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80 || (ensure_ascii && c == 0x7F)) break;
      *w++ = *p++;
    }
#endif
    if (p >= stop) break;
    special = p;
    const auto c = static_cast<unsigned char>(*p);
    if (c < 0x80) {
      const char e = c == 0x7F ? 'u' : kAsciiEscape[c];
      if (e == 'u') {
        w = WriteU16(w, c);
      } else {
        w[0] = '\\';
        w[1] = e;
        w += 2;
      }
      ++p;
      continue;
    }
    const size_t n = Utf8SequenceLength(std::string_view(p, static_cast<size_t>(end - p)));
    if (n == 0) {
      // Not UTF-8: one U+FFFD for the maximal invalid subsequence, as the
      // line decoder sanitises (record/utf8.h), so output is valid whatever
      // came in. It may end past stop, like a multi-byte character.
      if (ensure_ascii) {
        w = WriteU16(w, 0xFFFD);
      } else {
        std::memcpy(w, "\xEF\xBF\xBD", 3);
        w += 3;
      }
      p += Utf8InvalidLength(std::string_view(p, static_cast<size_t>(end - p)));
      continue;
    }
    if (!ensure_ascii) {
      std::memcpy(w, p, n);
      w += n;
    } else {
      uint32_t cp = DecodeScalar(reinterpret_cast<const unsigned char*>(p), n);
      if (cp < 0x10000) {
        w = WriteU16(w, cp);
      } else {
        cp -= 0x10000;
        w = WriteU16(w, 0xD800 + (cp >> 10));
        w = WriteU16(w, 0xDC00 + (cp & 0x3FF));
      }
    }
    p += n;
  }
  if constexpr (!std::is_same_v<Marks, std::nullptr_t>) {
    if (special != nullptr) marked->Add(special, p);
  }
  out = w;
  return p;
}

// A string of at most 32 bytes that needs no escaping, written quoted in
// one path whatever its length: a value's length changes from line to line
// (a host, a referer), so a branch on it would be mispredicted as often.
// Returns false (with w unchanged) when s needs escaping. Needs 34 bytes of
// room.
[[gnu::always_inline]] inline bool WriteCleanUpTo32(char*& w, std::string_view s,
                                                    bool ensure_ascii) {
#if defined(__SSE2__)
  const size_t n = s.size();
  __m128i v[2];
  LoadBlocks<2>(s.data(), s.data() + n, v);
  const uint64_t live = (uint64_t{1} << n) - 1;  // n <= 32
  const uint64_t mask = SpecialMask(v[0], ensure_ascii) |
                        static_cast<uint64_t>(SpecialMask(v[1], ensure_ascii)) << 16;
  if ((mask & live) != 0) return false;
  w[0] = '"';
  _mm_storeu_si128(reinterpret_cast<__m128i*>(w + 1), v[0]);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(w + 17), v[1]);
  w[1 + n] = '"';
  w += 2 + n;
  return true;
#else
  (void)w, (void)s, (void)ensure_ascii;
  return false;
#endif
}

// Most strings of a record are short (keys, levels, hosts, times) and need
// no escaping: one or two blocks, checked and stored without a loop. Writes
// s quoted and returns true, or returns false (with w unchanged) when s is
// longer or needs escaping.
[[gnu::always_inline]] inline bool WriteCleanShort(char*& w, std::string_view s,
                                                   bool ensure_ascii) {
#if defined(__SSE2__)
  const char* const p = s.data();
  const char* const end = p + s.size();
  if (s.empty()) {  // data() may be null: nothing to load
    w[0] = '"';
    w[1] = '"';
    w += 2;
    return true;
  }
  if (s.size() > 16) return s.size() <= 32 && WriteCleanUpTo32(w, s, ensure_ascii);
  const __m128i v = Load16(p, end);
  const unsigned live = (1u << s.size()) - 1;
  if ((SpecialMask(v, ensure_ascii) & live) != 0) return false;
  w[0] = '"';
  _mm_storeu_si128(reinterpret_cast<__m128i*>(w + 1), v);
  w[1 + s.size()] = '"';
  w += 2 + s.size();
  return true;
#else
  (void)w, (void)s, (void)ensure_ascii;
  return false;
#endif
}

template <typename Marks>
char* WriteJsonStringToImpl(char* w, std::string_view s, JsonStyle style, Marks* marks) {
  const bool ensure_ascii = style == JsonStyle::kSeed;
  if (WriteCleanShort(w, s, ensure_ascii)) return w;
  const char* const end = s.data() + s.size();
  *w++ = '"';
  EscapeRun(s.data(), end, end, w, ensure_ascii, marks);
  *w++ = '"';
  return w;
}

// Strings up to this size take WriteCleanShort, quicker than looking them
// up in EscapeMarks.
constexpr size_t kShortString = 32;
static_assert(kShortString <= 32, "WriteCleanUpTo32 takes the short values");

}  // namespace

char* WriteJsonStringTo(char* w, std::string_view s, JsonStyle style) {
  return WriteJsonStringToImpl<std::nullptr_t>(w, s, style, nullptr);
}

char* WriteJsonStringTo(char* w, std::string_view s, JsonStyle style, EscapeMarks* marks) {
  marks->Start(s);
  return WriteJsonStringToImpl(w, s, style, marks);
}

std::optional<size_t> MembersBound(const Field* begin, const Field* end) {
  // One sum for every kind, with no branch per field: the value's text
  // bounds a string or a number literal (and is empty for the others), and
  // the constant covers both strings' quotes and slack, the separators, and
  // an integer's 20 digits and sign, true, false or null.
  constexpr size_t kPerField = 2 * JsonStringBound(0) + 4 + 24;
  size_t bytes = 0;
  bool any_double = false;
  for (const Field* f = begin; f != end; ++f) {
    bytes += f->key.size() + f->value.text.size();
    any_double |= f->value.kind == ValueKind::kDouble;
  }
  if (any_double) return std::nullopt;
  return bytes * kMaxJsonExpansion + static_cast<size_t>(end - begin) * kPerField;
}

namespace {

// WriteMembersTo for one style, so that separators are constants: each
// member is followed by the item separator, and the last one is taken back.
template <JsonStyle kStyle>
char* WriteMembersInStyle(char* w, const Field* begin, const Field* end, bool first) {
  constexpr bool seed = kStyle == JsonStyle::kSeed;
  if (begin == end) return w;
  if (!first) {
    *w++ = ',';
    if constexpr (seed) *w++ = ' ';
  }
  // The first long string (an unparsed or parsed line's event) is escaped
  // with marks; a later long string sliced from it where it needed no
  // escaping is copied.
  EscapeMarks marks;
  bool marked = false;
  for (const Field* f = begin; f != end; ++f) {
    if (!WriteCleanShort(w, f->key, seed)) w = WriteJsonStringTo(w, f->key, kStyle);
    *w++ = ':';
    if constexpr (seed) *w++ = ' ';
    const Value& v = f->value;
    if (v.kind == ValueKind::kString) {
      if (v.text.size() <= kShortString) {
        if (!WriteCleanUpTo32(w, v.text, seed)) w = WriteJsonStringTo(w, v.text, kStyle);
      } else if (!marked) {
        w = WriteJsonStringTo(w, v.text, kStyle, &marks);
        marked = true;
      } else if (marks.Clean(v.text)) {
        *w++ = '"';
        std::memcpy(w, v.text.data(), v.text.size());
        w += v.text.size();
        *w++ = '"';
      } else {
        w = WriteJsonStringTo(w, v.text, kStyle);
      }
    } else if (v.kind == ValueKind::kInt) {
      w = WriteDecimal(w, v.int_value);
    } else if (v.kind == ValueKind::kNumber) {
      std::memcpy(w, v.text.data(), v.text.size());
      w += v.text.size();
    } else if (v.kind == ValueKind::kBool) {
      std::memcpy(w, v.bool_value ? "true " : "false", 5);
      w += v.bool_value ? 4 : 5;
    } else {  // null; a composite or a double (excluded by MembersBound) too
      std::memcpy(w, "null", 4);
      w += 4;
    }
    *w++ = ',';
    if constexpr (seed) *w++ = ' ';
  }
  return w - (seed ? 2 : 1);
}

}  // namespace

char* WriteMembersTo(char* w, const Field* begin, const Field* end, JsonStyle style, bool first) {
  return style == JsonStyle::kSeed
             ? WriteMembersInStyle<JsonStyle::kSeed>(w, begin, end, first)
             : WriteMembersInStyle<JsonStyle::kCompact>(w, begin, end, first);
}

void WriteJsonString(OutBuffer& out, std::string_view s, JsonStyle style) {
  if (s.size() <= kSlice) {
    char* const w0 = out.Reserve(JsonStringBound(s.size()));
    out.Commit(static_cast<size_t>(WriteJsonStringTo(w0, s, style) - w0));
    return;
  }
  const bool ensure_ascii = style == JsonStyle::kSeed;
  out.Push('"');
  const char* p = s.data();
  const char* const end = p + s.size();
  while (p < end) {
    const char* slice_end = p + std::min<size_t>(static_cast<size_t>(end - p), kSlice);
    char* const w0 =
        out.Reserve(static_cast<size_t>(slice_end - p) * kMaxJsonExpansion + kSliceSlack + 16);
    char* w = w0;
    p = EscapeRun<std::nullptr_t>(p, slice_end, end, w, ensure_ascii, nullptr);
    out.Commit(static_cast<size_t>(w - w0));
  }
  out.Push('"');
}

void WriteJsonInt(OutBuffer& out, int64_t value) {
  char* const w = out.Reserve(24);
  out.Commit(static_cast<size_t>(WriteDecimal(w, value) - w));
}

void WritePythonFloat(OutBuffer& out, double value) {
  if (!std::isfinite(value)) {
    out.Append("null");
    return;
  }
  // Shortest round-trip digits in scientific form: "-1.2345e+09".
  char sci[64];
  auto result = std::to_chars(sci, sci + sizeof sci, value, std::chars_format::scientific);
  std::string_view text(sci, static_cast<size_t>(result.ptr - sci));
  std::string digits;
  bool negative = false;
  size_t i = 0;
  if (text[0] == '-') {
    negative = true;
    i = 1;
  }
  for (; i < text.size() && text[i] != 'e'; ++i) {
    if (text[i] != '.') digits.push_back(text[i]);
  }
  int exponent = 0;
  std::from_chars(text.data() + i + 1 + (text[i + 1] == '+' ? 1 : 0), text.data() + text.size(),
                  exponent);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();

  // Python's repr: with the decimal point after `point` digits, fixed
  // notation for -4 < point <= 16, else exponent notation.
  const int point = exponent + 1;
  const int ndigits = static_cast<int>(digits.size());
  std::string s;
  if (negative) s.push_back('-');
  if (point <= -4 || point > 16) {
    s.push_back(digits[0]);
    if (ndigits > 1) s.append(".").append(digits, 1);
    int e = point - 1;
    s.push_back('e');
    s.push_back(e < 0 ? '-' : '+');
    e = std::abs(e);
    if (e < 10) s.push_back('0');
    s.append(std::to_string(e));
  } else if (point <= 0) {
    s.append("0.").append(static_cast<size_t>(-point), '0').append(digits);
  } else if (point >= ndigits) {
    s.append(digits).append(static_cast<size_t>(point - ndigits), '0').append(".0");
  } else {
    s.append(digits, 0, static_cast<size_t>(point)).append(".").append(digits,
                                                                       static_cast<size_t>(point));
  }
  out.Append(s);
}

void WriteJsonValue(OutBuffer& out, const Value& value, JsonStyle style) {
  switch (value.kind) {
    case ValueKind::kNull:
    case ValueKind::kComposite:
      out.Append("null");
      return;
    case ValueKind::kBool:
      out.Append(value.bool_value ? "true" : "false");
      return;
    case ValueKind::kInt:
      WriteJsonInt(out, value.int_value);
      return;
    case ValueKind::kDouble:
      WritePythonFloat(out, value.double_value);
      return;
    case ValueKind::kString:
      WriteJsonString(out, value.text, style);
      return;
    case ValueKind::kNumber:
      out.Append(value.text);
      return;
  }
}

}  // namespace logchain

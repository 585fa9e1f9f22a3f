#include "record/gunicorn.h"

#include <array>
#include <cstring>
#include <optional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/find_byte.h"
#include "record/time_format.h"

namespace logchain::gunicorn {
namespace {

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}

constexpr std::string_view kErrorTimeShape = "dddd-dd-dd dd:dd:dd +dddd";
constexpr std::string_view kAccessTimeShape = "dd/aaa/dddd:dd:dd:dd +dddd";

#if defined(__SSE2__)
// A shape where 'd' is a digit, 'a' a letter, '+' a sign, and any other
// character itself, as selector bytes (0xFF where a position takes that
// class) for two 16-byte windows: one at its start and one at its end.
struct Shape {
  struct Window {
    alignas(16) std::array<char, 16> digit{}, alpha{}, sign{}, literal{}, text{};
  };
  size_t size;
  std::array<Window, 2> windows;
};

constexpr Shape MakeShape(std::string_view shape) {
  Shape out{shape.size(), {}};
  for (size_t w = 0; w < 2; ++w) {
    const size_t offset = w == 0 ? 0 : shape.size() - 16;
    Shape::Window& window = out.windows[w];
    for (size_t i = 0; i < 16; ++i) {
      const char c = shape[offset + i];
      std::array<char, 16>& selector =
          c == 'd' ? window.digit : c == 'a' ? window.alpha : c == '+' ? window.sign : window.literal;
      selector[i] = static_cast<char>(0xFF);
      window.text[i] = c;
    }
  }
  return out;
}

inline __m128i Load(const char* p) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p)); }

// Whether the 16 bytes at p fit the window: each byte is checked against
// every class at once and the class its position takes is selected.
inline bool FitsWindow(const char* p, const Shape::Window& w) {
  const __m128i v = Load(p);
  const __m128i d = _mm_sub_epi8(v, _mm_set1_epi8('0'));  // digit: d <= 9, unsigned
  const __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
  const __m128i a = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
  const __m128i alpha = _mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(25)), a);  // a <= 25
  const __m128i sign =
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('+')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-')));
  const __m128i literal = _mm_cmpeq_epi8(v, Load(w.text.data()));
  const __m128i fits = _mm_or_si128(
      _mm_or_si128(_mm_and_si128(digit, Load(w.digit.data())),
                   _mm_and_si128(alpha, Load(w.alpha.data()))),
      _mm_or_si128(_mm_and_si128(sign, Load(w.sign.data())),
                   _mm_and_si128(literal, Load(w.literal.data()))));
  return _mm_movemask_epi8(fits) == 0xFFFF;
}

// Whether s starts with the shape.
inline bool MatchShape(std::string_view s, const Shape& shape) {
  return s.size() >= shape.size && FitsWindow(s.data(), shape.windows[0]) &&
         FitsWindow(s.data() + shape.size - 16, shape.windows[1]);
}

// Two windows cover a shape of 16 to 32 characters.
static_assert(kErrorTimeShape.size() >= 16 && kErrorTimeShape.size() <= 32);
static_assert(kAccessTimeShape.size() >= 16 && kAccessTimeShape.size() <= 32);
constexpr Shape kErrorTime = MakeShape(kErrorTimeShape);
constexpr Shape kAccessTime = MakeShape(kAccessTimeShape);
#else
inline bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Whether s starts with the shape, byte by byte.
bool MatchShape(std::string_view s, std::string_view shape) {
  if (s.size() < shape.size()) return false;
  for (size_t i = 0; i < shape.size(); ++i) {
    const char c = s[i];
    switch (shape[i]) {
      case 'd':
        if (!IsDigit(c)) return false;
        break;
      case 'a':
        if (!IsAlpha(c)) return false;
        break;
      case '+':
        if (c != '+' && c != '-') return false;
        break;
      default:
        if (c != shape[i]) return false;
    }
  }
  return true;
}

constexpr std::string_view kErrorTime = kErrorTimeShape;
constexpr std::string_view kAccessTime = kAccessTimeShape;
#endif

int Digits(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; ++i) v = v * 10 + (s[pos + i] - '0');
  return v;
}

int MonthFromName(std::string_view name) {
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i) {
    if (name == kMonths[i]) return i + 1;
  }
  return 0;
}

// UTC seconds for a civil time with a "+HHMM" offset, or invalid.
EventTime ToUtc(int year, int month, int day, int hour, int minute, int second, char sign,
                int offset_hhmm) {
  EventTime t;
  const int offset_hours = offset_hhmm / 100;
  const int offset_minutes = offset_hhmm % 100;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
      second > 60 || offset_hours > 23 || offset_minutes > 59) {
    return t;
  }
  const std::optional<int64_t> local = UtcSeconds(year, month, day, hour, minute, second);
  if (!local) return t;  // 31 February is not a real time
  const int64_t offset = (offset_hours * 3600 + offset_minutes * 60) * (sign == '-' ? -1 : 1);
  t.seconds = *local - offset;
  t.valid = true;
  return t;
}

EventTime ParseErrorTimeText(std::string_view s) {
  if (s.size() != kErrorTimeShape.size() || !MatchShape(s, kErrorTime)) return EventTime{};
  return ToUtc(Digits(s, 0, 4), Digits(s, 5, 2), Digits(s, 8, 2), Digits(s, 11, 2),
               Digits(s, 14, 2), Digits(s, 17, 2), s[20], Digits(s, 21, 4));
}

EventTime ParseAccessTimeText(std::string_view s) {
  if (s.size() != kAccessTimeShape.size() || !MatchShape(s, kAccessTime)) return EventTime{};
  const int month = MonthFromName(s.substr(3, 3));
  if (month == 0) return EventTime{};
  return ToUtc(Digits(s, 7, 4), month, Digits(s, 0, 2), Digits(s, 12, 2), Digits(s, 15, 2),
               Digits(s, 18, 2), s[21], Digits(s, 22, 4));
}

// Whether n bytes at a equal those at b, for the cache's texts: a time
// text of 16 to 32 bytes is compared as two overlapping blocks inline.
inline bool SameBytes(const char* a, const char* b, size_t n) {
#if defined(__SSE2__)
  if (n >= 16 && n <= 32) {
    const __m128i head = _mm_cmpeq_epi8(Load(a), Load(b));
    const __m128i tail = _mm_cmpeq_epi8(Load(a + n - 16), Load(b + n - 16));
    return _mm_movemask_epi8(_mm_and_si128(head, tail)) == 0xFFFF;
  }
#endif
  return std::memcmp(a, b, n) == 0;
}

}  // namespace

bool ParseErrorLine(std::string_view line, ErrorLine* out) {
  // "[" time "] [" pid "] [" level "] " message
  if (line.size() < 1 + kErrorTimeShape.size() + 2 || line[0] != '[') return false;
  std::string_view rest = line.substr(1);
  if (!MatchShape(rest, kErrorTime)) return false;
  const std::string_view time_text = rest.substr(0, kErrorTimeShape.size());
  rest.remove_prefix(kErrorTimeShape.size());
  if (rest.substr(0, 3) != "] [") return false;
  rest.remove_prefix(3);
  size_t i = 0;
  while (i < rest.size() && IsDigit(rest[i])) ++i;
  if (i == 0 || rest.substr(i, 3) != "] [") return false;
  rest.remove_prefix(i + 3);
  const size_t close = rest.find(']');
  if (close == 0 || close == std::string_view::npos) return false;
  const std::string_view level = rest.substr(0, close);
  rest.remove_prefix(close + 1);
  // Python writes "] " then the message; tolerate a line cut right after "]".
  if (!rest.empty()) {
    if (rest[0] != ' ') return false;
    rest.remove_prefix(1);
  }
  out->time_text = time_text;
  out->level_name = level;
  out->message = rest;
  return true;
}


bool FindAccessTime(std::string_view line, std::string_view* time_text) {
  const char* const end = line.data() + line.size();
  for (const char* bracket = FindByte(line.data(), end, '[');
       bracket != nullptr; bracket = FindByte(bracket + 1, end, '[')) {
    const auto start = static_cast<size_t>(bracket - line.data());
    if (start > 0 && !IsAsciiSpace(line[start - 1])) continue;
    std::string_view candidate = line.substr(start + 1);
    if (!MatchShape(candidate, kAccessTime)) continue;
    std::string_view after = candidate.substr(kAccessTimeShape.size());
    if (after.size() < 3 || after[0] != ']' || !IsAsciiSpace(after[1])) continue;
    size_t k = 1;
    while (k < after.size() && IsAsciiSpace(after[k])) ++k;
    if (k == after.size() || after[k] != '"') continue;
    *time_text = candidate.substr(0, kAccessTimeShape.size());
    return true;
  }
  return false;
}

EventTime TimeParser::Lookup(std::string_view text, Cache& cache,
                             EventTime (*parse)(std::string_view)) {
  if (text.size() == cache.size && SameBytes(text.data(), cache.text, text.size())) {
    return cache.time;
  }
  const EventTime t = parse(text);
  if (text.size() <= sizeof cache.text) {
    std::memcpy(cache.text, text.data(), text.size());
    cache.size = text.size();
    cache.time = t;
  }
  return t;
}

EventTime TimeParser::ParseErrorTime(std::string_view text) {
  return Lookup(text, error_cache_, ParseErrorTimeText);
}

EventTime TimeParser::ParseAccessTime(std::string_view text) {
  return Lookup(text, access_cache_, ParseAccessTimeText);
}

}  // namespace logchain::gunicorn

#include "processors/combined_parser.h"

#include <re2/re2.h>

#include <array>
#include <bit>
#include <charconv>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "common/arena.h"
#include "record/utf8.h"

namespace logchain {
namespace {

// Python's whitespace below U+0080: \t \n \v \f \r, \x1c-\x1f and space.
constexpr std::array<unsigned char, 128> kAsciiSpace = [] {
  std::array<unsigned char, 128> t{};
  for (unsigned char c : {'\t', '\n', '\v', '\f', '\r', ' '}) t[c] = 1;
  for (unsigned char c = 0x1C; c <= 0x1F; ++c) t[c] = 1;
  return t;
}();

// The same set as an RE2 character class.
constexpr char kSpaceClass[] =
    "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x{85}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}"
    "\\x{2029}\\x{202f}\\x{205f}\\x{3000}";

std::string SeedPattern(bool lenient) {
  const std::string s = std::string("[") + kSpaceClass + "]";
  const std::string S = std::string("[^") + kSpaceClass + "]";
  const std::string host = lenient ? "(?P<host>" + S + "*)" : "(?P<host>" + S + "+)";
  const std::string user = lenient ? "(?P<user>.+?)" : "(?P<user>" + S + "+)";
  const std::string request = lenient ? "\"(?P<request>.*)\"" : "\"(?P<request>.+)\"";
  const std::string sep = s + "+";
  return "^" + host + sep + S + "+" + sep + user + sep + "\\[(?P<time>.+)\\]" + sep + request +
         sep + "(?P<status>[0-9]+)" + sep + "(?P<size>" + S + "+)" + sep +
         "\"(?P<referer>.*)\"" + sep + "\"(?P<agent>.*)\"" + s + "*\\z";
}

bool MatchRe2(const re2::RE2& re, std::string_view s, CombinedFields* out) {
  // Groups in order: host, user, time, request, status, size, referer, agent.
  re2::StringPiece groups[9];
  if (!re.Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), re2::RE2::ANCHOR_BOTH, groups,
                9)) {
    return false;
  }
  auto view = [](const re2::StringPiece& p) { return std::string_view(p.data(), p.size()); };
  out->host = view(groups[1]);
  out->user = view(groups[2]);
  out->time = view(groups[3]);
  out->request = view(groups[4]);
  out->status = view(groups[5]);
  out->size = view(groups[6]);
  out->referer = view(groups[7]);
  out->agent = view(groups[8]);
  return true;
}

// Scanner helpers over [0, n) of s. Positions are byte offsets; stepping
// through a non-space run byte by byte is safe because the lead bytes of
// multi-byte whitespace never occur inside another character.
struct Scanner {
  const char* s;
  size_t n;

  size_t SpaceAt(size_t i) const {
    if (i >= n) return 0;
    const auto c = static_cast<unsigned char>(s[i]);
    return c < 0x80 ? kAsciiSpace[c] : PythonSpaceLength(s + i, s + n);
  }
  size_t SkipSpaces(size_t i) const {
    for (size_t len; (len = SpaceAt(i)) != 0;) i += len;
    return i;
  }
  size_t SkipNonSpaces(size_t i) const {
    while (i < n) {
#if defined(__SSE2__)
      if (n - i >= 16) {
        // Every ASCII whitespace byte is <= 0x20 and every multi-byte one
        // starts >= 0x80: skip 16 bytes at a time to the first byte that
        // may be whitespace, then check that one exactly.
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
        const __m128i limit = _mm_set1_epi8(0x20);
        const auto mask = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(v, limit), limit)) |
            _mm_movemask_epi8(v));
        if (mask == 0) {
          i += 16;
          continue;
        }
        i += static_cast<size_t>(__builtin_ctz(mask));
      }
#endif
      const auto c = static_cast<unsigned char>(s[i]);
      if (c < 0x80 ? kAsciiSpace[c] != 0 : PythonSpaceLength(s + i, s + n) != 0) break;
      ++i;
    }
    return i;
  }
  size_t SkipDigits(size_t i) const {
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i;
    return i;
  }
  // End of s without trailing whitespace.
  size_t TrimmedEnd() const {
    size_t e = n;
    while (e > 0) {
      const auto last = static_cast<unsigned char>(s[e - 1]);
      if (last < 0x80) {
        if (!kAsciiSpace[last]) break;
        --e;
        continue;
      }
      size_t len = 0;
      for (size_t k = 2; k <= 3 && len == 0; ++k) {
        if (e >= k && PythonSpaceLength(s + e - k, s + e) == k) len = k;
      }
      if (len == 0) break;
      e -= len;
    }
    return e;
  }
  // Previous occurrence of c strictly before `before`, or npos. The quotes
  // and brackets looked for are usually a few dozen bytes back: a vector
  // scan inline costs less than the call to memrchr.
  size_t FindBackward(char c, size_t before) const {
#if defined(__SSE2__)
    const __m128i needle = _mm_set1_epi8(c);
    size_t i = before;
    for (; i >= 16; i -= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i - 16));
      const auto mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, needle)));
      if (mask != 0) return i - 16 + static_cast<size_t>(31 - __builtin_clz(mask));
    }
    while (i > 0) {
      if (s[--i] == c) return i;
    }
    return std::string_view::npos;
#else
    const void* p = memrchr(s, c, before);
    return p == nullptr ? std::string_view::npos : static_cast<size_t>(static_cast<const char*>(p) - s);
#endif
  }
};

constexpr size_t npos = std::string_view::npos;

}  // namespace

size_t PythonSpaceLength(const char* p, const char* end) {
  const auto c = static_cast<unsigned char>(p[0]);
  if (c < 0x80) return kAsciiSpace[c];
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  const ptrdiff_t avail = end - p;
  switch (c) {
    case 0xC2:  // U+0085, U+00A0
      return avail >= 2 && (u[1] == 0x85 || u[1] == 0xA0) ? 2 : 0;
    case 0xE1:  // U+1680
      return avail >= 3 && u[1] == 0x9A && u[2] == 0x80 ? 3 : 0;
    case 0xE2:
      if (avail < 3) return 0;
      if (u[1] == 0x80) {  // U+2000-U+200A, U+2028, U+2029, U+202F
        return (u[2] >= 0x80 && u[2] <= 0x8A) || u[2] == 0xA8 || u[2] == 0xA9 || u[2] == 0xAF
                   ? 3
                   : 0;
      }
      return u[1] == 0x81 && u[2] == 0x9F ? 3 : 0;  // U+205F
    case 0xE3:  // U+3000
      return avail >= 3 && u[1] == 0x80 && u[2] == 0x80 ? 3 : 0;
    default:
      return 0;
  }
}

bool CombinedParser::ScanSeed(std::string_view line, CombinedFields* out) {
  const Scanner sc{line.data(), line.size()};
  const char* s = line.data();

  // host \s+ ident \s+ user \s+ "[": three maximal non-space tokens.
  const size_t host_end = sc.SkipNonSpaces(0);
  if (host_end == 0) return false;
  size_t user = 0;
  size_t user_end = 0;
  size_t open_bracket = 0;
  if (line.size() - host_end >= 6 && std::memcmp(s + host_end, " - - [", 6) == 0) {
    // No ident and no user, as on most lines: the same tokens as below
    // finds, without walking them byte by byte.
    user = host_end + 3;
    user_end = host_end + 4;
    open_bracket = host_end + 5;
  } else {
    const size_t ident = sc.SkipSpaces(host_end);
    if (ident == host_end) return false;
    const size_t ident_end = sc.SkipNonSpaces(ident);
    if (ident_end == ident) return false;
    user = sc.SkipSpaces(ident_end);
    if (user == ident_end) return false;
    user_end = sc.SkipNonSpaces(user);
    if (user_end == user) return false;
    open_bracket = sc.SkipSpaces(user_end);
    if (open_bracket == user_end || open_bracket >= line.size() || s[open_bracket] != '[') {
      return false;
    }
  }

  // The agent's closing quote: the last non-space character.
  const size_t trimmed = sc.TrimmedEnd();
  if (trimmed == 0 || s[trimmed - 1] != '"') return false;
  const size_t agent_close = trimmed - 1;

  // The referer's closing quote: the last quote followed by spaces and the
  // agent's opening quote (which must come before the closing one).
  size_t referer_close = npos;
  size_t agent_open = npos;
  for (size_t q = sc.FindBackward('"', agent_close); q != npos; q = sc.FindBackward('"', q)) {
    if (sc.SpaceAt(q + 1) == 0) continue;
    const size_t a = sc.SkipSpaces(q + 1);
    if (a < agent_close && s[a] == '"') {
      referer_close = q;
      agent_open = a;
      break;
    }
  }
  if (referer_close == npos) return false;

  // The request's closing quote: the last quote that starts a valid
  // `\s+status\s+size\s+"` tail whose referer opening quote comes before the
  // referer's closing quote.
  size_t request_close = npos;
  size_t status = 0, status_end = 0, size = 0, size_end = 0, referer_open = 0;
  for (size_t p = sc.FindBackward('"', referer_close); p != npos; p = sc.FindBackward('"', p)) {
    if (sc.SpaceAt(p + 1) == 0) continue;
    const size_t st = sc.SkipSpaces(p + 1);
    const size_t st_end = sc.SkipDigits(st);
    if (st_end == st || sc.SpaceAt(st_end) == 0) continue;
    const size_t sz = sc.SkipSpaces(st_end);
    const size_t sz_end = sc.SkipNonSpaces(sz);
    if (sz_end == sz || sc.SpaceAt(sz_end) == 0) continue;
    const size_t ro = sc.SkipSpaces(sz_end);
    if (ro >= referer_close || s[ro] != '"') continue;
    request_close = p;
    status = st;
    status_end = st_end;
    size = sz;
    size_end = sz_end;
    referer_open = ro;
    break;
  }
  if (request_close == npos) return false;

  // The time's closing bracket: the last "]" followed by spaces and a quote
  // that leaves a non-empty request; the time itself must not be empty.
  size_t time_close = npos;
  size_t request_open = 0;
  for (size_t t = sc.FindBackward(']', request_close); t != npos && t >= open_bracket + 2;
       t = sc.FindBackward(']', t)) {
    if (sc.SpaceAt(t + 1) == 0) continue;
    const size_t ro = sc.SkipSpaces(t + 1);
    if (ro + 2 <= request_close && s[ro] == '"') {
      time_close = t;
      request_open = ro;
      break;
    }
  }
  if (time_close == npos) return false;

  auto part = [&](size_t begin, size_t end) { return line.substr(begin, end - begin); };
  out->host = part(0, host_end);
  out->user = part(user, user_end);
  out->time = part(open_bracket + 1, time_close);
  out->request = part(request_open + 1, request_close);
  out->status = part(status, status_end);
  out->size = part(size, size_end);
  out->referer = part(referer_open + 1, referer_close);
  out->agent = part(agent_open + 1, agent_close);
  return true;
}

namespace {

std::unique_ptr<re2::RE2> Compile(bool lenient) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  return std::make_unique<re2::RE2>(SeedPattern(lenient), options);
}

}  // namespace

CombinedParser::CombinedParser() = default;

const re2::RE2& CombinedParser::Seed() const {
  if (seed_ == nullptr) seed_ = Compile(false);
  return *seed_;
}

const re2::RE2& CombinedParser::Lenient() const {
  if (lenient_ == nullptr) lenient_ = Compile(true);
  return *lenient_;
}

CombinedParser::~CombinedParser() = default;

bool CombinedParser::ParseSeed(std::string_view s, CombinedFields* out, bool no_line_feed) const {
  if (no_line_feed || std::memchr(s.data(), '\n', s.size()) == nullptr) return ScanSeed(s, out);
  return ParseWithRe2(s, out);
}

bool CombinedParser::ParseWithRe2(std::string_view s, CombinedFields* out) const {
  return MatchRe2(Seed(), s, out);
}

bool CombinedParser::ParseLenient(std::string_view s, CombinedFields* out) const {
  return MatchRe2(Lenient(), s, out);
}

namespace {

// Unicode decimal digits (category Nd) come in runs of ten from a zero;
// these are the zeros Python 3.11 (Unicode 14.0) knows.
constexpr uint32_t kDigitZeros[] = {
    0x30,    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,
    0xC66,   0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,  0x17E0,
    0x1810,  0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,  0x1C50,  0xA620,
    0xA8D0,  0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,  0xFF10,  0x104A0, 0x10D30, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0,
    0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2,
    0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
};

// The digit value of the character at the start of s (its length in *len), or -1.
int DecimalDigit(std::string_view s, size_t* len) {
  const auto c = static_cast<unsigned char>(s[0]);
  if (c < 0x80) {
    *len = 1;
    return c >= '0' && c <= '9' ? c - '0' : -1;
  }
  const size_t n = Utf8SequenceLength(s);
  if (n == 0) return -1;
  *len = n;
  const auto* u = reinterpret_cast<const unsigned char*>(s.data());
  uint32_t cp = n == 2   ? ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu)
                : n == 3 ? ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu)
                         : ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) |
                               ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3Fu);
  for (uint32_t zero : kDigitZeros) {
    if (cp >= zero && cp < zero + 10) return static_cast<int>(cp - zero);
  }
  return -1;
}

// The value of n (1 to 8) ASCII digits at p, or -1 when one of the bytes is
// not a digit. The digits are checked and combined in one 64-bit word with
// no loop: a status or a size has a different length from line to line, and
// a loop over its digits mispredicts its exit as often.
#if defined(__clang__) || defined(__GNUC__)
__attribute__((no_sanitize("address")))
#endif
inline int64_t ShortDecimal(const char* p, size_t n) {
  uint64_t word = 0;
  if ((reinterpret_cast<uintptr_t>(p) & 4095) <= 4096 - 8) {
    std::memcpy(&word, p, 8);  // within p's memory page: cannot fault
  } else {
    std::memcpy(&word, p, n);
  }
  // The first digit is the lowest byte. Shifting the n digits to the top
  // bytes and filling the bytes below with '0' gives eight digits with
  // leading zeros, whatever lay after the n bytes.
  const auto low = static_cast<unsigned>(64 - 8 * n);  // 0 to 56
  word = word << low | (0x3030303030303030ull & ((uint64_t{1} << low) - 1));
  // A digit has high nibble 3 and stays there when 6 is added to it. A byte
  // that carries into the next one (>= 0xFA) fails its own high nibble.
  const uint64_t high = word & 0xF0F0F0F0F0F0F0F0ull;
  const uint64_t high_plus_6 = (word + 0x0606060606060606ull) & 0xF0F0F0F0F0F0F0F0ull;
  if ((high | high_plus_6 >> 4) != 0x3333333333333333ull) return -1;
  // Pairs of digits, then pairs of pairs, then the two halves: each lane
  // takes ten, a hundred, ten thousand times its first half plus its second.
  word &= 0x0F0F0F0F0F0F0F0Full;
  word = (word * 10 + (word >> 8)) & 0x00FF00FF00FF00FFull;
  word = (word * 100 + (word >> 16)) & 0x0000FFFF0000FFFFull;
  word = (word * 10000 + (word >> 32)) & 0xFFFFFFFFull;
  return static_cast<int64_t>(word);
}

}  // namespace

bool PythonInt(std::string_view text, Arena& arena, Value* out) {
  // The common case, plain ASCII digits that fit in 64 bits, without the
  // general path's copy.
  if constexpr (std::endian::native == std::endian::little) {
    if (!text.empty() && text.size() <= 8) {
      const int64_t v = ShortDecimal(text.data(), text.size());
      if (v >= 0) {
        *out = Value::Int(v);
        return true;
      }
    }
  }
  if (!text.empty() && text.size() <= 18) {
    int64_t v = 0;
    size_t k = 0;
    for (; k < text.size(); ++k) {
      const unsigned d = static_cast<unsigned char>(text[k]) - static_cast<unsigned>('0');
      if (d > 9) break;
      v = v * 10 + static_cast<int64_t>(d);
    }
    if (k == text.size()) {
      *out = Value::Int(v);
      return true;
    }
  }
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  std::string digits;
  bool last_was_digit = false;
  while (i < text.size()) {
    if (text[i] == '_') {
      if (!last_was_digit) return false;
      last_was_digit = false;
      ++i;
      continue;
    }
    size_t len = 0;
    const int d = DecimalDigit(text.substr(i), &len);
    if (d < 0) return false;
    if (!(digits.empty() && d == 0)) digits.push_back(static_cast<char>('0' + d));
    last_was_digit = true;
    i += len;
  }
  if (!last_was_digit) return false;  // empty, sign only, or a trailing underscore
  if (digits.empty()) {
    *out = Value::Int(0);
    return true;
  }
  if (digits.size() <= 18) {
    int64_t v = 0;
    std::from_chars(digits.data(), digits.data() + digits.size(), v);
    *out = Value::Int(negative ? -v : v);
    return true;
  }
  if (negative) digits.insert(digits.begin(), '-');
  *out = Value::Number(arena.Copy(digits));
  return true;
}

}  // namespace logchain

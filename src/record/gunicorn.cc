#include "record/gunicorn.h"

#include <cstring>
#include <ctime>

namespace logchain::gunicorn {
namespace {

inline bool IsDigit(char c) { return static_cast<unsigned char>(c - '0') < 10; }
inline bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
inline bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == '\n';
}

// Checks s against a shape where 'd' is a digit, 'a' a letter, '+' a sign,
// and any other character itself.
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

constexpr std::string_view kErrorTimeShape = "dddd-dd-dd dd:dd:dd +dddd";
constexpr std::string_view kAccessTimeShape = "dd/aaa/dddd:dd:dd:dd +dddd";

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
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second == 60 ? 59 : second;  // a leap second reads as its last second
  const time_t local = timegm(&tm);
  // timegm normalises 31 Feb into March; such a date is not a real time.
  if (tm.tm_mday != day || tm.tm_mon != month - 1) return t;
  const int64_t offset = (offset_hours * 3600 + offset_minutes * 60) * (sign == '-' ? -1 : 1);
  t.seconds = static_cast<int64_t>(local) - offset;
  t.valid = true;
  return t;
}

EventTime ParseErrorTimeText(std::string_view s) {
  if (s.size() != kErrorTimeShape.size() || !MatchShape(s, kErrorTimeShape)) return EventTime{};
  return ToUtc(Digits(s, 0, 4), Digits(s, 5, 2), Digits(s, 8, 2), Digits(s, 11, 2),
               Digits(s, 14, 2), Digits(s, 17, 2), s[20], Digits(s, 21, 4));
}

EventTime ParseAccessTimeText(std::string_view s) {
  if (s.size() != kAccessTimeShape.size() || !MatchShape(s, kAccessTimeShape)) return EventTime{};
  const int month = MonthFromName(s.substr(3, 3));
  if (month == 0) return EventTime{};
  return ToUtc(Digits(s, 7, 4), month, Digits(s, 0, 2), Digits(s, 12, 2), Digits(s, 15, 2),
               Digits(s, 18, 2), s[21], Digits(s, 22, 4));
}

}  // namespace

bool ParseErrorLine(std::string_view line, ErrorLine* out) {
  // "[" time "] [" pid "] [" level "] " message
  if (line.size() < 1 + kErrorTimeShape.size() + 2 || line[0] != '[') return false;
  std::string_view rest = line.substr(1);
  if (!MatchShape(rest, kErrorTimeShape)) return false;
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

namespace {

// MatchShape(s, kAccessTimeShape) unrolled: this runs on every line.
bool IsAccessTimeShape(std::string_view s) {
  if (s.size() < kAccessTimeShape.size()) return false;
  const char* p = s.data();
  return IsDigit(p[0]) && IsDigit(p[1]) && p[2] == '/' && IsAlpha(p[3]) && IsAlpha(p[4]) &&
         IsAlpha(p[5]) && p[6] == '/' && IsDigit(p[7]) && IsDigit(p[8]) && IsDigit(p[9]) &&
         IsDigit(p[10]) && p[11] == ':' && IsDigit(p[12]) && IsDigit(p[13]) && p[14] == ':' &&
         IsDigit(p[15]) && IsDigit(p[16]) && p[17] == ':' && IsDigit(p[18]) && IsDigit(p[19]) &&
         p[20] == ' ' && (p[21] == '+' || p[21] == '-') && IsDigit(p[22]) && IsDigit(p[23]) &&
         IsDigit(p[24]) && IsDigit(p[25]);
}

}  // namespace

bool FindAccessTime(std::string_view line, std::string_view* time_text) {
  size_t pos = 0;
  while ((pos = line.find('[', pos)) != std::string_view::npos) {
    const size_t start = pos++;
    if (start > 0 && !IsAsciiSpace(line[start - 1])) continue;
    std::string_view candidate = line.substr(start + 1);
    if (!IsAccessTimeShape(candidate)) continue;
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
  if (text.size() == cache.size && std::memcmp(text.data(), cache.text, text.size()) == 0) {
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

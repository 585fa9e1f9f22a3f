#include "patterns/logfmt.h"

#include <string>

namespace logchain {

const char kLogfmtRegex[] =
    R"re([ \t]*[^ \t="]+=(?:"(?:[^"\\]|\\.)*"|[^ \t"]*)(?:[ \t]+[^ \t="]+=(?:"(?:[^"\\]|\\.)*"|[^ \t"]*))*[ \t]*)re";

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at text[at..at+4), or -1.
int Hex4(std::string_view text, size_t at) {
  if (at + 4 > text.size()) return -1;
  int v = 0;
  for (size_t i = at; i < at + 4; ++i) {
    const int h = Hex(text[i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

void AppendUtf8(char32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

// The body of a quoted value (between the quotes), unescaped. Only escapes
// that produce valid UTF-8 are decoded, so valid input stays valid.
std::string_view Unquote(std::string_view body, Arena& arena) {
  if (body.find('\\') == std::string_view::npos) return body;
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\' || i + 1 >= body.size()) {
      out.push_back(body[i]);
      continue;
    }
    const char next = body[i + 1];
    char simple = 0;
    switch (next) {
      case '"': simple = '"'; break;
      case '\\': simple = '\\'; break;
      case '/': simple = '/'; break;
      case 'n': simple = '\n'; break;
      case 'r': simple = '\r'; break;
      case 't': simple = '\t'; break;
      case 'b': simple = '\b'; break;
      case 'f': simple = '\f'; break;
      default: break;
    }
    if (simple != 0) {
      out.push_back(simple);
      ++i;
      continue;
    }
    const int unit = next == 'u' ? Hex4(body, i + 2) : -1;
    if (unit < 0) {
      out.push_back('\\');  // not an escape logfmt writers use: kept as written
      continue;
    }
    char32_t code = static_cast<char32_t>(unit);
    size_t consumed = 6;
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 7 < body.size() && body[i + 6] == '\\' &&
        body[i + 7] == 'u') {
      const int low = Hex4(body, i + 8);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        code = 0x10000 + ((static_cast<char32_t>(unit) - 0xD800) << 10) +
               (static_cast<char32_t>(low) - 0xDC00);
        consumed = 12;
      }
    }
    if (code >= 0xD800 && code <= 0xDFFF) code = 0xFFFD;  // an unpaired surrogate
    AppendUtf8(code, &out);
    i += consumed - 1;
  }
  return arena.Copy(out);
}

}  // namespace

bool ParseLogfmt(std::string_view text, Arena& arena, std::vector<LogfmtPair>* out) {
  out->clear();
  size_t i = 0;
  const size_t n = text.size();
  while (true) {
    while (i < n && IsBlank(text[i])) ++i;
    if (i == n) break;
    const size_t key_start = i;
    while (i < n && !IsBlank(text[i]) && text[i] != '=' && text[i] != '"') ++i;
    if (i == key_start || i == n || text[i] != '=') return false;
    const std::string_view key = text.substr(key_start, i - key_start);
    ++i;  // '='
    std::string_view value;
    if (i < n && text[i] == '"') {
      const size_t body_start = ++i;
      while (i < n && text[i] != '"') i += text[i] == '\\' && i + 1 < n ? 2 : 1;
      if (i >= n) return false;  // unterminated
      value = Unquote(text.substr(body_start, i - body_start), arena);
      ++i;  // closing quote
      if (i < n && !IsBlank(text[i])) return false;
    } else {
      const size_t value_start = i;
      while (i < n && !IsBlank(text[i])) {
        if (text[i] == '"') return false;
        ++i;
      }
      value = text.substr(value_start, i - value_start);
    }
    out->push_back(LogfmtPair{key, value});
  }
  return !out->empty();
}

}  // namespace logchain

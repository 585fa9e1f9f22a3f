// Independent checks of logchain's output, shared by the unit tests and the
// fuzz targets (fuzz/fuzz_util.h): RapidJSON, not logchain's own writer or
// reader, decides whether a line is valid JSON; output is split into records
// and logchain_raw_base64 decoded without logchain's code.
#ifndef LOGCHAIN_TESTS_JSON_CHECK_H_
#define LOGCHAIN_TESTS_JSON_CHECK_H_

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace logchain::testing {

/// Splits s at every "\n" (a trailing "\n" gives no empty last piece). The
/// views point into s.
inline std::vector<std::string_view> SplitLines(std::string_view s) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) nl = s.size();
    lines.push_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

/// Length of the RFC 8259 number at the start of s, or 0 when there is none:
/// [ "-" ] ( "0" / 1-9 *DIGIT ) [ "." 1*DIGIT ] [ ( "e" / "E" ) [ "+" / "-" ] 1*DIGIT ].
inline size_t JsonNumberLength(std::string_view s) {
  auto digits = [&s](size_t i) {
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i;
  };
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size() || s[i] < '0' || s[i] > '9') return 0;
  i = s[i] == '0' ? i + 1 : digits(i);
  if (i < s.size() && s[i] == '.') {
    const size_t end = digits(i + 1);
    if (end == i + 1) return 0;
    i = end;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t end = digits(i);
    if (end == i) return 0;
    i = end;
  }
  return i;
}

/// Parses text with RapidJSON as one complete JSON document in valid UTF-8,
/// nothing before or after it. Numbers stay text, but RapidJSON still
/// refuses one whose exponent it cannot hold ("1e4005678901234567890123"),
/// as logchain's JSON line decoder does (record/json_object.h).
inline bool ParseJson(std::string_view text, rapidjson::Document* doc) {
  // RapidJSON takes a NUL byte for the end of the input.
  if (std::memchr(text.data(), '\0', text.size()) != nullptr) return false;
  rapidjson::MemoryStream stream(text.data(), text.size());
  doc->ParseStream<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseNumbersAsStringsFlag |
                   rapidjson::kParseIterativeFlag>(stream);
  return !doc->HasParseError() && stream.Tell() == text.size();
}

/// ParseJson for checking output: valid RFC 8259 JSON, which sets no limit
/// on an exponent. A number RapidJSON refuses as too big, checked against
/// the RFC's grammar here, is replaced by 0 and the text parsed again (a
/// JSON line whose "0e4005678901234567890123" simdjson read as 0 is passed
/// through as it came).
inline bool ParseRfcJson(std::string_view text, rapidjson::Document* doc) {
  std::string patched;
  for (;;) {
    if (ParseJson(text, doc)) return true;
    if (!doc->HasParseError() || doc->GetParseError() != rapidjson::kParseErrorNumberTooBig) {
      return false;
    }
    const size_t at = doc->GetErrorOffset();
    const size_t length = at < text.size() ? JsonNumberLength(text.substr(at)) : 0;
    if (length == 0) return false;
    patched = std::string(text.substr(0, at)) + "0" + std::string(text.substr(at + length));
    text = patched;  // shorter each time: the loop ends
  }
}

/// Empty when line is exactly one JSON object in valid UTF-8; else why not.
inline std::string JsonObjectProblem(std::string_view line) {
  rapidjson::Document doc;
  if (!ParseJson(line, &doc)) {
    if (!doc.HasParseError()) return "a NUL byte, or text after the value";
    return std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " at " +
           std::to_string(doc.GetErrorOffset());
  }
  if (!doc.IsObject()) return "not an object";
  return {};
}

/// Decodes standard base64 (with padding); false on anything else.
inline bool DecodeBase64(std::string_view in, std::string* out) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (in.size() % 4 != 0) return false;
  out->clear();
  for (size_t i = 0; i < in.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      if (in[i + k] == '=' && i + 4 == in.size() && k >= 2) {
        v[k] = 0;
        ++pad;
      } else {
        if (pad != 0) return false;
        v[k] = value(in[i + k]);
        if (v[k] < 0) return false;
      }
    }
    const uint32_t bits = static_cast<uint32_t>(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
    out->push_back(static_cast<char>(bits >> 16));
    if (pad < 2) out->push_back(static_cast<char>((bits >> 8) & 0xFF));
    if (pad < 1) out->push_back(static_cast<char>(bits & 0xFF));
  }
  return true;
}

}  // namespace logchain::testing

#endif  // LOGCHAIN_TESTS_JSON_CHECK_H_

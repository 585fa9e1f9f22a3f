// Helpers shared by the fuzz targets.
//
// FUZZ_CHECK aborts with the failed condition, which libFuzzer reports as a
// crash and the corpus replay reports as a failed test. The input's bytes
// are never printed: libFuzzer saves them as the crash artifact.
#ifndef LOGCHAIN_FUZZ_FUZZ_UTIL_H_
#define LOGCHAIN_FUZZ_FUZZ_UTIL_H_

#include <rapidjson/document.h>
#include <rapidjson/memorystream.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#define FUZZ_CHECK(condition)                                                          \
  do {                                                                                 \
    if (!(condition)) {                                                                \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

/// The entry point every target defines, called by libFuzzer or replay_main.cc.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace logchain::fuzz {

/// Takes bytes off the front of the input to steer a target (sizes,
/// options); returns 0 once the input is used up.
class Steer {
 public:
  Steer(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte() {
    if (size_ == 0) return 0;
    --size_;
    return *data_++;
  }
  uint16_t Short() { return static_cast<uint16_t>(Byte() | (Byte() << 8)); }
  std::string_view Rest() const {
    return {reinterpret_cast<const char*>(data_), size_};
  }

 private:
  const uint8_t* data_;
  size_t size_;
};

/// Splits s at every "\n" (a trailing "\n" gives no empty last piece).
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

/// Parses text with RapidJSON (an independent reader) as one complete JSON
/// document in valid UTF-8. Numbers stay text, so any valid number passes.
inline bool ParseJson(std::string_view text, rapidjson::Document* doc) {
  if (std::memchr(text.data(), '\0', text.size()) != nullptr) return false;  // RapidJSON stops at NUL
  rapidjson::MemoryStream stream(text.data(), text.size());
  doc->ParseStream<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseNumbersAsStringsFlag |
                   rapidjson::kParseIterativeFlag>(stream);
  return !doc->HasParseError() && stream.Tell() == text.size();
}

/// True when p lies inside s (or at its end): views must point into the input.
inline bool Inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
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

}  // namespace logchain::fuzz

#endif  // LOGCHAIN_FUZZ_FUZZ_UTIL_H_

// Helpers shared by the fuzz targets; the output checks they share with the
// unit tests are in tests/json_check.h.
//
// FUZZ_CHECK aborts with the failed condition, which libFuzzer reports as a
// crash and the corpus replay reports as a failed test. The input's bytes
// are never printed: libFuzzer saves them as the crash artifact.
#ifndef LOGCHAIN_FUZZ_FUZZ_UTIL_H_
#define LOGCHAIN_FUZZ_FUZZ_UTIL_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "json_check.h"

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

// Output checks shared with the unit tests (tests/json_check.h).
using logchain::testing::DecodeBase64;
using logchain::testing::ParseJson;
using logchain::testing::ParseRfcJson;
using logchain::testing::SplitLines;

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

/// True when p lies inside s (or at its end): views must point into the input.
inline bool Inside(std::string_view part, std::string_view whole) {
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

}  // namespace logchain::fuzz

#endif  // LOGCHAIN_FUZZ_FUZZ_UTIL_H_

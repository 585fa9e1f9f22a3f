// Differential: the hand-written linear scanner that stands in for the
// seed's combined_logformat regex must split every line exactly as RE2 runs
// that regex: the same verdict and the same eight fields.
#include "fuzz_util.h"
#include "processors/combined_parser.h"
#include "record/utf8.h"

using logchain::CombinedFields;
using logchain::CombinedParser;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const CombinedParser parser;
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  // The scanner's domain: valid UTF-8 (the decoder sanitises) without "\n".
  if (!logchain::IsValidUtf8(line) || line.find('\n') != std::string_view::npos) return 0;
  CombinedFields scanned;
  CombinedFields reference;
  const bool scanner_matched = CombinedParser::ScanSeed(line, &scanned);
  const bool regex_matched = parser.ParseWithRe2(line, &reference);
  FUZZ_CHECK(scanner_matched == regex_matched);
  if (scanner_matched) {
    // Same text and the same position in the line.
    FUZZ_CHECK(scanned == reference);
    FUZZ_CHECK(scanned.host.data() == reference.host.data());
    FUZZ_CHECK(scanned.user.data() == reference.user.data());
    FUZZ_CHECK(scanned.time.data() == reference.time.data());
    FUZZ_CHECK(scanned.request.data() == reference.request.data());
    FUZZ_CHECK(scanned.status.data() == reference.status.data());
    FUZZ_CHECK(scanned.size.data() == reference.size.data());
    FUZZ_CHECK(scanned.referer.data() == reference.referer.data());
    FUZZ_CHECK(scanned.agent.data() == reference.agent.data());
  }
  return 0;
}

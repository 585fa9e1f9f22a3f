// The combined-format parser (the seed's regex, by scanner or RE2, and the
// lenient form) and Python's int() for status and size: any bytes, and
// every field it reports is a piece of the line, in order.
#include <string>

#include "common/arena.h"
#include "fuzz_util.h"
#include "processors/combined_parser.h"
#include "record/utf8.h"

using logchain::CombinedFields;
using logchain::CombinedParser;

namespace {

void CheckFields(const CombinedFields& f, std::string_view line, bool lenient) {
  const std::string_view parts[] = {f.host, f.user, f.time, f.request,
                                    f.status, f.size, f.referer, f.agent};
  const char* previous_end = line.data();
  for (size_t i = 0; i < 8; ++i) {
    FUZZ_CHECK(logchain::fuzz::Inside(parts[i], line));
    FUZZ_CHECK(parts[i].data() >= previous_end);
    previous_end = parts[i].data() + parts[i].size();
  }
  FUZZ_CHECK(lenient || !f.host.empty());
  FUZZ_CHECK(!f.time.empty());
  FUZZ_CHECK(lenient || !f.request.empty());
  FUZZ_CHECK(!f.status.empty() && !f.size.empty());
  for (char c : f.status) FUZZ_CHECK(c >= '0' && c <= '9');
  // Brackets and quotes around the bracketed and quoted fields.
  FUZZ_CHECK(f.time.data()[-1] == '[' && f.time.data()[f.time.size()] == ']');
  FUZZ_CHECK(f.request.data()[-1] == '"' && f.request.data()[f.request.size()] == '"');
  FUZZ_CHECK(f.referer.data()[-1] == '"' && f.referer.data()[f.referer.size()] == '"');
  FUZZ_CHECK(f.agent.data()[-1] == '"' && f.agent.data()[f.agent.size()] == '"');

  logchain::Arena arena;
  logchain::Value status;
  FUZZ_CHECK(logchain::PythonInt(f.status, arena, &status));
  if (status.kind == logchain::ValueKind::kInt) FUZZ_CHECK(status.int_value >= 0);
  logchain::Value size;
  if (logchain::PythonInt(f.size, arena, &size) && size.kind == logchain::ValueKind::kNumber) {
    FUZZ_CHECK(size.text.size() > 18);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const CombinedParser parser;
  std::string_view line(reinterpret_cast<const char*>(data), size);
  // Processors see valid UTF-8 only: the line decoder sanitises first.
  logchain::Arena arena;
  if (!logchain::IsValidUtf8(line)) line = logchain::SanitizeUtf8(line, arena);

  CombinedFields f;
  if (parser.ParseSeed(line, &f)) CheckFields(f, line, false);
  CombinedFields lenient;
  if (parser.ParseLenient(line, &lenient)) CheckFields(lenient, line, true);

  // Python's int() on the raw text: canonical digits when it succeeds.
  logchain::Value v;
  if (logchain::PythonInt(line, arena, &v) && v.kind == logchain::ValueKind::kNumber) {
    const std::string_view digits = v.text.starts_with('-') ? v.text.substr(1) : v.text;
    FUZZ_CHECK(digits.size() > 18 && digits[0] != '0');
    for (char c : digits) FUZZ_CHECK(c >= '0' && c <= '9');
  }
  return 0;
}

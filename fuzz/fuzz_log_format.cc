// Log format strings (patterns/log_format.h): any bytes as a gunicorn, nginx
// or Apache format string either compile or are refused with a column inside
// the string and a reason; a compiled format, on any line, recognises every
// line it parses, and gives only valid UTF-8 text, decoded or not.
//
// Input: one byte choosing the server, the format string up to the first
// "\n", then the line.
#include <string>

#include "common/arena.h"
#include "fuzz_util.h"
#include "patterns/log_format.h"
#include "record/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto kind = static_cast<logchain::LogFormatKind>(data[0] % 3);
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t newline = rest.find('\n');
  const std::string_view format = rest.substr(0, newline);
  std::string_view line = newline == std::string_view::npos ? std::string_view()
                                                            : rest.substr(newline + 1);
  logchain::LogFormatError error;
  const auto compiled = logchain::CompiledFormat::Compile(kind, format, &error);
  if (compiled == nullptr) {
    FUZZ_CHECK(!error.reason.empty());
    FUZZ_CHECK(error.column >= 1 && error.column <= format.size() + 1);
    return 0;
  }
  logchain::Arena arena;
  // Processors see valid UTF-8 only: the line decoder sanitises first.
  if (!logchain::IsValidUtf8(line)) line = logchain::SanitizeUtf8(line, arena);
  std::string_view time;
  const std::string_view* groups = nullptr;
  const bool recognized = compiled->Recognize(line, arena, &groups, &time);
  if (recognized && compiled->time_syntax() != logchain::CompiledFormat::TimeSyntax::kNone) {
    FUZZ_CHECK(logchain::fuzz::Inside(time, line));
  }
  for (bool decode : {false, true}) {
    std::vector<logchain::MatchedField> fields;
    if (!compiled->Parse(line, arena, decode, &fields)) continue;
    FUZZ_CHECK(recognized);
    // What the decoder's match converts to is what parsing the line gives.
    std::vector<logchain::MatchedField> converted;
    FUZZ_CHECK(compiled->Convert(groups, arena, decode, &converted));
    FUZZ_CHECK(converted.size() == fields.size());
    for (const logchain::MatchedField& f : fields) {
      FUZZ_CHECK(!f.name.empty());
      if (f.value.kind == logchain::ValueKind::kString) {
        FUZZ_CHECK(logchain::IsValidUtf8(f.value.text));
        if (!decode) FUZZ_CHECK(logchain::fuzz::Inside(f.value.text, line));
      }
    }
  }
  return 0;
}

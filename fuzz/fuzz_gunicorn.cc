// The gunicorn prefix recogniser: the error-log prefix, the access-line
// time field, and both time parsers (with their one-entry cache).
#include "common/arena.h"
#include "fuzz_util.h"
#include "record/gunicorn.h"
#include "record/line_decoder.h"

namespace gunicorn = logchain::gunicorn;

namespace {

void CheckTime(const logchain::EventTime& t) {
  if (!t.valid) return;
  // Years 0000-9999 with offsets up to a day stay within these bounds.
  FUZZ_CHECK(t.seconds >= -62167219200LL - 86400 && t.seconds <= 253402300799LL + 86400);
  FUZZ_CHECK(t.microseconds == 0);
}

bool Same(const logchain::EventTime& a, const logchain::EventTime& b) {
  return a.valid == b.valid && (!a.valid || (a.seconds == b.seconds && a.microseconds == b.microseconds));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static gunicorn::TimeParser cached;  // keeps its cache from input to input
  const std::string_view line(reinterpret_cast<const char*>(data), size);

  gunicorn::ErrorLine error_line;
  if (gunicorn::ParseErrorLine(line, &error_line)) {
    FUZZ_CHECK(line.starts_with('['));
    FUZZ_CHECK(logchain::fuzz::Inside(error_line.time_text, line));
    FUZZ_CHECK(logchain::fuzz::Inside(error_line.level_name, line));
    FUZZ_CHECK(logchain::fuzz::Inside(error_line.message, line));
    FUZZ_CHECK(error_line.time_text.data() == line.data() + 1);
    FUZZ_CHECK(error_line.time_text.size() == 25);
    FUZZ_CHECK(!error_line.level_name.empty());
    FUZZ_CHECK(error_line.level_name.find(']') == std::string_view::npos);
    FUZZ_CHECK(error_line.message.data() + error_line.message.size() == line.data() + line.size());
    gunicorn::TimeParser fresh;
    const logchain::EventTime t = fresh.ParseErrorTime(error_line.time_text);
    CheckTime(t);
    FUZZ_CHECK(Same(t, cached.ParseErrorTime(error_line.time_text)));
    FUZZ_CHECK(Same(t, cached.ParseErrorTime(error_line.time_text)));
    logchain::Arena arena;
    const std::string_view level = logchain::LevelFromName(error_line.level_name, arena);
    FUZZ_CHECK(level.size() == error_line.level_name.size() ||
               (error_line.level_name.size() == 4 && level == "warning"));
  }

  std::string_view access_time;
  if (gunicorn::FindAccessTime(line, &access_time)) {
    FUZZ_CHECK(logchain::fuzz::Inside(access_time, line));
    FUZZ_CHECK(access_time.size() == 26);
    FUZZ_CHECK(access_time.data() > line.data() && access_time.data()[-1] == '[');
    FUZZ_CHECK(access_time.data()[26] == ']');
    gunicorn::TimeParser fresh;
    const logchain::EventTime t = fresh.ParseAccessTime(access_time);
    CheckTime(t);
    FUZZ_CHECK(Same(t, cached.ParseAccessTime(access_time)));
  }

  // The time parsers take any text, not only what the recognisers found.
  gunicorn::TimeParser fresh;
  CheckTime(fresh.ParseErrorTime(line));
  CheckTime(fresh.ParseAccessTime(line));
  FUZZ_CHECK(Same(fresh.ParseAccessTime(line), cached.ParseAccessTime(line)));
  FUZZ_CHECK(Same(fresh.ParseErrorTime(line), cached.ParseErrorTime(line)));
  return 0;
}

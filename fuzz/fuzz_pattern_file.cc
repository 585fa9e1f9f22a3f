// The pattern-file loader (patterns/library.h): any bytes as a *.blocks file
// and a *.pattern file must load or be refused with file:line problems,
// never crash, hang or blow up; a pattern that loads must then split any
// line into fields that are valid UTF-8 views into the line or the arena.
//
// Input: blocks file, '\0', pattern file, '\0', a line to parse.
#include "common/arena.h"
#include "fuzz_util.h"
#include "patterns/library.h"
#include "record/utf8.h"

namespace {

// A few of the shipped building blocks, so references resolve.
constexpr char kBaseBlocks[] =
    "INT  [+-]?[0-9]+  # a decimal integer\n"
    "WORD  \\w+  # letters, digits, underscore\n"
    "QS  \"(?:[^\"\\\\]|\\\\.)*\"  # a quoted string\n";

std::string_view Next(std::string_view* rest) {
  const size_t nul = rest->find('\0');
  const std::string_view part = rest->substr(0, nul);
  rest->remove_prefix(nul == std::string_view::npos ? rest->size() : nul + 1);
  return part;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const std::string_view blocks = Next(&rest);
  const std::string_view pattern = Next(&rest);
  const std::string_view line = Next(&rest);

  logchain::PatternLibrary library;
  logchain::Diagnostics diagnostics;
  const logchain::PatternFile base[] = {{"base.blocks", kBaseBlocks}};
  FUZZ_CHECK(library.AddFiles(base, "fuzz", diagnostics));
  const logchain::PatternFile files[] = {{"user.blocks", std::string(blocks)},
                                         {"user.pattern", std::string(pattern)}};
  const bool ok = library.AddFiles(files, "fuzz", diagnostics);
  FUZZ_CHECK(ok == diagnostics.ok());
  for (const logchain::Problem& p : diagnostics.problems()) {
    FUZZ_CHECK(p.where.starts_with("fuzz/user."));
    FUZZ_CHECK(!p.what.empty());
  }
  const logchain::NamedPattern* user = library.Find("user");
  if (ok) FUZZ_CHECK(user != nullptr);
  if (user == nullptr || !logchain::IsValidUtf8(line)) return 0;

  logchain::Arena arena;
  std::vector<logchain::MatchedField> out;
  for (const bool decode : {false, true}) {
    if (!user->Parse(line, arena, decode, &out)) continue;
    for (const logchain::MatchedField& f : out) {
      FUZZ_CHECK(!f.name.empty());
      if (f.value.kind == logchain::ValueKind::kString ||
          f.value.kind == logchain::ValueKind::kNumber) {
        FUZZ_CHECK(logchain::IsValidUtf8(f.value.text));
      }
      if (f.value.kind == logchain::ValueKind::kDouble) {
        FUZZ_CHECK(f.value.double_value == f.value.double_value);  // never NaN
      }
    }
  }
  return 0;
}

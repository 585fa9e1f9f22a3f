// Traceback folding: any sequence of lines, grouped into entries, must give
// back every line exactly once and in order (the head with its message
// continuation lines, then the traceback's lines), with each entry's line
// count right, and no folded entry longer than max_bytes.
#include <algorithm>
#include <string>

#include "fuzz_util.h"
#include "processors/fold_traceback.h"

using logchain::Entry;
using logchain::FoldSettings;
using logchain::TracebackFolder;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  logchain::fuzz::Steer steer(data, size);
  FoldSettings settings;
  settings.max_bytes = 1 + steer.Short() % 2048;
  const uint8_t flush_every = steer.Byte();
  const std::vector<std::string_view> lines = logchain::fuzz::SplitLines(steer.Rest());

  TracebackFolder folder(settings);
  std::vector<std::string> regrouped;  // every line handed back, in order
  size_t entries_lines = 0;
  auto emit = [&](const Entry& e) {
    FUZZ_CHECK(e.lines >= 1);
    entries_lines += e.lines;
    // The head holds its line and any message continuation lines, joined
    // by "\n"; the folded traceback's lines follow in the continuation.
    std::string text(e.head);
    const size_t head_lines = 1 + static_cast<size_t>(std::count(e.head.begin(), e.head.end(), '\n'));
    FUZZ_CHECK(head_lines <= e.lines);
    if (head_lines < e.lines) {
      text.append("\n").append(e.continuation);
    } else {
      FUZZ_CHECK(e.continuation.empty());
    }
    // Exactly e.lines lines, joined by "\n".
    FUZZ_CHECK(static_cast<size_t>(std::count(text.begin(), text.end(), '\n')) == e.lines - 1);
    size_t start = 0;
    for (size_t k = 0; k < e.lines; ++k) {
      size_t nl = text.find('\n', start);
      if (nl == std::string::npos) nl = text.size();
      regrouped.emplace_back(text.substr(start, nl - start));
      start = nl + 1;
    }
    // Folding stops before the held text passes max_bytes.
    if (e.lines > 1) FUZZ_CHECK(text.size() <= settings.max_bytes);
    if (e.standalone_traceback) {
      FUZZ_CHECK(e.head == "Traceback (most recent call last):" ||
                 e.head.ends_with("+ Exception Group Traceback (most recent call last):"));
    }
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    // The folder copies what it holds: hand it a buffer that dies right after.
    std::string copy(lines[i]);
    folder.Push(copy, /*padded=*/false, emit);
    copy.assign(copy.size(), '\x01');
    if (flush_every != 0 && i % flush_every == flush_every - 1u) folder.Flush(emit);  // idle input
  }
  folder.Flush(emit);
  FUZZ_CHECK(!folder.holding());
  FUZZ_CHECK(entries_lines == lines.size());
  FUZZ_CHECK(regrouped.size() == lines.size());
  for (size_t i = 0; i < lines.size(); ++i) FUZZ_CHECK(regrouped[i] == lines[i]);
  return 0;
}

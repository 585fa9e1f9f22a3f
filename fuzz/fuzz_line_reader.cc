// Line framing: arbitrary bytes arrive in reads of arbitrary sizes; the
// lines LineReader hands out, re-joined with the terminators it consumed,
// must be exactly the input. Also checks the memory bound and the piece
// numbering of over-long lines, and, when the input asks, takes whole runs
// of lines (NextRun, as batch mode does) between single lines.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "fuzz_util.h"
#include "input/line_reader.h"

using logchain::Line;
using logchain::LineReader;

namespace {

struct Checker {
  std::string_view input;
  size_t max_line_bytes;
  size_t cursor = 0;
  uint32_t expected_part = 0;  // pieces seen of the current line

  void Take(const Line& line) {
    FUZZ_CHECK(line.text.size() <= max_line_bytes);
    FUZZ_CHECK(line.text.find('\n') == std::string_view::npos);
    // The text is the next bytes of the input.
    FUZZ_CHECK(input.substr(cursor, line.text.size()) == line.text);
    cursor += line.text.size();
    bool ends_line = true;
    if (line.part == 0) {
      FUZZ_CHECK(expected_part == 0);
    } else {
      FUZZ_CHECK(line.part == expected_part + 1);
      expected_part = line.part;
      ends_line = line.last_part;
      if (ends_line) expected_part = 0;
    }
    if (!ends_line) return;
    // The terminator consumed: "\r\n", "\n", or the end of the input.
    if (input.substr(cursor, 2) == "\r\n") {
      cursor += 2;
    } else if (cursor < input.size()) {
      FUZZ_CHECK(input[cursor] == '\n');
      ++cursor;
    }
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  logchain::fuzz::Steer steer(data, size);
  const size_t max_line_bytes = 1 + steer.Byte() % 64;
  const size_t block_size = 16 + steer.Byte() % 64;
  const uint8_t run_byte = steer.Byte();
  const bool runs = (run_byte & 1) != 0;
  const size_t run_max = 1 + run_byte / 2;
  // Read sizes come from the next bytes, one per chunk, cycling.
  uint8_t sizes[8];
  for (uint8_t& s : sizes) s = static_cast<uint8_t>(1 + steer.Byte() % 48);
  const std::string_view input = steer.Rest();

  int fds[2];
  FUZZ_CHECK(pipe(fds) == 0);
  FUZZ_CHECK(fcntl(fds[0], F_SETFL, O_NONBLOCK) == 0);

  LineReader reader(max_line_bytes, block_size);
  reader.Reset(fds[0]);
  Checker checker{input, max_line_bytes};
  size_t written = 0;
  size_t chunk = 0;
  bool closed = false;
  for (;;) {
    Line line;
    std::string_view run;
    if (runs && reader.NextRun(run_max, &run)) {
      FUZZ_CHECK(!run.empty() && run.size() <= run_max && run.back() == '\n');
      while (!run.empty()) {
        line.text = LineReader::TakeLine(&run);
        checker.Take(line);
      }
      continue;
    }
    const LineReader::Status status = reader.Next(&line);
    if (status == LineReader::Status::kLine) {
      checker.Take(line);
      continue;
    }
    if (status == LineReader::Status::kEnd) break;
    // Memory stays within the maximum line length plus one block.
    FUZZ_CHECK(reader.capacity() <= std::max(block_size, max_line_bytes + block_size));
    const ssize_t n = reader.Fill();
    if (n > 0 || n == 0) continue;  // data, or end of input
    FUZZ_CHECK(errno == EAGAIN);
    // The pipe is empty: feed the next chunk, or end the input.
    if (written < input.size()) {
      const size_t want = std::min<size_t>(sizes[chunk++ % 8], input.size() - written);
      FUZZ_CHECK(write(fds[1], input.data() + written, want) == static_cast<ssize_t>(want));
      written += want;
    } else if (!closed) {
      close(fds[1]);
      closed = true;
    }
  }
  FUZZ_CHECK(closed);
  FUZZ_CHECK(checker.cursor == input.size());
  FUZZ_CHECK(checker.expected_part == 0);
  if (!closed) close(fds[1]);
  close(fds[0]);
  return 0;
}

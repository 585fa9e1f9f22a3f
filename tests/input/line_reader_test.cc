#include "input/line_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

namespace logchain {
namespace {

struct Collected {
  std::vector<std::string> lines;
  std::vector<uint32_t> parts;
  std::vector<bool> last;
};

Collected ReadAll(int fd, size_t max_line, size_t block) {
  LineReader reader(max_line, block);
  reader.Reset(fd);
  Collected c;
  for (;;) {
    Line line;
    const auto status = reader.Next(&line);
    if (status == LineReader::Status::kLine) {
      c.lines.emplace_back(line.text);
      c.parts.push_back(line.part);
      c.last.push_back(line.last_part);
      continue;
    }
    if (status == LineReader::Status::kEnd) break;
    if (reader.Fill() < 0) ADD_FAILURE() << "read failed";
  }
  return c;
}

int MemFile(std::string_view content) {
  const int fd = memfd_create("lr", MFD_CLOEXEC);
  EXPECT_EQ(static_cast<ssize_t>(content.size()), ::write(fd, content.data(), content.size()));
  ::lseek(fd, 0, SEEK_SET);
  return fd;
}

Collected ReadText(std::string_view text, size_t max_line = 1 << 20, size_t block = 64) {
  const int fd = MemFile(text);
  Collected c = ReadAll(fd, max_line, block);
  ::close(fd);
  return c;
}

// `count` lines of up to max_length - 1 letters from a fixed seed, about one
// in `crlf_one_in` ended by "\r\n", the others by "\n".
std::string RandomLines(uint32_t seed, int count, uint32_t max_length, uint32_t crlf_one_in) {
  std::mt19937 rng(seed);
  std::string input;
  for (int i = 0; i < count; ++i) {
    input += std::string(rng() % max_length, static_cast<char>('a' + i % 26));
    input += (rng() % crlf_one_in == 0) ? "\r\n" : "\n";
  }
  return input;
}

TEST(LineReaderTest, FramesLfCrlfAndAnUnterminatedLastLine) {
  EXPECT_EQ((std::vector<std::string>{"a", "b", "", "c\rd", "e"}),
            ReadText("a\nb\r\n\nc\rd\ne").lines);
  EXPECT_EQ((std::vector<std::string>{}), ReadText("").lines);
  EXPECT_EQ((std::vector<std::string>{""}), ReadText("\n").lines);
  // Only "\r\n" ends a line: a "\r" cut off from its "\n" at the end of
  // the input is a byte of the line and is kept (found by fuzz_line_reader).
  EXPECT_EQ((std::vector<std::string>{"x\r"}), ReadText("x\r").lines);
  EXPECT_EQ((std::vector<std::string>{"x", "\r"}), ReadText("x\r\n\r").lines);
  EXPECT_EQ((std::vector<std::string>{std::string("a\0b", 3)}),
            ReadText(std::string_view("a\0b\n", 4)).lines);
}

// The line feed is looked for 16 bytes at a time over a line's first 256
// bytes and by memchr after them: every length across both edges, in one
// block and in blocks smaller than the line.
TEST(LineReaderTest, FramesLinesOfEveryLengthAcrossTheScanEdges) {
  std::vector<std::string> expected;
  std::string input;
  for (size_t length = 0; length <= 600; ++length) {
    expected.emplace_back(length, static_cast<char>('a' + length % 26));
    input += expected.back() + "\n";
  }
  EXPECT_EQ(expected, ReadText(input, 1 << 20, 1 << 20).lines);
  EXPECT_EQ(expected, ReadText(input, 1 << 20, 100).lines);
}

TEST(LineReaderTest, LongerLinesComeInNumberedPiecesThatRejoinExactly) {
  const std::string line(1000, 'x');
  Collected c = ReadText(line + "\nshort\n", 300, 64);
  ASSERT_EQ(5u, c.lines.size());
  std::string joined;
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(i + 1, c.parts[i]);
    EXPECT_EQ(i == 3, c.last[i]);
    EXPECT_LE(c.lines[i].size(), 300u);
    joined += c.lines[i];
  }
  EXPECT_EQ(line, joined);
  EXPECT_EQ("short", c.lines[4]);
  EXPECT_EQ(0u, c.parts[4]);
}

TEST(LineReaderTest, PiecesNeverSplitAUtf8Character) {
  std::string line;
  for (int i = 0; i < 200; ++i) line += "\xe2\x82\xac";  // 600 bytes of "€"
  Collected c = ReadText(line, 100, 32);
  std::string joined;
  for (const std::string& piece : c.lines) {
    EXPECT_EQ(0u, piece.size() % 3) << "a piece ends inside a character";
    joined += piece;
  }
  EXPECT_EQ(line, joined);
  EXPECT_TRUE(c.last.back());
}

TEST(LineReaderTest, PieceEndingExactlyAtEndOfInputIsClosed) {
  // Two full pieces and no newline: the second piece is the line's last,
  // with no empty piece after it.
  Collected c = ReadText(std::string(200, 'y'), 100, 32);
  ASSERT_EQ(2u, c.lines.size());
  EXPECT_EQ(std::string(100, 'y'), c.lines[0]);
  EXPECT_FALSE(c.last[0]);
  EXPECT_EQ(std::string(100, 'y'), c.lines[1]);
  EXPECT_TRUE(c.last[1]);
}

// Framing must not depend on how the bytes arrive: random read sizes through
// a pipe give the same lines as reading the whole input at once.
TEST(LineReaderTest, RandomReadSizesGiveTheSameLines) {
  const std::string input = RandomLines(7, 3000, 120, 5) + "tail";
  const Collected expected = ReadText(input, 1 << 20, 1 << 16);

  int fds[2];
  ASSERT_EQ(0, pipe(fds));
  std::thread writer([&] {
    std::mt19937 wrng(11);
    size_t done = 0;
    while (done < input.size()) {
      const size_t n = std::min<size_t>(1 + wrng() % 700, input.size() - done);
      ASSERT_EQ(static_cast<ssize_t>(n), ::write(fds[1], input.data() + done, n));
      done += n;
    }
    ::close(fds[1]);
  });
  const Collected got = ReadAll(fds[0], 1 << 20, 64);
  writer.join();
  ::close(fds[0]);
  EXPECT_EQ(expected.lines, got.lines);
}

// Batch mode takes whole runs of lines and splits them itself: the lines
// must be exactly those Next() hands out, over-long pieces included.
TEST(LineReaderTest, RunsSplitIntoTheLinesNextHandsOut) {
  const std::string input = RandomLines(3, 4000, 150, 4) + "tail\r";
  const size_t max_line = 100;
  const Collected expected = ReadText(input, max_line, 256);
  for (const size_t run_max : {1, 2, 64, 101, 102, 5000}) {
    const int fd = MemFile(input);
    LineReader reader(max_line, 256);
    reader.Reset(fd);
    Collected got;
    size_t runs = 0;
    for (;;) {
      std::string_view run;
      if (reader.NextRun(run_max, &run)) {
        ++runs;
        ASSERT_LE(run.size(), run_max);
        while (!run.empty()) {
          got.lines.emplace_back(LineReader::TakeLine(&run));
          got.parts.push_back(0);
          got.last.push_back(false);
        }
        continue;
      }
      Line line;
      const auto status = reader.Next(&line);
      if (status == LineReader::Status::kEnd) break;
      if (status == LineReader::Status::kNeedInput) {
        ASSERT_GE(reader.Fill(), 0);
        continue;
      }
      got.lines.emplace_back(line.text);
      got.parts.push_back(line.part);
      got.last.push_back(line.last_part);
    }
    ::close(fd);
    EXPECT_EQ(expected.lines, got.lines) << "run_max " << run_max;
    EXPECT_EQ(expected.parts, got.parts) << "run_max " << run_max;
    EXPECT_EQ(expected.last, got.last) << "run_max " << run_max;
    if (run_max > 1) {
      EXPECT_GT(runs, 0u);
    }
  }
}

TEST(LineReaderTest, MemoryShrinksAfterALongLine) {
  const std::string input = std::string(100000, 'z') + "\nsmall\n";
  const int fd = MemFile(input);
  LineReader reader(1 << 20, 1024);
  reader.Reset(fd);
  size_t peak = 0;
  for (;;) {
    Line line;
    const auto status = reader.Next(&line);
    peak = std::max(peak, reader.capacity());
    if (status == LineReader::Status::kEnd) break;
    if (status == LineReader::Status::kNeedInput) reader.Fill();
  }
  ::close(fd);
  EXPECT_GE(peak, 100000u);
  EXPECT_LE(reader.capacity(), 1024u * 4);
}

}  // namespace
}  // namespace logchain

// LineReader: framing, the first thing that happens to input bytes.
//
// Reads an input in large blocks and hands out lines as views into its
// buffer: the bytes up to "\n", without the "\n" and without one "\r" right
// before it (a CRLF line ends like an LF line). A last line without "\n" is
// still a line, kept whole (a "\r" at the very end of the input stays: only
// "\r\n" is a terminator). A lone "\r" is an ordinary byte of its line.
// The buffer always keeps JsonObjectDecoder::kPadding readable bytes after
// its data, so a JSON line parses in place.
//
// Memory is bounded by the maximum line length: a line longer than that is
// handed out in pieces of at most max_line_bytes (cut between UTF-8
// characters), each marked with its piece number, so nothing is ever lost or
// silently cut. After a long line the buffer shrinks back.
#ifndef LOGCHAIN_INPUT_LINE_READER_H_
#define LOGCHAIN_INPUT_LINE_READER_H_

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace logchain {

struct Line {
  std::string_view text;
  uint32_t part = 0;       // 0: a whole line; else the piece number, from 1
  bool last_part = false;  // the piece that ends the line
};

class LineReader {
 public:
  static constexpr size_t kDefaultBlockSize = 256 * 1024;

  LineReader(size_t max_line_bytes, size_t block_size = kDefaultBlockSize);
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// Starts reading a new input; forgets anything buffered from the previous one.
  void Reset(int fd);

  enum class Status : uint8_t { kLine, kNeedInput, kEnd };

  /// The next line from what is buffered. kNeedInput: call Fill() first.
  /// kEnd: the input is exhausted (after Fill() reported end of input or
  /// Finish() was called). Views stay valid until the next Fill().
  Status Next(Line* line);

  /// For readers that hand lines on in bulk (batch mode): the whole lines at
  /// the front of the buffer, at most max_bytes of them, as one view that
  /// keeps each line's "\n" (and "\r"). Every line in it ends with "\n" and
  /// is within the maximum length, so TakeLine splits the run into exactly
  /// the lines Next() would have handed out. False, consuming nothing, when
  /// the next line is not such a line (not yet complete, over-long, the end
  /// of the input, or a piece): call Next() for it.
  bool NextRun(size_t max_bytes, std::string_view* run);

  /// Takes the first line off a run from NextRun, framed as Next() frames it.
  static std::string_view TakeLine(std::string_view* run);

  /// Reads once from the input. Returns the number of bytes read, 0 at end of
  /// input, -1 on error (errno set; EINTR and EAGAIN are the caller's to retry).
  ssize_t Fill();

  /// Treats the input as ended now: what is buffered is still handed out,
  /// the unterminated tail as a last line (used on SIGTERM).
  void Finish() { eof_ = true; }

  /// Bytes buffered but not yet handed out as lines.
  size_t buffered() const { return end_ - begin_; }
  /// Memory held for the buffer (for tests of the memory bound).
  size_t capacity() const { return capacity_; }

 private:
  Line Emit(size_t length, size_t consumed, bool ends_line, bool before_newline);

  const size_t max_line_bytes_;
  const size_t block_size_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;  // data capacity, excluding padding
  size_t begin_ = 0;     // first byte not yet handed out
  size_t scanned_ = 0;   // bytes from begin_ already known to hold no "\n"
  size_t end_ = 0;       // end of data
  int fd_ = -1;
  bool eof_ = false;
  uint32_t part_ = 0;  // pieces already handed out of the current line
};

}  // namespace logchain

#endif  // LOGCHAIN_INPUT_LINE_READER_H_

#include "input/line_reader.h"

#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "common/find_byte.h"
#include "record/json_object.h"
#include "record/utf8.h"

namespace logchain {
namespace {

constexpr size_t kPadding = JsonObjectDecoder::kPadding;

// A line ended by "\n" also loses one "\r" before it: CRLF ends a line too.
std::string_view WithoutCr(std::string_view text) {
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  return text;
}

std::unique_ptr<char[]> Allocate(size_t capacity) {
  // Not zeroed: read() fills it, and untouched pages cost nothing.
  auto buffer = std::make_unique_for_overwrite<char[]>(capacity + kPadding);
  std::memset(buffer.get() + capacity, 0, kPadding);
  return buffer;
}

}  // namespace

LineReader::LineReader(size_t max_line_bytes, size_t block_size)
    : max_line_bytes_(std::max<size_t>(max_line_bytes, 1)),
      block_size_(std::max<size_t>(block_size, 16)),
      buffer_(Allocate(block_size_)),
      capacity_(block_size_) {}

void LineReader::Reset(int fd) {
  fd_ = fd;
  begin_ = scanned_ = end_ = 0;
  eof_ = false;
  part_ = 0;
  if (capacity_ > block_size_) {
    buffer_ = Allocate(block_size_);
    capacity_ = block_size_;
  }
}

Line LineReader::Emit(size_t length, size_t consumed, bool ends_line, bool before_newline) {
  Line line;
  const std::string_view text(buffer_.get() + begin_, length);
  line.text = before_newline ? WithoutCr(text) : text;
  if (part_ > 0 || !ends_line) {
    line.part = ++part_;
    line.last_part = ends_line;
    if (ends_line) part_ = 0;
  }
  begin_ += consumed;
  scanned_ = 0;
  return line;
}

LineReader::Status LineReader::Next(Line* line) {
  const size_t available = end_ - begin_;
  const char* start = buffer_.get() + begin_;
  const char* newline = FindByte(start + scanned_, start + available, '\n');
  if (newline != nullptr) {
    const auto length = static_cast<size_t>(newline - start);
    if (length <= max_line_bytes_) {
      *line = Emit(length, length + 1, true, true);
      return Status::kLine;
    }
  } else {
    scanned_ = available;
  }
  if (available > max_line_bytes_) {
    // Over-long: hand out a piece that ends between two UTF-8 characters.
    const size_t cut = Utf8SafeCut(std::string_view(start, available), max_line_bytes_);
    *line = Emit(cut, cut, false, false);
    return Status::kLine;
  }
  if (!eof_) return Status::kNeedInput;
  if (available > 0 || part_ > 0) {
    // The unterminated last line (or the empty end of a line whose previous
    // piece ended exactly at the end of input). A "\r" here is kept: only
    // "\r\n" is a terminator, so no byte of the input is lost.
    *line = Emit(available, available, true, false);
    return Status::kLine;
  }
  return Status::kEnd;
}

bool LineReader::NextRun(size_t max_bytes, std::string_view* run) {
  if (part_ > 0) return false;
  // Every line that ends inside this window is within the maximum length.
  const size_t window = std::min({end_ - begin_, max_bytes, max_line_bytes_ + 1});
  const char* start = buffer_.get() + begin_;
  const auto* last = static_cast<const char*>(memrchr(start, '\n', window));
  if (last == nullptr) return false;
  const auto length = static_cast<size_t>(last - start) + 1;
  *run = std::string_view(start, length);
  begin_ += length;
  scanned_ = 0;
  return true;
}

std::string_view LineReader::TakeLine(std::string_view* run) {
  const char* const feed = FindByte(run->data(), run->data() + run->size(), '\n');
  const size_t newline =
      feed == nullptr ? std::string_view::npos : static_cast<size_t>(feed - run->data());
  const std::string_view text = run->substr(0, newline);
  run->remove_prefix(newline + 1);
  return WithoutCr(text);
}

ssize_t LineReader::Fill() {
  if (eof_) return 0;
  if (begin_ == end_) {
    begin_ = end_ = scanned_ = 0;
    if (capacity_ > block_size_ * 4) {
      buffer_ = Allocate(block_size_);  // a long line is over: give memory back
      capacity_ = block_size_;
    }
  } else if (capacity_ - end_ < block_size_ / 2 && begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {
    // A line longer than the buffer but within the limit: grow, up to the
    // maximum line length plus one block.
    const size_t capacity = std::min(capacity_ * 2, max_line_bytes_ + block_size_);
    auto buffer = Allocate(capacity);
    std::memcpy(buffer.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    buffer_ = std::move(buffer);
    capacity_ = capacity;
  }
  const ssize_t n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
  if (n > 0) {
    end_ += static_cast<size_t>(n);
    std::memset(buffer_.get() + end_, 0, std::min(kPadding, capacity_ + kPadding - end_));
  } else if (n == 0) {
    eof_ = true;
  }
  return n;
}

}  // namespace logchain

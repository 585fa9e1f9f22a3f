// Sink: the output file descriptor, written in large blocks.
//
// Handles the ways writing can go wrong so that nothing above it has to:
// interrupted and short writes are retried, a non-blocking descriptor is
// waited on (backpressure: logchain blocks, never drops), a reader that went
// away (EPIPE) ends output quietly, and any other error is kept for the
// exit code and a single message.
#ifndef LOGCHAIN_OUTPUT_SINK_H_
#define LOGCHAIN_OUTPUT_SINK_H_

#include <cstdint>
#include <string_view>

#include "output/out_buffer.h"

namespace logchain {

class Sink {
 public:
  enum class State : uint8_t { kOk, kClosed, kFailed };

  explicit Sink(int fd) : fd_(fd) {}

  /// Writes all of bytes. Returns false once the sink is closed or failed
  /// (later writes are dropped without trying).
  bool Write(std::string_view bytes);

  /// Writes the buffer's contents and clears it.
  bool Flush(OutBuffer& buffer) {
    const bool ok = Write(buffer.view());
    buffer.Clear();
    return ok;
  }

  /// Lets `buffer` stream a record larger than `limit` straight to this sink.
  void AttachSpill(OutBuffer& buffer, size_t limit);

  State state() const { return state_; }
  /// errno of the failure when state() is kFailed.
  int error() const { return error_; }
  uint64_t bytes_written() const { return bytes_written_; }

 private:
  int fd_;
  State state_ = State::kOk;
  int error_ = 0;
  uint64_t bytes_written_ = 0;
};

}  // namespace logchain

#endif  // LOGCHAIN_OUTPUT_SINK_H_

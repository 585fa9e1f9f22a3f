#include "output/sink.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace logchain {

bool Sink::Write(std::string_view bytes) {
  while (!bytes.empty() && state_ == State::kOk) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n >= 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      bytes_written_ += static_cast<uint64_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      pollfd p{fd_, POLLOUT, 0};
      ::poll(&p, 1, -1);
      continue;
    }
    if (errno == EPIPE) {
      state_ = State::kClosed;
    } else {
      state_ = State::kFailed;
      error_ = errno;
    }
  }
  return state_ == State::kOk;
}

void Sink::AttachSpill(OutBuffer& buffer, size_t limit) {
  buffer.SetSpill(
      [](void* context, std::string_view bytes) { return static_cast<Sink*>(context)->Write(bytes); },
      this, limit);
}

}  // namespace logchain

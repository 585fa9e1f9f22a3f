#include "input/gzip_input.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace logchain {
namespace {

constexpr size_t kBlock = 256 * 1024;

// Writes all of data; false when the reader went away (or another error).
bool WriteAll(int fd, const unsigned char* data, size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

bool IsGzip(int fd) {
  unsigned char magic[2] = {0, 0};
  return ::pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

std::unique_ptr<GzipInput> GzipInput::Start(int fd, std::string* error) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) {
    *error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return nullptr;
  }
  std::unique_ptr<GzipInput> input(new GzipInput(fd, p[0], p[1]));
  try {
    input->thread_ = std::thread([raw = input.get()] { raw->Inflate(); });
  } catch (const std::system_error& e) {
    *error = std::string("cannot start a thread: ") + e.what();
    return nullptr;  // the destructor closes both ends
  }
  return input;
}

GzipInput::GzipInput(int in_fd, int read_fd, int write_fd)
    : in_fd_(in_fd), read_fd_(read_fd), write_fd_(write_fd) {}

GzipInput::~GzipInput() { Finish(); }

std::string GzipInput::Finish() {
  if (read_fd_ >= 0) {
    ::close(read_fd_);  // a writer still going gets EPIPE and stops
    read_fd_ = -1;
  }
  if (thread_.joinable()) thread_.join();
  if (write_fd_ >= 0) {  // the thread never started
    ::close(write_fd_);
    write_fd_ = -1;
  }
  return error_;
}

void GzipInput::Inflate() {
  // A reader that stops early shows up as EPIPE, not as a SIGPIPE that would
  // end the process where it is not ignored (a signal write() raises is
  // sent to this thread, and stays pending here until the thread ends).
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  std::vector<unsigned char> in(kBlock), out(kBlock);
  z_stream z{};
  // 15 + 32: a window of 32 KiB, gzip or zlib header detected.
  if (inflateInit2(&z, 15 + 32) != Z_OK) {
    error_ = "zlib could not start";
    ::close(write_fd_);
    write_fd_ = -1;
    return;
  }
  bool in_member = true;  // inside a gzip member (not between two)
  for (;;) {
    const ssize_t n = ::read(in_fd_, in.data(), in.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = std::string("read error: ") + std::strerror(errno);
      break;
    }
    if (n == 0) {
      if (in_member) error_ = "the gzip data is truncated (the file ends inside it)";
      break;
    }
    compressed_.fetch_add(static_cast<uint64_t>(n), std::memory_order_relaxed);
    z.next_in = in.data();
    z.avail_in = static_cast<uInt>(n);
    bool stop = false;
    while (z.avail_in > 0 && !stop) {
      if (!in_member) {
        // Another member follows (concatenated gzip files); padding zeros end it.
        if (z.next_in[0] == 0) {
          z.avail_in = 0;
          break;
        }
        inflateReset(&z);
        in_member = true;
      }
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      const int r = inflate(&z, Z_NO_FLUSH);
      const size_t produced = out.size() - z.avail_out;
      if (produced > 0 && !WriteAll(write_fd_, out.data(), produced)) {
        stop = true;  // the reader stopped early: not an error of the data
        break;
      }
      if (r == Z_STREAM_END) {
        in_member = false;
      } else if (r == Z_NEED_DICT || r == Z_DATA_ERROR || r == Z_MEM_ERROR) {
        error_ = std::string("the gzip data is corrupt (") + (z.msg != nullptr ? z.msg : "zlib error") +
                 ")";
        stop = true;
      } else if (r == Z_BUF_ERROR && produced == 0 && z.avail_in > 0) {
        error_ = "the gzip data is corrupt";
        stop = true;
      }
    }
    if (stop) break;
    // Output may still be pending inside zlib for this input: drain it.
    while (in_member && z.avail_in == 0) {
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      const int r = inflate(&z, Z_NO_FLUSH);
      const size_t produced = out.size() - z.avail_out;
      if (produced > 0 && !WriteAll(write_fd_, out.data(), produced)) {
        stop = true;
        break;
      }
      if (r == Z_STREAM_END) in_member = false;
      if (produced == 0 || r != Z_OK) break;
    }
    if (stop) break;
  }
  inflateEnd(&z);
  ::close(write_fd_);
  write_fd_ = -1;
}

}  // namespace logchain

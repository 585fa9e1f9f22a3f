// Gzip inputs: rotated logs (access.log.2.gz) read like any other input.
//
// A file is gzip when it starts with gzip's magic bytes (1f 8b), whatever
// its name. Its data is inflated with zlib on a thread that writes into a
// pipe, so the stream loop reads it as it reads any pipe: framing, the chain
// and the output are the same code for both. Concatenated gzip members (as
// `cat a.gz b.gz` makes) are read one after the other. Corrupt or truncated
// data ends the input after everything that could be inflated, and is
// reported by Finish(); it never stops the run.
#ifndef LOGCHAIN_INPUT_GZIP_INPUT_H_
#define LOGCHAIN_INPUT_GZIP_INPUT_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace logchain {

/// True when the regular file fd starts with gzip's magic bytes. Reads with
/// pread: the file position is unchanged.
bool IsGzip(int fd);

class GzipInput {
 public:
  /// Starts inflating fd (which the caller keeps open until Finish()).
  /// Null, with *error set, when no pipe or thread can be had.
  static std::unique_ptr<GzipInput> Start(int fd, std::string* error);
  ~GzipInput();
  GzipInput(const GzipInput&) = delete;
  GzipInput& operator=(const GzipInput&) = delete;

  /// The read end of the pipe carrying the inflated bytes.
  int fd() const { return read_fd_; }

  /// Compressed bytes consumed so far (any thread may read it: progress).
  const std::atomic<uint64_t>& compressed_bytes() const { return compressed_; }

  /// Closes the read end (a reader that stopped early ends the thread too),
  /// waits for the thread, and returns "" or what was wrong with the data.
  std::string Finish();

 private:
  GzipInput(int in_fd, int read_fd, int write_fd);
  void Inflate();

  int in_fd_;
  int read_fd_;
  int write_fd_;
  std::atomic<uint64_t> compressed_{0};
  std::string error_;  // written by the thread, read after join
  std::thread thread_;
};

}  // namespace logchain

#endif  // LOGCHAIN_INPUT_GZIP_INPUT_H_

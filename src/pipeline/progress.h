// Progress of a batch run over files, on stderr, for people watching.
//
// A line redrawn a few times a second: bytes done of the total (compressed
// bytes for gzip inputs), lines, rate and time left. It runs on its own
// thread and only reads: the current input's file position (or a gzip
// input's count of compressed bytes) and the engine's line count, read
// without locking, so the line count shown may lag by a few lines. It never
// writes to stdout and erases itself when done, so the summary and the
// output are unaffected.
#ifndef LOGCHAIN_PIPELINE_PROGRESS_H_
#define LOGCHAIN_PIPELINE_PROGRESS_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace logchain {

/// The progress line for these numbers, without "\r" or escapes, e.g.
/// "12.0 MiB / 48.0 MiB  25%  120000 lines  6.0 MiB/s  ETA 0:06".
std::string FormatProgress(uint64_t done, uint64_t total, uint64_t lines, double seconds);

class Progress {
 public:
  /// Starts drawing on fd (stderr) every interval_ms. `lines` is the
  /// engine's line counter.
  Progress(int fd, uint64_t total_bytes, const uint64_t* lines, int interval_ms = 200);
  /// Stops and erases the line.
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// The input being read now: its fd (position = bytes done) or, for a gzip
  /// input, its count of compressed bytes. `done_before`: bytes of the
  /// inputs already finished.
  void BeginInput(int fd, const std::atomic<uint64_t>* compressed, uint64_t done_before);
  /// Call before closing the input's fd.
  void EndInput();

 private:
  void Loop();
  void Draw();

  const int out_fd_;
  const uint64_t total_;
  const uint64_t* lines_;
  const int interval_ms_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  int input_fd_ = -1;
  const std::atomic<uint64_t>* compressed_ = nullptr;
  uint64_t done_before_ = 0;
  int64_t start_ms_;
  bool drawn_ = false;
  std::thread thread_;
};

}  // namespace logchain

#endif  // LOGCHAIN_PIPELINE_PROGRESS_H_

#include "pipeline/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace logchain {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string Bytes(double bytes) {
  char buf[32];
  if (bytes >= 1024.0 * 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
  } else if (bytes >= 1024.0 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024));
  } else if (bytes >= 1024.0) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", bytes / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f B", bytes);
  }
  return buf;
}

void WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) return;  // stderr gone: progress is not worth an error
    done += static_cast<size_t>(n);
  }
}

}  // namespace

std::string FormatProgress(uint64_t done, uint64_t total, uint64_t lines, double seconds) {
  if (done > total) done = total;
  std::string text = Bytes(static_cast<double>(done)) + " / " + Bytes(static_cast<double>(total));
  char buf[96];
  const int percent = total == 0 ? 100 : static_cast<int>(done * 100 / total);
  std::snprintf(buf, sizeof buf, "  %3d%%  %llu lines", percent,
                static_cast<unsigned long long>(lines));
  text += buf;
  if (seconds > 0 && done > 0) {
    const double rate = static_cast<double>(done) / seconds;
    text += "  " + Bytes(rate) + "/s";
    const auto left = static_cast<long long>(static_cast<double>(total - done) / rate + 0.5);
    std::snprintf(buf, sizeof buf, "  ETA %lld:%02lld", left / 60, left % 60);
    text += buf;
  }
  return text;
}

Progress::Progress(int fd, uint64_t total_bytes, const uint64_t* lines, int interval_ms)
    : out_fd_(fd), total_(total_bytes), lines_(lines), interval_ms_(interval_ms),
      start_ms_(NowMs()) {
  thread_ = std::thread([this] { Loop(); });
}

Progress::~Progress() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (drawn_) WriteAll(out_fd_, "\r\x1b[K");
}

void Progress::BeginInput(int fd, const std::atomic<uint64_t>* compressed, uint64_t done_before) {
  std::lock_guard<std::mutex> lock(mutex_);
  input_fd_ = fd;
  compressed_ = compressed;
  done_before_ = done_before;
}

void Progress::EndInput() {
  std::lock_guard<std::mutex> lock(mutex_);
  input_fd_ = -1;
  compressed_ = nullptr;
}

void Progress::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, std::chrono::milliseconds(interval_ms_));
    if (stop_) break;
    Draw();
  }
}

// Called with mutex_ held, so the input's fd stays open while it is read.
void Progress::Draw() {
  if (input_fd_ < 0) return;
  uint64_t done = done_before_;
  if (compressed_ != nullptr) {
    done += compressed_->load(std::memory_order_relaxed);
  } else {
    const off_t position = ::lseek(input_fd_, 0, SEEK_CUR);
    if (position > 0) done += static_cast<uint64_t>(position);
  }
  // The engine's counter, written by the reading thread: an aligned 64-bit
  // load, read relaxed; a lag of a few lines does not matter here.
  const uint64_t lines =
      std::atomic_ref<uint64_t>(*const_cast<uint64_t*>(lines_)).load(std::memory_order_relaxed);
  const double seconds = static_cast<double>(NowMs() - start_ms_) / 1000.0;
  WriteAll(out_fd_, "\r" + FormatProgress(done, total_, lines, seconds) + "\x1b[K");
  drawn_ = true;
}

}  // namespace logchain

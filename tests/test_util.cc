#include "test_util.h"

#include <sys/mman.h>
#include <unistd.h>

#include <stdexcept>

#include "input/line_reader.h"
#include "json_check.h"
#include "metrics/hub.h"
#include "output/sink.h"
#include "pipeline/stream.h"

namespace logchain::testing {

ReadableEdge::ReadableEdge() : page_(static_cast<size_t>(::sysconf(_SC_PAGESIZE))) {
  map_ = ::mmap(nullptr, 2 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map_ == MAP_FAILED) throw std::runtime_error("ReadableEdge: mmap failed");
  edge_ = static_cast<char*>(map_) + page_;
  if (::mprotect(edge_, page_, PROT_NONE) != 0) {
    ::munmap(map_, 2 * page_);
    throw std::runtime_error("ReadableEdge: mprotect failed");
  }
}

ReadableEdge::~ReadableEdge() { ::munmap(map_, 2 * page_); }
namespace {

int MemFile(std::string_view content) {
  const int fd = memfd_create("logchain-test", MFD_CLOEXEC);
  if (fd < 0) throw std::runtime_error("memfd_create failed");
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n <= 0) throw std::runtime_error("write failed");
    done += static_cast<size_t>(n);
  }
  ::lseek(fd, 0, SEEK_SET);
  return fd;
}

std::string ReadAll(int fd) {
  ::lseek(fd, 0, SEEK_SET);
  std::string out;
  char buf[65536];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

}  // namespace

const Clock& TestClock() {
  static const FixedClock clock(EventTime{kFixedNow, 0, true});
  return clock;
}

RunResult RunText(const PipelineConfig& config, std::string_view input) {
  return RunText(config, input, nullptr);
}

RunResult RunText(const PipelineConfig& config, std::string_view input,
                  metrics::MetricsHub* hub) {
  RunResult result;
  Diagnostics diagnostics;
  std::unique_ptr<Engine> engine = Engine::Create(config, &TestClock(), diagnostics);
  if (engine == nullptr) {
    result.problems = diagnostics.Format();
    return result;
  }
  if (hub != nullptr) engine->EnableMetrics(hub->NewShard());
  const int in = MemFile(input);
  const int out_fd = MemFile("");
  {
    Sink sink(out_fd);
    OutBuffer out(4096);
    LineReader reader(config.max_line_bytes, 4096);
    int error = 0;
    StreamInput(in, /*regular_file=*/true, reader, *engine, out, sink, &error);
    sink.Flush(out);
  }
  result.output = ReadAll(out_fd);
  result.stats = engine->stats();
  result.ok = true;
  ::close(in);
  ::close(out_fd);
  return result;
}

PipelineConfig ConfigFor(std::string_view chain, std::string_view settings) {
  PipelineConfig config;
  size_t start = 0;
  while (start <= chain.size()) {
    size_t comma = chain.find(',', start);
    if (comma == std::string_view::npos) comma = chain.size();
    if (comma > start) {
      config.chain.push_back(
          ProcessorConfig{std::string(chain.substr(start, comma - start)), "test", {}});
    }
    start = comma + 1;
  }
  start = 0;
  while (start < settings.size()) {
    size_t space = settings.find(' ', start);
    if (space == std::string_view::npos) space = settings.size();
    const std::string_view s = settings.substr(start, space - start);
    start = space + 1;
    if (s.empty()) continue;
    const size_t dot = s.find('.');
    const size_t eq = s.find('=');
    for (ProcessorConfig& p : config.chain) {
      if (p.name == s.substr(0, dot)) {
        p.options.push_back(RawOption{std::string(s.substr(dot + 1, eq - dot - 1)),
                                      std::string(s.substr(eq + 1)), "test"});
      }
    }
  }
  return config;
}

std::vector<std::string> Lines(std::string_view output) {
  const std::vector<std::string_view> views = SplitLines(output);
  return {views.begin(), views.end()};
}

}  // namespace logchain::testing

// Framing: LineReader over an in-memory file, block reads and memchr.
#include <benchmark/benchmark.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bench_util.h"
#include "input/line_reader.h"

namespace logchain::bench {
namespace {

void BM_Framing(benchmark::State& state) {
  const std::string corpus = MakeCorpus(CorpusKind::kMixed, 16 << 20);
  const int fd = memfd_create("logchain-bench", 0);
  if (fd < 0 || ::write(fd, corpus.data(), corpus.size()) != static_cast<ssize_t>(corpus.size())) {
    state.SkipWithError("memfd_create/write failed");
    return;
  }
  LineReader reader(16 << 20);
  size_t lines = 0;
  for (auto _ : state) {
    ::lseek(fd, 0, SEEK_SET);
    reader.Reset(fd);
    for (;;) {
      Line line;
      const LineReader::Status status = reader.Next(&line);
      if (status == LineReader::Status::kLine) {
        benchmark::DoNotOptimize(line.text.data());
        ++lines;
      } else if (status == LineReader::Status::kNeedInput) {
        reader.Fill();
      } else {
        break;
      }
    }
  }
  ::close(fd);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * corpus.size()));
  state.SetItemsProcessed(static_cast<int64_t>(lines));
}
BENCHMARK(BM_Framing)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace logchain::bench

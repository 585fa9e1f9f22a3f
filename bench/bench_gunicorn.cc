// The gunicorn prefix: recognising error-log and access lines, and parsing
// their times (record/gunicorn.h).
#include <benchmark/benchmark.h>

#include "bench_util.h"
#include "record/gunicorn.h"

namespace logchain::bench {
namespace {

const Lines& Mixed() {
  static const Lines lines(CorpusKind::kMixed);
  return lines;
}

// What the line decoder does first with every line: error-log prefix, else
// the access-line shape.
void BM_GunicornPrefix(benchmark::State& state) {
  const Lines& in = Mixed();
  size_t recognised = 0;
  for (auto _ : state) {
    for (std::string_view line : in.lines) {
      gunicorn::ErrorLine error;
      std::string_view time;
      if (gunicorn::ParseErrorLine(line, &error) || gunicorn::FindAccessTime(line, &time)) {
        ++recognised;
      }
    }
  }
  benchmark::DoNotOptimize(recognised);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.text.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in.lines.size()));
}
BENCHMARK(BM_GunicornPrefix)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace logchain::bench

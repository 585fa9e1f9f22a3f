// Timestamps: parsing gunicorn's times and formatting TimeStamper's output,
// cached per second as a stream of lines uses them.
#include <benchmark/benchmark.h>

#include "bench_util.h"
#include "record/gunicorn.h"
#include "record/time_format.h"

namespace logchain::bench {
namespace {

// A stream's worth of access times: about 40 lines per second.
void BM_ParseAccessTime(benchmark::State& state) {
  std::vector<std::string> texts;
  for (int i = 0; i < 4000; ++i) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "25/Nov/2026:19:%02d:%02d +0000", (i / 40) / 60 % 60,
                  (i / 40) % 60);
    texts.emplace_back(buf);
  }
  gunicorn::TimeParser parser;
  for (auto _ : state) {
    for (const std::string& t : texts) benchmark::DoNotOptimize(parser.ParseAccessTime(t));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * texts.size()));
}
BENCHMARK(BM_ParseAccessTime);

// Formatting with the seed's "%Y-%m-%d %H:%M:%S"; arg = lines per second
// (1: every line a new second, the worst case).
void BM_FormatTimestamp(benchmark::State& state) {
  TimeFormat format;
  std::string error;
  TimeFormat::Create("%Y-%m-%d %H:%M:%S", true, &format, &error);
  const int64_t per_second = state.range(0);
  int64_t i = 0;
  for (auto _ : state) {
    EventTime t{1764099600 + i / per_second, 0, true};
    benchmark::DoNotOptimize(format.Format(t));
    ++i;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_FormatTimestamp)->Arg(1)->Arg(40);

}  // namespace
}  // namespace logchain::bench

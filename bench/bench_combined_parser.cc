// Combined parse: the seed regex's split of access lines, by the scanner
// logchain uses and by RE2 (the reference it is tested against).
#include <benchmark/benchmark.h>

#include "bench_util.h"
#include "processors/combined_parser.h"

namespace logchain::bench {
namespace {

const Lines& Access() {
  static const Lines lines(CorpusKind::kAccess);
  return lines;
}

void BM_CombinedScan(benchmark::State& state) {
  const Lines& in = Access();
  size_t matched = 0;
  for (auto _ : state) {
    for (std::string_view line : in.lines) {
      CombinedFields f;
      matched += CombinedParser::ScanSeed(line, &f) ? 1 : 0;
      benchmark::DoNotOptimize(f);
    }
  }
  if (matched != state.iterations() * in.lines.size()) state.SkipWithError("a line did not match");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.text.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in.lines.size()));
}
BENCHMARK(BM_CombinedScan)->Unit(benchmark::kMillisecond);

void BM_CombinedRe2(benchmark::State& state) {
  const Lines& in = Access();
  const CombinedParser parser;
  size_t matched = 0;
  for (auto _ : state) {
    for (std::string_view line : in.lines) {
      CombinedFields f;
      matched += parser.ParseWithRe2(line, &f) ? 1 : 0;
      benchmark::DoNotOptimize(f);
    }
  }
  if (matched != state.iterations() * in.lines.size()) state.SkipWithError("a line did not match");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.text.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * in.lines.size()));
}
BENCHMARK(BM_CombinedRe2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace logchain::bench

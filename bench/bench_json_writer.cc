// JSON write: escaping strings in both styles, and a whole line's path
// (decode, default chain, render) for each corpus kind.
#include <benchmark/benchmark.h>

#include "bench_util.h"
#include "metrics/hub.h"
#include "output/json_writer.h"
#include "output/out_buffer.h"
#include "pipeline/engine.h"
#include "record/clock.h"

namespace logchain::bench {
namespace {

const Lines& Access() {
  static const Lines lines(CorpusKind::kAccess);
  return lines;
}

void BM_WriteJsonString(benchmark::State& state) {
  const Lines& in = Access();
  const auto style = static_cast<JsonStyle>(state.range(0));
  OutBuffer out(1 << 20);
  for (auto _ : state) {
    for (std::string_view line : in.lines) {
      WriteJsonString(out, line, style);
      if (out.size() > (512 << 10)) out.Clear();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.text.size()));
  state.SetLabel(style == JsonStyle::kSeed ? "seed" : "compact");
}
BENCHMARK(BM_WriteJsonString)
    ->Arg(static_cast<int>(JsonStyle::kSeed))
    ->Arg(static_cast<int>(JsonStyle::kCompact))
    ->Unit(benchmark::kMillisecond);

// One line's whole path in the engine (no I/O): decoder, default chain,
// renderer, and with the second argument 1 the metrics' counting too (a
// publish every 512 KiB of output, as the stream does every 256 KiB), so
// that counting's cost per record shows side by side. Bytes are input bytes.
void BM_EngineLine(benchmark::State& state) {
  const auto kind = static_cast<CorpusKind>(state.range(0));
  const bool metrics = state.range(1) != 0;
  // The lines need the reader's padding after them: keep them in one padded buffer.
  const Lines in(kind);
  std::string padded = in.text + std::string(64, '\0');
  std::vector<std::string_view> lines;
  for (std::string_view l : in.lines)
    lines.emplace_back(padded.data() + (l.data() - in.text.data()), l.size());

  PipelineConfig config;
  config.chain = DefaultChainConfig();
  const FixedClock clock(EventTime{1764099600, 0, true});
  Diagnostics diagnostics;
  std::unique_ptr<Engine> engine = Engine::Create(config, &clock, diagnostics);
  metrics::RouteTable routes;
  metrics::MetricsHub hub(std::move(routes), 64, &clock);
  if (metrics) engine->EnableMetrics(hub.NewShard());
  OutBuffer out(1 << 20);
  for (auto _ : state) {
    for (std::string_view line : lines) {
      Line l;
      l.text = line;
      engine->PushLine(l, /*padded=*/true, out);
      if (out.size() > (512 << 10)) {
        engine->PublishMetrics();
        out.Clear();
      }
    }
    engine->Flush(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.text.size()));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * lines.size()));
  static constexpr const char* kNames[] = {"access", "mixed", "json-full", "json-partial"};
  state.SetLabel(std::string(kNames[state.range(0)]) + (metrics ? ", metrics" : ""));
}
BENCHMARK(BM_EngineLine)
    ->ArgsProduct({{static_cast<int>(CorpusKind::kAccess), static_cast<int>(CorpusKind::kMixed),
                    static_cast<int>(CorpusKind::kJsonFull),
                    static_cast<int>(CorpusKind::kJsonPartial)},
                   {0, 1}})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace logchain::bench

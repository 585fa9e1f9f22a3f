// Deterministic benchmark corpora: what logchain reads in real life, made
// up from a seed so that every run and every machine sees the same bytes.
//
// The corpus generator (logchain_corpus) writes these to files for the
// end-to-end script, and the micro-benchmarks build their inputs from the
// same functions, so both measure the same kind of text.
//
// Kinds:
//  - access: gunicorn access lines in its default format, every one of
//    which the seed's regex matches (so the seed's own pipeline can run
//    over them): IPv4 and IPv6 hosts, mostly "-" users, query strings,
//    varied statuses and sizes, browser and bot agents, some with \"
//    inside, a few very long requests and agents;
//  - mixed: a live gunicorn stream: about 95% access lines, the rest
//    error-log lines (boot, worker, warning), errors with a traceback to
//    fold (plain and chained), and a few print() lines of the application;
//  - json-full: structlog JSON lines that already carry every key the
//    default chain adds (event, level, logger, timestamp): passthrough;
//  - json-partial: structlog JSON lines missing level, logger or timestamp,
//    which logchain appends.
#ifndef LOGCHAIN_BENCH_CORPUS_H_
#define LOGCHAIN_BENCH_CORPUS_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace logchain::bench {

enum class CorpusKind : uint8_t { kAccess, kMixed, kJsonFull, kJsonPartial };

/// "access", "mixed", "json-full", "json-partial"; false for anything else.
bool ParseCorpusKind(std::string_view name, CorpusKind* kind);

/// A small, fast, portable generator (SplitMix64): the same seed gives the
/// same corpus on every platform and standard library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n).
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>((Next() >> 32) * n >> 32); }
  /// True with probability percent/100.
  bool Percent(uint32_t percent) { return Below(100) < percent; }

 private:
  uint64_t state_;
};

/// Writes lines of one kind. Each call appends whole lines ending in "\n".
/// The clock starts at 2025-11-25 19:40:00 UTC and moves about one second
/// per 40 lines, as a busy server's does.
class CorpusWriter {
 public:
  CorpusWriter(CorpusKind kind, uint64_t seed);

  /// Appends the next record (one line, or an error line and its traceback).
  void AppendRecord(std::string& out);

  /// Appends records until out holds at least `bytes` bytes.
  void AppendBytes(std::string& out, size_t bytes);

  // Single lines of each shape, for the micro-benchmarks.
  void AppendAccessLine(std::string& out);
  void AppendErrorLine(std::string& out);
  void AppendJsonLine(std::string& out, bool all_keys);

 private:
  void Tick();
  void AppendErrorWithTraceback(std::string& out);
  void AppendAccessTime(std::string& out) const;
  void AppendErrorTime(std::string& out) const;

  CorpusKind kind_;
  Rng rng_;
  int64_t now_;  // seconds since the epoch, UTC
  uint32_t lines_this_second_ = 0;
};

/// The whole corpus of `bytes` bytes (rounded up to a whole record).
std::string MakeCorpus(CorpusKind kind, size_t bytes, uint64_t seed = 1);

}  // namespace logchain::bench

#endif  // LOGCHAIN_BENCH_CORPUS_H_

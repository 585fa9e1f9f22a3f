// Inputs shared by the micro-benchmarks: a corpus split into lines.
#ifndef LOGCHAIN_BENCH_BENCH_UTIL_H_
#define LOGCHAIN_BENCH_BENCH_UTIL_H_

#include <string>
#include <string_view>
#include <vector>

#include "corpus.h"

namespace logchain::bench {

/// About 4 MiB of one corpus kind, and its lines (views into text).
struct Lines {
  std::string text;
  std::vector<std::string_view> lines;

  explicit Lines(CorpusKind kind, size_t bytes = 4 << 20) : text(MakeCorpus(kind, bytes)) {
    std::string_view rest(text);
    while (!rest.empty()) {
      const size_t nl = rest.find('\n');
      lines.push_back(rest.substr(0, nl));
      rest.remove_prefix(nl + 1);
    }
  }
};

}  // namespace logchain::bench

#endif  // LOGCHAIN_BENCH_BENCH_UTIL_H_

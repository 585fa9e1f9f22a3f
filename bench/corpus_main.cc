// logchain_corpus KIND SIZE [SEED]: writes a deterministic benchmark corpus
// (see corpus.h) of at least SIZE bytes (suffixes K, M, G: powers of 1024)
// to standard output.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "corpus.h"

namespace {

bool ParseSize(const char* text, size_t* bytes) {
  char* end = nullptr;
  const unsigned long long n = std::strtoull(text, &end, 10);
  if (end == text) return false;
  unsigned long long scale = 1;
  if (*end == 'K' || *end == 'k') scale = 1ull << 10;
  if (*end == 'M' || *end == 'm') scale = 1ull << 20;
  if (*end == 'G' || *end == 'g') scale = 1ull << 30;
  if (scale != 1) ++end;
  if (*end != '\0') return false;
  *bytes = static_cast<size_t>(n * scale);
  return true;
}

bool WriteAll(const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, s.data() + done, s.size() - done);
    if (n < 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using logchain::bench::CorpusKind;
  CorpusKind kind{};
  size_t bytes = 0;
  if (argc < 3 || argc > 4 || !logchain::bench::ParseCorpusKind(argv[1], &kind) ||
      !ParseSize(argv[2], &bytes)) {
    std::fprintf(stderr,
                 "usage: logchain_corpus access|mixed|json-full|json-partial SIZE [SEED]\n"
                 "  writes a deterministic corpus of at least SIZE bytes (e.g. 64M) to stdout\n");
    return 2;
  }
  const uint64_t seed = argc == 4 ? std::strtoull(argv[3], nullptr, 10) : 1;
  logchain::bench::CorpusWriter writer(kind, seed);
  std::string block;
  size_t written = 0;
  while (written < bytes) {
    block.clear();
    writer.AppendBytes(block, 1 << 20);
    if (!WriteAll(block)) return 1;
    written += block.size();
  }
  return 0;
}

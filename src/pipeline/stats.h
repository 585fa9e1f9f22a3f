// Counts of what happened to the input, for --stats, metrics and tests.
//
// The invariant every run keeps (and the tests check):
//   records + dropped = lines - folded + extra_parts
#ifndef LOGCHAIN_PIPELINE_STATS_H_
#define LOGCHAIN_PIPELINE_STATS_H_

#include <cstdint>

namespace logchain {

struct Stats {
  uint64_t lines = 0;            // input lines (a line cut into pieces counts once)
  uint64_t records = 0;          // records written
  uint64_t folded = 0;           // lines folded into the record before them
  uint64_t dropped = 0;          // records a filter removed
  uint64_t split_lines = 0;      // lines longer than the maximum, cut into pieces
  uint64_t extra_parts = 0;      // pieces beyond each split line's first
  uint64_t invalid_utf8 = 0;     // records whose bytes were not UTF-8 (raw kept)
  uint64_t internal_errors = 0;  // records written by the last-resort path (must stay 0)
  uint64_t bytes_in = 0;
  uint64_t bytes_out = 0;

  void Add(const Stats& o) {
    lines += o.lines;
    records += o.records;
    folded += o.folded;
    dropped += o.dropped;
    split_lines += o.split_lines;
    extra_parts += o.extra_parts;
    invalid_utf8 += o.invalid_utf8;
    internal_errors += o.internal_errors;
    bytes_in += o.bytes_in;
    bytes_out += o.bytes_out;
  }
};

}  // namespace logchain

#endif  // LOGCHAIN_PIPELINE_STATS_H_

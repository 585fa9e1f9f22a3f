// Batch mode: a regular file processed by several threads (-j N), with the
// output in input order, byte for byte what one thread writes.
//
// The calling thread reads the file (LineReader, exactly as the streaming path
// does) and copies whole runs of lines (LineReader::NextRun) into chunks of
// about kChunkBytes; the workers split the runs into lines, so the calling
// thread does a few copies per chunk rather than a step per line. A chunk is
// cut only where no record can span the cut: anywhere when the chain does
// not fold lines, else between two plain lines
// (TracebackFolder::IsSafeBoundary) or next to a piece of an over-long line.
// jobs - 1 worker threads, each with its own Engine built from the same
// configuration, turn chunks into JSON lines, and so does the calling thread
// with its engine whenever it would otherwise wait; it writes each chunk's
// output as soon as it and every chunk before it are done. At most
// kChunksPerWorker * jobs chunks are in flight, so memory follows the chunk
// size and the thread count, not the input.
//
// When no safe cut appears within kMaxChunkBytes (a file that is one long
// run of indented lines), the rest of that file is processed by the calling
// thread's own engine, in order, which is still exact.
#ifndef LOGCHAIN_PIPELINE_BATCH_H_
#define LOGCHAIN_PIPELINE_BATCH_H_

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "input/line_reader.h"
#include "output/out_buffer.h"
#include "output/sink.h"
#include "pipeline/engine.h"
#include "pipeline/stream.h"

namespace logchain {

class BatchRunner {
 public:
  // Every chunk in flight, and its output, is memory touched for the first
  // time once: 64 KiB chunks touch about 300 pages fewer than 128 KiB ones
  // at -j 2, where a first touch can cost 15-35 us on a virtual machine.
  static constexpr size_t kChunkBytes = 64 * 1024;
  static constexpr size_t kMaxChunkBytes = 16 * kChunkBytes;  // 1 MiB
  static constexpr size_t kChunksPerWorker = 2;

  /// Starts jobs - 1 worker threads, each with an engine built from config
  /// (which Engine::Create has already accepted). Returns null if an engine
  /// cannot be built. With a metrics hub, each worker counts into its own
  /// shard and publishes after every chunk.
  static std::unique_ptr<BatchRunner> Create(const PipelineConfig& config, const Clock* clock,
                                             int jobs, metrics::MetricsHub* hub = nullptr);
  ~BatchRunner();
  BatchRunner(const BatchRunner&) = delete;
  BatchRunner& operator=(const BatchRunner&) = delete;

  /// Processes the regular file fd to its end, as StreamInput would, writing
  /// to sink in input order. `engine` is the calling thread's engine: its
  /// counts get the bytes read, and it takes over when no safe cut exists.
  /// `out` is flushed to the sink first (it may hold earlier inputs' output).
  StreamEnd Run(int fd, LineReader& reader, Engine& engine, OutBuffer& out, Sink& sink,
                int* error);

  /// Adds the workers' counts (records, per-processor counts) to engine's.
  void MergeCountsInto(Engine& engine) const;

 private:
  // Where a chunk's lines are in its data: one line (perhaps a piece of an
  // over-long one), or a run of whole lines from LineReader::NextRun, which
  // the worker frames, so that the calling thread's work per chunk is a few
  // copies rather than a step per line.
  struct LineRef {
    size_t offset;
    size_t size;
    uint32_t part;
    bool last_part;
    bool run;
  };
  struct Chunk {
    std::string data;  // the lines, each followed by "\n", then padding
    std::vector<LineRef> lines;
    OutBuffer out{kChunkBytes * 4};  // room for the usual expansion: no growth
    bool done = false;
  };

  BatchRunner() = default;
  void Work(Engine* engine);
  /// Turns one chunk into JSON lines with engine and marks it done.
  void Process(Chunk& chunk, Engine& engine);
  std::unique_ptr<Chunk> NewChunk();
  static void Append(Chunk& chunk, const Line& line);
  static void AppendRun(Chunk& chunk, std::string_view run);
  /// Calls f with each line of chunk, in order, as LineReader framed it.
  template <typename F>
  static void ForEachLine(const Chunk& chunk, F&& f);
  /// Whether the chunk may end before `line` without changing the output.
  bool CanCut(const Chunk& chunk, const Line& line) const;
  /// Where in `run` the chunk may end: the offset of the first line before
  /// which a cut is safe (0: before the run), or npos for none.
  size_t SafeCutIn(const Chunk& chunk, std::string_view run) const;
  /// Queues chunk; first writes finished chunks until there is room.
  bool Dispatch(std::unique_ptr<Chunk> chunk, Sink& sink, Engine& engine);
  /// Writes the oldest chunk's output once it is done, processing queued
  /// chunks with engine (the calling thread's) in the meantime.
  bool WriteOldest(Sink& sink, Engine& engine);
  bool Drain(Sink& sink, Engine& engine);

  std::vector<std::unique_ptr<Engine>> engines_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable chunk_done_;
  std::deque<Chunk*> queue_;                      // waiting for a worker (guarded)
  bool stopping_ = false;                         // guarded
  const Chunk* awaited_ = nullptr;                // the chunk WriteOldest waits for (guarded)
  std::deque<std::unique_ptr<Chunk>> in_flight_;  // in input order (calling thread only)
  std::vector<std::unique_ptr<Chunk>> spare_;     // for reuse (calling thread only)
  size_t max_in_flight_ = 0;
  bool folds_ = false;
};

}  // namespace logchain

#endif  // LOGCHAIN_PIPELINE_BATCH_H_

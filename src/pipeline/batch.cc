#include "pipeline/batch.h"

#include <algorithm>
#include <cerrno>

#include "metrics/hub.h"
#include "pipeline/signals.h"
#include "processors/fold_traceback.h"
#include "record/json_object.h"

namespace logchain {

std::unique_ptr<BatchRunner> BatchRunner::Create(const PipelineConfig& config, const Clock* clock,
                                                 int jobs, metrics::MetricsHub* hub) {
  std::unique_ptr<BatchRunner> runner(new BatchRunner());
  // The calling thread is one of the `jobs`: it turns chunks into JSON too
  // whenever it would otherwise wait (WriteOldest).
  for (int i = 1; i < jobs; ++i) {
    Diagnostics diagnostics;
    std::unique_ptr<Engine> engine = Engine::Create(config, clock, diagnostics);
    if (engine == nullptr) return nullptr;
    if (hub != nullptr) engine->EnableMetrics(hub->NewShard());
    runner->folds_ = engine->folds();
    runner->engines_.push_back(std::move(engine));
  }
  runner->max_in_flight_ = kChunksPerWorker * static_cast<size_t>(jobs);
  for (const std::unique_ptr<Engine>& engine : runner->engines_) {
    runner->threads_.emplace_back(&BatchRunner::Work, runner.get(), engine.get());
  }
  return runner;
}

BatchRunner::~BatchRunner() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void BatchRunner::Work(Engine* engine) {
  for (;;) {
    Chunk* chunk = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      chunk = queue_.front();
      queue_.pop_front();
    }
    Process(*chunk, *engine);
  }
}

void BatchRunner::Process(Chunk& chunk, Engine& engine) {
  ForEachLine(chunk, [&](const Line& line) { engine.PushLine(line, /*padded=*/true, chunk.out); });
  engine.Flush(chunk.out);
  engine.PublishMetrics();  // before the chunk's output can be written
  bool awaited = false;
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    chunk.done = true;
    awaited = awaited_ == &chunk;
  }
  // Only the calling thread waits, and only for the oldest chunk: waking it
  // for any other would cost a switch for nothing.
  if (awaited) chunk_done_.notify_one();
}

std::unique_ptr<BatchRunner::Chunk> BatchRunner::NewChunk() {
  std::unique_ptr<Chunk> chunk;
  if (spare_.empty()) {
    chunk = std::make_unique<Chunk>();
    chunk->data.reserve(kChunkBytes + kChunkBytes / 2);
  } else {
    chunk = std::move(spare_.back());
    spare_.pop_back();
    chunk->data.clear();
    // After an unusually long line, give the memory back.
    if (chunk->data.capacity() > 2 * kMaxChunkBytes) chunk->data.shrink_to_fit();
    chunk->lines.clear();
    chunk->out.Clear();
    chunk->out.ShrinkTo(kMaxChunkBytes);
    chunk->done = false;
  }
  return chunk;
}

void BatchRunner::Append(Chunk& chunk, const Line& line) {
  chunk.lines.push_back(
      LineRef{chunk.data.size(), line.text.size(), line.part, line.last_part, false});
  chunk.data.append(line.text);
  chunk.data.push_back('\n');
}

void BatchRunner::AppendRun(Chunk& chunk, std::string_view run) {
  chunk.lines.push_back(LineRef{chunk.data.size(), run.size(), 0, false, true});
  chunk.data.append(run);
}

namespace {

// Calls f with each line of a run from LineReader::NextRun, in order, while
// f returns true; returns whether it always did.
template <typename F>
bool ForEachRunLine(std::string_view run, F&& f) {
  Line line;
  while (!run.empty()) {
    line.text = LineReader::TakeLine(&run);
    if (!f(line)) return false;
  }
  return true;
}

}  // namespace

template <typename F>
void BatchRunner::ForEachLine(const Chunk& chunk, F&& f) {
  for (const LineRef& ref : chunk.lines) {
    const std::string_view text(chunk.data.data() + ref.offset, ref.size);
    if (ref.run) {
      ForEachRunLine(text, [&f](const Line& line) {
        f(line);
        return true;
      });
      continue;
    }
    Line line;
    line.text = text;
    line.part = ref.part;
    line.last_part = ref.last_part;
    f(line);
  }
}

bool BatchRunner::CanCut(const Chunk& chunk, const Line& line) const {
  if (!folds_) return true;
  const LineRef& back = chunk.lines.back();
  // A piece of an over-long line flushes the folder and is never folded.
  if (back.part != 0 || line.part != 0) return true;
  std::string_view previous(chunk.data.data() + back.offset, back.size);
  if (back.run) {
    // The run's last line: after the "\n" that ends the line before it.
    const size_t newline =
        previous.size() >= 2 ? previous.rfind('\n', previous.size() - 2) : std::string_view::npos;
    if (newline != std::string_view::npos) previous.remove_prefix(newline + 1);
    previous = LineReader::TakeLine(&previous);
  }
  return TracebackFolder::IsSafeBoundary(previous, line.text);
}

size_t BatchRunner::SafeCutIn(const Chunk& chunk, std::string_view run) const {
  if (!folds_) return 0;
  Line line;
  std::string_view rest = run;
  line.text = LineReader::TakeLine(&rest);
  if (CanCut(chunk, line)) return 0;
  while (!rest.empty()) {
    const std::string_view previous = line.text;
    const size_t offset = run.size() - rest.size();
    line.text = LineReader::TakeLine(&rest);
    if (TracebackFolder::IsSafeBoundary(previous, line.text)) return offset;
  }
  return std::string_view::npos;
}

bool BatchRunner::WriteOldest(Sink& sink, Engine& engine) {
  Chunk* chunk = in_flight_.front().get();
  for (;;) {
    // While the oldest chunk is not done, process a queued one here rather
    // than wait: with -j 2 that is one worker thread and this one, two
    // threads on two cores, instead of this thread waking among them.
    Chunk* queued = nullptr;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (chunk->done) break;
      if (queue_.empty()) {
        awaited_ = chunk;
        chunk_done_.wait(lock, [chunk] { return chunk->done; });
        awaited_ = nullptr;
        break;
      }
      queued = queue_.front();
      queue_.pop_front();
    }
    Process(*queued, engine);
  }
  const bool ok = sink.Write(chunk->out.view());
  spare_.push_back(std::move(in_flight_.front()));
  in_flight_.pop_front();
  return ok;
}

bool BatchRunner::Drain(Sink& sink, Engine& engine) {
  bool ok = true;
  while (!in_flight_.empty()) ok = WriteOldest(sink, engine) && ok;
  return ok;
}

bool BatchRunner::Dispatch(std::unique_ptr<Chunk> chunk, Sink& sink, Engine& engine) {
  bool ok = true;
  while (in_flight_.size() >= max_in_flight_) ok = WriteOldest(sink, engine) && ok;
  // Lines parse in place: keep the JSON decoder's padding after the last one.
  chunk->data.append(JsonObjectDecoder::kPadding, '\0');
  Chunk* queued = chunk.get();
  in_flight_.push_back(std::move(chunk));
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    queue_.push_back(queued);
  }
  work_ready_.notify_one();
  return ok;
}

StreamEnd BatchRunner::Run(int fd, LineReader& reader, Engine& engine, OutBuffer& out,
                           Sink& sink, int* error) {
  if (!sink.Flush(out)) return StreamEnd::kOutputGone;
  reader.Reset(fd);
  std::unique_ptr<Chunk> current = NewChunk();
  StreamEnd end = StreamEnd::kEndOfInput;
  bool in_order = false;  // no safe cut was found: the rest goes through `engine`

  auto push_in_order = [&](const Line& line) {
    engine.PushLine(line, /*padded=*/true, out);
    return out.size() < kFlushBytes || sink.Flush(out);
  };
  // The current chunk may not be cut before `next`: queue it, or, past
  // kMaxChunkBytes, give up on cutting and process it in order here.
  // Returns false when the output is gone.
  auto hold = [&](const auto& append) {
    if (current->data.size() < kMaxChunkBytes) {
      append();
      return true;
    }
    if (!Drain(sink, engine)) return false;
    current->data.append(JsonObjectDecoder::kPadding, '\0');
    bool ok = true;
    ForEachLine(*current, [&](const Line& held) { ok = push_in_order(held) && ok; });
    current->lines.clear();
    current->data.clear();
    in_order = true;
    return ok;
  };
  // Queues the current chunk and starts the next. False: the output is gone.
  auto cut = [&] {
    const bool ok = Dispatch(std::move(current), sink, engine);
    current = NewChunk();
    return ok;
  };
  // Adds whole lines, cutting the chunk first where it is full and may end.
  auto take_run = [&](std::string_view run) {
    while (!run.empty()) {
      if (current->lines.empty() || current->data.size() < kChunkBytes) {
        AppendRun(*current, run);
        return true;
      }
      const size_t at = SafeCutIn(*current, run);
      if (at == std::string_view::npos) {
        if (!hold([&] { AppendRun(*current, run); })) return false;
        return !in_order || ForEachRunLine(run, push_in_order);
      }
      if (at > 0) AppendRun(*current, run.substr(0, at));
      run.remove_prefix(at);
      if (!cut()) return false;
    }
    return true;
  };
  // Adds one line (a piece, the unterminated last line, or one longer than
  // a run may be).
  auto take_line = [&](const Line& line) {
    if (in_order) return push_in_order(line);
    if (current->lines.empty() || current->data.size() < kChunkBytes) {
      Append(*current, line);
      return true;
    }
    if (CanCut(*current, line)) {
      if (!cut()) return false;
      Append(*current, line);
      return true;
    }
    if (!hold([&] { Append(*current, line); })) return false;
    return !in_order || push_in_order(line);
  };

  for (;;) {
    // A run fills the current chunk up to kChunkBytes, no further: the
    // chunk's output then fits its buffer.
    std::string_view run;
    const size_t room = kChunkBytes - std::min(current->data.size(), kChunkBytes - 1);
    if (!in_order && reader.NextRun(room, &run)) {
      if (!take_run(run)) {
        end = StreamEnd::kOutputGone;
        break;
      }
      continue;
    }
    Line line;
    const LineReader::Status status = reader.Next(&line);
    if (status == LineReader::Status::kLine) {
      if (!take_line(line)) {
        end = StreamEnd::kOutputGone;
        break;
      }
      continue;
    }
    if (status == LineReader::Status::kEnd) break;

    // Everything buffered is framed; read more.
    if (StopRequested()) {
      end = StreamEnd::kStopped;
      reader.Finish();
      continue;
    }
    const ssize_t n = reader.Fill();
    if (n > 0) {
      engine.stats().bytes_in += static_cast<uint64_t>(n);
      engine.PublishMetrics();
    } else if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      *error = errno;
      end = StreamEnd::kReadError;
      reader.Finish();
    }
  }

  if (end != StreamEnd::kOutputGone) {
    if (in_order) {
      engine.Flush(out);
    } else if (!current->lines.empty()) {
      Dispatch(std::move(current), sink, engine);
    }
  }
  Drain(sink, engine);
  if (sink.state() != Sink::State::kOk) return StreamEnd::kOutputGone;
  return end;
}

void BatchRunner::MergeCountsInto(Engine& engine) const {
  for (const std::unique_ptr<Engine>& worker : engines_) engine.AddCounts(*worker);
}

}  // namespace logchain

#include "pipeline/batch.h"

#include <cerrno>

#include "metrics/hub.h"
#include "pipeline/signals.h"
#include "processors/fold_traceback.h"
#include "record/json_object.h"

namespace logchain {

std::unique_ptr<BatchRunner> BatchRunner::Create(const PipelineConfig& config, const Clock* clock,
                                                 int jobs, metrics::MetricsHub* hub) {
  std::unique_ptr<BatchRunner> runner(new BatchRunner());
  for (int i = 0; i < jobs; ++i) {
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
    for (const LineRef& ref : chunk->lines) {
      Line line;
      line.text = std::string_view(chunk->data.data() + ref.offset, ref.size);
      line.part = ref.part;
      line.last_part = ref.last_part;
      engine->PushLine(line, /*padded=*/true, chunk->out);
    }
    engine->Flush(chunk->out);
    engine->PublishMetrics();  // before the chunk's output can be written
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      chunk->done = true;
    }
    chunk_done_.notify_all();
  }
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
  chunk.lines.push_back(LineRef{chunk.data.size(), line.text.size(), line.part, line.last_part});
  chunk.data.append(line.text);
  chunk.data.push_back('\n');
}

bool BatchRunner::WriteOldest(Sink& sink) {
  Chunk* chunk = in_flight_.front().get();
  {
    std::unique_lock<std::mutex> lock(mutex_);
    chunk_done_.wait(lock, [chunk] { return chunk->done; });
  }
  const bool ok = sink.Write(chunk->out.view());
  spare_.push_back(std::move(in_flight_.front()));
  in_flight_.pop_front();
  return ok;
}

bool BatchRunner::Drain(Sink& sink) {
  bool ok = true;
  while (!in_flight_.empty()) ok = WriteOldest(sink) && ok;
  return ok;
}

bool BatchRunner::Dispatch(std::unique_ptr<Chunk> chunk, Sink& sink) {
  bool ok = true;
  while (in_flight_.size() >= max_in_flight_) ok = WriteOldest(sink) && ok;
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

  // Where a chunk may end before `line` without changing the output.
  auto can_cut = [this](const Chunk& chunk, const Line& line) {
    if (!folds_) return true;
    const LineRef& previous = chunk.lines.back();
    // A piece of an over-long line flushes the folder and is never folded.
    if (previous.part != 0 || line.part != 0) return true;
    return TracebackFolder::IsSafeBoundary(
        std::string_view(chunk.data.data() + previous.offset, previous.size), line.text);
  };

  for (;;) {
    Line line;
    const LineReader::Status status = reader.Next(&line);
    if (status == LineReader::Status::kLine) {
      if (in_order) {
        engine.PushLine(line, /*padded=*/true, out);
        if (out.size() >= kFlushBytes && !sink.Flush(out)) {
          end = StreamEnd::kOutputGone;
          break;
        }
        continue;
      }
      if (!current->lines.empty() && current->data.size() >= kChunkBytes) {
        if (can_cut(*current, line)) {
          if (!Dispatch(std::move(current), sink)) {
            current = NewChunk();
            end = StreamEnd::kOutputGone;
            break;
          }
          current = NewChunk();
        } else if (current->data.size() >= kMaxChunkBytes) {
          if (!Drain(sink)) {
            end = StreamEnd::kOutputGone;
            break;
          }
          current->data.append(JsonObjectDecoder::kPadding, '\0');
          for (const LineRef& ref : current->lines) {
            Line held;
            held.text = std::string_view(current->data.data() + ref.offset, ref.size);
            held.part = ref.part;
            held.last_part = ref.last_part;
            engine.PushLine(held, /*padded=*/true, out);
            if (out.size() >= kFlushBytes) sink.Flush(out);
          }
          current->lines.clear();
          current->data.clear();
          in_order = true;
          engine.PushLine(line, /*padded=*/true, out);
          continue;
        }
      }
      Append(*current, line);
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
      Dispatch(std::move(current), sink);
    }
  }
  Drain(sink);
  if (sink.state() != Sink::State::kOk) return StreamEnd::kOutputGone;
  return end;
}

void BatchRunner::MergeCountsInto(Engine& engine) const {
  for (const std::unique_ptr<Engine>& worker : engines_) engine.AddCounts(*worker);
}

}  // namespace logchain

#include "pipeline/stream.h"

#include <cerrno>

#include "pipeline/signals.h"

namespace logchain {
namespace {

// Metrics are published just before output is handed on, so whoever reads
// a record from the output finds it counted in the next scrape.
bool Publish(Engine& engine, Sink& sink, OutBuffer& out) {
  engine.PublishMetrics();
  return sink.Flush(out);
}

}  // namespace

LineReader::Status PushBufferedLines(LineReader& reader, Engine& engine, OutBuffer& out,
                                     Sink& sink) {
  for (;;) {
    Line line;
    const LineReader::Status status = reader.Next(&line);
    if (status != LineReader::Status::kLine) return status;
    engine.PushLine(line, /*padded=*/true, out);
    if (out.size() >= kFlushBytes) sink.Flush(out);
  }
}

StreamEnd StreamInput(int fd, bool regular_file, LineReader& reader, Engine& engine,
                      OutBuffer& out, Sink& sink, int* error) {
  reader.Reset(fd);
  StreamEnd end = StreamEnd::kEndOfInput;
  for (;;) {
    Line line;
    const LineReader::Status status = reader.Next(&line);
    if (status == LineReader::Status::kLine) {
      engine.PushLine(line, /*padded=*/true, out);
      if (out.size() >= kFlushBytes && !Publish(engine, sink, out)) return StreamEnd::kOutputGone;
      continue;
    }
    if (status == LineReader::Status::kEnd) break;

    // Everything buffered is processed; more input is needed.
    if (StopRequested()) {
      end = StreamEnd::kStopped;
      reader.Finish();
      continue;
    }
    if (regular_file) {
      WaitReadable(fd, 0);  // never blocks on a file; lets a pending stop signal in
    } else {
      int timeout = -1;
      bool ready = false;
      if (!out.empty() || engine.holding()) {
        ready = WaitReadable(fd, 0) == 1;
        if (!ready) {
          // The input has nothing more for now: show what is done.
          if (!Publish(engine, sink, out)) return StreamEnd::kOutputGone;
          if (engine.holding()) timeout = engine.idle_ms();
        }
      }
      if (!ready) {
        engine.PublishMetrics();  // even when nothing was written (all dropped)
        const int r = WaitReadable(fd, timeout);
        if (r < 0) continue;  // a signal: check for a stop
        if (r == 0) {
          engine.Flush(out);  // idle: the held record gets no traceback
          if (!Publish(engine, sink, out)) return StreamEnd::kOutputGone;
          continue;
        }
      }
    }
    const ssize_t n = reader.Fill();
    if (n > 0) {
      engine.stats().bytes_in += static_cast<uint64_t>(n);
    } else if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      *error = errno;
      end = StreamEnd::kReadError;
      reader.Finish();
    }
  }
  engine.Flush(out);
  engine.PublishMetrics();
  if (sink.state() != Sink::State::kOk) return StreamEnd::kOutputGone;
  return end;
}

}  // namespace logchain

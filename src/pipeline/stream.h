// Streaming one input through an Engine, live or from a file.
//
// Output is written in large blocks, and flushed whenever the input has
// nothing more ready, so `gunicorn ... | logchain` shows each record as soon
// as its line is complete while a file streams at full speed. A record held
// for a possible traceback is written once the input has been idle for the
// folder's idle time.
#ifndef LOGCHAIN_PIPELINE_STREAM_H_
#define LOGCHAIN_PIPELINE_STREAM_H_

#include <string_view>

#include "input/line_reader.h"
#include "output/out_buffer.h"
#include "output/sink.h"
#include "pipeline/engine.h"

namespace logchain {

/// Output is handed to the sink once this much is buffered.
inline constexpr size_t kFlushBytes = 256 * 1024;

enum class StreamEnd : uint8_t {
  kEndOfInput,   // the input is exhausted
  kReadError,    // reading failed (errno kept in *error); what was read is processed
  kStopped,      // a stop signal arrived; what was read is processed
  kOutputGone,   // the sink closed or failed: nothing more can be written
};

/// Hands every complete line the reader has buffered to the engine, handing
/// output to the sink once kFlushBytes are buffered. Returns the reader's
/// status when it has no more lines: kNeedInput or kEnd.
LineReader::Status PushBufferedLines(LineReader& reader, Engine& engine, OutBuffer& out,
                                     Sink& sink);

/// Reads fd to its end through engine into sink. `regular_file`: the input
/// never blocks, so no idle flushing is needed. The folder is flushed at the
/// end of the input: a traceback never spans two inputs.
StreamEnd StreamInput(int fd, bool regular_file, LineReader& reader, Engine& engine,
                      OutBuffer& out, Sink& sink, int* error);

}  // namespace logchain

#endif  // LOGCHAIN_PIPELINE_STREAM_H_

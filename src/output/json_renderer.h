// JSON renderer: the last step of a line's path, Record -> one JSON line.
//
// A record built from a text line is written as an object of its fields in
// insertion order. A record built from a JSON object line is written as the
// original object text, byte for byte, with the fields the chain added
// spliced in before its closing brace; when the chain added nothing, the line
// is written unchanged. logchain's own notes (errors, raw bytes, piece
// numbers) come last.
#ifndef LOGCHAIN_OUTPUT_JSON_RENDERER_H_
#define LOGCHAIN_OUTPUT_JSON_RENDERER_H_

#include "output/json_writer.h"
#include "output/out_buffer.h"
#include "record/record.h"

namespace logchain {

/// Appends the record as one JSON line, newline included.
void RenderJson(const Record& record, JsonStyle style, OutBuffer& out);

}  // namespace logchain

#endif  // LOGCHAIN_OUTPUT_JSON_RENDERER_H_

// Console renderer: a human view of records for development, in the spirit
// of structlog's ConsoleRenderer (--format console).
//
//   2019-08-15 14:19:23 [info    ] GET /metrics HTTP/1.1        [gunicorn.access] host=10.0.0.1 status=200
//
// The time, the level in brackets padded to one width (coloured by
// severity), the event padded so that what follows lines up, the logger in
// brackets, then every other key as key=value sorted by key; a folded
// traceback follows on its own lines. Colours are ANSI escapes, only when
// asked for (the CLI decides: a terminal, NO_COLOR unset, or --color).
// Control characters in values are shown escaped, so a log line can never
// drive the terminal.
//
// It works from the JSON line the record renders to, so every kind of record
// (text, access, JSON object lines, notes) is shown the same way.
#ifndef LOGCHAIN_OUTPUT_CONSOLE_RENDERER_H_
#define LOGCHAIN_OUTPUT_CONSOLE_RENDERER_H_

#include <string_view>

#include "output/out_buffer.h"

namespace logchain {

/// Appends the console view of one JSON object line (without its "\n"),
/// newline included. A line that is not a JSON object is shown as its text.
void RenderConsole(std::string_view json_line, bool color, OutBuffer& out);

}  // namespace logchain

#endif  // LOGCHAIN_OUTPUT_CONSOLE_RENDERER_H_

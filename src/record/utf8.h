// UTF-8 policy: how bytes that are not text become valid JSON without loss.
//
// logchain validates every line once. A valid line (the common case) is used
// as is. An invalid one is decoded the way Python's bytes.decode("utf-8",
// "replace") does it: each maximal invalid subsequence (Unicode's "maximal
// subpart" practice) becomes one U+FFFD. The original bytes are kept
// losslessly by the record as base64 (fields::kRawBase64).
#ifndef LOGCHAIN_RECORD_UTF8_H_
#define LOGCHAIN_RECORD_UTF8_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace logchain {

class Arena;

/// True when s is well-formed UTF-8 (no overlongs, surrogates or values above
/// U+10FFFF). Fast: SIMD-accelerated.
bool IsValidUtf8(std::string_view s);

/// True when every byte of s is ASCII and none is a line feed: a line as
/// the reader frames it, in the form almost every log line has. One pass.
bool IsAsciiSingleLine(std::string_view s);

/// The text of s with every maximal invalid subsequence replaced by U+FFFD,
/// allocated in arena. Requires nothing of s.
std::string_view SanitizeUtf8(std::string_view s, Arena& arena);

/// Length of the well-formed UTF-8 sequence starting at s[0], or 0 if s does
/// not start with one. s must not be empty.
size_t Utf8SequenceLength(std::string_view s);

/// When s does not start with a well-formed sequence: the length of the
/// maximal invalid subsequence at s[0], which one U+FFFD replaces (1 to 3).
/// s must not be empty.
size_t Utf8InvalidLength(std::string_view s);

/// Largest n <= limit such that cutting s at n does not split a well-formed
/// multi-byte sequence (falls back to limit when s is not UTF-8 there).
size_t Utf8SafeCut(std::string_view s, size_t limit);

/// Standard base64 (RFC 4648, with padding) of s, appended to out.
void AppendBase64(std::string_view s, std::string& out);
/// Standard base64 of s, allocated in arena.
std::string_view Base64(std::string_view s, Arena& arena);

}  // namespace logchain

#endif  // LOGCHAIN_RECORD_UTF8_H_

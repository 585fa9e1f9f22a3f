// Pipe buffer sizing.
#ifndef LOGCHAIN_COMMON_PIPES_H_
#define LOGCHAIN_COMMON_PIPES_H_

#include <cstddef>

namespace logchain {

/// The pipe buffer logchain asks for on its input and output pipes: the
/// default pipe-max-size, so any user may have it.
inline constexpr size_t kWidePipeBytes = 1 << 20;

/// If fd is a pipe whose buffer is smaller than kWidePipeBytes, widens it.
/// A 64 KiB pipe makes logchain and the process on its other end take turns
/// (each blocks after a quarter of one of logchain's 256 KiB writes); a
/// 1 MiB one lets both run at once on their own cores. Best effort: a pipe
/// the kernel will not widen (user's pipe quota) is left as it is.
void WidenPipe(int fd);

}  // namespace logchain

#endif  // LOGCHAIN_COMMON_PIPES_H_

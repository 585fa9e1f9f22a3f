#include "common/pipes.h"

#include <fcntl.h>
#include <sys/stat.h>

namespace logchain {

void WidenPipe(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode)) return;
  const int size = ::fcntl(fd, F_GETPIPE_SZ);
  if (size < 0 || static_cast<size_t>(size) >= kWidePipeBytes) return;
  (void)::fcntl(fd, F_SETPIPE_SZ, static_cast<int>(kWidePipeBytes));  // best effort, see header
}

}  // namespace logchain

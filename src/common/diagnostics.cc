#include "common/diagnostics.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace logchain {
namespace {

void WriteAll(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // stderr gone: nothing sensible left to do
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
}

void Print(std::string_view severity, std::string_view message) {
  std::string line;
  line.reserve(message.size() + 32);
  line.append("logchain: ").append(severity).append(": ").append(message);
  if (line.back() != '\n') line.push_back('\n');
  WriteAll(STDERR_FILENO, line);
}

// Optimal string alignment distance: Levenshtein plus the swap of two
// neighbouring characters as one edit, the most common typo ("chian").
size_t EditDistance(std::string_view a, std::string_view b) {
  const size_t width = b.size() + 1;
  std::vector<size_t> d((a.size() + 1) * width);
  auto at = [&](size_t i, size_t j) -> size_t& { return d[i * width + j]; };
  for (size_t i = 0; i <= a.size(); ++i) at(i, 0) = i;
  for (size_t j = 0; j <= b.size(); ++j) at(0, j) = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      at(i, j) = std::min({at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        at(i, j) = std::min(at(i, j), at(i - 2, j - 2) + 1);
      }
    }
  }
  return at(a.size(), b.size());
}

}  // namespace

void Diagnostics::Error(std::string where, std::string what, std::string hint) {
  problems_.push_back(Problem{std::move(where), std::move(what), std::move(hint)});
}

std::string Diagnostics::Format() const {
  std::string out;
  for (const Problem& p : problems_) {
    out.append("logchain: error: ");
    if (!p.where.empty()) out.append(p.where).append(": ");
    out.append(p.what).append("\n");
    if (!p.hint.empty()) out.append("  hint: ").append(p.hint).append("\n");
  }
  return out;
}

void PrintError(std::string_view message) { Print("error", message); }
void PrintWarning(std::string_view message) { Print("warning", message); }
void PrintNote(std::string_view message) { Print("note", message); }
void PrintRaw(std::string_view text) { WriteAll(STDERR_FILENO, text); }
void PrintStdout(std::string_view text) { WriteAll(STDOUT_FILENO, text); }

std::string_view Suggest(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view best;
  size_t best_distance = SIZE_MAX;
  for (std::string_view c : candidates) {
    size_t d = EditDistance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  // A third of the word (at least 1, at most 3 edits) still reads as a typo.
  const size_t limit = std::clamp<size_t>(word.size() / 3, 1, 3);
  return best_distance <= limit ? best : std::string_view{};
}

std::string DidYouMean(std::string_view word, std::span<const std::string_view> candidates) {
  std::string_view s = Suggest(word, candidates);
  if (s.empty()) return {};
  return " (did you mean '" + std::string(s) + "'?)";
}

}  // namespace logchain

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

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
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

#include "metrics/labels.h"

#include <cstring>

namespace logchain::metrics {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsLower(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (Lower(text[i]) != lower[i]) return false;
  }
  return true;
}

bool Admissible(std::string_view name) {
  if (name.size() > LoggerNames::kMaxLoggerBytes) return false;
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::string_view MethodLabel(uint32_t slot) {
  return slot < kMethods.size() ? kMethods[slot] : kOther;
}

std::string_view RequestWord(std::string_view request, int n) {
  const size_t size = request.size();
  size_t i = 0;
  for (int word = 0;; ++word) {
    while (i < size && request[i] == ' ') ++i;
    if (i == size) return {};
    const size_t start = i;
    while (i < size && request[i] != ' ') ++i;
    if (word == n) return request.substr(start, i - start);
  }
}

std::string StatusLabel(uint32_t slot) {
  return slot == kStatusOther ? std::string(kOther) : std::to_string(slot);
}

uint32_t LevelSlotOtherwise(std::string_view level) {
  if (level.empty()) return kLevelNone;
  for (uint32_t i = 0; i < kLevels.size(); ++i) {
    if (EqualsLower(level, kLevels[i])) return i;
  }
  if (EqualsLower(level, "warn")) return 2;
  if (EqualsLower(level, "exception")) return 3;
  return kLevelOther;
}

std::string_view LevelLabel(uint32_t slot) {
  if (slot < kLevels.size()) return kLevels[slot];
  return slot == kLevelNone ? kNone : kOther;
}

uint32_t LoggerNames::Slot(std::string_view name) {
  if (name.empty()) return kNoneSlot;
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto it = slots_.find(name); it != slots_.end()) return it->second;
  if (names_.size() >= limit_ || !Admissible(name)) return kOtherSlot;
  const auto slot = static_cast<uint32_t>(names_.size() + 2);
  names_.emplace_back(name);
  slots_.emplace(std::string(name), slot);
  return slot;
}

std::string LoggerNames::Label(uint32_t slot) const {
  if (slot == kOtherSlot) return std::string(kOther);
  if (slot == kNoneSlot) return std::string(kNone);
  std::lock_guard<std::mutex> lock(mutex_);
  return slot - 2 < names_.size() ? names_[slot - 2] : std::string(kOther);
}

}  // namespace logchain::metrics

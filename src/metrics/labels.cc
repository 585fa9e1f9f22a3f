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

// Whether text is kMethods[I], as a compare of a constant size.
template <size_t I>
bool IsMethod(std::string_view text) {
  return std::memcmp(text.data(), kMethods[I].data(), kMethods[I].size()) == 0;
}

uint32_t MethodSlot(std::string_view method) {
  // On every access record: told apart by size, then compared as words.
  static_assert(kMethods[0] == "GET" && kMethods[1] == "HEAD" && kMethods[2] == "POST" &&
                kMethods[3] == "PUT" && kMethods[4] == "DELETE" && kMethods[5] == "CONNECT" &&
                kMethods[6] == "OPTIONS" && kMethods[7] == "TRACE" && kMethods[8] == "PATCH");
  switch (method.size()) {
    case 3:
      if (IsMethod<0>(method)) return 0;
      if (IsMethod<3>(method)) return 3;
      break;
    case 4:
      if (IsMethod<2>(method)) return 2;
      if (IsMethod<1>(method)) return 1;
      break;
    case 5:
      if (IsMethod<8>(method)) return 8;
      if (IsMethod<7>(method)) return 7;
      break;
    case 6:
      if (IsMethod<4>(method)) return 4;
      break;
    case 7:
      if (IsMethod<6>(method)) return 6;
      if (IsMethod<5>(method)) return 5;
      break;
    default:
      break;
  }
  return kMethodOther;
}

std::string_view MethodLabel(uint32_t slot) {
  return slot < kMethods.size() ? kMethods[slot] : kOther;
}

std::string StatusLabel(uint32_t slot) {
  return slot == kStatusOther ? std::string(kOther) : std::to_string(slot);
}

// Whether text is kLevels[I] exactly, as a compare of a constant size.
template <size_t I>
bool IsLevel(std::string_view text) {
  return text.size() == kLevels[I].size() &&
         std::memcmp(text.data(), kLevels[I].data(), kLevels[I].size()) == 0;
}

uint32_t LevelSlot(std::string_view level) {
  // On every record: the lower-case names add_log_level writes, first.
  if (IsLevel<1>(level)) return 1;
  if (IsLevel<2>(level)) return 2;
  if (IsLevel<3>(level)) return 3;
  if (IsLevel<0>(level)) return 0;
  if (IsLevel<4>(level)) return 4;
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

#include "record/record.h"

#include <algorithm>

namespace logchain {

void Record::Reset() {
  line_ = {};
  text_ = {};
  origin_ = Origin{};
  fields_.clear();
  json_members_.clear();
  replaced_.clear();
  key_mask_ = 0;
  known_ = {};
  json_text_ = {};
  json_empty_ = false;
  text_single_line_ = false;
  continuation_ = {};
  raw_ = {};
  part_number_ = 0;
  last_part_ = false;
  errors_.clear();
  arena_.Reset();
}

void Record::ClearJsonMembers() {
  json_members_.clear();
  replaced_.clear();
  key_mask_ = 0;
  for (const Field& f : fields_) key_mask_ |= KeyBit(f.key);
}

const Value* Record::FindPresent(std::string_view key) const {
  for (auto it = fields_.rbegin(); it != fields_.rend(); ++it) {
    if (it->key == key) return &it->value;
  }
  return FindMember(key);
}

const Value* Record::FindMember(std::string_view key) const { return ScanMembers(key); }

void Record::IndexKnownFields() {
  known_ = {};
  for (size_t i = 0; i < fields_.size(); ++i) {
    if (const int known = fields::KnownKeyOf(fields_[i].key); known >= 0) {
      known_[known] = static_cast<uint32_t>(i + 1);
    }
  }
}

Field* Record::FindField(std::string_view key) {
  for (auto it = fields_.rbegin(); it != fields_.rend(); ++it) {
    if (it->key == key) return &*it;
  }
  return nullptr;
}

bool Record::RemoveField(std::string_view key) {
  const size_t before = fields_.size();
  std::erase_if(fields_, [key](const Field& f) { return f.key == key; });
  if (fields_.size() == before) return false;
  IndexKnownFields();
  return true;
}

bool Record::RenameField(std::string_view from, std::string_view to) {
  if (from == to || FindField(from) == nullptr) return false;
  RemoveField(to);
  FindField(from)->key = to;
  key_mask_ |= KeyBit(to);
  IndexKnownFields();
  return true;
}

bool Record::ReplaceJsonMember(std::string_view key, Value value) {
  bool any = false;
  for (size_t i = 0; i < json_members_.size(); ++i) {
    if (json_members_[i].key != key) continue;
    json_members_[i].value = value;
    any = true;
    const auto index = static_cast<uint32_t>(i);
    const auto at = std::lower_bound(replaced_.begin(), replaced_.end(), index);
    if (at == replaced_.end() || *at != index) replaced_.insert(at, index);
  }
  return any;
}

void Record::SetJson(std::string_view object_text, bool empty) {
  origin_.kind = LineKind::kJson;
  json_text_ = object_text;
  json_empty_ = empty;
}

}  // namespace logchain

#include <charconv>
#include <string>
#include <vector>

#include "processors/processor.h"

namespace logchain {
namespace {

bool ParseBool(std::string_view text, bool* out) {
  static constexpr std::string_view kTrue[] = {"true", "yes", "on", "1"};
  static constexpr std::string_view kFalse[] = {"false", "no", "off", "0"};
  for (std::string_view t : kTrue) {
    if (text == t) return *out = true, true;
  }
  for (std::string_view f : kFalse) {
    if (text == f) return *out = false, true;
  }
  return false;
}

bool ParseInt(std::string_view text, int64_t* out) {
  if (text.empty()) return false;
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  auto [ptr, ec] = std::from_chars(begin, text.data() + text.size(), *out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

void OptionValues::Set(std::string_view name, std::string value) {
  for (auto& [n, v] : values_) {
    if (n == name) {
      v = std::move(value);
      return;
    }
  }
  values_.emplace_back(std::string(name), std::move(value));
}

std::string_view OptionValues::Text(std::string_view name) const {
  for (const auto& [n, v] : values_) {
    if (n == name) return v;
  }
  return {};
}

int64_t OptionValues::Int(std::string_view name) const {
  int64_t v = 0;
  ParseInt(Text(name), &v);
  return v;
}

bool ValidateOptions(const ProcessorDescriptor& descriptor, std::span<const RawOption> raw,
                     OptionValues* values, Diagnostics& diagnostics) {
  bool ok = true;
  for (const OptionSpec& spec : descriptor.options) {
    values->Set(spec.name, std::string(spec.default_value));
  }
  std::vector<std::string_view> names;
  for (const OptionSpec& spec : descriptor.options) names.push_back(spec.name);

  for (const RawOption& option : raw) {
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : descriptor.options) {
      if (s.name == option.name) spec = &s;
    }
    if (spec == nullptr) {
      std::string known;
      for (std::string_view n : names) known.append(known.empty() ? "" : ", ").append(n);
      diagnostics.Error(option.where,
                        "processor '" + std::string(descriptor.name) + "' has no option '" +
                            option.name + "'" + DidYouMean(option.name, names),
                        known.empty() ? "it takes no options"
                                      : "its options are: " + known +
                                            " (logchain --describe " +
                                            std::string(descriptor.name) + ")");
      ok = false;
      continue;
    }
    const std::string what = std::string(descriptor.name) + "." + std::string(spec->name);
    switch (spec->type) {
      case OptionType::kString:
        values->Set(spec->name, option.value);
        break;
      case OptionType::kBool: {
        bool b = false;
        if (!ParseBool(option.value, &b)) {
          diagnostics.Error(option.where,
                            what + " must be true or false, not '" + option.value + "'",
                            "write " + what + "=true or " + what + "=false");
          ok = false;
          break;
        }
        values->Set(spec->name, b ? "true" : "false");
        break;
      }
      case OptionType::kInt: {
        int64_t i = 0;
        if (!ParseInt(option.value, &i) || i < spec->min || i > spec->max) {
          diagnostics.Error(option.where,
                            what + " must be an integer from " + std::to_string(spec->min) +
                                " to " + std::to_string(spec->max) + ", not '" + option.value +
                                "'",
                            "default: " + std::string(spec->default_value));
          ok = false;
          break;
        }
        values->Set(spec->name, std::to_string(i));
        break;
      }
      case OptionType::kEnum: {
        bool found = false;
        std::string listed;
        for (std::string_view c : spec->choices) {
          found = found || c == option.value;
          listed.append(listed.empty() ? "" : ", ").append(c);
        }
        if (!found) {
          diagnostics.Error(option.where,
                            what + " cannot be '" + option.value + "'" +
                                DidYouMean(option.value, spec->choices),
                            "choose one of: " + listed);
          ok = false;
          break;
        }
        values->Set(spec->name, option.value);
        break;
      }
    }
  }
  return ok;
}

}  // namespace logchain

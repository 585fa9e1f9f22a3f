// redact_fields: mask client addresses and the values of secret query parameters
// before records leave the machine.
#include <arpa/inet.h>

#include <cstring>

#include "processors/option_lists.h"
#include "processors/processor.h"
#include "record/fields.h"

namespace logchain {
namespace {

constexpr std::string_view kIpModes[] = {"mask", "replace", "keep"};

bool IsAddressChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' ||
         c == '.';
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// An IPv4 address with its last octet zeroed (/24), an IPv6 address with
// its interface identifier zeroed (/64); false when text is not an address.
bool MaskAddress(std::string_view text, std::string* out) {
  char buf[INET6_ADDRSTRLEN + 1];
  if (text.empty() || text.size() >= sizeof buf) return false;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  unsigned char bytes[16];
  char formatted[INET6_ADDRSTRLEN];
  if (inet_pton(AF_INET, buf, bytes) == 1) {
    bytes[3] = 0;
    if (inet_ntop(AF_INET, bytes, formatted, sizeof formatted) == nullptr) return false;
  } else if (inet_pton(AF_INET6, buf, bytes) == 1) {
    std::memset(bytes + 8, 0, 8);
    if (inet_ntop(AF_INET6, bytes, formatted, sizeof formatted) == nullptr) return false;
  } else {
    return false;
  }
  out->assign(formatted);
  return true;
}

class Redact final : public Processor {
 public:
  Redact(std::vector<std::string> ip_fields, std::string_view ip_mode,
         std::vector<std::string> params, std::vector<std::string> param_fields,
         std::string replacement)
      : ip_fields_(std::move(ip_fields)),
        ip_mode_(ip_mode),
        params_(std::move(params)),
        param_fields_(std::move(param_fields)),
        replacement_(std::move(replacement)) {}

  Outcome Process(Record& record) noexcept override {
    // Addresses found in ip_fields, with what replaces them, so the same
    // text can be replaced where it reappears (the access line in event).
    std::vector<std::pair<std::string_view, std::string_view>> addresses;
    bool changed = false;
    if (ip_mode_ != "keep") {
      for (const std::string& name : ip_fields_) {
        changed |= Rewrite(record, name, [&](std::string_view text, std::string* out) {
          return MaskAddresses(record, text, &addresses, out);
        });
      }
    }
    for (const std::string& name : param_fields_) {
      const auto& known = name == fields::kEvent ? addresses : NoAddresses();
      changed |= Rewrite(record, name, [&](std::string_view text, std::string* out) {
        return Scrub(text, known, out);
      });
    }
    return changed ? Outcome::kApplied : Outcome::kNotApplicable;
  }

 private:
  // Applies `rewrite` (text -> new text, false when unchanged) to the string
  // field the chain added under `name` and to a JSON object line's own
  // string member of that name: a JSON line's members are redacted as
  // parsed fields are. True when something changed.
  template <typename RewriteFn>
  static bool Rewrite(Record& record, std::string_view name, RewriteFn rewrite) {
    bool changed = false;
    if (Field* f = record.FindField(name); f != nullptr && f->value.is_string()) {
      std::string rewritten;
      if (rewrite(f->value.text, &rewritten)) {
        f->value = Value::String(record.arena().Copy(rewritten));
        changed = true;
      }
    }
    if (record.origin().kind != LineKind::kJson) return changed;
    // The last duplicate is the value a reader sees (Find); every duplicate
    // gets its redacted form, so none of them leaks the original.
    const Field* member = nullptr;
    for (const Field& m : record.json_members()) {
      if (m.key == name) member = &m;
    }
    if (member == nullptr || !member->value.is_string()) return changed;
    std::string rewritten;
    if (rewrite(member->value.text, &rewritten)) {
      record.ReplaceJsonMember(name, Value::String(record.arena().Copy(rewritten)));
      changed = true;
    }
    return changed;
  }

  // Masks each address of a field holding one address or an X-Forwarded-For
  // style list ("client, proxy1, proxy2"), remembering what replaced what.
  bool MaskAddresses(Record& record, std::string_view text,
                     std::vector<std::pair<std::string_view, std::string_view>>* addresses,
                     std::string* rewritten) const {
    if (text.empty()) return false;
    bool any = false;
    std::string_view rest = text;
    while (true) {
      const size_t comma = rest.find(',');
      std::string_view item = rest.substr(0, comma);
      const size_t lead = item.find_first_not_of(' ');
      const std::string_view spaces = item.substr(0, lead == std::string_view::npos ? 0 : lead);
      item.remove_prefix(spaces.size());
      std::string masked;
      const bool is_address = MaskAddress(item, &masked);
      if (is_address && ip_mode_ == "replace") masked = replacement_;
      rewritten->append(spaces);
      if (is_address) {
        any = true;
        std::string_view copy = record.arena().Copy(masked);
        addresses->emplace_back(item, copy);
        rewritten->append(copy);
      } else {
        rewritten->append(item);
      }
      if (comma == std::string_view::npos) break;
      rewritten->push_back(',');
      rest.remove_prefix(comma + 1);
    }
    return any;
  }

  static const std::vector<std::pair<std::string_view, std::string_view>>& NoAddresses() {
    static const std::vector<std::pair<std::string_view, std::string_view>> kNone;
    return kNone;
  }

  // Rewrites secret parameter values ("?token=abc&x" -> "?token=REDACTED&x")
  // and the listed addresses where they stand alone. False when unchanged.
  bool Scrub(std::string_view text,
             const std::vector<std::pair<std::string_view, std::string_view>>& addresses,
             std::string* out) const {
    bool changed = false;
    size_t i = 0;
    while (i < text.size()) {
      const char c = text[i];
      if ((c == '?' || c == '&' || c == ';') && !params_.empty()) {
        out->push_back(c);
        ++i;
        const size_t eq = text.find('=', i);
        if (eq == std::string_view::npos) continue;
        const std::string_view name = text.substr(i, eq - i);
        bool secret = false;
        for (const std::string& p : params_) secret = secret || EqualsIgnoreCase(name, p);
        if (!secret) continue;
        size_t end = eq + 1;
        while (end < text.size() &&
               std::string_view("&; \"#\\").find(text[end]) == std::string_view::npos) {
          ++end;
        }
        out->append(name).push_back('=');
        out->append(replacement_);
        changed = changed || text.substr(eq + 1, end - eq - 1) != replacement_;
        i = end;
        continue;
      }
      if (!addresses.empty() && IsAddressChar(c) && (i == 0 || !IsAddressChar(text[i - 1]))) {
        size_t end = i;
        while (end < text.size() && IsAddressChar(text[end])) ++end;
        const std::string_view token = text.substr(i, end - i);
        bool replaced = false;
        for (const auto& [address, masked] : addresses) {
          if (token == address) {
            out->append(masked);
            replaced = true;
            changed = changed || address != masked;
            break;
          }
        }
        if (!replaced) out->append(token);
        i = end;
        continue;
      }
      out->push_back(c);
      ++i;
    }
    return changed;
  }

  const std::vector<std::string> ip_fields_;
  const std::string ip_mode_;
  const std::vector<std::string> params_;
  const std::vector<std::string> param_fields_;
  const std::string replacement_;
};

std::unique_ptr<Processor> Create(const ProcessorDescriptor&, const OptionValues& options,
                                  const ProcessorContext&, std::string_view where,
                                  Diagnostics& diagnostics) {
  std::string replacement(options.Text("replacement"));
  if (replacement.empty()) {
    diagnostics.Error(std::string(where), "redact_fields.replacement cannot be empty",
                      "use the default REDACTED or another marker");
    return nullptr;
  }
  return std::make_unique<Redact>(SplitList(options.Text("ip_fields")), options.Text("ip"),
                                  SplitList(options.Text("params")),
                                  SplitList(options.Text("param_fields")), std::move(replacement));
}

constexpr OptionSpec kOptions[] = {
    {"ip_fields", OptionType::kString, "host",
     "fields holding client addresses (a comma-separated list in a field, as "
     "X-Forwarded-For has, is handled address by address)"},
    {"ip", OptionType::kEnum, "mask",
     "mask: zero the last IPv4 octet (/24) and the IPv6 interface identifier (/64); "
     "replace: write `replacement` instead; keep: leave addresses alone",
     kIpModes},
    {"params", OptionType::kString, "token,access_token,password,api_key,secret",
     "query parameters whose values are replaced (names compared ignoring case)"},
    {"param_fields", OptionType::kString, "event,request,path,query,referer",
     "fields in which those parameters are looked for; in `event` the addresses found in "
     "ip_fields are masked too"},
    {"replacement", OptionType::kString, "REDACTED", "what replaces a secret value"},
};

constexpr Example kExamples[] = {
    {"The client address is masked and the token hidden, in the parts and in event.",
     "add_logger_name,parse_combined,redact_fields", "",
     R"j(203.0.113.77 - - [15/Aug/2019:14:19:23 +0000] "GET /api?token=s3cr3t&page=2 HTTP/1.1" 200 5 "-" "curl/7.88.1")j",
     R"j({"event": "203.0.113.0 - - [15/Aug/2019:14:19:23 +0000] \"GET /api?token=REDACTED&page=2 HTTP/1.1\" 200 5 \"-\" \"curl/7.88.1\"", "logger": "gunicorn.access", "host": "203.0.113.0", "user": null, "time": "15/Aug/2019:14:19:23 +0000", "request": "GET /api?token=REDACTED&page=2 HTTP/1.1", "status": 200, "size": 5, "referer": null, "agent": "curl/7.88.1"})j"},
    {"IPv6 clients keep their /64 network.", "add_logger_name,parse_combined,redact_fields", "",
     R"j(2001:db8:1234:5678:9abc:def0:1:2 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/7.88.1")j",
     R"j({"event": "2001:db8:1234:5678:: - - [15/Aug/2019:14:19:23 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/7.88.1\"", "logger": "gunicorn.access", "host": "2001:db8:1234:5678::", "user": null, "time": "15/Aug/2019:14:19:23 +0000", "request": "GET / HTTP/1.1", "status": 200, "size": 5, "referer": null, "agent": "curl/7.88.1"})j"},
    {"An application's own JSON line: its members are redacted in place, the rest is kept "
     "byte for byte.",
     "redact_fields", "",
     R"j({"event":"login from 198.51.100.23","host":"198.51.100.23","path":"/cb?token=abc&x=1","n":[1,2]})j",
     R"j({"event":"login from 198.51.100.0","host":"198.51.100.0","path":"/cb?token=REDACTED&x=1","n":[1,2]})j"},
};

}  // namespace

extern const ProcessorDescriptor kRedactFields = {
    .name = "redact_fields",
    .summary = "mask client addresses and secret query parameters (token, password, ...)",
    .description =
        "Masks the addresses in `ip_fields` (IPv4 to its /24, IPv6 to its /64, or a fixed "
        "replacement) and replaces the values of the query parameters named in `params` "
        "wherever they appear in `param_fields` (after '?', '&' or ';', up to the next '&', "
        "';', '#', space or quote). In `event` the masked addresses are replaced too, so the "
        "raw access line does not leak what its parts hide: keep `event` in param_fields, or "
        "remove it. Applies to the fields the chain added and, on a JSON object line (an "
        "application's own structlog JSON), to the object's top-level string members of those "
        "names: a redacted member's value is rewritten in place and every other byte of the "
        "line is kept. Put redact_fields after the parsers.",
    .options = kOptions,
    .failures = {},
    .examples = kExamples,
    .create = Create,
};

}  // namespace logchain

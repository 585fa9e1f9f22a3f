#include "patterns/log_format.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "common/diagnostics.h"
#include "record/fields.h"

namespace logchain {
namespace {

using Post = CompiledFormat::Post;
using TimeSyntax = CompiledFormat::TimeSyntax;

// What text an atom can print, which decides its regex.
enum class Shape : uint8_t {
  kText,         // anything (in quotes: anything with " written as \")
  kToken,        // no whitespace, no quote: addresses, methods, protocols
  kInt,          // decimal digits
  kIntOrDash,    // decimal digits or "-"
  kDecimal,      // digits with an optional fraction
  kDecimalOrDash,
  kNumberList,   // nginx $upstream_*: "0.004", "0.004, 0.010 : 0.002" or "-"
  kIntOrNone,    // gunicorn %(B)s: digits, "None" or "-"
  kClfTime,      // 15/Aug/2019:14:19:23 +0000
  kIsoTime,      // 2019-08-15T14:19:23+00:00
  kBracketed,    // [anything but ]]
  kDash,         // "-" and nothing else
};

// One directive of a format string.
struct Atom {
  std::string key;       // identity: the same key twice is one field
  std::string name;      // preferred field name; empty: matched, not captured
  std::string fallback;  // the name when `name` is taken by another atom
  Shape shape = Shape::kText;
  FieldSpec::Type type = FieldSpec::Type::kString;
  FieldSpec::Dash dash = FieldSpec::Dash::kKeep;
  bool empty_is_null = false;
  Post post = Post::kNone;
  TimeSyntax time = TimeSyntax::kNone;
  std::string before;  // regex outside the group, before it ("\[" for a bracketed time)
  std::string after;
};

struct Item {
  bool literal = false;
  std::string text;  // a literal's bytes
  Atom atom;
  size_t column = 0;
};

// A format string with any outer quoting undone, and each byte's column in
// the string as the user gave it.
struct Source {
  std::string text;
  std::vector<size_t> columns;  // 1-based; one past the end for the end
  size_t Column(size_t i) const { return i < columns.size() ? columns[i] : columns.back(); }
};

// Undoes a configuration file's quoting ('...' or "..." around the whole
// string, with \" \' \\ inside) so that users can paste the value as it
// appears in gunicorn.conf.py, nginx.conf or httpd.conf. `always_unescape`:
// Apache's LogFormat examples are written with \" even without the quotes.
Source Unquote(std::string_view format, bool always_unescape) {
  Source s;
  size_t begin = 0;
  size_t end = format.size();
  bool quoted = false;
  if (format.size() >= 2 && (format.front() == '\'' || format.front() == '"') &&
      format.back() == format.front()) {
    quoted = true;
    begin = 1;
    end = format.size() - 1;
  }
  for (size_t i = begin; i < end; ++i) {
    char c = format[i];
    if ((quoted || always_unescape) && c == '\\' && i + 1 < end &&
        (format[i + 1] == '"' || format[i + 1] == '\'' || format[i + 1] == '\\')) {
      s.text.push_back(format[i + 1]);
      s.columns.push_back(i + 1);
      ++i;
      continue;
    }
    s.text.push_back(c);
    s.columns.push_back(i + 1);
  }
  s.columns.push_back(end + 1);
  return s;
}

// A field name from a header or variable name: lower case, and every byte
// that cannot be in a name as "_" ("X-Forwarded-For" -> "x_forwarded_for").
std::string NameFrom(std::string_view text) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out.push_back(std::isalnum(u) != 0 ? static_cast<char>(std::tolower(u)) : '_');
  }
  return out;
}

Atom TextAtom(std::string key, std::string name, FieldSpec::Dash dash = FieldSpec::Dash::kNull) {
  Atom a;
  a.key = std::move(key);
  a.name = std::move(name);
  a.dash = dash;
  return a;
}

Atom TypedAtom(std::string key, std::string name, Shape shape, FieldSpec::Type type,
               std::string fallback = {}) {
  Atom a;
  a.key = std::move(key);
  a.name = std::move(name);
  a.fallback = std::move(fallback);
  a.shape = shape;
  a.type = type;
  if (shape == Shape::kIntOrDash || shape == Shape::kDecimalOrDash) a.dash = FieldSpec::Dash::kNull;
  return a;
}

Atom TokenAtom(std::string key, std::string name, std::string fallback = {}) {
  Atom a = TextAtom(std::move(key), std::move(name));
  a.shape = Shape::kToken;
  a.fallback = std::move(fallback);
  return a;
}

Atom HostAtom(std::string key) {
  Atom a = TokenAtom(std::move(key), std::string(fields::kHost));
  a.empty_is_null = true;  // gunicorn on a UNIX socket, as parse_combined writes it
  return a;
}

Atom Unmatched(std::string key, Shape shape) {
  Atom a;
  a.key = std::move(key);
  a.shape = shape;
  return a;
}

// A request header's field: referer and user agent under parse_combined's
// names (a "-" agent stays "-", as the seed keeps it), others as nginx names
// them ($http_x_forwarded_for).
Atom RequestHeaderAtom(std::string_view header) {
  const std::string name = NameFrom(header);
  if (name == "referer") return TextAtom("i:referer", std::string(fields::kReferer));
  if (name == "user_agent") {
    return TextAtom("i:user_agent", std::string(fields::kAgent), FieldSpec::Dash::kKeep);
  }
  return TextAtom("i:" + name, "http_" + name);
}

Atom ResponseHeaderAtom(std::string_view header) {
  const std::string name = NameFrom(header);
  return TextAtom("o:" + name, "sent_http_" + name);
}

Atom TimeAtom(std::string key, TimeSyntax syntax, Shape shape) {
  Atom a = TextAtom(std::move(key), std::string(fields::kTime), FieldSpec::Dash::kKeep);
  a.shape = shape;
  a.time = syntax;
  if (shape == Shape::kBracketed) {
    a.before = "\\[";
    a.after = "\\]";
  }
  return a;
}

// ---------------------------------------------------------------------------
// gunicorn: Python's "%(atom)s" formatting over gunicorn's atoms
// (gunicorn/glogging.py, Logger.atoms and SafeAtoms).

constexpr std::string_view kGunicornAtoms[] = {"h", "l", "u", "t", "r", "m", "U", "q", "H",
                                                 "s", "B", "b", "f", "a", "T", "M", "D", "L",
                                                 "p"};

// Whether gunicorn prints the atom as a Python int (so %d works on it).
bool GunicornIntAtom(std::string_view atom) {
  return atom == "B" || atom == "T" || atom == "D" || atom == "M";
}

bool GunicornAtom(std::string_view key, Atom* out) {
  if (key.size() >= 3 && key.front() == '{') {
    const size_t close = key.rfind('}');
    if (close == std::string_view::npos || close != key.size() - 2) return false;
    const std::string_view inner = key.substr(1, close - 1);
    if (inner.empty()) return false;
    switch (key.back()) {
      case 'i': *out = RequestHeaderAtom(inner); return true;
      case 'o': *out = ResponseHeaderAtom(inner); return true;
      case 'e': *out = TextAtom("e:" + NameFrom(inner), "env_" + NameFrom(inner)); return true;
      default: return false;
    }
  }
  using T = FieldSpec::Type;
  const std::string k(key);
  if (k == "h") *out = HostAtom(k);
  else if (k == "l") *out = Unmatched(k, Shape::kDash);  // always "-" in gunicorn
  else if (k == "u") *out = TextAtom(k, std::string(fields::kUser));
  else if (k == "t") *out = TimeAtom(k, TimeSyntax::kClf, Shape::kBracketed);
  else if (k == "r") *out = TextAtom(k, std::string(fields::kRequest), FieldSpec::Dash::kKeep);
  else if (k == "m") *out = TokenAtom(k, std::string(fields::kMethod));
  else if (k == "U") *out = TextAtom(k, std::string(fields::kPath));
  else if (k == "q") *out = TextAtom(k, std::string(fields::kQuery));
  else if (k == "H") *out = TokenAtom(k, std::string(fields::kProtocol));
  else if (k == "s") *out = TypedAtom(k, std::string(fields::kStatus), Shape::kInt, T::kInt);
  else if (k == "b") {
    *out = TypedAtom(k, std::string(fields::kSize), Shape::kIntOrDash, T::kInt);
    out->dash = FieldSpec::Dash::kZero;  // as the seed converts it
  } else if (k == "B") {
    *out = TypedAtom(k, std::string(fields::kSize), Shape::kIntOrNone, T::kString, "bytes_sent");
    out->post = Post::kIntOrNone;
  } else if (k == "f") *out = TextAtom(k, std::string(fields::kReferer));
  else if (k == "a") *out = TextAtom(k, std::string(fields::kAgent), FieldSpec::Dash::kKeep);
  else if (k == "T") {
    *out = TypedAtom(k, std::string(fields::kRequestTime), Shape::kInt, T::kInt, "request_time_s");
  } else if (k == "M") *out = TypedAtom(k, std::string(fields::kRequestTimeMs), Shape::kInt, T::kInt);
  else if (k == "D") *out = TypedAtom(k, std::string(fields::kRequestTimeUs), Shape::kInt, T::kInt);
  else if (k == "L") *out = TypedAtom(k, std::string(fields::kRequestTime), Shape::kDecimal, T::kFloat);
  else if (k == "p") {
    *out = TypedAtom(k, "pid", Shape::kInt, T::kInt);
    out->before = "<";
    out->after = ">";
  } else {
    return false;
  }
  return true;
}

bool CompileGunicorn(const Source& src, std::vector<Item>* items, LogFormatError* error) {
  const std::string& s = src.text;
  std::string literal;
  size_t literal_column = 0;
  auto flush = [&] {
    if (!literal.empty()) items->push_back(Item{true, literal, {}, literal_column});
    literal.clear();
  };
  auto fail = [&](size_t at, std::string reason) {
    error->column = src.Column(at);
    error->reason = std::move(reason);
    return false;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      if (literal.empty()) literal_column = src.Column(i);
      literal.push_back(s[i]);
      continue;
    }
    const size_t start = i;
    if (i + 1 >= s.size()) {
      return fail(start, "a lone '%' at the end (Python: incomplete format); write %% for a "
                         "literal percent sign");
    }
    if (s[i + 1] == '%') {
      if (literal.empty()) literal_column = src.Column(i);
      literal.push_back('%');
      ++i;
      continue;
    }
    if (s[i + 1] != '(') {
      return fail(start, "gunicorn formats the access line with named atoms only, such as "
                         "%(h)s; '%" + std::string(1, s[i + 1]) + "' has no atom name");
    }
    // Python finds the key's closing parenthesis counting nested ones.
    size_t depth = 1;
    size_t j = i + 2;
    for (; j < s.size() && depth > 0; ++j) {
      if (s[j] == '(') ++depth;
      if (s[j] == ')') --depth;
    }
    if (depth != 0) return fail(start, "'%(' without its closing ')'");
    const std::string key = s.substr(i + 2, j - 1 - (i + 2));
    // j is past ')'; Python allows flags, width and precision, which
    // gunicorn's default never uses and which would pad or cut the value.
    if (j >= s.size()) {
      return fail(start, "'%(" + key + ")' has no conversion; write %(" + key + ")s");
    }
    const char conversion = s[j];
    if (std::string_view("#0- +123456789.*").find(conversion) != std::string_view::npos) {
      return fail(j, "flags, widths and precisions ('%(" + key + ")" + conversion +
                         "...') are not supported: they pad or cut values; write %(" + key +
                         ")s");
    }
    Atom atom;
    if (!GunicornAtom(key, &atom)) {
      std::string reason = "unknown atom '" + key + "' (gunicorn would print '-' for it)";
      if (key.size() > 2 && key.front() == '{') {
        reason += "; headers and variables are written {name}i, {name}o or {name}e";
      } else {
        reason += DidYouMean(key, kGunicornAtoms);
        reason += "; atoms: h l u t r m U q H s B b f a T M D L p {header}i {header}o "
                  "{variable}e";
      }
      return fail(start + 2, reason);
    }
    if (conversion == 'd' || conversion == 'i') {
      if (!GunicornIntAtom(key)) {
        return fail(j, "'%(" + key + ")" + conversion + "': gunicorn prints atom '" + key +
                           "' as text, and Python refuses %" + conversion +
                           " for text; write %(" + key + ")s");
      }
    } else if (conversion != 's') {
      return fail(j, "conversion '" + std::string(1, conversion) + "' is not supported; write %(" +
                         key + ")s");
    }
    flush();
    items->push_back(Item{false, {}, atom, src.Column(start)});
    i = j;
  }
  flush();
  return true;
}

// ---------------------------------------------------------------------------
// nginx: $variable and ${variable} (ngx_http_log_module, escape=default).

Atom NginxAtom(const std::string& v) {
  using T = FieldSpec::Type;
  const std::string key = "$" + v;
  if (v == "remote_addr") return HostAtom(key);
  if (v == "remote_user") return TextAtom(key, std::string(fields::kUser));
  if (v == "time_local") return TimeAtom(key, TimeSyntax::kClf, Shape::kClfTime);
  if (v == "time_iso8601") return TimeAtom(key, TimeSyntax::kIso8601, Shape::kIsoTime);
  if (v == "request") return TextAtom(key, std::string(fields::kRequest), FieldSpec::Dash::kKeep);
  if (v == "status") return TypedAtom(key, std::string(fields::kStatus), Shape::kInt, T::kInt);
  if (v == "body_bytes_sent") {
    return TypedAtom(key, std::string(fields::kSize), Shape::kInt, T::kInt);
  }
  if (v == "http_referer") return TextAtom(key, std::string(fields::kReferer));
  if (v == "http_user_agent") {
    return TextAtom(key, std::string(fields::kAgent), FieldSpec::Dash::kKeep);
  }
  if (v == "request_time") {
    return TypedAtom(key, std::string(fields::kRequestTime), Shape::kDecimal, T::kFloat);
  }
  if (v == "msec") return TypedAtom(key, "msec", Shape::kDecimal, T::kFloat);
  if (v == "request_method") return TokenAtom(key, std::string(fields::kMethod));
  if (v == "uri" || v == "document_uri") return TextAtom(key, std::string(fields::kPath));
  if (v == "args" || v == "query_string") return TextAtom(key, std::string(fields::kQuery));
  if (v == "server_protocol") return TokenAtom(key, std::string(fields::kProtocol));
  if (v == "host") return TokenAtom(key, "vhost");  // "host" is the client, as in combined
  if (v == "upstream_response_time" || v == "upstream_connect_time" ||
      v == "upstream_header_time" || v == "upstream_status" || v == "gzip_ratio") {
    Atom a = TypedAtom(key, v, Shape::kNumberList, T::kString);
    a.dash = FieldSpec::Dash::kNull;
    a.post = Post::kNumberOrText;
    return a;
  }
  if (v == "bytes_sent" || v == "request_length" || v == "pid" || v == "connection" ||
      v == "connection_requests" || v == "server_port" || v == "remote_port" ||
      v == "content_length" || v == "upstream_bytes_received" || v == "upstream_bytes_sent") {
    return TypedAtom(key, v, Shape::kIntOrDash, T::kInt);
  }
  if (v == "scheme" || v == "server_addr" || v == "request_id" || v == "pipe" ||
      v == "ssl_protocol" || v == "ssl_cipher" || v == "hostname" || v == "server_name") {
    return TokenAtom(key, v);
  }
  return TextAtom(key, v);  // $http_*, $sent_http_*, $arg_*, $cookie_*, map variables
}

bool NginxNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool CompileNginx(const Source& src, std::vector<Item>* items, LogFormatError* error) {
  const std::string& s = src.text;
  std::string literal;
  size_t literal_column = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$') {
      if (literal.empty()) literal_column = src.Column(i);
      literal.push_back(s[i]);
      continue;
    }
    const size_t start = i;
    std::string name;
    if (i + 1 < s.size() && s[i + 1] == '{') {
      const size_t close = s.find('}', i + 2);
      if (close == std::string::npos) {
        error->column = src.Column(start);
        error->reason = "'${' without its closing '}' (nginx: the closing bracket is missing)";
        return false;
      }
      name = s.substr(i + 2, close - (i + 2));
      i = close;
    } else {
      size_t j = i + 1;
      while (j < s.size() && NginxNameChar(s[j])) ++j;
      name = s.substr(i + 1, j - (i + 1));
      i = j - 1;
    }
    if (name.empty() || !std::all_of(name.begin(), name.end(), NginxNameChar)) {
      error->column = src.Column(start);
      error->reason = "invalid variable name after '$' (nginx variables are letters, digits "
                      "and '_', as in $remote_addr or ${remote_addr}); a literal '$' cannot be "
                      "written in a log_format";
      return false;
    }
    if (!literal.empty()) items->push_back(Item{true, literal, {}, literal_column});
    literal.clear();
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    items->push_back(Item{false, {}, NginxAtom(lower), src.Column(start)});
  }
  if (!literal.empty()) items->push_back(Item{true, literal, {}, literal_column});
  return true;
}

// ---------------------------------------------------------------------------
// Apache: mod_log_config's LogFormat directives.

bool ApacheAtom(char directive, const std::string& arg, char status_modifier, Atom* out,
                std::string* reason) {
  using T = FieldSpec::Type;
  const std::string key = std::string("%") + status_modifier + directive + "{" + arg + "}";
  const std::string lower_arg = NameFrom(arg);
  switch (directive) {
    case 'a':
      *out = arg == "c" ? TokenAtom(key, "peer_ip") : TokenAtom(key, "client_ip");
      return true;
    case 'A': *out = TokenAtom(key, "server_ip"); return true;
    case 'B':
      *out = TypedAtom(key, std::string(fields::kSize), Shape::kInt, T::kInt, "bytes_body");
      return true;
    case 'b':
      *out = TypedAtom(key, std::string(fields::kSize), Shape::kIntOrDash, T::kInt, "size_clf");
      out->dash = FieldSpec::Dash::kZero;  // as the seed converts a combined line's size
      return true;
    case 'C':
      if (arg.empty()) break;
      *out = TextAtom(key, "cookie_" + lower_arg);
      return true;
    case 'D':
      *out = TypedAtom(key, std::string(fields::kRequestTimeUs), Shape::kInt, T::kInt);
      return true;
    case 'e':
      if (arg.empty()) break;
      *out = TextAtom(key, "env_" + lower_arg);
      return true;
    case 'f': *out = TextAtom(key, "filename"); return true;
    case 'h': *out = HostAtom(key); return true;
    case 'H': *out = TokenAtom(key, std::string(fields::kProtocol)); return true;
    case 'i':
      if (arg.empty()) break;
      *out = RequestHeaderAtom(arg);
      return true;
    case 'k': *out = TypedAtom(key, "keepalive_requests", Shape::kInt, T::kInt); return true;
    case 'l': *out = Unmatched(key, Shape::kToken); return true;
    case 'L': *out = TokenAtom(key, "log_id"); return true;
    case 'm': *out = TokenAtom(key, std::string(fields::kMethod)); return true;
    case 'n':
      if (arg.empty()) break;
      *out = TextAtom(key, "note_" + lower_arg);
      return true;
    case 'o':
      if (arg.empty()) break;
      *out = ResponseHeaderAtom(arg);
      return true;
    case 'p':
      if (arg.empty() || arg == "canonical") {
        *out = TypedAtom(key, "server_port", Shape::kInt, T::kInt);
      } else if (arg == "local" || arg == "remote") {
        *out = TypedAtom(key, arg + "_port", Shape::kInt, T::kInt);
      } else {
        *reason = "%{" + arg + "}p: the port is canonical, local or remote";
        return false;
      }
      return true;
    case 'P':
      if (arg.empty() || arg == "pid") {
        *out = TypedAtom(key, "pid", Shape::kInt, T::kInt);
      } else if (arg == "tid") {
        *out = TypedAtom(key, "tid", Shape::kInt, T::kInt);
      } else if (arg == "hextid") {
        *out = TokenAtom(key, "tid");
      } else {
        *reason = "%{" + arg + "}P: the process id is pid, tid or hextid";
        return false;
      }
      return true;
    case 'q': {
      // "?query", or nothing at all when the request has none.
      *out = TextAtom(key, std::string(fields::kQuery));
      out->before = "(?:\\?";
      out->after = ")?";
      return true;
    }
    case 'r': *out = TextAtom(key, std::string(fields::kRequest), FieldSpec::Dash::kKeep); return true;
    case 'R': *out = TokenAtom(key, "handler"); return true;
    case 's':
      *out = TypedAtom(key, std::string(fields::kStatus), Shape::kIntOrDash, T::kInt,
                       status_modifier == '<' ? "original_status" : "final_status");
      return true;
    case 't': {
      if (arg.empty()) {
        *out = TimeAtom(key, TimeSyntax::kClf, Shape::kBracketed);
        return true;
      }
      std::string unit = arg;
      if (unit.rfind("begin:", 0) == 0) unit = unit.substr(6);
      if (unit.rfind("end:", 0) == 0) unit = unit.substr(4);
      if (unit == "sec" || unit == "msec" || unit == "usec" || unit == "msec_frac" ||
          unit == "usec_frac") {
        *out = TypedAtom(key, "time_" + unit, Shape::kInt, T::kInt);
        return true;
      }
      *reason = "%{" + arg + "}t: strftime formats are not supported; use %t, %{sec}t, "
                "%{msec}t or %{usec}t";
      return false;
    }
    case 'T':
      if (arg.empty() || arg == "s") {
        *out = TypedAtom(key, std::string(fields::kRequestTime), Shape::kInt, T::kInt,
                         "request_time_s");
      } else if (arg == "ms") {
        *out = TypedAtom(key, std::string(fields::kRequestTimeMs), Shape::kInt, T::kInt);
      } else if (arg == "us") {
        *out = TypedAtom(key, std::string(fields::kRequestTimeUs), Shape::kInt, T::kInt);
      } else {
        *reason = "%{" + arg + "}T: the unit is s, ms or us";
        return false;
      }
      return true;
    case 'u': *out = TextAtom(key, std::string(fields::kUser)); return true;
    case 'U': *out = TextAtom(key, std::string(fields::kPath)); return true;
    case 'v': *out = TokenAtom(key, "server_name"); return true;
    case 'V': *out = TokenAtom(key, "server_name", "virtual_host"); return true;
    case 'X': *out = TokenAtom(key, "connection_status"); return true;
    case 'I': *out = TypedAtom(key, "bytes_received", Shape::kInt, T::kInt); return true;
    case 'O': *out = TypedAtom(key, "bytes_sent", Shape::kInt, T::kInt); return true;
    case 'S': *out = TypedAtom(key, "bytes_transferred", Shape::kInt, T::kInt); return true;
    default:
      *reason = std::string("unknown directive '%") + directive +
                "' (Apache LogFormat directives: a A B b C D e f h H i k l L m n o p P q r R "
                "s t T u U v V X I O S)";
      return false;
  }
  *reason = std::string("'%") + directive + "' needs a name in braces, e.g. %{User-Agent}i";
  return false;
}

bool CompileApache(const Source& src, std::vector<Item>* items, LogFormatError* error) {
  const std::string& s = src.text;
  std::string literal;
  size_t literal_column = 0;
  auto fail = [&](size_t at, std::string reason) {
    error->column = src.Column(at);
    error->reason = std::move(reason);
    return false;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == 'n' || s[i + 1] == 't')) {
      if (literal.empty()) literal_column = src.Column(i);
      literal.push_back(s[i + 1] == 'n' ? '\n' : '\t');
      ++i;
      continue;
    }
    if (s[i] != '%') {
      if (literal.empty()) literal_column = src.Column(i);
      literal.push_back(s[i]);
      continue;
    }
    const size_t start = i;
    if (i + 1 < s.size() && s[i + 1] == '%') {
      if (literal.empty()) literal_column = src.Column(i);
      literal.push_back('%');
      ++i;
      continue;
    }
    size_t j = i + 1;
    // Status conditions ("%400,501{User-agent}i", "%!200h"): the server
    // then prints "-" where the condition fails, which every field accepts.
    if (j < s.size() && s[j] == '!') ++j;
    while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) != 0 || s[j] == ',')) {
      ++j;
    }
    const bool conditional = j != i + 1;
    char modifier = 0;
    while (j < s.size() && (s[j] == '<' || s[j] == '>')) modifier = s[j++];
    std::string arg;
    if (j < s.size() && s[j] == '{') {
      const size_t close = s.find('}', j + 1);
      if (close == std::string::npos) return fail(start, "'%{' without its closing '}'");
      arg = s.substr(j + 1, close - (j + 1));
      j = close + 1;
    }
    if (j >= s.size()) return fail(start, "a directive is missing after '%'; write %% for a "
                                          "literal percent sign");
    if (s[j] == '^') return fail(j, "trailer directives (%^ti, %^to) are not supported");
    Atom atom;
    std::string reason;
    if (!ApacheAtom(s[j], arg, modifier == 0 ? '>' : modifier, &atom, &reason)) {
      return fail(start, reason);
    }
    if (conditional) {
      if (atom.dash == FieldSpec::Dash::kKeep) atom.dash = FieldSpec::Dash::kNull;
      if (atom.shape == Shape::kInt) atom.shape = Shape::kIntOrDash;
      if (atom.shape == Shape::kDecimal) atom.shape = Shape::kDecimalOrDash;
    }
    if (!literal.empty()) items->push_back(Item{true, literal, {}, literal_column});
    literal.clear();
    items->push_back(Item{false, {}, atom, src.Column(start)});
    i = j;
  }
  if (!literal.empty()) items->push_back(Item{true, literal, {}, literal_column});
  return true;
}

// ---------------------------------------------------------------------------

std::string ValueRegex(Shape shape, bool quoted) {
  switch (shape) {
    case Shape::kText:
      // In quotes every server writes a quote as \" (nginx as \x22), and
      // gunicorn leaves a backslash as it is: the closing quote is the first
      // '"' after which the rest of the line matches.
      return quoted ? R"((?:[^"]|\\")*)" : ".*?";
    case Shape::kToken: return R"([^\s"]*)";
    case Shape::kInt: return "-?[0-9]+";
    case Shape::kIntOrDash: return "-|-?[0-9]+";
    case Shape::kDecimal: return R"([0-9]+(?:\.[0-9]+)?)";
    case Shape::kDecimalOrDash: return R"(-|[0-9]+(?:\.[0-9]+)?)";
    case Shape::kNumberList: return R"(-|[0-9.]+(?:(?:, | : )[0-9.]+)*)";
    case Shape::kIntOrNone: return "[0-9]+|None|-";
    case Shape::kClfTime:
      return "[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}";
    case Shape::kIsoTime:
      return "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:[0-9]{2})";
    case Shape::kBracketed: return R"([^\]]*)";
    case Shape::kDash: return "-";
  }
  return ".*?";
}

FieldSpec::Escapes EscapesOf(LogFormatKind kind) {
  switch (kind) {
    case LogFormatKind::kGunicorn: return FieldSpec::Escapes::kNone;  // Post::kGunicornQuotes
    case LogFormatKind::kNginx: return FieldSpec::Escapes::kNginx;
    case LogFormatKind::kApache: return FieldSpec::Escapes::kApache;
  }
  return FieldSpec::Escapes::kNone;
}

}  // namespace

std::string_view LogFormatKindName(LogFormatKind kind) {
  switch (kind) {
    case LogFormatKind::kGunicorn: return "gunicorn";
    case LogFormatKind::kNginx: return "nginx";
    case LogFormatKind::kApache: return "apache";
  }
  return "";
}

std::string_view AccessLogger(LogFormatKind kind) {
  switch (kind) {
    case LogFormatKind::kGunicorn: return fields::kGunicornAccess;
    case LogFormatKind::kNginx: return "nginx.access";
    case LogFormatKind::kApache: return "apache.access";
  }
  return "";
}

CompiledFormat::~CompiledFormat() = default;

std::unique_ptr<CompiledFormat> CompiledFormat::Compile(LogFormatKind kind,
                                                        std::string_view format,
                                                        LogFormatError* error) {
  const Source src = Unquote(format, kind == LogFormatKind::kApache);
  std::vector<Item> items;
  bool ok = false;
  switch (kind) {
    case LogFormatKind::kGunicorn: ok = CompileGunicorn(src, &items, error); break;
    case LogFormatKind::kNginx: ok = CompileNginx(src, &items, error); break;
    case LogFormatKind::kApache: ok = CompileApache(src, &items, error); break;
  }
  if (!ok) return nullptr;
  bool any_atom = false;
  for (const Item& item : items) any_atom |= !item.literal;
  if (!any_atom) {
    error->column = 1;
    error->reason = "the format has no " +
                    std::string(kind == LogFormatKind::kGunicorn ? "atom (such as %(h)s)"
                                : kind == LogFormatKind::kNginx  ? "variable (such as $remote_addr)"
                                                                 : "directive (such as %h)") +
                    ": there is nothing to parse";
    return nullptr;
  }

  auto result = std::unique_ptr<CompiledFormat>(new CompiledFormat());
  result->kind_ = kind;
  std::string full = "(?s)";
  std::vector<FieldSpec> specs;
  std::map<std::string, std::string> name_owner;  // field name -> atom key
  std::map<std::string, std::string> key_name;    // atom key -> its field name
  bool have_time = false;
  for (size_t i = 0; i < items.size(); ++i) {
    const Item& item = items[i];
    if (item.literal) {
      const std::string quoted = RE2::QuoteMeta(item.text);
      full += quoted;
      continue;
    }
    const Atom& atom = item.atom;
    const bool in_quotes = i > 0 && i + 1 < items.size() && items[i - 1].literal &&
                           items[i + 1].literal && !items[i - 1].text.empty() &&
                           items[i - 1].text.back() == '"' && items[i + 1].text.front() == '"';
    const std::string value = ValueRegex(atom.shape, in_quotes);
    // The same atom twice prints the same value: one field, the first.
    std::string name;
    if (!atom.name.empty() && key_name.find(atom.key) == key_name.end()) {
      name = atom.name;
      // An atom with a second name yields its first to one without
      // (%(T)s and %(L)s: L's seconds are "request_time", T's "request_time_s").
      bool yield = name_owner.count(name) != 0;
      for (const Item& other : items) {
        yield |= !other.literal && other.atom.name == name && other.atom.key != atom.key &&
                 other.atom.fallback.empty();
      }
      if (yield && !atom.fallback.empty()) name = atom.fallback;
      for (int n = 2; name_owner.count(name) != 0; ++n) {
        name = atom.name + "_" + std::to_string(n);
      }
      name_owner[name] = atom.key;
      key_name[atom.key] = name;
    }
    if (name.empty()) {
      full += atom.before + "(?:" + value + ")" + atom.after;
      continue;
    }
    full += atom.before + "(?P<" + name + ">" + value + ")" + atom.after;
    FieldSpec spec;
    spec.name = name;
    spec.type = atom.type;
    spec.dash = atom.dash;
    spec.empty_is_null = atom.empty_is_null;
    if (atom.type == FieldSpec::Type::kString) spec.escapes = EscapesOf(kind);
    specs.push_back(spec);
    Post post = atom.post;
    if (post == Post::kNone && kind == LogFormatKind::kGunicorn &&
        atom.type == FieldSpec::Type::kString) {
      post = Post::kGunicornQuotes;
    }
    result->post_.push_back(post);
    if (atom.time != TimeSyntax::kNone && !have_time) {
      have_time = true;
      result->time_syntax_ = atom.time;
      result->time_field_ = static_cast<int>(specs.size()) - 1;
    }
  }

  result->pattern_ = std::make_unique<Pattern>(std::string(LogFormatKindName(kind)) + " format",
                                               full, specs);
  if (!result->pattern_->ok()) {
    error->column = 1;
    error->reason = "the format compiles to a pattern RE2 refuses (" +
                    result->pattern_->error() + ")";
    return nullptr;
  }
  return result;
}

namespace {

// Matches line as a whole; groups[i] is field i's text (null data: absent).
bool MatchGroups(const Pattern& pattern, std::string_view line, std::string_view* groups) {
  const size_t fields = pattern.fields().size();
  const int n = static_cast<int>(fields) + 1;
  re2::StringPiece fixed[32];
  std::vector<re2::StringPiece> many;
  re2::StringPiece* pieces = fixed;
  if (n > 32) {
    many.resize(static_cast<size_t>(n));
    pieces = many.data();
  }
  const re2::StringPiece text(line.data(), line.size());
  if (!pattern.re2().Match(text, 0, line.size(), RE2::ANCHOR_BOTH, pieces, n)) return false;
  for (size_t i = 0; i < fields; ++i) {
    groups[i] = std::string_view(pieces[i + 1].data(), pieces[i + 1].size());
  }
  return true;
}

}  // namespace

bool CompiledFormat::Recognize(std::string_view line, Arena& arena,
                               const std::string_view** groups,
                               std::string_view* time_text) const {
  std::string_view* storage =
      arena.AllocateArray<std::string_view>(std::max<size_t>(pattern_->fields().size(), 1));
  if (!MatchGroups(*pattern_, line, storage)) return false;
  *groups = storage;
  *time_text = time_field_ >= 0 ? storage[time_field_] : std::string_view();
  return true;
}

bool CompiledFormat::Parse(std::string_view line, Arena& arena, bool decode,
                           std::vector<MatchedField>* out) const {
  out->clear();
  std::string_view fixed[32];
  std::vector<std::string_view> many;
  std::string_view* groups = fixed;
  if (pattern_->fields().size() > 32) {
    many.resize(pattern_->fields().size());
    groups = many.data();
  }
  if (!MatchGroups(*pattern_, line, groups)) return false;
  return Convert(groups, arena, decode, out);
}

bool CompiledFormat::Convert(const std::string_view* groups, Arena& arena, bool decode,
                             std::vector<MatchedField>* out) const {
  out->clear();
  const std::vector<FieldSpec>& specs = pattern_->fields();
  for (size_t i = 0; i < specs.size(); ++i) {
    if (groups[i].data() == nullptr) continue;  // an optional part (Apache's %q) that is absent
    const std::string_view value_text = groups[i];
    const FieldSpec& spec = specs[i];
    Value value;
    switch (post_[i]) {
      case Post::kIntOrNone:
        if (value_text == "None" || value_text == "-") {
          value = Value::Null();
        } else {
          FieldSpec as_int = spec;
          as_int.type = FieldSpec::Type::kInt;
          if (!ConvertField(as_int, value_text, arena, decode, &value)) return false;
        }
        break;
      case Post::kNumberOrText: {
        if (!ConvertField(spec, value_text, arena, decode, &value)) return false;
        double d = 0;
        const char* end = value_text.data() + value_text.size();
        auto [ptr, ec] = std::from_chars(value_text.data(), end, d);
        if (value.is_string() && !value_text.empty() && ec == std::errc() && ptr == end) {
          value = Value::Double(d);
        }
        break;
      }
      case Post::kGunicornQuotes:
        if (!ConvertField(spec, value_text, arena, decode, &value)) return false;
        if (decode && value.is_string() && value.text.find("\\\"") != std::string_view::npos) {
          std::string unescaped;
          const std::string_view t = value.text;
          for (size_t k = 0; k < t.size(); ++k) {
            if (t[k] == '\\' && k + 1 < t.size() && t[k + 1] == '"') continue;
            unescaped.push_back(t[k]);
          }
          value = Value::String(arena.Copy(unescaped));
        }
        break;
      case Post::kNone:
        if (!ConvertField(spec, value_text, arena, decode, &value)) return false;
        break;
    }
    out->push_back(MatchedField{spec.name, value});
  }
  return true;
}

}  // namespace logchain

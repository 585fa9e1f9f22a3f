#include "corpus.h"

#include <array>
#include <ctime>

namespace logchain::bench {
namespace {

constexpr int64_t kStart = 1764099600;  // 2025-11-25 19:40:00 UTC

template <size_t N>
std::string_view Pick(Rng& rng, const std::array<std::string_view, N>& items) {
  return items[rng.Below(N)];
}

void AppendNumber(std::string& out, uint64_t v) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  while (n > 0) out.push_back(buf[--n]);
}

void AppendTwo(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void AppendHex(std::string& out, uint32_t v, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out.push_back(kHex[(v >> (4 * i)) & 0xF]);
}

// Browser and bot agents as they appear in real access logs; the ones with
// \" carry quotes that gunicorn escaped.
constexpr std::array<std::string_view, 16> kAgents = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Version/17.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.6045.163 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/119.0.0.0 Safari/537.36 Edg/119.0.2151.72",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.0; "
    "+https://openai.com/gptbot)",
    "Prometheus/2.45.0",
    "kube-probe/1.28",
    "curl/7.88.1",
    "python-requests/2.28.1",
    "Mozilla/5.0 (compatible; \\\"SiteChecker\\\" 3.1; +https://example.net/bot)",
    "Go-http-client/1.1 \\\"health\\\"",
};

constexpr std::array<std::string_view, 12> kPaths = {
    "/",           "/metrics",          "/health/",        "/api/v1/orders",
    "/api/v1/users", "/static/css/app.css", "/static/js/app.js", "/login/",
    "/api/v1/search", "/admin/orders/order/", "/favicon.ico",   "/api/v1/orders/export",
};

constexpr std::array<std::string_view, 8> kReferers = {
    "https://shop.example.com/",
    "https://shop.example.com/cart/",
    "https://www.google.com/",
    "https://shop.example.com/api/v1/orders?page=2",
    "https://shop.example.com/admin/",
    "android-app://com.google.android.gm/",
    "https://shop.example.com/search?q=blue+shoes&sort=price",
    "https://t.co/x9AbCdEf",
};

constexpr std::array<std::string_view, 6> kUsers = {"alice", "bob", "svc-backup", "admin",
                                                    "carol", "dave"};

constexpr std::array<std::string_view, 8> kWords = {"blue", "shoes", "caf%C3%A9", "size",
                                                    "red",  "order", "gift",      "2026"};

constexpr std::array<std::string_view, 7> kMonths = {"Jan", "Feb", "Mar", "Apr",
                                                     "May", "Jun", "Jul"};
constexpr std::array<std::string_view, 12> kMonthNames = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

bool ParseCorpusKind(std::string_view name, CorpusKind* kind) {
  if (name == "access") {
    *kind = CorpusKind::kAccess;
  } else if (name == "mixed") {
    *kind = CorpusKind::kMixed;
  } else if (name == "json-full") {
    *kind = CorpusKind::kJsonFull;
  } else if (name == "json-partial") {
    *kind = CorpusKind::kJsonPartial;
  } else {
    return false;
  }
  return true;
}

CorpusWriter::CorpusWriter(CorpusKind kind, uint64_t seed)
    : kind_(kind), rng_(seed), now_(kStart) {}

void CorpusWriter::Tick() {
  if (++lines_this_second_ >= 20 + rng_.Below(40)) {
    ++now_;
    lines_this_second_ = 0;
  }
}

void CorpusWriter::AppendAccessTime(std::string& out) const {
  const auto t = static_cast<time_t>(now_);
  std::tm tm{};
  gmtime_r(&t, &tm);
  AppendTwo(out, tm.tm_mday);
  out.push_back('/');
  out.append(kMonthNames[static_cast<size_t>(tm.tm_mon)]);
  out.push_back('/');
  AppendNumber(out, static_cast<uint64_t>(tm.tm_year + 1900));
  out.push_back(':');
  AppendTwo(out, tm.tm_hour);
  out.push_back(':');
  AppendTwo(out, tm.tm_min);
  out.push_back(':');
  AppendTwo(out, tm.tm_sec);
  out.append(" +0000");
}

void CorpusWriter::AppendErrorTime(std::string& out) const {
  const auto t = static_cast<time_t>(now_);
  std::tm tm{};
  gmtime_r(&t, &tm);
  AppendNumber(out, static_cast<uint64_t>(tm.tm_year + 1900));
  out.push_back('-');
  AppendTwo(out, tm.tm_mon + 1);
  out.push_back('-');
  AppendTwo(out, tm.tm_mday);
  out.push_back(' ');
  AppendTwo(out, tm.tm_hour);
  out.push_back(':');
  AppendTwo(out, tm.tm_min);
  out.push_back(':');
  AppendTwo(out, tm.tm_sec);
  out.append(" +0000");
}

void CorpusWriter::AppendAccessLine(std::string& out) {
  Tick();
  Rng& r = rng_;
  // %(h)s: mostly IPv4 behind a load balancer, some IPv6.
  const uint32_t host = r.Below(100);
  if (host < 80) {
    AppendNumber(out, 10 + r.Below(200));
    for (int i = 0; i < 3; ++i) {
      out.push_back('.');
      AppendNumber(out, r.Below(256));
    }
  } else if (host < 95) {
    out.append("2001:db8:");
    AppendHex(out, r.Below(0x10000), 4);
    out.append("::");
    AppendHex(out, r.Below(0x10000), 1 + static_cast<int>(r.Below(4)));
  } else if (host < 98) {
    out.append("::1");
  } else {
    out.append("fe80::");
    AppendHex(out, r.Below(0x10000), 4);
    out.push_back(':');
    AppendHex(out, r.Below(0x10000), 4);
  }
  // %(l)s %(u)s
  out.append(" - ");
  out.append(r.Percent(92) ? std::string_view("-") : Pick(r, kUsers));
  // %(t)s
  out.append(" [");
  AppendAccessTime(out);
  out.append("] \"");
  // "%(r)s"
  const uint32_t method = r.Below(100);
  out.append(method < 78   ? "GET "
             : method < 92 ? "POST "
             : method < 95 ? "PUT "
             : method < 97 ? "DELETE "
             : method < 99 ? "HEAD "
                           : "OPTIONS ");
  out.append(Pick(r, kPaths));
  if (r.Percent(35)) {
    out.push_back('?');
    const uint32_t params = 1 + r.Below(4);
    for (uint32_t i = 0; i < params; ++i) {
      if (i > 0) out.push_back('&');
      out.append(i == 0 ? "q" : i == 1 ? "page" : i == 2 ? "sort" : "utm_source");
      out.push_back('=');
      out.append(Pick(r, kWords));
      if (r.Percent(2)) out.append("\\\"quoted\\\"");
    }
  }
  if (r.Below(1000) < 2) {
    // A very long query string (a tracking URL, a filter built by a UI).
    out.append(r.Percent(50) ? "?filter=" : "&filter=");
    const uint32_t n = 200 + r.Below(800);
    for (uint32_t i = 0; i < n; ++i) {
      out.append(Pick(r, kWords));
      out.push_back(i % 7 == 6 ? '&' : '+');
    }
    out.append("end=1");
  }
  out.append(r.Percent(70) ? " HTTP/1.1\" " : r.Percent(90) ? " HTTP/1.0\" " : " HTTP/2.0\" ");
  // %(s)s %(b)s
  const uint32_t s = r.Below(1000);
  const int status = s < 720   ? 200
                     : s < 760 ? 201
                     : s < 790 ? 204
                     : s < 820 ? 301
                     : s < 860 ? 302
                     : s < 920 ? 304
                     : s < 940 ? 400
                     : s < 950 ? 401
                     : s < 960 ? 403
                     : s < 985 ? 404
                     : s < 993 ? 500
                     : s < 997 ? 502
                               : 503;
  AppendNumber(out, static_cast<uint64_t>(status));
  out.push_back(' ');
  if (status == 204 || status == 304 || r.Percent(3)) {
    out.push_back('-');
  } else {
    const uint32_t magnitude = r.Below(100);
    AppendNumber(out, magnitude < 30   ? r.Below(1000)
                      : magnitude < 80 ? 1000 + r.Below(50000)
                      : magnitude < 97 ? 50000 + r.Below(1000000)
                                       : 1000000 + r.Below(200000000));
  }
  // "%(f)s" "%(a)s"
  out.append(" \"");
  if (!r.Percent(60)) out.append(Pick(r, kReferers));
  else out.push_back('-');
  out.append("\" \"");
  if (r.Below(1000) < 2) {
    // A very long agent: a browser with a pile of extension tokens.
    out.append(kAgents[0]);
    const uint32_t n = 100 + r.Below(400);
    for (uint32_t i = 0; i < n; ++i) {
      out.append(" ext");
      AppendNumber(out, i);
      out.push_back('/');
      AppendNumber(out, r.Below(100));
    }
  } else {
    out.append(Pick(r, kAgents));
  }
  out.append("\"\n");
}

void CorpusWriter::AppendErrorLine(std::string& out) {
  Tick();
  Rng& r = rng_;
  out.push_back('[');
  AppendErrorTime(out);
  out.append("] [");
  const uint32_t pid = 30000 + r.Below(200);
  const uint32_t kind = r.Below(10);
  AppendNumber(out, kind < 2 ? 1 : pid);
  out.append("] ");
  switch (kind) {
    case 0:
      out.append("[INFO] Starting gunicorn 20.1.0\n");
      break;
    case 1:
      out.append("[INFO] Listening at: http://0.0.0.0:8000 (1)\n");
      break;
    case 2:
    case 3:
    case 4:
      out.append("[INFO] Booting worker with pid: ");
      AppendNumber(out, pid);
      out.push_back('\n');
      break;
    case 5:
      out.append("[INFO] Worker exiting (pid: ");
      AppendNumber(out, pid);
      out.append(")\n");
      break;
    case 6:
    case 7:
      out.append("[WARNING] Worker graceful timeout (pid:");
      AppendNumber(out, pid);
      out.append(")\n");
      break;
    case 8:
      out.append("[CRITICAL] WORKER TIMEOUT (pid:");
      AppendNumber(out, pid);
      out.append(")\n");
      break;
    default:
      out.append("[DEBUG] Closing connection.\n");
  }
}

void CorpusWriter::AppendErrorWithTraceback(std::string& out) {
  Tick();
  Rng& r = rng_;
  out.push_back('[');
  AppendErrorTime(out);
  out.append("] [");
  AppendNumber(out, 30000 + r.Below(200));
  out.append("] [ERROR] Error handling request ");
  out.append(Pick(r, kPaths));
  out.append(
      "\nTraceback (most recent call last):\n"
      "  File \"/usr/lib/python3/dist-packages/gunicorn/workers/sync.py\", line 136, in handle\n"
      "    self.handle_request(listener, req, client, addr)\n"
      "  File \"/usr/lib/python3/dist-packages/gunicorn/workers/sync.py\", line 179, in "
      "handle_request\n"
      "    respiter = self.wsgi(environ, resp.start_response)\n"
      "  File \"/srv/app/shop/views.py\", line ");
  AppendNumber(out, 10 + r.Below(400));
  out.append(", in order_total\n    return total / count\n");
  if (r.Percent(30)) {
    out.append(
        "ZeroDivisionError: division by zero\n"
        "\n"
        "During handling of the above exception, another exception occurred:\n"
        "\n"
        "Traceback (most recent call last):\n"
        "  File \"/srv/app/shop/views.py\", line 88, in application\n"
        "    raise OrderError(f\"cannot total order {order_id}\") from None\n"
        "shop.errors.OrderError: cannot total order ");
    AppendNumber(out, r.Below(100000));
    out.push_back('\n');
  } else {
    out.append("ZeroDivisionError: division by zero\n");
  }
}

void CorpusWriter::AppendJsonLine(std::string& out, bool all_keys) {
  Tick();
  Rng& r = rng_;
  static constexpr std::array<std::string_view, 8> kEvents = {
      "order placed", "payment captured", "user logged in", "cache miss",
      "retrying request to \\\"inventory\\\"", "slow query", "email queued",
      "r\\u00e9sum\\u00e9 uploaded"};
  static constexpr std::array<std::string_view, 5> kLoggers = {
      "shop.orders", "shop.payments", "shop.auth", "shop.cache", "celery.worker"};
  static constexpr std::array<std::string_view, 4> kLevels = {"info", "info", "warning", "debug"};
  bool level = true, logger = true, timestamp = true;
  if (!all_keys) {
    const uint32_t missing = r.Below(4);
    level = missing != 0 && missing != 3;
    logger = missing != 1;
    timestamp = missing != 2 && missing != 3;
  }
  out.append("{\"event\": \"");
  out.append(Pick(r, kEvents));
  out.append("\", \"request_id\": \"");
  AppendHex(out, static_cast<uint32_t>(r.Next()), 8);
  out.push_back('-');
  AppendHex(out, static_cast<uint32_t>(r.Next()), 8);
  out.append("\", \"user_id\": ");
  AppendNumber(out, r.Below(1000000));
  if (r.Percent(40)) {
    out.append(", \"order\": {\"id\": ");
    AppendNumber(out, r.Below(10000000));
    out.append(", \"items\": [");
    AppendNumber(out, r.Below(1000));
    out.append(", ");
    AppendNumber(out, r.Below(1000));
    out.append("], \"total\": ");
    AppendNumber(out, r.Below(100000));
    out.append(".");
    AppendTwo(out, static_cast<int>(r.Below(100)));
    out.push_back('}');
  }
  out.append(", \"duration_ms\": ");
  AppendNumber(out, r.Below(2000));
  out.append(".");
  AppendNumber(out, r.Below(10));
  if (level) {
    out.append(", \"level\": \"");
    out.append(Pick(r, kLevels));
    out.push_back('"');
  }
  if (logger) {
    out.append(", \"logger\": \"");
    out.append(Pick(r, kLoggers));
    out.push_back('"');
  }
  if (timestamp) {
    out.append(", \"timestamp\": \"");
    std::string t;
    AppendErrorTime(t);
    out.append(t.substr(0, 19));
    out.push_back('"');
  }
  out.append("}\n");
}

void CorpusWriter::AppendRecord(std::string& out) {
  switch (kind_) {
    case CorpusKind::kAccess:
      AppendAccessLine(out);
      return;
    case CorpusKind::kJsonFull:
      AppendJsonLine(out, true);
      return;
    case CorpusKind::kJsonPartial:
      AppendJsonLine(out, false);
      return;
    case CorpusKind::kMixed:
      break;
  }
  // Per mille of records; with about 9 lines per traceback this makes about
  // 95% of lines access lines.
  const uint32_t k = rng_.Below(1000);
  if (k < 980) {
    AppendAccessLine(out);
  } else if (k < 990) {
    AppendErrorLine(out);
  } else if (k < 994) {
    AppendErrorWithTraceback(out);
  } else {
    Tick();
    out.append("processing order ");
    AppendNumber(out, rng_.Below(100000));
    out.append(" for customer ");
    AppendNumber(out, rng_.Below(10000));
    out.append(" (batch ");
    out.append(kMonths[rng_.Below(kMonths.size())]);
    out.append(")\n");
  }
}

void CorpusWriter::AppendBytes(std::string& out, size_t bytes) {
  while (out.size() < bytes) AppendRecord(out);
}

std::string MakeCorpus(CorpusKind kind, size_t bytes, uint64_t seed) {
  std::string out;
  out.reserve(bytes + 16384);
  CorpusWriter writer(kind, seed);
  writer.AppendBytes(out, bytes);
  return out;
}

}  // namespace logchain::bench

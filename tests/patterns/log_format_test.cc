#include "patterns/log_format.h"

#include <gtest/gtest.h>

#include <string>

namespace logchain {
namespace {

constexpr std::string_view kGunicornDefault =
    R"(%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s")";

// Field name -> value as JSON-ish text, in order, for compact expectations.
std::string Fields(const CompiledFormat& format, std::string_view line, bool decode = false) {
  Arena arena;
  std::vector<MatchedField> out;
  if (!format.Parse(line, arena, decode, &out)) return "no match";
  std::string text;
  for (const MatchedField& f : out) {
    text.append(text.empty() ? "" : " ").append(f.name).append("=");
    switch (f.value.kind) {
      case ValueKind::kNull: text.append("null"); break;
      case ValueKind::kInt: text.append(std::to_string(f.value.int_value)); break;
      case ValueKind::kDouble: text.append(std::to_string(f.value.double_value)); break;
      case ValueKind::kNumber: text.append("#").append(f.value.text); break;
      default: text.append("'").append(f.value.text).append("'"); break;
    }
  }
  return text;
}

std::unique_ptr<CompiledFormat> MustCompile(LogFormatKind kind, std::string_view format) {
  LogFormatError error;
  auto compiled = CompiledFormat::Compile(kind, format, &error);
  EXPECT_NE(nullptr, compiled) << format << ": column " << error.column << ": " << error.reason;
  return compiled;
}

TEST(LogFormatTest, GunicornDefaultGivesParseCombinedFields) {
  auto f = MustCompile(LogFormatKind::kGunicorn, kGunicornDefault);
  ASSERT_NE(nullptr, f);
  EXPECT_EQ(
      "host='10.96.78.6' user=null time='15/Aug/2019:14:19:23 +0000' "
      "request='GET /metrics HTTP/1.1' status=200 size=14134 referer=null "
      "agent='Prometheus/2.11.0'",
      Fields(*f, R"(10.96.78.6 - - [15/Aug/2019:14:19:23 +0000] "GET /metrics HTTP/1.1" 200 14134 "-" "Prometheus/2.11.0")"));
  // An empty host (UNIX socket) is null, a "-" size 0, a "-" agent stays.
  EXPECT_EQ(
      "host=null user='bob' time='15/Aug/2019:14:19:23 +0000' request='GET / HTTP/1.0' "
      "status=304 size=0 referer='https://example.com/' agent='-'",
      Fields(*f, R"( - bob [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.0" 304 - "https://example.com/" "-")"));
}

TEST(LogFormatTest, GunicornQuotesStayEscapedUnlessDecoded) {
  auto f = MustCompile(LogFormatKind::kGunicorn, R"(%(h)s "%(r)s" "%(a)s")");
  ASSERT_NE(nullptr, f);
  // gunicorn writes " as \" and leaves a backslash alone, so an agent ending
  // in a backslash ends in \" before the closing quote.
  const std::string_view line = R"(::1 "GET /?q=\"x\" HTTP/1.1" "a \"b\" c\")";
  EXPECT_EQ(R"(host='::1' request='GET /?q=\"x\" HTTP/1.1' agent='a \"b\" c\')", Fields(*f, line));
  EXPECT_EQ(R"(host='::1' request='GET /?q="x" HTTP/1.1' agent='a "b" c\')",
            Fields(*f, line, /*decode=*/true));
}

TEST(LogFormatTest, GunicornTypedAtomsAndHeaders) {
  auto f = MustCompile(LogFormatKind::kGunicorn,
                       "%(T)s %(D)s %(M)s %(L)s %(p)s %(B)s %(m)s %(U)s %(q)s %(H)s "
                       "\"%({X-Forwarded-For}i)s\" %({content-type}o)s %({wsgi.url_scheme}e)s");
  ASSERT_NE(nullptr, f);
  EXPECT_EQ(
      "request_time_s=1 request_time_us=1503020 request_time_ms=1503 "
      "request_time=1.503020 pid=77 size=null method='GET' path='/a' query='b=1' "
      "protocol='HTTP/1.1' http_x_forwarded_for='10.0.0.1, 10.0.0.2' "
      "sent_http_content_type='text/html' env_wsgi_url_scheme='https'",
      Fields(*f,
             "1 1503020 1503 1.503020 <77> None GET /a b=1 HTTP/1.1 "
             "\"10.0.0.1, 10.0.0.2\" text/html https"));
}

TEST(LogFormatTest, RepeatedAtomIsOneFieldAndDurationsKeepDistinctNames) {
  auto f = MustCompile(LogFormatKind::kGunicorn, "%(s)s %(s)s %(L)s %(T)s");
  ASSERT_NE(nullptr, f);
  EXPECT_EQ("status=200 request_time=0.500000 request_time_s=0", Fields(*f, "200 200 0.500000 0"));
}

TEST(LogFormatTest, PastedWithConfigQuotes) {
  auto f = MustCompile(LogFormatKind::kGunicorn, R"('%(h)s "%(r)s"')");
  ASSERT_NE(nullptr, f);
  EXPECT_EQ("host='1.2.3.4' request='GET / HTTP/1.1'", Fields(*f, R"(1.2.3.4 "GET / HTTP/1.1")"));
  auto a = MustCompile(LogFormatKind::kApache, R"(%h \"%r\" %>s)");
  ASSERT_NE(nullptr, a);
  EXPECT_EQ("host='1.2.3.4' request='GET / HTTP/1.1' status=404",
            Fields(*a, R"(1.2.3.4 "GET / HTTP/1.1" 404)"));
}

TEST(LogFormatTest, NginxCombinedAndEscapes) {
  auto f = MustCompile(
      LogFormatKind::kNginx,
      R"($remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_time $upstream_response_time "$http_x_forwarded_for")");
  ASSERT_NE(nullptr, f);
  const std::string_view line =
      R"(2001:db8::1 - - [15/Aug/2019:14:19:23 +0000] "GET /caf\xC3\xA9?q=\x22 HTTP/1.1" 502 157 "-" "curl/7.88.1" 0.031 0.010, 0.020 "-")";
  EXPECT_EQ(
      R"(host='2001:db8::1' user=null time='15/Aug/2019:14:19:23 +0000' request='GET /caf\xC3\xA9?q=\x22 HTTP/1.1' status=502 size=157 referer=null agent='curl/7.88.1' request_time=0.031000 upstream_response_time='0.010, 0.020' http_x_forwarded_for=null)",
      Fields(*f, line));
  EXPECT_NE(std::string::npos, Fields(*f, line, true).find("request='GET /café?q=\" HTTP/1.1'"));
  std::string_view time;
  const std::string_view* groups = nullptr;
  Arena arena;
  EXPECT_TRUE(f->Recognize(line, arena, &groups, &time));
  EXPECT_EQ("15/Aug/2019:14:19:23 +0000", time);
  EXPECT_EQ("2001:db8::1", groups[0]);
  std::vector<MatchedField> converted;
  EXPECT_TRUE(f->Convert(groups, arena, false, &converted));
  EXPECT_EQ(11u, converted.size());
  EXPECT_EQ(CompiledFormat::TimeSyntax::kClf, f->time_syntax());
  EXPECT_FALSE(f->Recognize("hello world", arena, &groups, &time));
}

TEST(LogFormatTest, ApacheDirectives) {
  auto f = MustCompile(
      LogFormatKind::kApache,
      R"(%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D %{ms}T %P %U%q %{X-Request-Id}i)");
  ASSERT_NE(nullptr, f);
  EXPECT_EQ(
      R"(host='192.0.2.9' user='alice' time='15/Aug/2019:14:19:23 +0000' request='GET /a?b=1 HTTP/1.1' status=200 size=0 referer=null agent='Mozilla/5.0 \"x\"' request_time_us=2500 request_time_ms=2 pid=99 path='/a' query='b=1' http_x_request_id=null)",
      Fields(*f,
             R"(192.0.2.9 - alice [15/Aug/2019:14:19:23 +0000] "GET /a?b=1 HTTP/1.1" 200 - "-" "Mozilla/5.0 \"x\"" 2500 2 99 /a?b=1 -)"));
  // %q prints nothing for a request without a query: the field is absent.
  EXPECT_EQ(std::string::npos,
            Fields(*f,
                   R"(192.0.2.9 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 200 5 "-" "-" 1 0 99 / -)")
                .find("query="));
}

struct Refused {
  LogFormatKind kind;
  std::string_view format;
  size_t column;
  std::string_view reason_part;
};

TEST(LogFormatTest, RefusedWithColumnAndReason) {
  const Refused cases[] = {
      {LogFormatKind::kGunicorn, "%(h)s %(x)s", 9, "unknown atom 'x'"},
      {LogFormatKind::kGunicorn, "%(h)s %(hh)s", 9, "did you mean 'h'"},
      {LogFormatKind::kGunicorn, "%(h)s %", 7, "lone '%'"},
      {LogFormatKind::kGunicorn, "%s %(h)s", 1, "named atoms only"},
      {LogFormatKind::kGunicorn, "%(h)-15s", 5, "widths"},
      {LogFormatKind::kGunicorn, "%(s)d", 5, "as text"},
      {LogFormatKind::kGunicorn, "%(h", 1, "closing ')'"},
      {LogFormatKind::kGunicorn, "%(h)", 1, "no conversion"},
      {LogFormatKind::kGunicorn, "%({x}q)s", 3, "{name}i"},
      {LogFormatKind::kGunicorn, "'%(h)s %(x)s'", 10, "unknown atom"},
      {LogFormatKind::kGunicorn, "plain text", 1, "no atom"},
      {LogFormatKind::kNginx, "$remote_addr $ x", 14, "invalid variable name"},
      {LogFormatKind::kNginx, "${remote_addr", 1, "closing"},
      {LogFormatKind::kApache, "%h %Z", 4, "unknown directive '%Z'"},
      {LogFormatKind::kApache, "%h %{%Y-%m-%d}t", 4, "strftime"},
      {LogFormatKind::kApache, "%h %{x}p", 4, "canonical, local or remote"},
      {LogFormatKind::kApache, "%i", 1, "needs a name"},
      {LogFormatKind::kApache, "%h %", 4, "missing"},
  };
  for (const Refused& c : cases) {
    LogFormatError error;
    EXPECT_EQ(nullptr, CompiledFormat::Compile(c.kind, c.format, &error)) << c.format;
    EXPECT_EQ(c.column, error.column) << c.format << ": " << error.reason;
    EXPECT_NE(std::string::npos, error.reason.find(c.reason_part)) << c.format << ": "
                                                                     << error.reason;
  }
}

TEST(LogFormatTest, IsoTimeIsRecognised) {
  auto f = MustCompile(LogFormatKind::kNginx, "$time_iso8601 $status");
  ASSERT_NE(nullptr, f);
  std::string_view time;
  const std::string_view* groups = nullptr;
  Arena arena;
  EXPECT_TRUE(f->Recognize("2019-08-15T14:19:23+02:00 200", arena, &groups, &time));
  EXPECT_EQ("2019-08-15T14:19:23+02:00", time);
  EXPECT_EQ(CompiledFormat::TimeSyntax::kIso8601, f->time_syntax());
}

}  // namespace
}  // namespace logchain

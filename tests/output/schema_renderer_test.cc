#include "output/schema_renderer.h"

#include <gtest/gtest.h>

#include "test_util.h"

namespace logchain {
namespace {

constexpr std::string_view kAccess =
    R"(2001:db8::7 - alice [15/Aug/2019:16:19:23 +0200] "GET /api/items?id=3&token=x HTTP/1.1" 404 12 "https://example.com/" "curl/7.88.1")";
constexpr std::string_view kError =
    "[2019-08-15 14:19:14 +0000] [30099] [WARNING] Worker timeout (pid:30100)";

std::string RunSchema(Schema schema, std::string_view chain, std::string_view settings,
                std::string_view input, JsonStyle style = JsonStyle::kSeed) {
  PipelineConfig config = chain.empty() ? PipelineConfig{} : testing::ConfigFor(chain, settings);
  if (chain.empty()) config.chain = DefaultChainConfig();
  config.schema = schema;
  config.style = style;
  testing::RunResult r = testing::RunText(config, std::string(input) + "\n");
  EXPECT_TRUE(r.ok) << r.problems;
  return r.output;
}

TEST(SchemaRendererTest, ParseSchemaNames) {
  Schema s = Schema::kOtel;
  EXPECT_TRUE(ParseSchema("seed", &s));
  EXPECT_EQ(Schema::kSeed, s);
  EXPECT_TRUE(ParseSchema("ecs", &s));
  EXPECT_EQ(Schema::kEcs, s);
  EXPECT_TRUE(ParseSchema("otel", &s));
  EXPECT_EQ(Schema::kOtel, s);
  EXPECT_FALSE(ParseSchema("ECS", &s));
  EXPECT_FALSE(ParseSchema("", &s));
}

TEST(SchemaRendererTest, EcsAccessLineIsNested) {
  EXPECT_EQ(
      R"({"@timestamp": "2019-08-15T14:19:23Z", "log": {"level": "info", "logger": "gunicorn.access"}, )"
      R"("message": "2001:db8::7 - alice [15/Aug/2019:16:19:23 +0200] \"GET /api/items?id=3&token=x HTTP/1.1\" 404 12 \"https://example.com/\" \"curl/7.88.1\"", )"
      R"("source": {"address": "2001:db8::7"}, "user": {"name": "alice"}, )"
      R"("labels": {"time": "15/Aug/2019:16:19:23 +0200"}, )"
      R"("http": {"request": {"method": "GET", "referrer": "https://example.com/"}, "version": "1.1", "response": {"status_code": 404, "body": {"bytes": 12}}}, )"
      R"("url": {"original": "/api/items?id=3&token=x"}, "user_agent": {"original": "curl/7.88.1"}, )"
      R"("ecs": {"version": "8.11.0"}})"
      "\n",
      RunSchema(Schema::kEcs, "", "", kAccess));
}

TEST(SchemaRendererTest, OtelAccessLineHasFlatSemanticConventionAttributes) {
  EXPECT_EQ(
      R"({"Timestamp":"1565878763000000000","SeverityText":"info","SeverityNumber":9,)"
      R"("Body":"2001:db8::7 - alice [15/Aug/2019:16:19:23 +0200] \"GET /api/items?id=3&token=x HTTP/1.1\" 404 12 \"https://example.com/\" \"curl/7.88.1\"",)"
      R"("InstrumentationScope":{"Name":"gunicorn.access"},)"
      R"("Attributes":{"client.address":"2001:db8::7","user.name":"alice","time":"15/Aug/2019:16:19:23 +0200",)"
      R"("http.request.method":"GET","url.path":"/api/items","url.query":"id=3&token=x",)"
      R"("network.protocol.name":"http","network.protocol.version":"1.1","http.response.status_code":404,)"
      R"("http.response.body.size":12,"http.request.header.referer":["https://example.com/"],)"
      R"("user_agent.original":"curl/7.88.1"}})"
      "\n",
      RunSchema(Schema::kOtel, "", "", kAccess, JsonStyle::kCompact));
}

TEST(SchemaRendererTest, SeverityNumbersFollowTheDataModelRanges) {
  const std::string out = RunSchema(Schema::kOtel, "", "", kError);
  EXPECT_NE(std::string::npos, out.find(R"("SeverityText": "warning", "SeverityNumber": 13)"))
      << out;
  EXPECT_NE(std::string::npos, out.find(R"("Timestamp": "1565878754000000000")")) << out;
  EXPECT_EQ(std::string::npos, out.find("Attributes")) << out;  // nothing left over
}

TEST(SchemaRendererTest, DashFieldsAreLeftOutNotWrittenAsNull) {
  const std::string out = RunSchema(
      Schema::kEcs, "", "",
      R"(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" 304 - "-" "-")");
  EXPECT_EQ(std::string::npos, out.find("null")) << out;
  EXPECT_EQ(std::string::npos, out.find("user\"")) << out;
  EXPECT_EQ(std::string::npos, out.find("referrer")) << out;
  EXPECT_NE(std::string::npos, out.find(R"("user_agent": {"original": "-"})")) << out;
}

TEST(SchemaRendererTest, ParseRequestFieldsAndDurationsMap) {
  const std::string out =
      RunSchema(Schema::kEcs, "add_fields,parse_combined,parse_request",
          "add_fields.fields=request_time_us=1500",
          R"(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "POST /a?b=1 HTTP/2.0" 201 3 "-" "x")");
  EXPECT_NE(std::string::npos, out.find(R"("url": {"original": "/a?b=1", "path": "/a", "query": "b=1"})"))
      << out;
  EXPECT_NE(std::string::npos, out.find(R"("version": "2.0")")) << out;
}

TEST(SchemaRendererTest, JsonLineMembersAreMappedAndUnknownOnesKept) {
  const std::string line =
      R"({"event": "user logged in", "level": "error", "logger": "app.auth", "timestamp": "2019-08-15T14:19:23.250000Z", "user_id": 12345678901234567890, "ctx": {"a": [1, 2.50]}, "host": "198.51.100.23"})";
  EXPECT_EQ(
      R"({"@timestamp": "2019-08-15T14:19:23.250000Z", "log": {"level": "error", "logger": "app.auth"}, )"
      R"("message": "user logged in", "labels": {"user_id": 12345678901234567890, "ctx": {"a": [1, 2.50]}}, )"
      R"("source": {"address": "198.51.100.23"}, "ecs": {"version": "8.11.0"}})"
      "\n",
      RunSchema(Schema::kEcs, "", "", line));
  EXPECT_EQ(
      R"({"Timestamp": "1565878763250000000", "SeverityText": "error", "SeverityNumber": 17, )"
      R"("Body": "user logged in", "InstrumentationScope": {"Name": "app.auth"}, )"
      R"("Attributes": {"user_id": 12345678901234567890, "ctx": {"a": [1, 2.50]}, "client.address": "198.51.100.23"}})"
      "\n",
      RunSchema(Schema::kOtel, "", "", line));
}

TEST(SchemaRendererTest, RedactedJsonMembersStayRedactedUnderASchema) {
  const std::string out = RunSchema(Schema::kEcs, "redact_fields", "",
                              R"({"event": "x", "host": "198.51.100.23"})");
  EXPECT_NE(std::string::npos, out.find(R"("source": {"address": "198.51.100.0"})")) << out;
}

TEST(SchemaRendererTest, NotesGoWithTheUnmappedFields) {
  const std::string out =
      RunSchema(Schema::kOtel, "add_logger_name,parse_combined", "",
                R"(10.0.0.1 - - [15/Aug/2019:14:19:23 +0000] "GET / HTTP/1.1" abc)");
  EXPECT_NE(std::string::npos, out.find(R"("Attributes": {"logchain_error": "parse_combined: )"))
      << out;
}

TEST(SchemaRendererTest, UnixAndLocalTimestampsAreConverted) {
  const std::string out = RunSchema(Schema::kEcs, "add_timestamp", "add_timestamp.fmt=none", "hello");
  EXPECT_NE(std::string::npos, out.find(R"("@timestamp": "2019-08-15T14:19:30Z")")) << out;
  const std::string custom =
      RunSchema(Schema::kEcs, "add_timestamp", "add_timestamp.fmt=%d/%m/%Y", "hello");
  EXPECT_NE(std::string::npos, custom.find(R"("labels": {"timestamp": "15/08/2019"})")) << custom;
}

}  // namespace
}  // namespace logchain

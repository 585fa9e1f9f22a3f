#include "input/gzip_input.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <string>

namespace logchain {
namespace {

// gzip-compresses text (one member), as gzip(1) would.
std::string Gzip(const std::string& text) {
  z_stream z{};
  EXPECT_EQ(Z_OK, deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY));
  std::string out(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(Z_STREAM_END, deflate(&z, Z_FINISH));
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

// A temporary file holding bytes, open for reading.
class TempFile {
 public:
  explicit TempFile(const std::string& bytes) {
    char path[] = "/tmp/logchain-gzip-test-XXXXXX";
    fd_ = mkstemp(path);
    unlink(path);
    EXPECT_EQ(static_cast<ssize_t>(bytes.size()), write(fd_, bytes.data(), bytes.size()));
    lseek(fd_, 0, SEEK_SET);
  }
  ~TempFile() { close(fd_); }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
};

struct Inflated {
  std::string text;
  std::string error;
};

Inflated ReadAll(int fd) {
  std::string problem;
  std::unique_ptr<GzipInput> input = GzipInput::Start(fd, &problem);
  EXPECT_NE(nullptr, input) << problem;
  Inflated result;
  char buf[4096];
  ssize_t n;
  while ((n = read(input->fd(), buf, sizeof buf)) > 0) result.text.append(buf, n);
  result.error = input->Finish();
  return result;
}

std::string ManyLines() {
  std::string text;
  for (int i = 0; i < 50000; ++i) {
    text += "10.0.0." + std::to_string(i % 255) + " - - [15/Aug/2019:14:19:23 +0000] \"GET /" +
            std::to_string(i) + " HTTP/1.1\" 200 " + std::to_string(i * 7) + " \"-\" \"x\"\n";
  }
  return text;
}

TEST(GzipInputTest, DetectsGzipByMagicBytesNotByName) {
  TempFile gz(Gzip("a line\n"));
  TempFile plain("a line\n");
  TempFile short_file("\x1f");
  EXPECT_TRUE(IsGzip(gz.fd()));
  EXPECT_FALSE(IsGzip(plain.fd()));
  EXPECT_FALSE(IsGzip(short_file.fd()));
  EXPECT_EQ(0, lseek(gz.fd(), 0, SEEK_CUR));  // detection does not move the position
}

TEST(GzipInputTest, InflatesALargeFileExactly) {
  const std::string text = ManyLines();
  TempFile gz(Gzip(text));
  const Inflated got = ReadAll(gz.fd());
  EXPECT_EQ("", got.error);
  EXPECT_EQ(text.size(), got.text.size());
  EXPECT_TRUE(text == got.text);
}

TEST(GzipInputTest, ReadsConcatenatedMembersInOrder) {
  TempFile gz(Gzip("first\n") + Gzip("second\n") + Gzip("third"));
  const Inflated got = ReadAll(gz.fd());
  EXPECT_EQ("", got.error);
  EXPECT_EQ("first\nsecond\nthird", got.text);
}

TEST(GzipInputTest, TruncatedDataKeepsWhatCouldBeReadAndSaysSo) {
  const std::string text = ManyLines();
  const std::string gz = Gzip(text);
  TempFile cut(gz.substr(0, gz.size() / 2));
  const Inflated got = ReadAll(cut.fd());
  EXPECT_EQ("the gzip data is truncated (the file ends inside it)", got.error);
  EXPECT_LT(0u, got.text.size());
  EXPECT_EQ(text.substr(0, got.text.size()), got.text);
}

TEST(GzipInputTest, CorruptDataIsReportedNotFatal) {
  std::string gz = Gzip(ManyLines());
  for (size_t i = gz.size() / 2; i < gz.size() / 2 + 64; ++i) gz[i] = static_cast<char>(~gz[i]);
  TempFile bad(gz);
  const Inflated got = ReadAll(bad.fd());
  EXPECT_EQ(0u, got.error.find("the gzip data is corrupt")) << got.error;
}

TEST(GzipInputTest, AReaderThatStopsEarlyEndsTheThread) {
  TempFile gz(Gzip(ManyLines()));
  std::string problem;
  std::unique_ptr<GzipInput> input = GzipInput::Start(gz.fd(), &problem);
  ASSERT_NE(nullptr, input);
  char buf[100];
  ASSERT_LT(0, read(input->fd(), buf, sizeof buf));
  EXPECT_EQ("", input->Finish());  // returns: the writer saw the pipe close
}

}  // namespace
}  // namespace logchain

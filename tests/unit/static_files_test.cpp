// The web client's files: loading into memory (limits, links, .gz variants),
// request paths to keys, content types, and the answers (ETag, gzip, HEAD).
#include <gtest/gtest.h>

#include <fstream>

#include "http/content_types.hpp"
#include "http/static_files.hpp"
#include "http/static_handler.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
namespace bhttp = boost::beast::http;

void write(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

net::Request request(bhttp::verb method, std::vector<std::pair<std::string, std::string>> fields) {
  net::Request req(method, "/static/x", 11);
  for (const auto& [name, value] : fields) req.insert(name, value);
  return req;
}

TEST(StaticKey, DecodesSafeSegments) {
  EXPECT_EQ(http::static_key("app.js"), "static/app.js");
  EXPECT_EQ(http::static_key("img/a%20b.png"), "static/img/a b.png");
  EXPECT_EQ(http::static_key("chunks/x-AbC_12.js"), "static/chunks/x-AbC_12.js");
}

TEST(StaticKey, RefusesEverythingThatCouldLeave) {
  for (const char* path : {"",          "/",        "../settings.toml",
                           "a/../../x", "%2e%2e/x", "%2E%2e/x",
                           "..%2fx",    "..%2Fx",   "a%5cb",
                           "a\\b",      ".",        "./app.js",
                           "a//b",      "a/",       "%00",
                           "a%00.js",   "%",        "%2",
                           "%zz",       "a%0ab"}) {
    EXPECT_EQ(http::static_key(path), std::nullopt) << path;
  }
  // Decoded once: %252f is the three characters "%2f", a plain (missing) name.
  EXPECT_EQ(http::static_key("..%252fx"), "static/..%2fx");
}

TEST(ContentTypes, ByExtension) {
  EXPECT_EQ(http::content_type_for("static/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(http::content_type_for("static/APP.CSS"), "text/css; charset=utf-8");
  EXPECT_EQ(http::content_type_for("a.svg"), "image/svg+xml");
  EXPECT_EQ(http::content_type_for("favicon.ico"), "image/x-icon");
  EXPECT_EQ(http::content_type_for("f.woff2"), "font/woff2");
  EXPECT_EQ(http::content_type_for("s.mp3"), "audio/mpeg");
  EXPECT_EQ(http::content_type_for("x.js.map"), "application/json");
  EXPECT_EQ(http::content_type_for("dir.js/README"), "application/octet-stream");
  EXPECT_EQ(http::content_type_for("x.unknown"), "application/octet-stream");
}

TEST(StaticFiles, LoadsTheTreeWithGzipVariants) {
  test::TempDir dir;
  write(dir.path / "static/app.js", "js");
  write(dir.path / "static/app.js.gz", "gzipped js");
  write(dir.path / "static/lone.txt.gz", "no plain file");
  write(dir.path / "static/sub/deep/x.svg", "<svg/>");
  write(dir.path / "favicon.ico", "ico");
  const auto files = http::StaticFiles::load(dir.path);
  EXPECT_EQ(files.count(), 4u);
  const auto* app = files.find("static/app.js");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->plain.data, "js");
  ASSERT_TRUE(app->gzip);
  EXPECT_EQ(app->gzip->data, "gzipped js");
  EXPECT_NE(app->gzip->etag, app->plain.etag);
  EXPECT_EQ(files.find("static/app.js.gz"), nullptr);
  EXPECT_NE(files.find("static/lone.txt.gz"), nullptr);
  EXPECT_EQ(files.find("static/sub/deep/x.svg")->content_type, "image/svg+xml");
  EXPECT_NE(files.find("favicon.ico"), nullptr);
}

TEST(StaticFiles, SameContentSameTag) {
  test::TempDir a, b;
  write(a.path / "f.js", "same");
  write(b.path / "g.js", "same");
  EXPECT_EQ(http::StaticFiles::load(a.path).find("f.js")->plain.etag,
            http::StaticFiles::load(b.path).find("g.js")->plain.etag);
}

TEST(StaticFiles, LimitsLeaveFilesOut) {
  test::TempDir dir;
  write(dir.path / "a", std::string(60, 'a'));
  write(dir.path / "b", std::string(50, 'b'));
  write(dir.path / "c", std::string(101, 'c'));
  write(dir.path / "d", std::string(40, 'd'));
  const auto files = http::StaticFiles::load(dir.path, {.max_file = 100, .max_total = 100});
  EXPECT_NE(files.find("a"), nullptr);
  EXPECT_EQ(files.find("b"), nullptr);  // over the total
  EXPECT_EQ(files.find("c"), nullptr);  // over the single-file limit
  EXPECT_NE(files.find("d"), nullptr);  // still fits
  EXPECT_EQ(files.bytes(), 100u);
}

TEST(StaticFiles, LinksOutOfTheRootAreSkipped) {
  test::TempDir outside, dir;
  write(outside.path / "secret", "secret");
  write(dir.path / "static/app.css", "css");
  fs::create_symlink(outside.path / "secret", dir.path / "static/leak");
  fs::create_symlink(outside.path, dir.path / "static/outdir");
  fs::create_symlink("app.css", dir.path / "static/alias.css");
  fs::create_symlink("missing", dir.path / "static/dangling");
  const auto files = http::StaticFiles::load(dir.path);
  EXPECT_EQ(files.find("static/leak"), nullptr);
  EXPECT_EQ(files.find("static/outdir/secret"), nullptr);
  EXPECT_EQ(files.find("static/dangling"), nullptr);
  ASSERT_NE(files.find("static/alias.css"), nullptr);
  EXPECT_EQ(files.find("static/alias.css")->plain.data, "css");
}

TEST(StaticFiles, MissingRootIsEmpty) {
  EXPECT_EQ(http::StaticFiles::load("/nonexistent/barertc").count(), 0u);
}

struct Served : ::testing::Test {
  test::TempDir dir;
  http::StaticFiles files;
  const http::StaticFile* app = nullptr;
  void SetUp() override {
    write(dir.path / "app.js", "plain");
    write(dir.path / "app.js.gz", "GZ");
    files = http::StaticFiles::load(dir.path);
    app = files.find("app.js");
  }
  net::Response get(std::vector<std::pair<std::string, std::string>> fields = {}) {
    return http::serve_static(request(bhttp::verb::get, std::move(fields)), app);
  }
};

TEST_F(Served, AcceptEncoding) {
  EXPECT_EQ(get().body(), "plain");
  EXPECT_EQ(get({{"Accept-Encoding", "gzip"}}).body(), "GZ");
  EXPECT_EQ(get({{"Accept-Encoding", "deflate, gzip;q=0.8"}}).body(), "GZ");
  EXPECT_EQ(get({{"Accept-Encoding", "gzip; q=0"}}).body(), "plain");
  EXPECT_EQ(get({{"Accept-Encoding", "gzip;q=0.000"}}).body(), "plain");
  EXPECT_EQ(get({{"Accept-Encoding", "*;q=0.1"}}).body(), "GZ");
  EXPECT_EQ(get({{"Accept-Encoding", "gzip;q=0, *"}}).body(), "plain");
  EXPECT_EQ(get({{"Accept-Encoding", "br"}, {"Accept-Encoding", "gzip"}}).body(), "GZ");
  EXPECT_EQ(get({{"Accept-Encoding", "gzipx"}}).body(), "plain");
  const auto gz = get({{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(gz[bhttp::field::content_encoding], "gzip");
  EXPECT_EQ(gz[bhttp::field::vary], "Accept-Encoding");
  EXPECT_EQ(gz[bhttp::field::content_type], "text/javascript; charset=utf-8");
}

TEST_F(Served, IfNoneMatch) {
  const std::string etag(get()[bhttp::field::etag]);
  EXPECT_EQ(get({{"If-None-Match", etag}}).result(), bhttp::status::not_modified);
  EXPECT_EQ(get({{"If-None-Match", "W/" + etag}}).result(), bhttp::status::not_modified);
  EXPECT_EQ(get({{"If-None-Match", "\"a\" ,  " + etag}}).result(), bhttp::status::not_modified);
  EXPECT_EQ(get({{"If-None-Match", "\"a\""}}).result(), bhttp::status::ok);
  EXPECT_TRUE(get({{"If-None-Match", etag}}).body().empty());
  // The plain file's tag is not the gzip bytes' tag.
  EXPECT_EQ(get({{"If-None-Match", etag}, {"Accept-Encoding", "gzip"}}).result(),
            bhttp::status::ok);
}

TEST_F(Served, HeadHasTheLengthButNoBody) {
  auto res = http::serve_static(request(bhttp::verb::head, {}), app);
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(res[bhttp::field::content_length], "5");
}

TEST_F(Served, MissingAndOtherMethods) {
  EXPECT_EQ(http::serve_static(request(bhttp::verb::get, {}), nullptr).result(),
            bhttp::status::not_found);
  auto post = http::serve_static(request(bhttp::verb::post, {}), app);
  EXPECT_EQ(post.result(), bhttp::status::method_not_allowed);
  EXPECT_EQ(post[bhttp::field::allow], "GET, HEAD");
}

}  // namespace

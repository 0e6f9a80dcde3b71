// The built web client's files, read into memory once at start-up. After
// load() a set never changes: the I/O threads share it without locks, and
// no request touches the disk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace http {

struct StaticBytes {
  std::string data;
  std::string etag;  // a quoted strong validator derived from `data`
};

struct StaticFile {
  std::string_view content_type;    // static storage (content_types.hpp)
  StaticBytes plain;                // the file as it is
  std::optional<StaticBytes> gzip;  // its precompressed FILE.gz, when there is one
};

struct StaticLimits {
  uintmax_t max_file = uintmax_t{16} << 20;
  uintmax_t max_total = uintmax_t{64} << 20;
};

class StaticFiles {
 public:
  StaticFiles() = default;  // empty: no web client

  // Every regular file under `root`, keyed by its path relative to it with
  // '/' separators ("static/app.js"). A FILE.gz next to FILE becomes FILE's
  // gzip variant instead of a file of its own. Files over a limit, unreadable
  // ones and symbolic links that lead out of `root` are skipped with a
  // warning; linked directories are not entered (no loops).
  static StaticFiles load(const std::filesystem::path& root, StaticLimits limits = {});

  // nullptr when there is no such file.
  const StaticFile* find(std::string_view key) const;
  size_t count() const { return files_.size(); }
  uintmax_t bytes() const { return bytes_; }

 private:
  void add(std::string key, std::string data);
  void pair_gzip_variants();

  std::map<std::string, StaticFile, std::less<>> files_;
  uintmax_t bytes_ = 0;
};

}  // namespace http

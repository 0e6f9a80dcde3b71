#include "http/static_files.hpp"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <utility>
#include <vector>

#include "http/content_types.hpp"
#include "util/base64.hpp"

namespace http {
namespace {

namespace fs = std::filesystem;

// Derived from the content (not the modification time), so the tag stays the
// same across restarts and rebuilds that do not change the file, and
// browsers keep revalidating with 304s. 128 bits of SHA-256 tell versions
// apart as well as all of it would.
std::string etag_of(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr);
  const std::string_view prefix(reinterpret_cast<const char*>(digest), std::min(size, 16u));
  return '"' + util::base64url_encode(prefix) + '"';
}

bool is_inside(const fs::path& base, const fs::path& target) {
  const auto rel = target.lexically_relative(base);
  return !rel.empty() && *rel.begin() != "..";
}

struct Listed {
  std::string key;
  fs::path path;  // where the bytes are (a link's target)
};

// A symbolic link counts as the file it leads to, when that is inside `base`
// (a deployment may link shared assets in) and a regular file.
std::optional<fs::path> servable(const fs::directory_entry& entry, const fs::path& base) {
  std::error_code ec;
  fs::path target = entry.path();
  if (entry.is_symlink(ec)) {
    target = fs::canonical(target, ec);
    if (ec || !is_inside(base, target)) {
      spdlog::warn("web client: {} links out of {} (or to nothing): not served",
                   entry.path().string(), base.string());
      return std::nullopt;
    }
  }
  if (!fs::is_regular_file(target, ec)) return std::nullopt;
  return target;
}

// Sorted, so that the limits leave out the same files on every start.
std::vector<Listed> list_files(const fs::path& base) {
  std::vector<Listed> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(base, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (auto path = servable(*it, base)) {
      out.push_back({it->path().lexically_relative(base).generic_string(), std::move(*path)});
    }
  }
  if (ec) spdlog::warn("web client: cannot list {}: {}", base.string(), ec.message());
  std::ranges::sort(out, {}, &Listed::key);
  return out;
}

std::optional<std::string> read_all(const fs::path& path, uintmax_t size) {
  std::ifstream in(path, std::ios::binary);
  std::string data(size, '\0');
  if (!in.read(data.data(), static_cast<std::streamsize>(size))) return std::nullopt;
  return data;
}

}  // namespace

StaticFiles StaticFiles::load(const fs::path& root, StaticLimits limits) {
  StaticFiles set;
  std::error_code ec;
  const auto base = fs::canonical(root, ec);
  if (ec) return set;
  for (auto& [key, path] : list_files(base)) {
    const auto size = fs::file_size(path, ec);
    if (ec || size > limits.max_file || set.bytes_ + size > limits.max_total) {
      spdlog::warn("web client: {} not served ({})", key,
                   ec ? ec.message()
                      : fmt::format("{} bytes, over the limit of {} a file, {} in all", size,
                                    limits.max_file, limits.max_total));
      continue;
    }
    auto data = read_all(path, size);
    if (!data) {
      spdlog::warn("web client: {} not served (cannot read it)", key);
      continue;
    }
    set.add(std::move(key), std::move(*data));
  }
  set.pair_gzip_variants();
  return set;
}

const StaticFile* StaticFiles::find(std::string_view key) const {
  const auto it = files_.find(key);
  return it == files_.end() ? nullptr : &it->second;
}

void StaticFiles::add(std::string key, std::string data) {
  bytes_ += data.size();
  auto etag = etag_of(data);
  const auto type = content_type_for(key);
  files_.emplace(std::move(key),
                 StaticFile{.content_type = type, .plain = {std::move(data), std::move(etag)}});
}

void StaticFiles::pair_gzip_variants() {
  for (auto it = files_.begin(); it != files_.end();) {
    const std::string_view key = it->first;
    auto plain = key.ends_with(".gz") ? files_.find(key.substr(0, key.size() - 3)) : files_.end();
    if (plain == files_.end()) {
      ++it;
      continue;
    }
    plain->second.gzip = std::move(it->second.plain);
    it = files_.erase(it);
  }
}

}  // namespace http

#include "http/web_client.hpp"

#include <spdlog/spdlog.h>

#include <optional>

namespace http {
namespace {

namespace fs = std::filesystem;

bool has_entry(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "static" / "app.js", ec);
}

// A directory without the entry is passed over: the cwd of an original
// BareRTC keeps its own ./dist, which is not this client.
std::optional<fs::path> first_with_entry(const std::vector<fs::path>& candidates) {
  for (const auto& dir : candidates) {
    if (has_entry(dir)) return dir;
  }
  return std::nullopt;
}

std::string joined(const std::vector<fs::path>& paths) {
  std::string out;
  for (const auto& p : paths) out += (out.empty() ? "" : ", ") + p.string();
  return out;
}

}  // namespace

fs::path executable_path(const char* argv0) {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) return exe;
  return fs::weakly_canonical(fs::absolute(argv0, ec), ec);
}

std::vector<fs::path> default_web_dirs(const fs::path& exe) {
  return {(exe.parent_path() / ".." / "web" / "dist").lexically_normal(), "web/dist", "dist"};
}

std::shared_ptr<const StaticFiles> load_web_client(const std::string& dir,
                                                   const std::vector<fs::path>& candidates) {
  const auto found = dir.empty() ? first_with_entry(candidates) : std::optional<fs::path>(dir);
  if (!found) {
    spdlog::warn(
        "No web client found (looked in {}): the chat page cannot work; build it with "
        "`make run` or name its directory with -web",
        joined(candidates));
    return std::make_shared<const StaticFiles>();
  }
  std::error_code ec;
  const auto where = fs::weakly_canonical(fs::absolute(*found, ec), ec);
  auto files = std::make_shared<const StaticFiles>(StaticFiles::load(where));
  if (!files->find("static/app.js")) {
    spdlog::warn("No web client in {} (no static/app.js there): the chat page cannot work",
                 where.string());
  } else {
    spdlog::info("Serving the web client from {} ({} files, {} KiB)", where.string(),
                 files->count(), (files->bytes() + 1023) / 1024);
  }
  return files;
}

}  // namespace http

#include "http/content_types.hpp"

#include <array>
#include <utility>

#include "util/text.hpp"

namespace http {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 25> kTypes{{
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"txt", "text/plain; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"webmanifest", "application/manifest+json"},
    {"wasm", "application/wasm"},
    {"gz", "application/gzip"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
    {"woff", "font/woff"},
    {"ttf", "font/ttf"},
    {"otf", "font/otf"},
    {"mp3", "audio/mpeg"},
    {"ogg", "audio/ogg"},
    {"wav", "audio/wav"},
}};

}  // namespace

std::string_view content_type_for(std::string_view filename) {
  const auto slash = filename.rfind('/');
  if (slash != filename.npos) filename.remove_prefix(slash + 1);
  const auto dot = filename.rfind('.');
  if (dot == filename.npos) return "application/octet-stream";
  const auto ext = filename.substr(dot + 1);
  for (const auto& [known, type] : kTypes) {
    if (util::iequals(ext, known)) return type;
  }
  return "application/octet-stream";
}

}  // namespace http

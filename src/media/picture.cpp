#include "media/picture.hpp"

#include <vips/vips8>

#include <mutex>

#include "media/vips_blob.hpp"
#include "util/base64.hpp"
#include "util/text.hpp"

namespace media {
namespace {

using vips::VImage;

void init_vips() {
  static std::once_flag once;
  std::call_once(once, [] {
    vips_init("barertc");
    vips_concurrency_set(1);  // one picture at a time on one worker thread
    vips_cache_set_max(0);    // nothing kept between pictures
  });
}

bool starts_with(std::string_view data, std::string_view magic) {
  return data.substr(0, magic.size()) == magic;
}

// The content's own type, by its first bytes; only these reach libvips.
bool decodable(std::string_view d) {
  using namespace std::string_view_literals;
  return starts_with(d, "\xFF\xD8\xFF"sv) || starts_with(d, "\x89PNG\r\n\x1A\n"sv) ||
         starts_with(d, "GIF87a"sv) || starts_with(d, "GIF89a"sv) || starts_with(d, "II*\0"sv) ||
         starts_with(d, "MM\0*"sv);
}

struct Size {
  int64_t w, h;
};

// Fits the longest side into `box`, keeping the aspect ratio (truncating, as
// the original); a picture already inside keeps its size.
Size fit(Size s, int64_t box) {
  if (s.w >= s.h && s.w > box) return {box, s.h * box / s.w};
  if (s.h > s.w && s.h > box) return {s.w * box / s.h, box};
  return s;
}

std::string encode(std::string_view data, std::string_view mime, Size full) {
  VipsBlob* in = vips_blob_new(nullptr, data.data(), data.size());  // not copied
  VImage img;
  try {
    // Turned upright by default; FORCE gives exactly the computed size.
    img = VImage::thumbnail_buffer(
        in, static_cast<int>(full.w),
        VImage::option()
            ->set("height", static_cast<int>(full.h))
            ->set("size", VIPS_SIZE_FORCE)
            ->set("option_string", "fail_on=truncated"));  // for the loader
  } catch (...) {
    vips_area_unref(VIPS_AREA(in));
    throw;
  }
  vips_area_unref(VIPS_AREA(in));
  if (mime == "image/png")
    return media::take_blob(img.pngsave_buffer(VImage::option()->set("strip", true)));
  // JPEG has no alpha: transparent parts turn black, as in the original.
  if (img.has_alpha()) img = img.flatten();
  return media::take_blob(
      img.jpegsave_buffer(VImage::option()
                              ->set("Q", 90)
                              ->set("strip", true)
                              ->set("subsample_mode", VIPS_FOREIGN_SUBSAMPLE_ON)));
}

}  // namespace

std::string picture_mime(std::string_view filename) {
  const auto dot = filename.rfind('.');
  if (dot == std::string_view::npos) return {};
  const auto ext = util::to_lower(filename.substr(dot + 1));
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "png") return "image/png";
  if (ext == "gif") return "image/gif";
  return {};
}

std::expected<Picture, std::string> process_picture(std::string_view data, std::string_view mime,
                                                    int64_t max_width, int64_t preview_width,
                                                    const PictureLimits& limits) {
  if (data.empty()) return std::unexpected("Your picture is empty.");
  if (data.size() > limits.max_bytes) {
    return std::unexpected("Your picture is too large: " + std::to_string(limits.max_bytes >> 20) +
                           " MB at most.");
  }
  if (!decodable(data)) {
    return std::unexpected("Could not read your picture: it is not a JPEG, GIF or PNG image.");
  }
  init_vips();
  try {
    // The header only: the pixels are decoded later, if at all.
    auto head = VImage::new_from_buffer(data.data(), data.size(), "");
    Size size{head.width(), head.height()};
    if (size.w * size.h > limits.max_pixels) {
      return std::unexpected(
          "Your picture is too large: " + std::to_string(size.w) + " × " + std::to_string(size.h) +
          " pixels, " + std::to_string(limits.max_pixels / 1'000'000) + " megapixels at most.");
    }
    if (head.get_typeof("orientation") != 0 && head.get_int("orientation") >= 5) {
      std::swap(size.w, size.h);  // turned a quarter
    }
    const Size full = fit(size, max_width), shown = fit(full, preview_width);
    Picture p{std::string(mime), {}, shown.w, shown.h};
    // GIFs pass as they are (animated); the original showed them at full size.
    p.bytes = mime == "image/gif" ? std::string(data) : encode(data, mime, full);
    return p;
  } catch (const vips::VError& e) {
    vips_error_clear();
    return std::unexpected("Could not read your picture: it is damaged or incomplete.");
  }
}

std::string picture_html(const Picture& p) {
  return "<img src=\"data:" + p.mime + ";base64," + util::base64_encode(p.bytes) + "\" width=\"" +
         std::to_string(p.width) + "\" height=\"" + std::to_string(p.height) +
         "\" onclick=\"setModalImage(this.src)\" style=\"cursor: pointer\">";
}

}  // namespace media

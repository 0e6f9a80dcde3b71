// Pictures shared in chat (images.md): decoded with libvips, turned upright
// (EXIF orientation), scaled to fit MaxImageWidth and re-encoded without any
// metadata (GPS included); GIFs pass as they are (their animation kept).
// Beyond the original: only JPEG, PNG, GIF and TIFF content is decoded (no
// other libvips loader is reached), and input bytes and decoded pixels have
// hard limits, so a decompression bomb is refused from its header alone.
// Runs on the picture worker, never on the room's thread.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace media {

struct PictureLimits {
  size_t max_bytes = 20 << 20;
  int64_t max_pixels = 50'000'000;
};

struct Picture {
  std::string mime;   // from the file name's extension, as the original
  std::string bytes;  // encoded
  int64_t width = 0;  // display size (the preview's)
  int64_t height = 0;
};

// `mime`: image/jpeg, image/png or image/gif. The error is a sentence for
// the user.
std::expected<Picture, std::string> process_picture(std::string_view data, std::string_view mime,
                                                    int64_t max_width, int64_t preview_width,
                                                    const PictureLimits& limits = {});

// The message text: an <img> with a data: URL, as the original sends it.
std::string picture_html(const Picture& p);

// The MIME type for a file name's extension, or "" when not a picture's.
std::string picture_mime(std::string_view filename);

}  // namespace media

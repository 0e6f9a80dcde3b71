// A libvips buffer (what the *save_buffer calls return) as a string; the
// blob is released.
#pragma once

#include <vips/vips8>

#include <string>

namespace media {

inline std::string take_blob(VipsBlob* blob) {
  size_t len = 0;
  const auto* data = static_cast<const char*>(vips_blob_get(blob, &len));
  std::string out(data, len);
  vips_area_unref(VIPS_AREA(blob));
  return out;
}

}  // namespace media

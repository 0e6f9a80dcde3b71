// Time and peak memory of the picture pipeline (issue #8): a 12-megapixel
// JPEG with EXIF and a 200-frame animated GIF, each made here with libvips,
// then processed as the server does. Making the input costs memory of its
// own, so it is written to a file first and processed by a fresh process:
//   picture_bench make jpeg|gif FILE     picture_bench run jpeg|gif FILE
#include <sys/resource.h>

#include <vips/vips8>

#include <chrono>
#include <cstdio>
#include <string>

#include "media/picture.hpp"
#include "media/vips_blob.hpp"

using vips::VImage;

namespace {

// Noise, so that the encoders have real work (a flat picture compresses to nothing).
VImage noise(int w, int h) {
  return VImage::gaussnoise(w, h)
      .bandjoin(VImage::gaussnoise(w, h))
      .bandjoin(VImage::gaussnoise(w, h))
      .cast(VIPS_FORMAT_UCHAR);
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

}  // namespace

std::string make(const std::string& which) {
  if (which == "jpeg") {
    auto img = noise(4000, 3000).copy();
    img.set("orientation", 6);
    img.set("exif-ifd3-GPSLatitude", "48/1 51/1 2400/100");
    return media::take_blob(img.jpegsave_buffer(VImage::option()->set("Q", 90)));
  }
  std::vector<VImage> frames;
  for (int i = 0; i < 200; ++i) frames.push_back((noise(320, 240) + i).cast(VIPS_FORMAT_UCHAR));
  auto strip = VImage::arrayjoin(frames, VImage::option()->set("across", 1)).copy();
  strip.set("page-height", 240);
  return media::take_blob(strip.gifsave_buffer());
}

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s make|run jpeg|gif FILE\n", argv[0]);
    return 2;
  }
  const std::string mode = argv[1], which = argv[2], file = argv[3];
  vips_init(argv[0]);
  if (mode == "make") {
    const auto data = make(which);
    std::FILE* f = std::fopen(file.c_str(), "wb");
    std::fwrite(data.data(), 1, data.size(), f);
    std::fclose(f);
    return 0;
  }
  std::string data;
  std::FILE* f = std::fopen(file.c_str(), "rb");
  char buf[1 << 16];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) data.append(buf, n);
  std::fclose(f);
  const std::string mime = which == "jpeg" ? "image/jpeg" : "image/gif";
  const long before = peak_rss_kib();
  const auto t0 = std::chrono::steady_clock::now();
  auto p = media::process_picture(data, mime, 1280, 360);
  const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0);
  if (!p) {
    std::printf("%s: %s\n", which.c_str(), p.error().c_str());
    return 1;
  }
  std::printf(
      "%s: input %.1f MB, output %.2f MB (%lldx%lld shown), %.0f ms, peak RSS %.0f MiB "
      "(%.0f MiB with the input read)\n",
      which.c_str(), data.size() / 1e6, p->bytes.size() / 1e6, static_cast<long long>(p->width),
      static_cast<long long>(p->height), ms.count(), peak_rss_kib() / 1024.0, before / 1024.0);
  return 0;
}

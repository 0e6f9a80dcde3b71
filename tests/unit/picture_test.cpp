// The picture pipeline on pictures made here with libvips: sizes, EXIF
// orientation applied and every piece of metadata gone, formats, GIFs as
// they are, and bad input (not a picture, truncated, empty, too large, a
// decompression bomb).
#include <gtest/gtest.h>

#include <vips/vips8>

#include <cstring>

#include "media/picture.hpp"
#include "media/vips_blob.hpp"

using vips::VImage;

namespace {

// A w × h picture, red on the left half and blue on the right.
VImage two_colours(int w, int h) {
  auto left = VImage::black(w / 2, h).new_from_image({255, 0, 0});
  auto right = VImage::black(w - w / 2, h).new_from_image({0, 0, 255});
  return left.join(right, VIPS_DIRECTION_HORIZONTAL).cast(VIPS_FORMAT_UCHAR);
}

// A JPEG with EXIF: the orientation given, and a GPS position.
std::string jpeg_with_exif(int w, int h, int orientation) {
  auto img = two_colours(w, h).copy();
  img.set("orientation", orientation);
  img.set("exif-ifd3-GPSLatitude", "48/1 51/1 2400/100");
  img.set("exif-ifd3-GPSLatitudeRef", "N");
  img.set("exif-ifd0-Make", "Camera Maker");
  return media::take_blob(img.jpegsave_buffer());
}

VImage decode(const std::string& bytes) {
  return VImage::new_from_buffer(bytes.data(), bytes.size(), "");
}

bool has_metadata(const VImage& img) {
  char** fields = vips_image_get_fields(img.get_image());
  bool found = false;
  for (int i = 0; fields[i]; ++i) {
    const std::string f = fields[i];
    if (f == "exif-data" || f.starts_with("exif-") || f == "xmp-data" || f == "icc-profile-data")
      found = true;
  }
  g_strfreev(fields);
  return found;
}

uint32_t crc32(const std::string& data) {
  uint32_t c = 0xFFFFFFFF;
  for (unsigned char b : data) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320 & (0 - (c & 1)));
  }
  return ~c;
}

std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string png_chunk(const std::string& type, const std::string& data) {
  return be32(static_cast<uint32_t>(data.size())) + type + data + be32(crc32(type + data));
}

// A few hundred bytes claiming w × h pixels: a decompression bomb's header.
std::string png_claiming(uint32_t w, uint32_t h) {
  const std::string ihdr = be32(w) + be32(h) + std::string("\x08\x02\x00\x00\x00", 5);
  return std::string("\x89PNG\r\n\x1A\n", 8) + png_chunk("IHDR", ihdr) +
         png_chunk("IDAT", std::string("\x78\x9C\x03\x00\x00\x00\x00\x01", 8)) +
         png_chunk("IEND", "");
}

}  // namespace

TEST(Picture, MimeTypesComeFromTheExtension) {
  EXPECT_EQ(media::picture_mime("photo.JPG"), "image/jpeg");
  EXPECT_EQ(media::picture_mime("a.b.jpeg"), "image/jpeg");
  EXPECT_EQ(media::picture_mime("x.png"), "image/png");
  EXPECT_EQ(media::picture_mime("x.Gif"), "image/gif");
  EXPECT_EQ(media::picture_mime("x.webp"), "");
  EXPECT_EQ(media::picture_mime("jpg"), "");
}

TEST(Picture, ALargePhotoIsTurnedUprightScaledAndStrippedOfItsMetadata) {
  const auto original = jpeg_with_exif(4000, 3000, 6);  // to be turned a quarter: 3000 × 4000
  ASSERT_TRUE(has_metadata(decode(original)));
  auto p = media::process_picture(original, "image/jpeg", 1280, 360);
  ASSERT_TRUE(p) << p.error();
  const auto out = decode(p->bytes);
  EXPECT_EQ(out.width(), 960);  // 3000 × 1280 / 4000
  EXPECT_EQ(out.height(), 1280);
  EXPECT_EQ(p->width, 270);  // the preview: 960 × 360 / 1280
  EXPECT_EQ(p->height, 360);
  EXPECT_FALSE(has_metadata(out));
  EXPECT_EQ(out.get_typeof("orientation"), 0u);
  // Turned clockwise: the red left half is now on top.
  const auto top = out.getpoint(480, 100), bottom = out.getpoint(480, 1180);
  EXPECT_GT(top[0], 200);
  EXPECT_LT(top[2], 60);
  EXPECT_GT(bottom[2], 200);
}

TEST(Picture, ASmallPictureKeepsItsSizeAndPngStaysPng) {
  auto img = two_colours(100, 50).bandjoin(128);  // with alpha
  const auto png = media::take_blob(img.pngsave_buffer());
  auto p = media::process_picture(png, "image/png", 1280, 360);
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->width, 100);  // not stretched to 360 × 360 as in the original
  EXPECT_EQ(p->height, 50);
  EXPECT_TRUE(p->bytes.starts_with("\x89PNG"));
  EXPECT_EQ(decode(p->bytes).width(), 100);
  // Named .jpg, the same PNG becomes a JPEG without its alpha.
  auto j = media::process_picture(png, "image/jpeg", 1280, 360);
  ASSERT_TRUE(j) << j.error();
  EXPECT_TRUE(j->bytes.starts_with("\xFF\xD8\xFF"));
  EXPECT_EQ(decode(j->bytes).bands(), 3);
}

TEST(Picture, GifsPassAsTheyAre) {
  const auto gif = media::take_blob(two_colours(2000, 1000).gifsave_buffer());
  auto p = media::process_picture(gif, "image/gif", 1280, 360);
  ASSERT_TRUE(p) << p.error();
  EXPECT_EQ(p->bytes, gif);
  EXPECT_EQ(p->width, 360);  // the preview size, not the full one
  EXPECT_EQ(p->height, 180);
}

TEST(Picture, BadInputGetsAClearErrorAndBombsAreRefusedFromTheirHeader) {
  const auto error = [](const std::string& data, const media::PictureLimits& limits = {}) {
    auto p = media::process_picture(data, "image/png", 1280, 360, limits);
    return p ? std::string("accepted") : p.error();
  };
  EXPECT_EQ(error(""), "Your picture is empty.");
  EXPECT_EQ(error("hello, this is not a picture"),
            "Could not read your picture: it is not a JPEG, GIF or PNG image.");
  const auto jpeg = jpeg_with_exif(800, 600, 1);
  EXPECT_EQ(error(jpeg.substr(0, jpeg.size() / 2)),
            "Could not read your picture: it is damaged or incomplete.");
  EXPECT_EQ(error(std::string("\x89PNG\r\n\x1A\n", 8) + "garbage"),
            "Could not read your picture: it is damaged or incomplete.");
  EXPECT_EQ(error(png_claiming(50'000, 50'000)),
            "Your picture is too large: 50000 × 50000 pixels, 50 megapixels at most.");
  EXPECT_EQ(error(jpeg, {.max_bytes = 2 << 20}), "accepted");
}

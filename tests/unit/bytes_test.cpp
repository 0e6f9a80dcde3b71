#include "util/bytes.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace {

using util::ByteReader;
using util::ByteWriter;

std::string u64_bytes(uint64_t v) {
  std::string out;
  ByteWriter(out).u64(v);
  return out;
}

std::string i64_bytes(int64_t v) {
  std::string out;
  ByteWriter(out).i64(v);
  return out;
}

}  // namespace

TEST(Bytes, UnsignedVarintsAtTheirBoundaries) {
  const std::pair<uint64_t, size_t> cases[] = {
      {0, 1},
      {1, 1},
      {127, 1},
      {128, 2},
      {16383, 2},
      {16384, 3},
      {0xffff'ffff, 5},
      {(uint64_t{1} << 63) - 1, 9},
      {uint64_t{1} << 63, 10},
      {std::numeric_limits<uint64_t>::max(), 10},
  };
  for (const auto& [v, size] : cases) {
    const auto bytes = u64_bytes(v);
    EXPECT_EQ(bytes.size(), size) << v;
    ByteReader r(bytes);
    EXPECT_EQ(r.u64(), v);
    EXPECT_TRUE(r.done()) << v;
  }
  EXPECT_EQ(u64_bytes(0), std::string(1, '\0'));
  EXPECT_EQ(u64_bytes(127), "\x7f");
  EXPECT_EQ(u64_bytes(128), "\x80\x01");
  EXPECT_EQ(u64_bytes(300), "\xac\x02");
}

TEST(Bytes, SignedVarintsAreZigZag) {
  constexpr auto kMin = std::numeric_limits<int64_t>::min();
  constexpr auto kMax = std::numeric_limits<int64_t>::max();
  const std::pair<int64_t, size_t> cases[] = {
      {0, 1}, {-1, 1}, {1, 1}, {63, 1}, {-64, 1}, {64, 2}, {-65, 2}, {kMax, 10}, {kMin, 10},
  };
  for (const auto& [v, size] : cases) {
    const auto bytes = i64_bytes(v);
    EXPECT_EQ(bytes.size(), size) << v;
    ByteReader r(bytes);
    EXPECT_EQ(r.i64(), v);
    EXPECT_TRUE(r.done()) << v;
  }
  EXPECT_EQ(i64_bytes(-1), "\x01");
  EXPECT_EQ(i64_bytes(1), "\x02");
  EXPECT_EQ(i64_bytes(kMin), u64_bytes(std::numeric_limits<uint64_t>::max()));
}

TEST(Bytes, DoublesKeepTheirExactBits) {
  const uint64_t nan_with_payload = 0x7ff8'0000'dead'beefULL;
  const uint64_t signalling_nan = 0x7ff0'0000'0000'0001ULL;
  const double cases[] = {
      0.0,
      -0.0,
      1.5,
      -1e300,
      1.7e9 + 0.25,
      std::numeric_limits<double>::infinity(),
      -std::numeric_limits<double>::infinity(),
      std::numeric_limits<double>::denorm_min(),
      std::numeric_limits<double>::max(),
      std::bit_cast<double>(nan_with_payload),
      std::bit_cast<double>(signalling_nan),
  };
  for (const double v : cases) {
    std::string out;
    ByteWriter(out).f64(v);
    ASSERT_EQ(out.size(), 8u);
    ByteReader r(out);
    EXPECT_EQ(std::bit_cast<uint64_t>(r.f64()), std::bit_cast<uint64_t>(v)) << v;
    EXPECT_TRUE(r.done());
  }
  std::string one;
  ByteWriter(one).f64(1.0);  // little-endian: 0x3ff0000000000000
  EXPECT_EQ(one, std::string("\0\0\0\0\0\0\xf0\x3f", 8));
}

TEST(Bytes, StringsEmptyBinaryAndLong) {
  const std::string binary("a\0b\xff\x80\n", 6);
  const std::string long_one(200, 'x');
  std::string out;
  ByteWriter(out).str("").str(binary).str(long_one);
  EXPECT_EQ(out.size(), 1 + (1 + 6) + (2 + 200));
  ByteReader r(out);
  EXPECT_EQ(r.str(), "");
  const auto view = r.str_view();
  EXPECT_EQ(view, binary);
  EXPECT_EQ(view.data(), out.data() + 2);  // a view into the input, not a copy
  EXPECT_EQ(r.str(), long_one);
  EXPECT_TRUE(r.done());
}

TEST(Bytes, MixedSequenceAndDone) {
  std::string out;
  ByteWriter(out).u64(7).boolean(true).i64(-5).str("hi").boolean(false).f64(2.5);
  ByteReader r(out);
  EXPECT_EQ(r.u64(), 7u);
  EXPECT_TRUE(r.boolean());
  EXPECT_EQ(r.i64(), -5);
  EXPECT_FALSE(r.done());  // not at the end yet
  EXPECT_EQ(r.str_view(), "hi");
  EXPECT_FALSE(r.boolean());
  EXPECT_EQ(r.f64(), 2.5);
  EXPECT_TRUE(r.done());

  const std::string longer = out + "!";
  ByteReader trailing(longer);
  trailing.u64();
  trailing.boolean();
  trailing.i64();
  trailing.str_view();
  trailing.boolean();
  trailing.f64();
  EXPECT_FALSE(trailing.failed());
  EXPECT_FALSE(trailing.done());
}

TEST(Bytes, TruncatedInputFailsAndLaterReadsAreZero) {
  {
    ByteReader r("\x80");  // a varint that never ends
    EXPECT_EQ(r.u64(), 0u);
    EXPECT_TRUE(r.failed());
    EXPECT_FALSE(r.done());
  }
  {
    ByteReader r("");
    EXPECT_EQ(r.i64(), 0);
    EXPECT_TRUE(r.failed());
  }
  {
    ByteReader r(std::string_view("\0\0\0\0\0\0\xf0", 7));  // a double short of a byte
    EXPECT_EQ(r.f64(), 0.0);
    EXPECT_TRUE(r.failed());
  }
  {
    ByteReader r(
        "\x05"
        "abc");  // a string longer than what is left
    EXPECT_EQ(r.str_view(), "");
    EXPECT_TRUE(r.failed());
  }
  {
    std::string out;
    ByteWriter(out).u64(300).str("abcdef").u64(9).boolean(true).f64(1.0);
    ByteReader r(std::string_view(out).substr(0, 5));  // cut inside the string
    EXPECT_EQ(r.u64(), 300u);
    EXPECT_FALSE(r.failed());
    EXPECT_EQ(r.str(), "");
    EXPECT_TRUE(r.failed());
    // Everything after a failure reads as zero, even where bytes would parse.
    EXPECT_EQ(r.u64(), 0u);
    EXPECT_FALSE(r.boolean());
    EXPECT_EQ(r.f64(), 0.0);
    EXPECT_EQ(r.count(), 0u);
    EXPECT_TRUE(r.failed());
    EXPECT_FALSE(r.done());
  }
}

TEST(Bytes, OverlongVarintFails) {
  ByteReader ten_bytes("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");
  EXPECT_EQ(ten_bytes.u64(), std::numeric_limits<uint64_t>::max());
  EXPECT_TRUE(ten_bytes.done());

  ByteReader eleven_bytes(std::string_view("\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11));
  EXPECT_EQ(eleven_bytes.u64(), 0u);
  EXPECT_TRUE(eleven_bytes.failed());
}

TEST(Bytes, CountRefusesWhatTheInputCannotHold) {
  const auto with_rest = [](uint64_t n, size_t rest) {
    return u64_bytes(n) + std::string(rest, 'x');
  };
  {
    const auto in = with_rest(8, 8);
    ByteReader r(in);
    EXPECT_EQ(r.count(1), 8u);
    EXPECT_FALSE(r.failed());
  }
  {
    const auto in = with_rest(9, 8);
    ByteReader r(in);
    EXPECT_EQ(r.count(1), 0u);
    EXPECT_TRUE(r.failed());
  }
  {
    const auto in = with_rest(2, 8);
    ByteReader r(in);
    EXPECT_EQ(r.count(4), 2u);
    EXPECT_FALSE(r.failed());
  }
  {
    const auto in = with_rest(3, 8);
    ByteReader r(in);
    EXPECT_EQ(r.count(4), 0u);
    EXPECT_TRUE(r.failed());
  }
  {
    const auto in = with_rest(uint64_t{1} << 62, 100);
    ByteReader r(in);
    EXPECT_EQ(r.count(1), 0u);
    EXPECT_TRUE(r.failed());
  }
  {
    const auto in = with_rest(3, 3);  // a minimum of 0 counts as 1
    ByteReader r(in);
    EXPECT_EQ(r.count(0), 3u);
    const auto too_many = with_rest(4, 3);
    ByteReader r4(too_many);
    EXPECT_EQ(r4.count(0), 0u);
    EXPECT_TRUE(r4.failed());
  }
  {
    const auto zero = u64_bytes(0);
    ByteReader r(zero);  // zero items fit in nothing
    EXPECT_EQ(r.count(16), 0u);
    EXPECT_TRUE(r.done());
  }
}

TEST(Bytes, BooleanIsOnlyZeroOrOne) {
  {
    ByteReader r(std::string_view("\x00\x01", 2));
    EXPECT_FALSE(r.boolean());
    EXPECT_TRUE(r.boolean());
    EXPECT_TRUE(r.done());
  }
  for (const char b : {'\x02', '\x7f', '\x80', '\xff'}) {
    ByteReader r(std::string_view(&b, 1));
    EXPECT_FALSE(r.boolean());
    EXPECT_TRUE(r.failed()) << static_cast<int>(static_cast<uint8_t>(b));
  }
  ByteReader empty("");
  EXPECT_FALSE(empty.boolean());
  EXPECT_TRUE(empty.failed());
}

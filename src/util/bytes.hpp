// A compact binary encoding for what one node hands another through Redis
// (event-log entries, room snapshots): unsigned varints, zig-zag signed
// varints, doubles as their 8 bytes, and length-prefixed strings. The reader
// never reads past its input: a truncated or garbled input sets `failed()`
// and every later read returns a zero value, so a decoder checks once at the
// end instead of after every field.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace util {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}

  ByteWriter& u64(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
    return *this;
  }
  ByteWriter& i64(int64_t v) {
    return u64((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
  }
  ByteWriter& boolean(bool v) {
    out_.push_back(v ? 1 : 0);
    return *this;
  }
  ByteWriter& f64(double v) {
    const auto bits = std::bit_cast<uint64_t>(v);
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(bits >> (8 * i)));
    return *this;
  }
  ByteWriter& str(std::string_view s) {
    u64(s.size());
    out_.append(s);
    return *this;
  }

 private:
  std::string& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  uint64_t u64() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return fail();
      const auto b = static_cast<uint8_t>(in_[pos_++]);
      if (shift == 63 && b > 1) return fail();  // past 64 bits: one encoding per value
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    return fail();
  }
  int64_t i64() {
    const uint64_t z = u64();
    return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  bool boolean() {
    if (pos_ >= in_.size()) return fail();
    const auto b = static_cast<uint8_t>(in_[pos_++]);
    if (b > 1) return fail();
    return b == 1;
  }
  double f64() {
    if (in_.size() - pos_ < 8) return static_cast<double>(fail());
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i)
      bits |= static_cast<uint64_t>(static_cast<uint8_t>(in_[pos_++])) << (8 * i);
    return std::bit_cast<double>(bits);
  }
  std::string_view str_view() {
    const uint64_t n = u64();
    if (failed_ || n > in_.size() - pos_) return fail(), std::string_view();
    auto s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string str() { return std::string(str_view()); }
  // A count of items that follow, each at least `min_item_bytes` long: a
  // count the rest of the input cannot hold fails here, before anyone
  // reserves memory for it.
  size_t count(size_t min_item_bytes = 1) {
    const uint64_t n = u64();
    if (failed_ || n > (in_.size() - pos_) / std::max<size_t>(1, min_item_bytes)) return fail();
    return static_cast<size_t>(n);
  }

  bool failed() const { return failed_; }
  bool at_end() const { return pos_ == in_.size(); }
  // Read everything, nothing more, and nothing went wrong.
  bool done() const { return !failed_ && at_end(); }

 private:
  uint64_t fail() {
    failed_ = true;
    pos_ = in_.size();
    return 0;
  }

  std::string_view in_;
  size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace util

#include "util/base64.hpp"

#include <array>
#include <cstdint>

namespace util {
namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view in, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(in[k])); };
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int s = 18; s >= 0; s -= 6) out.push_back(alphabet[(v >> s) & 63]);
  }
  const size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t v = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out.push_back(alphabet[(v >> 18) & 63]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (rest == 2) out.push_back(alphabet[(v >> 6) & 63]);
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

std::array<int8_t, 256> reverse_table(const char* alphabet) {
  std::array<int8_t, 256> t;
  t.fill(-1);
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = static_cast<int8_t>(i);
  return t;
}

std::optional<std::string> decode(std::string_view in, const std::array<int8_t, 256>& table,
                                  bool padded) {
  if (padded) {
    if (in.size() % 4 != 0) return std::nullopt;
    if (!in.empty() && in.back() == '=') in.remove_suffix(1);
    if (!in.empty() && in.back() == '=') in.remove_suffix(1);
  }
  if (in.size() % 4 == 1) return std::nullopt;
  // Four characters at a time into a buffer sized once: a picture's bytes
  // are tens of megabytes of base64.
  const size_t full = in.size() / 4, rest = in.size() % 4;
  std::string out;
  bool ok = true;
  out.resize_and_overwrite(full * 3 + (rest ? rest - 1 : 0), [&](char* p, size_t size) {
    auto v = [&](size_t k) { return table[static_cast<unsigned char>(in[k])]; };
    size_t o = 0;
    for (size_t i = 0; i < full * 4; i += 4) {
      const int a = v(i), b = v(i + 1), c = v(i + 2), d = v(i + 3);
      if ((a | b | c | d) < 0) {
        ok = false;
        return size_t{0};
      }
      const uint32_t x = uint32_t(a) << 18 | uint32_t(b) << 12 | uint32_t(c) << 6 | uint32_t(d);
      p[o++] = static_cast<char>(x >> 16);
      p[o++] = static_cast<char>(x >> 8);
      p[o++] = static_cast<char>(x);
    }
    if (rest) {  // 2 or 3 characters: 1 or 2 bytes
      const size_t i = full * 4;
      const int a = v(i), b = v(i + 1), c = rest == 3 ? v(i + 2) : 0;
      if ((a | b | c) < 0) {
        ok = false;
        return size_t{0};
      }
      const uint32_t x = uint32_t(a) << 18 | uint32_t(b) << 12 | uint32_t(c) << 6;
      p[o++] = static_cast<char>(x >> 16);
      if (rest == 3) p[o++] = static_cast<char>(x >> 8);
    }
    return size;
  });
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  return encode(bytes, kStd, true);
}
std::string base64url_encode(std::string_view bytes) {
  return encode(bytes, kUrl, false);
}

std::optional<std::string> base64_decode(std::string_view text) {
  static const auto table = reverse_table(kStd);
  return decode(text, table, true);
}

std::optional<std::string> base64url_decode(std::string_view text) {
  static const auto table = reverse_table(kUrl);
  return decode(text, table, false);
}

}  // namespace util

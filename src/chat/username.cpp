#include "chat/username.hpp"

#include <cstdint>

#include "util/text.hpp"

namespace chat {
namespace {

// Decodes the code point at `s[i]` (valid UTF-8 is assumed: the JSON layer
// checked it) and advances `i`.
uint32_t next_code_point(std::string_view s, size_t& i) {
  const auto b = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(s[k])); };
  uint32_t c = b(i);
  size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (i + len > s.size()) len = 1;
  if (len == 2) c = (c & 0x1F) << 6 | (b(i + 1) & 0x3F);
  if (len == 3) c = (c & 0x0F) << 12 | (b(i + 1) & 0x3F) << 6 | (b(i + 2) & 0x3F);
  if (len == 4)
    c = (c & 0x07) << 18 | (b(i + 1) & 0x3F) << 12 | (b(i + 2) & 0x3F) << 6 | (b(i + 3) & 0x3F);
  i += len;
  return c;
}

bool invisible_or_control(uint32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) ||  // C0, DEL, C1
         (c >= 0x200B && c <= 0x200F) ||          // zero-width, LRM/RLM
         (c >= 0x2028 && c <= 0x202E) ||          // separators, bidi embeddings
         (c >= 0x2060 && c <= 0x206F) ||          // word joiner, bidi isolates
         c == 0xFEFF || c == 0x00AD;              // BOM, soft hyphen
}

}  // namespace

std::expected<std::string, std::string> clean_username(std::string_view raw) {
  raw = util::trim(raw);
  if (raw.empty()) return "anonymous";

  if (raw.front() == '@') return std::unexpected("Your username may not start with @.");
  size_t chars = 0;
  for (size_t i = 0; i < raw.size();) {
    const uint32_t c = next_code_point(raw, i);
    if (invisible_or_control(c)) {
      return std::unexpected("Your username may not contain control or invisible characters.");
    }
    if (c == '<' || c == '>' || c == '"' || c == '\\' || c == '`') {
      return std::unexpected("Your username may not contain < > \" \\ or ` characters.");
    }
    ++chars;
  }
  if (chars > kMaxUsernameChars) {
    return std::unexpected("Your username is too long: 64 characters at most.");
  }
  if (util::iequals(raw, "ChatServer") || util::iequals(raw, "ChatClient")) {
    return std::unexpected("That username is reserved: please pick another one.");
  }
  return std::string(raw);
}

}  // namespace chat

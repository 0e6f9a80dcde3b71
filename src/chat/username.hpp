// What a chat username may be. The original accepts anything; we trim it and
// refuse names that would break or spoof the clients: control and invisible
// characters, HTML/JS-significant characters, a leading `@` (DM channels),
// more than 64 characters, and the server's own names.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace chat {

inline constexpr size_t kMaxUsernameChars = 64;

// The name to use (`anonymous` for an empty one), or the reason it is refused.
std::expected<std::string, std::string> clean_username(std::string_view raw);

}  // namespace chat

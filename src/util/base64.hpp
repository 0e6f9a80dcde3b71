// Base64 in the standard (padded) and URL-safe (unpadded, for JWTs) alphabets.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace util {

std::string base64_encode(std::string_view bytes);
std::string base64url_encode(std::string_view bytes);

// Decoders accept their own alphabet only; nullopt on any invalid character
// or length.
std::optional<std::string> base64_decode(std::string_view text);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace util

// HS256 JSON Web Tokens, verified and signed with the shared secret of
// [JWT] SecretKey. The algorithm is pinned: a token whose header names any
// other algorithm (`none`, RS256, HS512...) is refused, and no token is valid
// while the secret is empty.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "auth/claims.hpp"

namespace auth {

// Checks the signature and the time claims against `now` (Unix seconds, no
// leeway). The error is the text the original shows to users.
std::expected<Claims, std::string> verify_jwt(std::string_view token, std::string_view secret,
                                              int64_t now);

// Signs the claims as they are.
std::string sign_jwt(const Claims& claims, std::string_view secret);

// A compact token from raw header and payload JSON, HMAC-SHA256 signed.
std::string sign_compact(std::string_view header_json, std::string_view payload_json,
                         std::string_view secret);

// The claims re-issued for five more minutes from `now`, as the server does
// for /api/authenticate and on every keep-alive ping.
Claims refreshed(Claims claims, int64_t now);

}  // namespace auth

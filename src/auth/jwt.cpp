#include "auth/jwt.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "protocol/json_reader.hpp"
#include "util/base64.hpp"
#include "util/go_duration.hpp"

namespace auth {
namespace {

constexpr int64_t kRefreshSeconds = 300;

std::string hmac_sha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &len);
  return std::string(reinterpret_cast<char*>(digest), len);
}

std::expected<void, std::string> check_header(std::string_view encoded) {
  auto header = util::base64url_decode(encoded);
  if (!header) return std::unexpected("the token header is not valid base64url");
  auto doc = protocol::parse_json(*header);
  if (!doc || !doc->IsObject()) return std::unexpected("the token header is not a JSON object");
  auto it = doc->FindMember("alg");
  if (it == doc->MemberEnd() || !it->value.IsString()) {
    return std::unexpected("the token header names no signing method");
  }
  std::string_view alg(it->value.GetString(), it->value.GetStringLength());
  if (alg == "none") return std::unexpected("'none' signature type is not allowed");
  if (alg != "HS256")
    return std::unexpected("signing method " + std::string(alg) + " is not allowed");
  return {};
}

std::expected<void, std::string> check_times(const Claims& c, int64_t now) {
  if (c.exp && static_cast<double>(now) > *c.exp) {
    return std::unexpected("token is expired by " +
                           util::go_duration((now - static_cast<int64_t>(*c.exp)) * 1000));
  }
  if (c.iat && static_cast<double>(now) < *c.iat)
    return std::unexpected("token used before issued");
  if (c.nbf && static_cast<double>(now) < *c.nbf) return std::unexpected("token is not valid yet");
  return {};
}

}  // namespace

std::expected<Claims, std::string> verify_jwt(std::string_view token, std::string_view secret,
                                              int64_t now) {
  if (secret.empty()) return std::unexpected("JWT authentication has no secret key configured");
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == token.npos ? token.npos : token.find('.', dot1 + 1);
  if (dot2 == token.npos || token.find('.', dot2 + 1) != token.npos) {
    return std::unexpected("token contains an invalid number of segments");
  }
  if (auto h = check_header(token.substr(0, dot1)); !h) return std::unexpected(h.error());

  auto signature = util::base64url_decode(token.substr(dot2 + 1));
  const auto expected = hmac_sha256(secret, token.substr(0, dot2));
  if (!signature || signature->size() != expected.size() ||
      CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
    return std::unexpected("signature is invalid");
  }

  auto payload = util::base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) return std::unexpected("the token payload is not valid base64url");
  auto doc = protocol::parse_json(*payload);
  if (!doc) return std::unexpected("the token payload is not valid JSON");
  auto claims = claims_from_json(*doc);
  if (!claims) return std::unexpected(claims.error());
  if (auto t = check_times(*claims, now); !t) return std::unexpected(t.error());
  return claims;
}

std::string sign_jwt(const Claims& claims, std::string_view secret) {
  return sign_compact(R"({"alg":"HS256","typ":"JWT"})", claims_to_json(claims), secret);
}

std::string sign_compact(std::string_view header_json, std::string_view payload_json,
                         std::string_view secret) {
  std::string token = util::base64url_encode(header_json);
  token += '.';
  token += util::base64url_encode(payload_json);
  const auto sig = hmac_sha256(secret, token);
  token += '.';
  token += util::base64url_encode(sig);
  return token;
}

Claims refreshed(Claims claims, int64_t now) {
  claims.iat = static_cast<double>(now);
  claims.nbf = static_cast<double>(now);
  claims.exp = static_cast<double>(now + kRefreshSeconds);
  return claims;
}

}  // namespace auth

#include "http/api_request.hpp"

#include <openssl/crypto.h>

#include "auth/jwt.hpp"
#include "http/responses.hpp"
#include "protocol/json_reader.hpp"
#include "util/text.hpp"

namespace http {

bool is_json_content_type(std::string_view content_type) {
  auto type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return util::iequals(type, "application/json");
}

std::expected<rapidjson::Document, net::Response> read_json_body(const net::Request& req) {
  if (req.method() != bhttp::verb::post) {
    return std::unexpected(api_error(req, bhttp::status::bad_request, "Only POST methods allowed"));
  }
  if (!is_json_content_type(req[bhttp::field::content_type])) {
    return std::unexpected(
        api_error(req, bhttp::status::bad_request, "Only application/json content-types allowed"));
  }
  auto doc = protocol::parse_json(req.body());
  if (!doc) {
    return std::unexpected(
        api_error(req, bhttp::status::bad_request, "Invalid JSON body: " + doc.error()));
  }
  if (!doc->IsObject()) {
    return std::unexpected(
        api_error(req, bhttp::status::bad_request, "The body must be a JSON object"));
  }
  return std::move(*doc);
}

std::optional<net::Response> check_api_key(const net::Request& req, const rapidjson::Value& body,
                                           const config::Settings& s) {
  if (s.admin_api_key.empty()) {
    return api_error(req, bhttp::status::forbidden,
                     "The admin API is disabled: AdminAPIKey is empty in settings.toml.");
  }
  std::string key;
  protocol::ObjectReader r(body);
  r.read("APIKey", key);
  const bool match = key.size() == s.admin_api_key.size() &&
                     CRYPTO_memcmp(key.data(), s.admin_api_key.data(), key.size()) == 0;
  if (!match) return api_error(req, bhttp::status::unauthorized, kAuthDenied);
  return std::nullopt;
}

std::expected<auth::Claims, std::string> chat_jwt_claims(const config::Settings& s,
                                                         std::string_view token, int64_t now_s) {
  if (!s.jwt.enabled || token.empty()) {
    return std::unexpected("JWT authentication is not available.");
  }
  return auth::verify_jwt(token, s.jwt.secret_key, now_s);
}

}  // namespace http

// The checks every POST JSON endpoint makes, in the original's order:
// method, content type, JSON body, then (for admin calls) the API key.
#pragma once

#include <expected>
#include <optional>

#include <rapidjson/document.h>

#include "auth/claims.hpp"
#include "config/settings.hpp"
#include "net/http_types.hpp"

namespace http {

// `application/json`, any case, parameters such as charset allowed.
bool is_json_content_type(std::string_view content_type);

// The parsed body, or the error response to send.
std::expected<rapidjson::Document, net::Response> read_json_body(const net::Request& req);

// nullopt when the key matches; otherwise the response to send.
std::optional<net::Response> check_api_key(const net::Request& req, const rapidjson::Value& body,
                                           const config::Settings& s);

// The claims of a user's own chat JWT (the endpoints the chat page calls),
// or the error text to answer with.
std::expected<auth::Claims, std::string> chat_jwt_claims(const config::Settings& s,
                                                         std::string_view token, int64_t now_s);

inline constexpr const char* kAuthDenied = "Authentication denied.";

}  // namespace http

// The checks every POST JSON endpoint makes, in the original's order:
// method, content type, JSON body, then (for admin calls) the API key.
#pragma once

#include <expected>
#include <optional>

#include <rapidjson/document.h>

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

inline constexpr const char* kAuthDenied = "Authentication denied.";

}  // namespace http

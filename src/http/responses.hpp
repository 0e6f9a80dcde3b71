// Building HTTP responses: the JSON API's envelope and plain texts.
#pragma once

#include <string>
#include <string_view>

#include "net/http_types.hpp"

namespace http {

namespace bhttp = boost::beast::http;

// {"OK": false, "Error": TEXT}, 2-space indented, as the original writes it.
net::Response api_error(const net::Request& req, bhttp::status status, std::string_view text);
// A JSON body (already serialized) with a trailing newline.
net::Response json_response(const net::Request& req, bhttp::status status, std::string body);
net::Response text_response(const net::Request& req, bhttp::status status, std::string body);
// The Prometheus text exposition format (/metrics).
net::Response metrics_response(const net::Request& req, std::string body);
net::Response html_response(const net::Request& req, std::string body);

// What an answer given later (after the room or a webhook replied) needs of
// the request: its version, keep-alive and Origin, without the body.
net::Request request_head(const net::Request& req);

}  // namespace http

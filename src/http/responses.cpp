#include "http/responses.hpp"

#include "protocol/json_writer.hpp"

namespace http {

namespace {
net::Response make(const net::Request& req, bhttp::status status, std::string_view type,
                   std::string body) {
  net::Response res{status, req.version()};
  res.set(bhttp::field::content_type, type);
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}
}  // namespace

net::Response api_error(const net::Request& req, bhttp::status status, std::string_view text) {
  std::string body;
  protocol::JsonWriter w(body, true);
  w.begin_object().field("OK", false).field("Error", text).end_object();
  return json_response(req, status, std::move(body));
}

net::Response json_response(const net::Request& req, bhttp::status status, std::string body) {
  body += '\n';
  return make(req, status, "application/json", std::move(body));
}

net::Response text_response(const net::Request& req, bhttp::status status, std::string body) {
  return make(req, status, "text/plain; charset=utf-8", std::move(body));
}

net::Response metrics_response(const net::Request& req, std::string body) {
  auto res =
      make(req, bhttp::status::ok, "text/plain; version=0.0.4; charset=utf-8", std::move(body));
  res.set(bhttp::field::cache_control, "no-store");
  return res;
}

net::Response html_response(const net::Request& req, std::string body) {
  return make(req, bhttp::status::ok, "text/html; charset=utf-8", std::move(body));
}

net::Request request_head(const net::Request& req) {
  net::Request head(req.method(), req.target(), req.version());
  head.keep_alive(req.keep_alive());
  if (auto origin = req[bhttp::field::origin]; !origin.empty())
    head.set(bhttp::field::origin, origin);
  return head;
}

}  // namespace http

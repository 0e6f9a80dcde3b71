#include "http/cors.hpp"

#include <algorithm>

#include "http/responses.hpp"

namespace http {

void apply_cors(const net::Request& req, net::Response& res, const config::Settings& s) {
  res.set(bhttp::field::vary, "Origin");
  const auto origin = req[bhttp::field::origin];
  if (origin.empty()) return;
  if (std::find(s.cors_hosts.begin(), s.cors_hosts.end(), origin) == s.cors_hosts.end()) return;
  res.set(bhttp::field::access_control_allow_origin, origin);
}

net::Response preflight(const net::Request& req, const config::Settings& s) {
  net::Response res{bhttp::status::no_content, req.version()};
  res.keep_alive(req.keep_alive());
  apply_cors(req, res, s);
  if (res.count(bhttp::field::access_control_allow_origin)) {
    res.set(bhttp::field::access_control_allow_methods, "GET, POST, OPTIONS");
    res.set(bhttp::field::access_control_allow_headers, "Content-Type");
    res.set(bhttp::field::access_control_max_age, "600");
  }
  res.prepare_payload();
  return res;
}

}  // namespace http

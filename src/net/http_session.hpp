// One HTTP connection: reads requests with a size cap and timeouts, hands
// them to the application, writes the responses; upgrades `/ws` requests to
// a WsSession (after the Origin check).
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include <memory>
#include <optional>

#include "net/http_types.hpp"
#include "net/ws_session.hpp"

namespace net {

class WsHandler;

struct HttpLimits {
  size_t max_body = 1 << 20;  // API bodies
  size_t max_header = 16 << 10;
  std::chrono::seconds read_timeout{30};
  // For a body that may be large (a picture sent to /poll).
  std::chrono::seconds large_body_timeout{300};
};

struct Handlers {
  HttpHandler& http;
  WsHandler& ws;
  // Read per connection: they follow settings.toml reloads.
  std::function<WsLimits()> ws_limits;
  HttpLimits http_limits;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, Handlers& handlers);
  void run();

 private:
  void read();
  uint64_t poll_body_limit() const;
  void on_header(boost::beast::error_code ec);
  void on_read(boost::beast::error_code ec);
  void respond(Response res);
  void discard_until_closed();
  void upgrade(const Request& req);

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  Handlers& handlers_;
  std::string remote_ip_;
  std::optional<std::chrono::steady_clock::time_point> discard_deadline_;
};

// `Origin` must name the same host as `Host` (the CSRF guard of the
// original's WebSocket library); no Origin is fine.
bool origin_allowed(std::string_view origin, std::string_view host);

// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
std::string websocket_accept_key(std::string_view key);

}  // namespace net

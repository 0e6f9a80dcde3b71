#include "net/http_session.hpp"

#include <openssl/sha.h>
#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <array>

#include "net/connection_id.hpp"
#include "util/base64.hpp"
#include "util/text.hpp"

namespace net {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

namespace {

Response text_response(bhttp::status status, unsigned version, std::string body) {
  Response res{status, version};
  res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace

bool origin_allowed(std::string_view origin, std::string_view host) {
  if (origin.empty()) return true;
  auto scheme = origin.find("://");
  if (scheme == origin.npos) return false;
  auto rest = origin.substr(scheme + 3);
  rest = rest.substr(0, rest.find('/'));
  return util::iequals(rest, host);
}

std::string websocket_accept_key(std::string_view key) {
  std::string input(key);
  input += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  return util::base64_encode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

HttpSession::HttpSession(boost::asio::ip::tcp::socket socket, Handlers& handlers)
    : stream_(std::move(socket)), handlers_(handlers) {
  beast::error_code ec;
  auto ep = stream_.socket().remote_endpoint(ec);
  remote_ip_ = ec ? "?" : ep.address().to_string();
}

void HttpSession::run() {
  read();
}

void HttpSession::read() {
  parser_.emplace();
  // The largest body any path takes; on_header() lowers it for the others.
  parser_->body_limit(std::max<uint64_t>(handlers_.http_limits.max_body, poll_body_limit()));
  parser_->header_limit(static_cast<uint32_t>(handlers_.http_limits.max_header));
  stream_.expires_after(handlers_.http_limits.read_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
}

// A polling client's message may be as large as a WebSocket one (a picture).
uint64_t HttpSession::poll_body_limit() const {
  return handlers_.ws_limits().max_message;
}

void HttpSession::on_header(beast::error_code ec) {
  if (ec) return on_read(ec);
  const auto target = std::string_view(parser_->get().target());
  if (target != "/poll" && !target.starts_with("/poll?")) {
    const uint64_t limit = handlers_.http_limits.max_body;
    if (parser_->content_length().value_or(0) > limit) return on_read(bhttp::error::body_limit);
    parser_->body_limit(limit);  // checked as a chunked body comes in
  } else {
    stream_.expires_after(handlers_.http_limits.large_body_timeout);
  }
  bhttp::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
  // The rest of a refused request is never read: the connection ends after
  // the answer, or those bytes would be taken for the next request.
  auto refuse = [this](bhttp::status status, std::string text) {
    auto res = text_response(status, 11, std::move(text));
    res.keep_alive(false);
    respond(std::move(res));
  };
  if (ec == bhttp::error::body_limit) {
    return refuse(bhttp::status::payload_too_large, "Request body too large\n");
  }
  if (ec == bhttp::error::header_limit) {
    return refuse(bhttp::status::request_header_fields_too_large, "Request headers too large\n");
  }
  if (ec) return;  // closed, timed out or malformed: drop the connection
  stream_.expires_never();
  Request req = parser_->release();
  if (beast::websocket::is_upgrade(req) && req.target() == "/ws") return upgrade(req);
  handlers_.http.handle(std::move(req), remote_ip_, [self = shared_from_this()](Response res) {
    auto ex = self->stream_.get_executor();
    boost::asio::post(ex, [self = std::move(self), res = std::move(res)]() mutable {
      self->respond(std::move(res));
    });
  });
}

void HttpSession::respond(Response res) {
  auto shared = std::make_shared<Response>(std::move(res));
  stream_.expires_after(handlers_.http_limits.read_timeout);
  bhttp::async_write(
      stream_, *shared, [self = shared_from_this(), shared](beast::error_code ec, size_t) {
        if (ec) return;
        if (shared->need_eof()) {
          beast::error_code ignored;
          self->stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
          return self->discard_until_closed();
        }
        self->read();
      });
}

// Closing with unread bytes would reset the connection, and the client could
// lose the answer before reading it: what it still sends is read and thrown
// away for a little while first.
void HttpSession::discard_until_closed() {
  static constexpr auto kLinger = std::chrono::seconds(2);
  if (!discard_deadline_) {
    discard_deadline_ = std::chrono::steady_clock::now() + kLinger;
    stream_.expires_at(*discard_deadline_);
  }
  thread_local std::array<char, 16 << 10> sink;
  stream_.async_read_some(boost::asio::buffer(sink),
                          [self = shared_from_this()](beast::error_code ec, size_t) {
                            if (!ec) self->discard_until_closed();
                          });
}

void HttpSession::upgrade(const Request& req) {
  const auto origin = req[bhttp::field::origin];
  const auto host = req[bhttp::field::host];
  if (!origin_allowed(origin, host)) {
    auto res = text_response(bhttp::status::forbidden, req.version(),
                             "request Origin \"" + std::string(origin) +
                                 "\" is not authorized for Host \"" + std::string(host) + "\"\n");
    res.keep_alive(false);
    return respond(std::move(res));
  }
  const auto key = req[bhttp::field::sec_websocket_key];
  if (req[bhttp::field::sec_websocket_version] != "13" || key.empty()) {
    auto res = text_response(bhttp::status::upgrade_required, req.version(),
                             "WebSocket version 13 is required\n");
    res.set(bhttp::field::sec_websocket_version, "13");
    res.keep_alive(false);
    return respond(std::move(res));
  }
  // The 101 response is the first thing in the new session's outbox, so it
  // goes out with the session's own non-blocking writes.
  protocol::FrameBuilder accept;
  accept.text() +=
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: " +
      websocket_accept_key(key) + "\r\n\r\n";
  protocol::Frame raw = accept.seal();
  raw.offset = protocol::kFrameHeaderRoom;  // raw bytes: no frame header

  auto data = buffer_.data();
  std::string early(static_cast<const char*>(data.data()), data.size());
  auto session = std::make_shared<WsSession>(stream_.release_socket(), next_connection_id(),
                                             handlers_.ws, handlers_.ws_limits(), std::move(early));
  session->enqueue(std::move(raw), false);
  session->start();
  session->flush();
}

}  // namespace net

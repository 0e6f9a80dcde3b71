#include "net/listener.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>

#include <stdexcept>

namespace net {

namespace asio = boost::asio;

asio::ip::tcp::endpoint parse_address(std::string_view address) {
  const auto colon = address.rfind(':');
  if (colon == address.npos)
    throw std::invalid_argument("address needs a port: " + std::string(address));
  std::string host(address.substr(0, colon));
  const std::string port(address.substr(colon + 1));
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "0.0.0.0";
  asio::io_context ctx;
  asio::ip::tcp::resolver resolver(ctx);
  auto results = resolver.resolve(host, port, asio::ip::tcp::resolver::passive);
  if (results.empty()) throw std::invalid_argument("cannot resolve " + std::string(address));
  return results.begin()->endpoint();
}

Listener::Listener(IoPool& pool, const asio::ip::tcp::endpoint& endpoint, Handlers& handlers)
    : pool_(pool), acceptor_(pool.at(0)), handlers_(handlers) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void Listener::start() {
  accept();
}

void Listener::accept() {
  acceptor_.async_accept(pool_.next(),
                         [this](boost::system::error_code ec, asio::ip::tcp::socket s) {
                           if (!ec) {
                             // Start on the socket's own loop: all its handlers run there.
                             auto ex = s.get_executor();
                             auto session = std::make_shared<HttpSession>(std::move(s), handlers_);
                             asio::post(ex, [session] { session->run(); });
                           } else if (ec == asio::error::operation_aborted) {
                             return;
                           } else {
                             // Out of descriptors and the like: log, and keep accepting.
                             spdlog::warn("accept failed: {}", ec.message());
                           }
                           accept();
                         });
}

}  // namespace net

// Accepts TCP connections and spreads them over the I/O pool.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "net/http_session.hpp"
#include "net/io_pool.hpp"

namespace net {

class Listener {
 public:
  // Throws on a bad address or a port in use (a start-up failure).
  Listener(IoPool& pool, const boost::asio::ip::tcp::endpoint& endpoint, Handlers& handlers);
  void start();
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

 private:
  void accept();

  IoPool& pool_;
  boost::asio::ip::tcp::acceptor acceptor_;
  Handlers& handlers_;
};

// Parses the original's `-address` forms: ":9000", "localhost:5000",
// "127.0.0.1:9000", "[::1]:9000".
boost::asio::ip::tcp::endpoint parse_address(std::string_view address);

}  // namespace net

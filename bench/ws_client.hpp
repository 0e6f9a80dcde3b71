// A minimal WebSocket client connection for the load generator.
//
// Cheap per delivery: the sockets live in one level-triggered epoll set of
// their own (nested in the io_context's reactor, so timers and coroutines
// still work), each readiness costs one read() into a buffer shared by all
// connections, and frames are parsed in place. An idle connection holds no
// buffer. Client frames are masked as RFC 6455 requires.
//
// Single-threaded: every connection of a generator lives on one io_context
// run by one thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <cstdint>
#include <string>
#include <string_view>

#include "clock.hpp"

namespace bench {

class Connection;

// Receives the events of all connections (the scenario).
class ConnectionHandler {
 public:
  // The WebSocket handshake is complete.
  virtual void on_open(Connection& c) = 0;
  // One complete text message; `now` is when the bytes were read.
  virtual void on_text(Connection& c, std::string_view payload, Clock::time_point now) = 0;
  // The connection failed or was closed by the server. `close_code` is the
  // code of the server's close frame, or 0 when there was none.
  virtual void on_closed(Connection& c, std::string_view why, int close_code) = 0;

 protected:
  ~ConnectionHandler() = default;
};

// The epoll set holding every connection's socket.
class EventLoop {
 public:
  explicit EventLoop(boost::asio::io_context& io);
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  bool add(int fd, Connection* c, uint32_t events);
  void modify(int fd, Connection* c, uint32_t events);
  void remove(int fd);
  // Stops dispatching (pending waits end with operation_aborted).
  void stop();

 private:
  void arm();
  void dispatch();

  int epoll_fd_;
  boost::asio::posix::stream_descriptor watch_;
  bool stopped_ = false;
};

class Connection {
 public:
  enum class State { kIdle, kConnecting, kHandshaking, kOpen, kClosed };

  Connection(EventLoop& loop, uint32_t index, ConnectionHandler& handler);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Connects to `server` from `source` (unspecified: the kernel's choice; the
  // port is picked at connect time) and sends the upgrade request for `/ws`.
  void start(const boost::asio::ip::tcp::endpoint& server, const boost::asio::ip::address& source,
             const std::string& host_header);
  // Queues one masked text frame (no-op unless open).
  void send_text(std::string_view payload);
  // Closes the socket now without telling the handler.
  void abort();

  uint32_t index() const { return index_; }
  State state() const { return state_; }
  bool open() const { return state_ == State::kOpen; }

  // EventLoop: the socket is ready.
  void on_event(uint32_t events);

 private:
  void on_connected();
  void on_readable();
  void consume(const char* data, size_t n, Clock::time_point now);
  // Parses complete frames from data[0, n); returns the bytes used.
  size_t parse_frames(const char* data, size_t n, Clock::time_point now);
  void handle_frame(bool fin, int opcode, std::string_view payload, Clock::time_point now);
  void send_frame(int opcode, std::string_view payload);
  void flush();
  void fail(std::string_view why, int close_code = 0);

  EventLoop& loop_;
  const uint32_t index_;
  ConnectionHandler& handler_;
  int fd_ = -1;
  State state_ = State::kIdle;
  bool want_write_ = false;  // EPOLLOUT registered
  std::string pending_;      // unparsed received bytes (a partial frame)
  size_t pending_need_ = 0;  // total bytes needed before parsing again
  std::string fragments_;    // a fragmented message being assembled
  std::string out_;          // bytes not yet written
  size_t out_done_ = 0;      // of out_, already written
  uint32_t mask_seed_;
};

}  // namespace bench

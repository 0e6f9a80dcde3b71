// One WebSocket connection after the upgrade. It reads with a readiness wait
// and a per-thread buffer (an idle connection holds no read buffer), parses
// frames itself, and writes every queued frame in one gathered write: a
// broadcast's bytes are shared by all recipients, never copied per recipient.
//
// Threading: the session lives on one io_context thread. `enqueue` and
// `close` may be called from any thread; everything else runs on the
// session's thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "net/outbox.hpp"
#include "net/traffic.hpp"
#include "net/ws_parser.hpp"

namespace net {

class WsHandler;

struct WsLimits {
  uint64_t max_message = 40 << 20;        // WebSocketReadLimit
  size_t outbox_bytes = 16 << 20;         // queued output before the client is dropped
  std::chrono::seconds send_timeout{10};  // WebSocketSendTimeout
  int max_backlog = 64;                   // messages handed on but not yet processed
  Traffic* traffic = nullptr;             // counted here when set
};

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(boost::asio::ip::tcp::socket socket, uint64_t id, WsHandler& handler, WsLimits limits,
            std::string early_bytes);
  ~WsSession();

  uint64_t id() const { return id_; }
  const std::string& remote_ip() const { return remote_ip_; }
  boost::asio::any_io_executor executor() { return socket_.get_executor(); }

  void start();

  // Any thread. Returns true when the caller must schedule `flush()` on the
  // session's thread. On overflow the connection is dropped.
  bool enqueue(protocol::Frame frame, bool snapshot);
  // Session thread: writes what is queued.
  void flush();
  // Any thread: send a close frame after what is queued, then close the
  // socket; `delay` lets the client read first.
  void close(uint16_t code, std::string reason, std::chrono::milliseconds delay = {});

  // The application finished one message it was handed (any thread).
  void message_done();

 private:
  void wait_readable();
  void on_readable();
  void handle_frame(WsParser::Kind kind, std::string_view payload);
  void write_some();
  void wait_writable(bool who_list);
  void start_close(uint16_t code, std::string reason);
  void fail_slow(const char* why);
  void arm_close_timer(std::chrono::milliseconds delay, std::function<void()> then);
  void fail(const char* why);
  void finish();

  boost::asio::ip::tcp::socket socket_;
  // Made on first use: most connections never need them.
  std::unique_ptr<boost::asio::steady_timer> write_deadline_;
  std::unique_ptr<boost::asio::steady_timer> close_timer_;
  const uint64_t id_;
  WsHandler& handler_;
  const WsLimits limits_;
  std::string remote_ip_;
  std::string early_bytes_;  // read together with the upgrade request
  WsParser parser_;
  Outbox outbox_;

  // Session thread only.
  const std::vector<protocol::Frame>* in_flight_ = nullptr;  // being written
  size_t write_offset_ = 0;  // bytes of the in-flight batch already written
  bool reading_paused_ = false;
  bool closing_ = false;  // a close frame is queued; read nothing more
  bool finished_ = false;
  std::atomic<int> backlog_{0};
};

}  // namespace net

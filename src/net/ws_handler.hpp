// What a WebSocket connection reports to the application. Called on the
// connection's I/O thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace net {

class WsSession;

class WsHandler {
 public:
  virtual ~WsHandler() = default;
  virtual void on_open(const std::shared_ptr<WsSession>& session) = 0;
  // A complete text message.
  virtual void on_text(const std::shared_ptr<WsSession>& session, std::string_view text) = 0;
  // A complete binary message (not part of the protocol).
  virtual void on_binary(const std::shared_ptr<WsSession>& session) = 0;
  // Called once, when the connection is gone.
  virtual void on_close(const std::shared_ptr<WsSession>& session) = 0;
};

}  // namespace net

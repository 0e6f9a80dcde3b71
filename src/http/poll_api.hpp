// POST /poll: the polling API, for clients that cannot hold a WebSocket
// (polling.md). Each request carries one chat message and is answered at
// once with everything queued for the client (short polling).
#pragma once

#include "http/backend.hpp"
#include "net/http_types.hpp"

namespace http {

class PollApi {
 public:
  explicit PollApi(Backend& backend) : backend_(backend) {}

  void poll(const net::Request& req, const net::Respond& respond);

 private:
  Backend& backend_;
};

}  // namespace http

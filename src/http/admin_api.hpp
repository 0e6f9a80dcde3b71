// The JSON API endpoints of the seed document that the AdminAPIKey guards:
// /api/authenticate (also as /api/authentication), /api/shutdown and
// /api/blocklist, and the moderation endpoints /api/block/now,
// /api/disconnect/now and /api/amend-jwt. Every one answers POST with an application/json body;
// an empty AdminAPIKey in the settings turns them all off.
#pragma once

#include "http/backend.hpp"
#include "net/http_types.hpp"

namespace http {

class AdminApi {
 public:
  explicit AdminApi(Backend& backend) : backend_(backend) {}

  void authenticate(const net::Request& req, const net::Respond& respond);
  void shutdown(const net::Request& req, const net::Respond& respond);
  void blocklist(const net::Request& req, const net::Respond& respond);
  void block_now(const net::Request& req, const net::Respond& respond);
  void disconnect_now(const net::Request& req, const net::Respond& respond);
  void amend_jwt(const net::Request& req, const net::Respond& respond);

 private:
  Backend& backend_;
};

}  // namespace http

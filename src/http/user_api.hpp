// The JSON API endpoints that the chat page calls with its user's own chat
// JWT (http-api.md §3.8): /api/profile, which asks the website's `profile`
// webhook for a user's profile card.
#pragma once

#include "http/backend.hpp"
#include "net/http_types.hpp"

namespace http {

class UserApi {
 public:
  explicit UserApi(Backend& backend) : backend_(backend) {}

  void profile(const net::Request& req, const net::Respond& respond);

 private:
  Backend& backend_;
};

}  // namespace http

// The JSON API endpoints that the chat page calls with its user's own chat
// JWT (http-api.md §3.8): /api/profile, which asks the website's `profile`
// webhook for a user's profile card.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "http/backend.hpp"
#include "net/http_types.hpp"

namespace http {

class UserApi {
 public:
  explicit UserApi(Backend& backend) : backend_(backend) {}

  void profile(const net::Request& req, const net::Respond& respond);

 private:
  // Profile requests waiting for the website, per user: a few at once, so
  // that one user cannot fill the webhook queue that reports also use.
  static constexpr int kMaxProfilesPerUser = 4;
  bool begin_profile(const std::string& user);
  void end_profile(const std::string& user);

  Backend& backend_;
  std::mutex mutex_;
  std::unordered_map<std::string, int> profiles_waiting_;
};

}  // namespace http

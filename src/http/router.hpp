// Routes HTTP requests: the JSON API, the pages, and every other path to the
// chat page (the original's catch-all).
#pragma once

#include "http/admin_api.hpp"
#include "http/backend.hpp"
#include "http/history_api.hpp"
#include "http/poll_api.hpp"
#include "http/user_api.hpp"
#include "net/http_types.hpp"

namespace http {

class Router : public net::HttpHandler {
 public:
  explicit Router(Backend& backend)
      : backend_(backend), admin_(backend), user_(backend), history_(backend), poll_(backend) {}
  void handle(net::Request req, const std::string& remote_ip, net::Respond respond) override;

 private:
  void statistics(const net::Request& req, const net::Respond& respond);
  void chat_page(const net::Request& req, const net::Respond& respond);

  Backend& backend_;
  AdminApi admin_;
  UserApi user_;
  HistoryApi history_;
  PollApi poll_;
};

// The value of `name` in a query string or form body, percent-decoded.
std::string form_value(std::string_view query, std::string_view name);

}  // namespace http

// Routes HTTP requests: the JSON API, the pages, the web client's files
// (/static/ and /favicon.ico), and every other path to the chat page (the
// original's catch-all).
#pragma once

#include <memory>

#include "http/admin_api.hpp"
#include "http/backend.hpp"
#include "http/chat_page.hpp"
#include "http/history_api.hpp"
#include "http/poll_api.hpp"
#include "http/static_files.hpp"
#include "http/user_api.hpp"
#include "net/http_types.hpp"

namespace http {

class Router : public net::HttpHandler {
 public:
  // `web`: the built web client (empty when there is none).
  Router(Backend& backend, std::shared_ptr<const StaticFiles> web);
  void handle(net::Request req, const std::string& remote_ip, net::Respond respond) override;

 private:
  void statistics(const net::Request& req, const net::Respond& respond);
  void chat_page(const net::Request& req, const net::Respond& respond);
  void static_file(const net::Request& req, std::string_view path, const net::Respond& respond);

  Backend& backend_;
  AdminApi admin_;
  UserApi user_;
  HistoryApi history_;
  PollApi poll_;
  std::shared_ptr<const StaticFiles> web_;
  WebClientAssets assets_;  // what of web_ the chat page links to
};

// The value of `name` in a query string or form body, percent-decoded.
std::string form_value(std::string_view query, std::string_view name);

}  // namespace http

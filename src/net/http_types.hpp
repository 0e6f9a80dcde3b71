// The HTTP request and response types shared by the transport and handlers.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <string>

namespace net {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;
// May be called from any thread, once.
using Respond = std::function<void(Response)>;

class HttpHandler {
 public:
  virtual ~HttpHandler() = default;
  virtual void handle(Request request, const std::string& remote_ip, Respond respond) = 0;
};

}  // namespace net

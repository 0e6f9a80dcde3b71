// The DM history endpoints (http-api.md §3.9–3.11): a page of a DM thread,
// the people a user has DM threads with, and erasing a user's DMs. The chat
// page calls them with its user's chat JWT; /api/message/clear also takes
// the AdminAPIKey. The database work runs on the history store's thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "http/backend.hpp"
#include "net/http_types.hpp"
#include "protocol/json_writer.hpp"

namespace http {

class HistoryApi {
 public:
  explicit HistoryApi(Backend& backend) : backend_(backend) {}

  void history(const net::Request& req, const net::Respond& respond);
  void usernames(const net::Request& req, const net::Respond& respond);
  void clear(const net::Request& req, const net::Respond& respond);

 private:
  // Writes an endpoint's keys after OK and Error.
  using Fields = std::function<void(protocol::JsonWriter&)>;
  void for_signed_in_user(const net::Request& req, const net::Respond& respond,
                          std::string_view token, const Fields& empty,
                          std::function<void(std::string, store::HistoryStore&)> read);

  Backend& backend_;
};

}  // namespace http

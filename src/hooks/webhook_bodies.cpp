#include "hooks/webhook_bodies.hpp"

#include "protocol/json_writer.hpp"

namespace hooks {

std::string report_body(std::string_view api_key, const chat::Report& r) {
  std::string out;
  protocol::JsonWriter w(out);
  w.begin_object()
      .field("Action", "report")
      .field("APIKey", api_key)
      .key("Report")
      .begin_object()
      .field("FromUsername", r.from_username)
      .field("AboutUsername", r.about_username)
      .field("Channel", r.channel)
      .field("Timestamp", r.timestamp)
      .field("Reason", r.reason)
      .field("Message", r.message)
      .field("Comment", r.comment)
      .end_object()
      .end_object();
  return out;
}

std::string profile_body(std::string_view api_key, std::string_view username) {
  std::string out;
  protocol::JsonWriter w(out);
  w.begin_object()
      .field("Action", "profile")
      .field("APIKey", api_key)
      .field("Username", username)
      .end_object();
  return out;
}

}  // namespace hooks

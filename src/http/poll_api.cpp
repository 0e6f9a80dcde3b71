#include "http/poll_api.hpp"

#include "chat/inbound.hpp"
#include "http/api_request.hpp"
#include "http/responses.hpp"
#include "protocol/json_reader.hpp"
#include "protocol/json_writer.hpp"

namespace http {
namespace {

constexpr const char* kAuthExpired =
    "Your authentication has expired, please log back into the chat again.";

std::string answer_body(const PollAnswer& a) {
  std::string body;
  protocol::JsonWriter w(body, true);
  w.begin_object();
  if (!a.username.empty()) w.field("username", a.username);
  if (!a.session_id.empty()) w.field("session_id", a.session_id);
  w.key("messages").begin_array();
  for (const auto& m : a.messages) w.raw(m.payload());
  if (a.expired) {
    w.begin_object()
        .field("action", "error")
        .field("username", "ChatServer")
        .field("message", kAuthExpired)
        .end_object();
    w.begin_object().field("action", "disconnect").end_object();
  }
  w.end_array().end_object();
  return body;
}

// The endpoint's own errors: one ChatServer error message.
net::Response poll_error(const net::Request& req, std::string_view text,
                         bhttp::status status = bhttp::status::bad_request) {
  std::string body;
  protocol::JsonWriter w(body, true);
  w.begin_object().key("messages").begin_array();
  w.begin_object()
      .field("action", "error")
      .field("username", "ChatServer")
      .field("message", text)
      .end_object();
  w.end_array().end_object();
  return json_response(req, status, std::move(body));
}

struct PollRequest {
  std::string username;
  std::string session_id;
  std::expected<protocol::ClientMessage, std::string> msg;
};

// The request's fields, or the text of the error to answer with.
std::expected<PollRequest, std::string> read_request(const net::Request& req) {
  if (req.method() != bhttp::verb::post) return std::unexpected("Only POST methods allowed");
  if (!is_json_content_type(req[bhttp::field::content_type])) {
    return std::unexpected("Only application/json content-types allowed");
  }
  auto doc = protocol::parse_json(req.body());
  if (!doc) return std::unexpected("Invalid JSON body: " + doc.error());
  if (!doc->IsObject()) return std::unexpected("The request must be a JSON object.");
  PollRequest r{.msg = protocol::ClientMessage{}};
  protocol::ObjectReader reader(*doc);
  reader.read("username", r.username);
  reader.read("session_id", r.session_id);
  if (!reader.ok()) return std::unexpected(reader.error());
  if (const auto* msg = reader.find("msg")) {
    if (!msg->IsObject()) return std::unexpected("\"msg\" must be an object");
    r.msg = protocol::decode_client_message(*msg);
  }
  return r;
}

}  // namespace

void PollApi::poll(const net::Request& req, const net::Respond& respond) {
  auto r = read_request(req);
  if (!r) return respond(poll_error(req, r.error()));
  if (r->username.empty() && r->session_id.empty()) {
    if (!r->msg || r->msg->action != protocol::Action::kLogin) {
      return respond(poll_error(req, "Not logged in."));
    }
  } else if (r->username.empty() || r->session_id.empty()) {
    return respond(poll_error(req, "Authentication error: SessionID and Username both required."));
  }
  auto in = chat::prepare_inbound(std::move(r->msg), *backend_.settings(), backend_.now_seconds());
  backend_.poll(
      std::move(r->username), std::move(r->session_id), std::move(in),
      [head = request_head(req), respond](PollAnswer a) {
        if (!a.unavailable.empty()) {
          return respond(poll_error(head, a.unavailable, bhttp::status::service_unavailable));
        }
        const auto status = a.expired ? bhttp::status::bad_request : bhttp::status::ok;
        respond(json_response(head, status, answer_body(a)));
      });
}

}  // namespace http

#include "http/admin_api.hpp"

#include "auth/jwt.hpp"
#include "http/api_request.hpp"
#include "http/responses.hpp"
#include "protocol/json_reader.hpp"
#include "protocol/json_writer.hpp"

namespace http {
namespace {

// Parses the body and checks the key; on failure responds and returns nullopt.
std::optional<rapidjson::Document> admin_body(const net::Request& req, const net::Respond& respond,
                                              const config::Settings& s) {
  auto body = read_json_body(req);
  if (!body) {
    respond(std::move(body.error()));
    return std::nullopt;
  }
  if (auto denied = check_api_key(req, *body, s)) {
    respond(std::move(*denied));
    return std::nullopt;
  }
  return std::move(*body);
}

// Sends the room's answer as the 200 response body.
std::function<void(std::string)> relay(const net::Request& req, const net::Respond& respond) {
  return [head = request_head(req), respond](std::string body) {
    respond(json_response(head, bhttp::status::ok, std::move(body)));
  };
}

net::Response ok(const net::Request& req, std::string_view jwt = {}) {
  std::string body;
  protocol::JsonWriter w(body, true);
  w.begin_object().field("OK", true);
  if (!jwt.empty()) w.field("JWT", jwt);
  w.end_object();
  return json_response(req, bhttp::status::ok, std::move(body));
}

}  // namespace

void AdminApi::authenticate(const net::Request& req, const net::Respond& respond) {
  const auto s = backend_.settings();
  auto body = admin_body(req, respond, *s);
  if (!body) return;
  auth::Claims claims;
  protocol::ObjectReader r(*body);
  if (const auto* c = r.find("Claims")) {
    auto parsed = auth::claims_from_json(*c);
    if (!parsed) {
      return respond(
          api_error(req, bhttp::status::bad_request, "Invalid claims: " + parsed.error()));
    }
    claims = std::move(*parsed);
  }
  if (s->jwt.secret_key.empty()) {
    return respond(
        api_error(req, bhttp::status::internal_server_error,
                  "Error signing the JWT claims: [JWT] SecretKey is empty in settings.toml."));
  }
  const auto token =
      auth::sign_jwt(auth::refreshed(std::move(claims), backend_.now_seconds()), s->jwt.secret_key);
  respond(ok(req, token));
}

void AdminApi::shutdown(const net::Request& req, const net::Respond& respond) {
  const auto s = backend_.settings();
  if (!admin_body(req, respond, *s)) return;
  respond(ok(req));
  backend_.shutdown();
}

void AdminApi::blocklist(const net::Request& req, const net::Respond& respond) {
  const auto s = backend_.settings();
  auto body = admin_body(req, respond, *s);
  if (!body) return;
  std::string username;
  std::vector<std::string> list;
  protocol::ObjectReader r(*body);
  r.read("Username", username);
  r.read("Blocklist", list);
  if (!r.ok()) return respond(api_error(req, bhttp::status::bad_request, r.error()));
  backend_.cache_blocklist(std::move(username), std::move(list));
  respond(ok(req));
}

// The room answers with the body; the response is sent from the room's
// thread, as for /api/statistics.
void AdminApi::block_now(const net::Request& req, const net::Respond& respond) {
  const auto s = backend_.settings();
  auto body = admin_body(req, respond, *s);
  if (!body) return;
  std::vector<std::string> usernames;
  protocol::ObjectReader r(*body);
  r.read("Usernames", usernames);
  if (!r.ok()) return respond(api_error(req, bhttp::status::bad_request, r.error()));
  backend_.block_now(std::move(usernames), relay(req, respond));
}

void AdminApi::disconnect_now(const net::Request& req, const net::Respond& respond) {
  const auto s = backend_.settings();
  auto body = admin_body(req, respond, *s);
  if (!body) return;
  std::vector<std::string> usernames;
  std::string message;
  bool kick = false;
  protocol::ObjectReader r(*body);
  r.read("Usernames", usernames);
  r.read("Message", message);
  r.read("Kick", kick);
  if (!r.ok()) return respond(api_error(req, bhttp::status::bad_request, r.error()));
  backend_.disconnect_now(std::move(usernames), std::move(message), kick, relay(req, respond));
}

void AdminApi::amend_jwt(const net::Request& req, const net::Respond& respond) {
  const auto s = backend_.settings();
  auto body = admin_body(req, respond, *s);
  if (!body) return;
  std::string username, token;
  protocol::ObjectReader r(*body);
  r.read("Username", username);
  r.read("JWTToken", token);
  if (!r.ok()) return respond(api_error(req, bhttp::status::bad_request, r.error()));
  auto claims = s->jwt.secret_key.empty()
                    ? std::unexpected(std::string("no secret key"))
                    : auth::verify_jwt(token, s->jwt.secret_key, backend_.now_seconds());
  if (!claims) return respond(api_error(req, bhttp::status::unauthorized, "Invalid JWT token."));
  backend_.amend_jwt(
      username, std::move(*claims),
      [head = request_head(req), respond, username, ok = relay(req, respond)](std::string reply) {
        if (!reply.empty()) return ok(std::move(reply));
        respond(api_error(head, bhttp::status::not_found, "User " + username + " is not online."));
      });
}

}  // namespace http

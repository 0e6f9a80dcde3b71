#include "http/user_api.hpp"

#include <spdlog/spdlog.h>

#include "auth/jwt.hpp"
#include "hooks/profile_answer.hpp"
#include "hooks/webhook_bodies.hpp"
#include "http/api_request.hpp"
#include "http/responses.hpp"
#include "protocol/json_reader.hpp"

namespace http {

// The caller need not be online, and the user asked about need not exist:
// the website decides what to show.
void UserApi::profile(const net::Request& req, const net::Respond& respond) {
  auto body = read_json_body(req);
  if (!body) return respond(std::move(body.error()));
  std::string token, username;
  protocol::ObjectReader r(*body);
  r.read("JWTToken", token);
  r.read("Username", username);
  if (!r.ok()) return respond(api_error(req, bhttp::status::bad_request, r.error()));
  const auto s = backend_.settings();
  if (!s->jwt.enabled || token.empty()) {
    return respond(
        api_error(req, bhttp::status::bad_request, "JWT authentication is not available."));
  }
  if (auto claims = auth::verify_jwt(token, s->jwt.secret_key, backend_.now_seconds()); !claims) {
    return respond(api_error(req, bhttp::status::bad_request, claims.error()));
  }
  const auto* hook = s->enabled_webhook("profile");
  if (!hook) {
    return respond(api_error(req, bhttp::status::internal_server_error,
                             "Didn't get expected response for profile data: the profile "
                             "webhook is not enabled on this server."));
  }
  backend_.post_webhook(
      hook->url, hooks::profile_body(s->admin_api_key, username),
      [head = request_head(req), respond](hooks::WebhookResponse res) {
        if (!res.error.empty()) spdlog::warn("profile webhook: {}", res.detail);
        auto answer = hooks::read_profile_answer(res);
        respond(json_response(head,
                              answer.ok ? bhttp::status::ok : bhttp::status::internal_server_error,
                              std::move(answer.body)));
      });
}

}  // namespace http

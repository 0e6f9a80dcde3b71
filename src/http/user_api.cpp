#include "http/user_api.hpp"

#include <spdlog/spdlog.h>

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
  auto claims = chat_jwt_claims(*s, token, backend_.now_seconds());
  if (!claims) return respond(api_error(req, bhttp::status::bad_request, claims.error()));
  const auto* hook = s->enabled_webhook("profile");
  if (!hook) {
    spdlog::warn("/api/profile: the profile webhook is not enabled");
    auto answer = hooks::no_profile_answer();
    return respond(
        json_response(req, bhttp::status::internal_server_error, std::move(answer.body)));
  }
  if (!begin_profile(claims->sub)) {
    return respond(api_error(req, bhttp::status::too_many_requests,
                             "Too many profile requests at once: try again in a moment."));
  }
  backend_.post_webhook(
      hook->url, hooks::profile_body(s->admin_api_key, username),
      [this, user = claims->sub, head = request_head(req), respond](hooks::WebhookResponse res) {
        end_profile(user);
        if (!res.error.empty()) spdlog::warn("profile webhook: {}", res.detail);
        auto answer = hooks::read_profile_answer(res);
        respond(json_response(head,
                              answer.ok ? bhttp::status::ok : bhttp::status::internal_server_error,
                              std::move(answer.body)));
      });
}

bool UserApi::begin_profile(const std::string& user) {
  std::lock_guard lock(mutex_);
  auto& n = profiles_waiting_[user];
  if (n >= kMaxProfilesPerUser) return false;
  ++n;
  return true;
}

void UserApi::end_profile(const std::string& user) {
  std::lock_guard lock(mutex_);
  if (auto it = profiles_waiting_.find(user); it != profiles_waiting_.end() && --it->second <= 0) {
    profiles_waiting_.erase(it);
  }
}

}  // namespace http

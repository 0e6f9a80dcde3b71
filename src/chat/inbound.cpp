#include "chat/inbound.hpp"

#include "auth/jwt.hpp"
#include "render/markdown.hpp"
#include "render/youtube.hpp"
#include "util/random.hpp"

namespace chat {

std::string render_message(std::string_view text) {
  auto html = render::markdown_to_html(text);
  if (!html.empty()) html += render::youtube_embed(html);
  return html;
}

namespace {

void check_login_token(Inbound& in, const config::Settings& s, int64_t now_s) {
  const bool required = s.jwt.enabled && s.jwt.strict;
  if (in.msg.jwt.empty()) {
    in.jwt = required ? Inbound::Jwt::kMissing : Inbound::Jwt::kNotChecked;
    return;
  }
  auto claims = auth::verify_jwt(in.msg.jwt, s.jwt.secret_key, now_s);
  if (!claims) {
    in.jwt = Inbound::Jwt::kInvalid;
    in.jwt_error = claims.error();
    return;
  }
  in.jwt = Inbound::Jwt::kValid;
  in.claims = std::move(*claims);
}

}  // namespace

Inbound prepare_inbound(std::string_view json, const config::Settings& settings, int64_t now_s) {
  return prepare_inbound(protocol::decode_client_message(json), settings, now_s);
}

Inbound prepare_inbound(std::expected<protocol::ClientMessage, std::string> msg,
                        const config::Settings& settings, int64_t now_s) {
  Inbound in;
  if (!msg) {
    in.error = std::move(msg.error());
    return in;
  }
  in.msg = std::move(*msg);
  using protocol::Action;
  if (in.msg.action == Action::kLogin) check_login_token(in, settings, now_s);
  // Commands (text starting with "/") are interpreted by the room, raw.
  if (in.msg.action == Action::kMessage) in.html = render_message(in.msg.message);
  if (in.msg.action == Action::kOpen) in.open_secret = util::random_letters(16);
  if (in.msg.action == Action::kFile) {
    in.picture = std::make_shared<const std::string>(std::move(in.msg.bytes));
  }
  return in;
}

}  // namespace chat
